from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "ipsworks.diary"
    label = "diary"

    def ready(self) -> None:
        from ipsworks.diary.privacy import PERSONAL_RECORDS
        from ipsworks.people.privacy import add_personal_records

        add_personal_records(*PERSONAL_RECORDS)
        from ipsworks.access.rules import add_object_rule
        from ipsworks.diary.models import Appointment
        from ipsworks.diary.permissions import appointment_rule
        from ipsworks.diary.timeline import appointments
        from ipsworks.people import timeline

        add_object_rule(Appointment, appointment_rule)
        timeline.add_source(appointments)
