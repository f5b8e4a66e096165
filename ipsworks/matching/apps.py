from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "ipsworks.matching"
    label = "matching"
    verbose_name = "Vacancies, job search and matching"
