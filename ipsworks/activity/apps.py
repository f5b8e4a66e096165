from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "ipsworks.activity"
    label = "activity"

    def ready(self) -> None:
        from ipsworks.activity.privacy import PERSONAL_RECORDS
        from ipsworks.people.privacy import add_personal_records

        add_personal_records(*PERSONAL_RECORDS)
        from ipsworks.activity import queries
        from ipsworks.activity.models import Contact
        from ipsworks.activity.timeline import contacts
        from ipsworks.core import page_cache
        from ipsworks.people import progress, timeline

        page_cache.register_one_person(Contact)
        # people is below activity: it learns about contacts from these, not by import.
        timeline.add_source(contacts)
        progress.add_annotation("last_contact_on", queries.last_direct_contact)
        progress.answer_contact_attempts(queries.failed_contact_attempts)
