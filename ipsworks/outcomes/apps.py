from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "ipsworks.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from ipsworks.jobs import notices
        from ipsworks.outcomes import facts, funding

        facts.connect()
        notices.add_source(funding.job_notices)
