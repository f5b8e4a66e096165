from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ipsworks.jobs"
    label = "jobs"

    def ready(self) -> None:
        from ipsworks.core import page_cache
        from ipsworks.jobs.models import SupportCheckIn
        from ipsworks.jobs.timeline import jobs
        from ipsworks.people import signals, timeline

        timeline.add_source(jobs)
        signals.support_contact.connect(_support_contact, dispatch_uid="jobs.support_contact")
        page_cache.register_one_person(SupportCheckIn)


def _support_contact(sender, person_id: int, on, **kwargs) -> None:
    from ipsworks.jobs.services import note_support_contact

    note_support_contact(person_id=person_id, on=on)
