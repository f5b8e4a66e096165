from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "ipsworks.outcomes"
    label = "outcomes"
