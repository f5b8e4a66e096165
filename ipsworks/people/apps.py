from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ipsworks.people"
    label = "people"

    def ready(self) -> None:
        from ipsworks.access.queries import set_person_lookup
        from ipsworks.access.rules import add_object_rule
        from ipsworks.core import page_cache
        from ipsworks.people import permissions, queries
        from ipsworks.people.models import Episode, Person, Referral, ReferralStatusChange

        page_cache.register_one_person(Referral, ReferralStatusChange, Episode)
        add_object_rule(Person, permissions.person_rule)
        add_object_rule(Referral, permissions.referral_rule)
        set_person_lookup(queries.person_ids_named_by)
