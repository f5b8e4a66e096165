from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "ipsworks.benefits"
    label = "benefits"
    verbose_name = "Benefits (better off in work)"

    def ready(self) -> None:
        from ipsworks.benefits.privacy import PERSONAL_RECORDS
        from ipsworks.people.privacy import add_personal_records

        add_personal_records(*PERSONAL_RECORDS)
        from ipsworks.benefits.privacy import anonymise_calculations
        from ipsworks.benefits.timeline import calculations
        from ipsworks.people import privacy, timeline

        timeline.add_source(calculations)
        privacy.add_anonymiser(anonymise_calculations)
