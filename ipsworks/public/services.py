"""Writes made through the public page and by the staff who look after it.

Public submissions have no signed-in actor (``by=None`` in the audit log). Each runs in one
transaction; the duty inbox is told only after the transaction commits, by a background
task, so a slow or failing mail server never loses a referral.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Role
from ipsworks.core.dates import local_today
from ipsworks.employers.models import Employer, EmployerContactPerson
from ipsworks.organisations.models import Service, StaffMember, Team
from ipsworks.people.models import Person, Referral, ReferralStatus
from ipsworks.people.services import NewReferral, create_referral, note_self_referral_again
from ipsworks.public import tasks
from ipsworks.public.models import DutyInboxNotice, EmployerEnquiry, PublicPage

_CREATE = AccessLogEntry.Action.CREATE
_CHANGE = AccessLogEntry.Action.CHANGE


@dataclass(frozen=True)
class SelfReferralOutcome:
    referral: Referral
    repeated: bool  # the person already had an open referral; nothing new was created


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _same_person(person: Person, details: dict[str, Any]) -> bool:
    """Same name and the same phone or email: the same person getting in touch again."""
    phone, email = _digits(details.get("phone") or ""), (details.get("email") or "").lower()
    return bool(
        (phone and _digits(person.phone) == phone) or (email and person.email.lower() == email)
    )


def _lock_page(service: Service) -> PublicPage:
    """Serialise the public submissions of one service, so a double click makes one record."""
    return PublicPage.objects.select_for_update().get(service=service, is_enabled=True)


@transaction.atomic
def submit_self_referral(
    *,
    service: Service,
    person_details: dict[str, Any],
    team: Team | None,
    work_interests: str,
) -> SelfReferralOutcome:
    """Record a self-referral: source B1 (self referral), flagged new, for the service to contact.

    Someone who gets in touch again while their referral is still open (the same name and
    phone or email) does not get a second person record or referral: the open referral is
    flagged new again so the service sees they asked twice. Their record is never changed
    by an unauthenticated form, and the public reply is the same either way, so the form
    cannot be used to find out whether somebody is known to a mental health service.
    Someone whose earlier referral closed is re-referred as the same person.
    """
    _lock_page(service)
    known = [
        person
        for person in Person.objects.filter(
            service=service,
            given_name__iexact=person_details["given_name"],
            family_name__iexact=person_details["family_name"],
        )
        if _same_person(person, person_details)
    ]
    for person in known:
        open_referral = person.referrals.exclude(status=ReferralStatus.CLOSED).first()
        if open_referral is not None:
            note_self_referral_again(referral=open_referral, work_interests=work_interests)
            tell_duty_inbox(service, tasks.SELF_REFERRAL_REPEATED)
            return SelfReferralOutcome(referral=open_referral, repeated=True)

    new = NewReferral(
        team=team,
        source=Referral.Source.SELF,
        received_on=local_today(),
        work_interests=work_interests,
    )
    if known:
        referral = create_referral(service=service, person=known[0], referral=new, by=None)
    else:
        referral = create_referral(
            service=service, person_details=person_details, referral=new, by=None
        )
    tell_duty_inbox(service, tasks.SELF_REFERRAL)
    return SelfReferralOutcome(referral=referral, repeated=False)


@transaction.atomic
def submit_employer_enquiry(
    *, service: Service, employer_details: dict[str, Any], enquiry_details: dict[str, Any]
) -> EmployerEnquiry:
    """Record an employer's enquiry, linked to the employer record (made if new).

    An employer already recorded under the same name and postcode in this service is
    linked, not duplicated; so is a contact person of the same name. Nothing already
    recorded is changed by the public form: staff check the details when they answer.
    """
    _lock_page(service)
    employer = Employer.objects.filter(
        service=service,
        name__iexact=employer_details["name"],
        postcode=employer_details["postcode"],
    ).first()
    if employer is None:
        employer = Employer(service=service, **employer_details)
        employer.full_clean()
        employer.save()
        record_event(by=None, action=_CREATE, obj=employer, reason="Employer enquiry")
    contact_name = enquiry_details["contact_name"]
    # Someone taken off the employer's contacts who enquires again is a current contact again.
    contact = employer.people.filter(name__iexact=contact_name, removed_at__isnull=True).first()
    if contact is None:
        contact = EmployerContactPerson(
            employer=employer,
            name=contact_name,
            job_title=enquiry_details.get("job_title", ""),
            phone=enquiry_details.get("phone", ""),
            email=enquiry_details.get("email", ""),
        )
        contact.full_clean()
        contact.save()
    enquiry = EmployerEnquiry(
        service=service, employer=employer, contact_person=contact, **enquiry_details
    )
    enquiry.full_clean()
    enquiry.save()
    record_event(by=None, action=_CREATE, obj=enquiry)
    tell_duty_inbox(service, tasks.EMPLOYER_ENQUIRY)
    return enquiry


@transaction.atomic
def answer_enquiry(*, enquiry: EmployerEnquiry, note: str, by: StaffMember) -> EmployerEnquiry:
    enquiry = EmployerEnquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.service_id != by.service_id:
        raise PermissionDenied
    if enquiry.is_answered:
        raise ValidationError({"note": "This enquiry has already been answered"})
    enquiry.answered_at = timezone.now()
    enquiry.answered_by = by
    enquiry.note = note
    enquiry.save(update_fields=["answered_at", "answered_by", "note"])
    record_event(by=by, action=_CHANGE, obj=enquiry)
    return enquiry


@transaction.atomic
def save_public_page(*, service: Service, fields: dict[str, Any], by: StaffMember) -> PublicPage:
    """The service administrator's changes to their own service's public page."""
    if by.role != Role.ADMINISTRATOR or by.service_id != service.pk:
        raise PermissionDenied
    page = PublicPage.objects.select_for_update().filter(service=service).first()
    page = page or PublicPage(service=service)
    for name, value in fields.items():
        setattr(page, name, value)
    page.updated_by = by
    page.full_clean()
    page.save()
    record_event(by=by, action=_CHANGE, obj=page)
    return page


def tell_duty_inbox(service: Service, kind: str) -> None:
    """Owe the service's duty inbox one email about ``kind``, sent once this commits."""
    notice = DutyInboxNotice.objects.create(service=service, kind=kind)
    transaction.on_commit(
        lambda: tasks.notify_duty_inbox.enqueue(
            service_id=service.pk, kind=kind, notice_id=notice.pk
        )
    )
