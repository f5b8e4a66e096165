from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "ipsworks.activity"
    label = "activity"

    def ready(self) -> None:
        from ipsworks.activity.models import Contact
        from ipsworks.core import page_cache

        page_cache.register_one_person(Contact)
