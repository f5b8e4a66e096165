"""Employer enquiries under the retention policy: due, and removed with what they brought in.

Registered as a step of ``manage.py apply_retention`` (``ipsworks.people.privacy``) from
``PublicConfig.ready``.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.functions import Coalesce

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.people.privacy import RetentionStep, years_before
from ipsworks.public.models import EmployerEnquiry


def due_employer_enquiries(today: date, years: int | None = None):
    """Employer enquiries whose last contact (received or answered) is ``years`` ago or more.

    The public privacy notice promises: "We keep an employer's enquiry for 2 years after our
    last contact" (``IPS_EMPLOYER_ENQUIRY_RETENTION_YEARS``).
    """
    years = settings.IPS_EMPLOYER_ENQUIRY_RETENTION_YEARS if years is None else years
    cutoff = years_before(today, years)
    return EmployerEnquiry.objects.annotate(
        last_contact=Coalesce("answered_at", "received_at")
    ).filter(last_contact__date__lt=cutoff)


@transaction.atomic
def remove_employer_enquiry(enquiry, *, by=None) -> None:
    """Delete an expired enquiry and the contact details it brought in.

    The enquiry row (the writer's name, job title, phone, email and message) is deleted. The
    contact person it was filed under goes too, unless a newer enquiry still points at them.
    The employer record stays if the service has any other dealings with it (other contact
    people, employer contacts, vacancies, jobs and so on: anything that protects it from
    deletion); an employer known only through expired enquiries is deleted as well.
    """
    employer, contact = enquiry.employer, enquiry.contact_person
    enquiry_id, service_id = enquiry.pk, enquiry.service_id
    EmployerEnquiry.objects.filter(pk=enquiry_id).delete()
    if contact is not None and not contact.enquiries.exists():
        contact.delete()
    if not employer.people.exists() and not employer.enquiries.exists():
        try:
            with transaction.atomic():
                employer.delete()
        except (ProtectedError, RestrictedError):
            pass  # the service still works with this employer: the record stays
    record_event(
        by=by,
        action=AccessLogEntry.Action.ANONYMISE,
        obj=enquiry,
        reason=(
            f"Employer enquiry {enquiry_id} (service {service_id}) deleted under the "
            f"retention policy: {settings.IPS_EMPLOYER_ENQUIRY_RETENTION_YEARS} years "
            "after the last contact"
        ),
    )


EMPLOYER_ENQUIRIES = RetentionStep(
    what="employer enquiries",
    verb="deleted",
    due=lambda today: list(due_employer_enquiries(today).select_related("employer")),
    apply=remove_employer_enquiry,
)
