from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ipsworks.jobs"
    label = "jobs"

    def ready(self) -> None:
        from ipsworks.jobs.timeline import jobs
        from ipsworks.people import timeline

        timeline.add_source(jobs)
