from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "ipsworks.access"
    label = "access"
