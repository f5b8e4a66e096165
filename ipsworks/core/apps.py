from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ipsworks.core"
    label = "core"
