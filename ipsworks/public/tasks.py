"""Telling a service's duty inbox that something arrived through its public page.

The email carries no personal details at all: no name, contact details, postcode, team or
words from the form, and no employer name. It says what kind of thing arrived and links to
the page where signed-in staff can read it. Email is not a safe place for health data, and
a duty inbox is often shared.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from ipsworks.operations.reaper import recoverable

SELF_REFERRAL = "self_referral"
SELF_REFERRAL_REPEATED = "self_referral_repeated"
EMPLOYER_ENQUIRY = "employer_enquiry"
REFERRAL_NEEDS_CHECK = "referral_needs_check"

_MESSAGES = {
    SELF_REFERRAL: (
        "New self-referral",
        "A self-referral has arrived through the {service} public page.",
        "referral_list",
        "See it in the referrals list (sign in first)",
    ),
    SELF_REFERRAL_REPEATED: (
        "Self-referral sent again",
        "Someone whose self-referral is still open has sent the form again through the "
        "{service} public page. Their referral is marked as new.",
        "referral_list",
        "See it in the referrals list (sign in first)",
    ),
    REFERRAL_NEEDS_CHECK: (
        "Referral needs a check",
        "A referral to {service} was refused because its details need a check against the "
        "record the service holds. The referrer has been told the duty team will contact them.",
        "referral_checks",
        "See the referrals to check (sign in first)",
    ),
    EMPLOYER_ENQUIRY: (
        "New employer enquiry",
        "An employer has sent an enquiry through the {service} public page.",
        "enquiry_list",
        "See it in the employer enquiries list (sign in first)",
    ),
}


def compose(*, service_name: str, kind: str) -> tuple[str, str]:
    """The subject and body of the notification. Nothing here comes from the form."""
    subject, sentence, url_name, link_text = _MESSAGES[kind]
    link = settings.IPS_SITE_URL.rstrip("/") + reverse(url_name)
    body = (
        f"{sentence.format(service=service_name)}\n\n"
        f"{link_text}: {link}\n\n"
        "This email has no personal details on purpose. Please do not reply with any.\n"
    )
    return f"IPS Works: {subject.lower()} for {service_name}", body


@task()
def notify_duty_inbox(service_id: int, kind: str, notice_id: int | None = None) -> bool:
    """Email the duty inbox of a service. Returns whether an email was sent.

    With a notice, at most once: the notice is marked sent in the transaction that sends
    the email, so a run after a lost worker sends nothing if the email already went (only a
    worker killed between the mail server's answer and the commit can cause a repeat).
    """
    from ipsworks.public.models import DutyInboxNotice, PublicPage

    page = PublicPage.objects.select_related("service").filter(service_id=service_id).first()
    if page is None or not page.duty_inbox_email:
        return False
    subject, body = compose(service_name=page.service.name, kind=kind)
    with transaction.atomic():
        if notice_id is not None:
            marked = DutyInboxNotice.objects.filter(pk=notice_id, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if not marked:
                return False  # sent by an earlier run of this task
        send_mail(
            subject=subject, message=body, from_email=None, recipient_list=[page.duty_inbox_email]
        )
    return True


# Safe to run again: the notice stops a second email. Enqueued again once after a lost worker.
recoverable(notify_duty_inbox, runs=2)
