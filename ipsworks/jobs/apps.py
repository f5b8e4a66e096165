from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ipsworks.jobs"
    label = "jobs"
