from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "ipsworks.matching"
    label = "matching"
    verbose_name = "Vacancies, job search and matching"

    def ready(self) -> None:
        from ipsworks.jobs import offers
        from ipsworks.matching.offers import SOURCE

        offers.register(SOURCE)
