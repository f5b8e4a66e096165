from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ipsworks.imports"
    label = "imports"
    verbose_name = "Imports from clinical systems"
