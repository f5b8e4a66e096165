"""Writes for employers and job development."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.core.dates import local_today
from ipsworks.employers.models import (
    AccessToWorkApplication,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    EmployerSupport,
)
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import DisclosurePlan, Person
from ipsworks.people.signals import support_contact

_CREATE = AccessLogEntry.Action.CREATE
_CHANGE = AccessLogEntry.Action.CHANGE


def _same_service(employer: Employer, by: StaffMember) -> None:
    if employer.service_id != by.service_id:
        raise ValidationError({"employer": "Choose an employer from your service"})


def _person_in_service(person: Person | None, by: StaffMember) -> None:
    if person is not None and person.service_id != by.service_id:
        raise ValidationError({"person": "Choose someone from your service"})


def _check_not_duplicate(employer: Employer) -> None:
    """One record per employer and postcode in a service, whatever the letter case."""
    same = Employer.objects.filter(
        service_id=employer.service_id, name__iexact=employer.name, postcode=employer.postcode
    )
    if employer.pk is not None:
        same = same.exclude(pk=employer.pk)
    if same.exists():
        raise ValidationError({"name": "This employer is already recorded at that postcode"})


@transaction.atomic
def create_employer(*, fields: dict, contact_people: list[dict], by: StaffMember) -> Employer:
    employer = Employer(service_id=by.service_id, **fields)
    _check_not_duplicate(employer)
    employer.full_clean()
    employer.save()
    for person in contact_people:
        employer.people.create(**person)
    record_event(by=by, action=_CREATE, obj=employer)
    return employer


@transaction.atomic
def update_employer(*, employer: Employer, fields: dict, by: StaffMember) -> Employer:
    """Change an employer's details, with the same checks as adding one."""
    _same_service(employer, by)
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    for name, value in fields.items():
        setattr(employer, name, value)
    _check_not_duplicate(employer)
    employer.full_clean()
    employer.save()
    record_event(by=by, action=_CHANGE, obj=employer)
    return employer


_CONTACT_PERSON_FIELDS = ("name", "job_title", "phone", "email")


@transaction.atomic
def add_contact_person(
    *, employer: Employer, fields: dict, by: StaffMember
) -> EmployerContactPerson:
    _same_service(employer, by)
    contact = EmployerContactPerson(
        employer=employer, **{name: fields[name] for name in _CONTACT_PERSON_FIELDS}
    )
    contact.full_clean()
    contact.save()
    record_event(by=by, action=_CREATE, obj=contact)
    return contact


def _locked_contact(contact: EmployerContactPerson, by: StaffMember) -> EmployerContactPerson:
    contact = (
        EmployerContactPerson.objects.select_for_update()
        .select_related("employer")
        .get(pk=contact.pk)
    )
    _same_service(contact.employer, by)
    return contact


def _current_contact(contact: EmployerContactPerson, by: StaffMember) -> EmployerContactPerson:
    contact = _locked_contact(contact, by)
    if contact.removed_at is not None:
        raise ValidationError(f"{contact.name} is no longer a contact at {contact.employer.name}")
    return contact


@transaction.atomic
def update_contact_person(
    *, contact: EmployerContactPerson, fields: dict, by: StaffMember
) -> EmployerContactPerson:
    contact = _current_contact(contact, by)
    for name in _CONTACT_PERSON_FIELDS:
        setattr(contact, name, fields[name])
    contact.full_clean()
    contact.save()
    record_event(by=by, action=_CHANGE, obj=contact)
    return contact


@transaction.atomic
def remove_contact_person(*, contact: EmployerContactPerson, by: StaffMember) -> bool:
    """Take someone off the employer's contacts. Returns True if their record was deleted.

    Someone an employer enquiry names is kept, marked no longer a contact, so the enquiry
    still says who made it; anyone else is deleted (we keep no more about them than we use).
    """
    contact = _current_contact(contact, by)
    if contact.enquiries.exists():
        contact.removed_at = timezone.now()
        contact.save(update_fields=["removed_at"])
        record_event(by=by, action=_CHANGE, obj=contact, reason="no longer a contact")
        return False
    # The access log has no "delete" action: a change whose reason says what happened.
    record_event(by=by, action=_CHANGE, obj=contact, reason="removed: record deleted")
    contact.delete()
    return True


@transaction.atomic
def restore_contact_person(
    *, contact: EmployerContactPerson, by: StaffMember
) -> EmployerContactPerson:
    """Make someone taken off the employer's contacts a current contact again."""
    contact = _locked_contact(contact, by)
    if contact.removed_at is None:
        raise ValidationError(f"{contact.name} is already a contact at {contact.employer.name}")
    contact.removed_at = None
    contact.save(update_fields=["removed_at"])
    record_event(by=by, action=_CHANGE, obj=contact, reason="a contact again")
    return contact


@dataclass(frozen=True)
class EmployerContactDetails:
    contact_date: date
    mode: str
    purpose: str
    outcome: str = ""
    duration_minutes: int | None = None


