from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "ipsworks.access"
    label = "access"

    def ready(self):
        from ipsworks.access import signals  # noqa: F401 (connects the receivers)
        from ipsworks.access.models import AccessLogEntry
        from ipsworks.core import page_cache

        # The access log is shown only on the access-log page, which is never kept.
        page_cache.register_unseen(AccessLogEntry)
