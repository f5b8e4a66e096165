from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public front door: service pages, self-referral and employer enquiries."""

    name = "ipsworks.public"
    label = "public"
    verbose_name = "Public pages"

    def ready(self) -> None:
        from ipsworks.outcomes import overview
        from ipsworks.people import privacy
        from ipsworks.people.signals import referral_needs_check
        from ipsworks.public.queries import unanswered_enquiry_count
        from ipsworks.public.retention import EMPLOYER_ENQUIRIES

        privacy.add_retention_step(EMPLOYER_ENQUIRIES)
        overview.add_count("unanswered_enquiries", unanswered_enquiry_count)

        referral_needs_check.connect(_tell_duty_inbox, dispatch_uid="public.referral_check")


def _tell_duty_inbox(sender, check, **kwargs) -> None:
    """A refused referral is the duty team's to sort out: tell its inbox (no details)."""
    from ipsworks.public import services, tasks

    services.tell_duty_inbox(check.service, tasks.REFERRAL_NEEDS_CHECK)
