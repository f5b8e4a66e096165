from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "ipsworks.activity"
    label = "activity"
