from django.apps import AppConfig


class FidelityConfig(AppConfig):
    name = "ipsworks.fidelity"
    label = "fidelity"
    verbose_name = "Fidelity reviews (IPS-25)"
