from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public front door: service pages, self-referral and employer enquiries."""

    name = "ipsworks.public"
    label = "public"
    verbose_name = "Public pages"
