from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "ipsworks.employers"
    label = "employers"
