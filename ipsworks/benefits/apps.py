from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "ipsworks.benefits"
    label = "benefits"
    verbose_name = "Benefits (better off in work)"
