from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "ipsworks.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from ipsworks.outcomes import facts

        facts.connect()
