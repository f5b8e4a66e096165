from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ipsworks.jobs"
    label = "jobs"

    def ready(self) -> None:
        from ipsworks.core import page_cache
        from ipsworks.jobs.models import SupportCheckIn
        from ipsworks.jobs.timeline import jobs
        from ipsworks.people import timeline

        timeline.add_source(jobs)
        page_cache.register_one_person(SupportCheckIn)
