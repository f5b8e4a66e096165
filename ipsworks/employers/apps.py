from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "ipsworks.employers"
    label = "employers"

    def ready(self) -> None:
        from ipsworks.employers.privacy import PERSONAL_RECORDS
        from ipsworks.people.privacy import add_personal_records

        add_personal_records(*PERSONAL_RECORDS)
