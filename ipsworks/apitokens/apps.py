from django.apps import AppConfig


class ApiTokensConfig(AppConfig):
    name = "ipsworks.apitokens"
    label = "apitokens"
    verbose_name = "API tokens"
