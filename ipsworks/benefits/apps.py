from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "ipsworks.benefits"
    label = "benefits"
    verbose_name = "Benefits (better off in work)"

    def ready(self) -> None:
        from ipsworks.benefits.timeline import calculations
        from ipsworks.people import timeline

        timeline.add_source(calculations)
