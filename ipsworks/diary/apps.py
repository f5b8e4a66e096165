from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "ipsworks.diary"
    label = "diary"

    def ready(self) -> None:
        from ipsworks.access.rules import add_object_rule
        from ipsworks.diary.models import Appointment
        from ipsworks.diary.permissions import appointment_rule

        add_object_rule(Appointment, appointment_rule)
