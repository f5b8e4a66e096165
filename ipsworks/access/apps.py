from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "ipsworks.access"
    label = "access"

    def ready(self):
        from ipsworks.access import signals  # noqa: F401 (connects the receivers)
