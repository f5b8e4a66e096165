"""Writes for employers and job development."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.core.dates import local_today
from ipsworks.employers.models import (
    AccessToWorkApplication,
    Employer,
    EmployerContact,
    EmployerSupport,
)
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import DisclosurePlan, Person

_CREATE = AccessLogEntry.Action.CREATE
_CHANGE = AccessLogEntry.Action.CHANGE


def _same_service(employer: Employer, by: StaffMember) -> None:
    if employer.service_id != by.service_id:
        raise ValidationError({"employer": "Choose an employer from your service"})


def _person_in_service(person: Person | None, by: StaffMember) -> None:
    if person is not None and person.service_id != by.service_id:
        raise ValidationError({"person": "Choose someone from your service"})


@transaction.atomic
def create_employer(*, fields: dict, contact_people: list[dict], by: StaffMember) -> Employer:
    employer = Employer(service_id=by.service_id, **fields)
    if Employer.objects.filter(
        service_id=by.service_id, name__iexact=employer.name, postcode=employer.postcode
    ).exists():
        raise ValidationError({"name": "This employer is already recorded at that postcode"})
    employer.full_clean()
    employer.save()
    for person in contact_people:
        employer.people.create(**person)
    record_event(by=by, action=_CREATE, obj=employer)
    return employer


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
        from ipsworks.jobs.services import note_support_contact

        note_support_contact(person_id=person.pk, on=details.contact_date)
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


@transaction.atomic
def save_access_to_work(
    *, application: AccessToWorkApplication, by: StaffMember
) -> AccessToWorkApplication:
    """Create or update an Access to Work application after checking its dates and status."""
    _same_service(application.employer, by)
    _person_in_service(application.person, by)
    application.service_id = by.service_id
    if application.pk is None:
        application.staff = by
    _check_access_to_work(application)
    application.full_clean()
    application.save()
    record_event(
        by=by,
        action=_CHANGE if application.pk else _CREATE,
        obj=application,
        person_id=application.person_id,
    )
    return application
