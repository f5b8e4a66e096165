from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "ipsworks.matching"
    label = "matching"
    verbose_name = "Vacancies, job search and matching"

    def ready(self) -> None:
        from ipsworks.matching.privacy import PERSONAL_RECORDS
        from ipsworks.people.privacy import add_personal_records

        add_personal_records(*PERSONAL_RECORDS)
        from ipsworks.jobs import offers
        from ipsworks.matching.offers import SOURCE

        offers.register(SOURCE)