def may_contact_employers_for(person: Person) -> bool:
    """Whether the person's current disclosure plan lets the specialist speak to employers."""
    plan = DisclosurePlan.objects.filter(person=person).order_by("-version").first()
    return plan is not None and plan.employer_contact_allowed


@transaction.atomic
def record_employer_contact(
    *,
    employer: Employer,
    details: EmployerContactDetails,
    person: Person | None,
    by: StaffMember,
) -> EmployerContact:
    """Log a contact with an employer. Presenting someone needs their agreement first.

    IPS disclosure practice (fidelity item 13): the specialist speaks to an employer about a
    particular person only when the person's disclosure plan says they may.
    """
    _same_service(employer, by)
    _person_in_service(person, by)
    if details.contact_date > local_today():
        raise ValidationError({"contact_date": "The contact date must be today or in the past"})
    if details.purpose == EmployerContact.Purpose.PRESENT_PERSON:
        if person is None:
            raise ValidationError({"person": "Select the person you presented"})
        if not may_contact_employers_for(person):
            raise ValidationError(
                {
                    "person": f"{person.full_name} has not agreed to you speaking to employers "
                    "for them. Update their disclosure plan first"
                }
            )
    contact = EmployerContact(
        service_id=by.service_id, employer=employer, staff=by, person=person, **details.__dict__
    )
    contact.full_clean()
    contact.save()
    if person is not None and details.purpose == EmployerContact.Purpose.IN_WORK_SUPPORT:
        support_contact.send(sender=EmployerContact, person_id=person.pk, on=details.contact_date)
    record_event(by=by, action=_CREATE, obj=contact, person_id=person.pk if person else None)
    return contact


@transaction.atomic
def record_employer_support(
    *,
    employer: Employer,
    kind: str,
    delivered_on: date,
    attendees: int | None,
    person: Person | None,
    note: str,
    by: StaffMember,
) -> EmployerSupport:
    _same_service(employer, by)
    _person_in_service(person, by)
    if delivered_on > local_today():
        raise ValidationError({"delivered_on": "The date must be today or in the past"})
    if kind == EmployerSupport.Kind.AWARENESS_SESSION and not attendees:
        raise ValidationError({"attendees": "Enter how many people attended"})
    support = EmployerSupport(
        service_id=by.service_id,
        employer=employer,
        staff=by,
        kind=kind,
        delivered_on=delivered_on,
        attendees=attendees,
        person=person,
        note=note,
    )
    support.full_clean()
    support.save()
    record_event(by=by, action=_CREATE, obj=support, person_id=person.pk if person else None)
    return support


def _check_access_to_work(application: AccessToWorkApplication) -> None:
    today = local_today()
    errors = {}
    if application.submitted_on and application.submitted_on > today:
        errors["submitted_on"] = "The date submitted must be today or in the past"
    if application.decided_on and application.decided_on > today:
        errors["decided_on"] = "The decision date must be today or in the past"
    decided = application.status in (
        AccessToWorkApplication.Status.APPROVED,
        AccessToWorkApplication.Status.DECLINED,
    )
    if (
        application.status != AccessToWorkApplication.Status.PREPARING
        and not (application.submitted_on)
        and application.status != AccessToWorkApplication.Status.WITHDRAWN
    ):
        errors["submitted_on"] = "Enter the date the application was submitted"
    if decided and not application.decided_on:
        errors["decided_on"] = "Enter the date of the decision"
    if application.decided_on and not decided:
        errors["status"] = "Select approved or declined if a decision has been made"
    if (
        application.decided_on
        and application.submitted_on
        and application.decided_on < application.submitted_on
    ):
        errors["decided_on"] = "The decision cannot be before the application was submitted"
    if application.amount_pence and application.status != AccessToWorkApplication.Status.APPROVED:
        errors["amount_pence"] = "Only an approved application has an amount"
    if errors:
        raise ValidationError(errors)


# The application's fields, and the form's field each is taken from.
_ACCESS_TO_WORK_FIELDS = {
    "person": "person",
    "support_type": "support_type",
    "status": "status",
    "submitted_on": "submitted_on",
    "decided_on": "decided_on",
    "amount_pence": "amount",
    "note": "note",
}


@transaction.atomic
def save_access_to_work(
    *,
    employer: Employer,
    application: AccessToWorkApplication | None = None,
    data: dict[str, Any],
    by: StaffMember,
) -> AccessToWorkApplication:
    """Create (``application`` None) or update an Access to Work application at this
    employer from the form's cleaned data, after checking its dates and status."""
    if application is None:
        application = AccessToWorkApplication(employer=employer)
    for name, field in _ACCESS_TO_WORK_FIELDS.items():
        setattr(application, name, data[field])
    _same_service(application.employer, by)
    _person_in_service(application.person, by)
    application.service_id = by.service_id
    is_new = application.pk is None
    if is_new:
        application.staff = by
    _check_access_to_work(application)
    application.full_clean()
    application.save()
    record_event(
        by=by,
        action=_CREATE if is_new else _CHANGE,
        obj=application,
        person_id=application.person_id,
    )
    return application
