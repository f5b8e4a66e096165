from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "ipsworks.organisations"
    label = "organisations"
    verbose_name = "Services, teams and staff"
