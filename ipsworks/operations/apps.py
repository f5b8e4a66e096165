from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "ipsworks.operations"
    label = "operations"
    verbose_name = "Backups, restores and recovery"
