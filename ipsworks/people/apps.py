from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ipsworks.people"
    label = "people"

    def ready(self) -> None:
        from ipsworks.core import page_cache
        from ipsworks.people.models import Episode, Referral, ReferralStatusChange

        page_cache.register_one_person(Referral, ReferralStatusChange, Episode)
