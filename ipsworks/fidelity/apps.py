from django.apps import AppConfig


class FidelityConfig(AppConfig):
    name = "ipsworks.fidelity"
    label = "fidelity"
    verbose_name = "Fidelity reviews (IPS-25)"

    def ready(self) -> None:
        # The caseload page's limit per full-time specialist is item 1 of the current scale.
        from ipsworks.fidelity import scale
        from ipsworks.people import caseload_limit

        caseload_limit.register(scale.caseload_limit_per_fte)
