from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ipsworks.jobs"
    label = "jobs"

    def ready(self) -> None:
        from ipsworks.jobs.privacy import PERSONAL_RECORDS
        from ipsworks.people.privacy import add_personal_records

        add_personal_records(*PERSONAL_RECORDS)
        from ipsworks.core import page_cache
        from ipsworks.jobs import queries
        from ipsworks.jobs.models import SupportCheckIn
        from ipsworks.jobs.record import WORK
        from ipsworks.jobs.timeline import education, jobs
        from ipsworks.people import progress, record, signals, timeline

        timeline.add_source(jobs)
        timeline.add_source(education)
        signals.support_contact.connect(_support_contact, dispatch_uid="jobs.support_contact")
        page_cache.register_one_person(SupportCheckIn)
        # people is below jobs: its caseload, discharge and record page learn about work here.
        progress.add_annotation("in_work", queries.in_work)
        progress.add_annotation("support_overdue", queries.support_overdue)
        progress.add_annotation("support_due_soon", queries.support_due_soon)
        progress.answer_hours_worked(queries.hours_worked_on)
        record.add_section(WORK)


def _support_contact(sender, person_id: int, on, **kwargs) -> None:
    from ipsworks.jobs.services import note_support_contact

    note_support_contact(person_id=person_id, on=on)
