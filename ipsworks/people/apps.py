from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ipsworks.people"
    label = "people"
