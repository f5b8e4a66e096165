"""Contacts with a person, and contacts with employers, recorded as the pages record them."""

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from ipsworks.access.roles import Permission
from ipsworks.access.rules import require
from ipsworks.activity import services as activity_services
from ipsworks.activity.forms import ContactForm
from ipsworks.activity.models import Contact
from ipsworks.api.auth import staff_with
from ipsworks.api.errors import django_errors
from ipsworks.api.forms import checked
from ipsworks.api.idempotency import idempotent
from ipsworks.api.schemas import ERRORS, Day, Id, Text, known_query
from ipsworks.benefits.schema import InputError
from ipsworks.employers import services as employer_services
from ipsworks.employers.forms import EmployerContactForm
from ipsworks.employers.models import Employer, EmployerContact
from ipsworks.people.models import Person, Referral

router = Router(tags=["activity"])


class ContactIn(Schema):
    referral_id: Id = Field(description="The person's open referral")
    contact_date: Day
    with_whom: Literal[tuple(Contact.With.values)] = "person"
    mode: Literal[tuple(Contact.Mode.values)]
    outcome: Literal[tuple(Contact.Outcome.values)] = "completed"
    place: Literal[("", *Contact.Place.values)] = ""
    duration_minutes: int | None = Field(None, ge=1, le=600)
    note: Text(4000) = ""


class ContactOut(Schema):
    id: int
    referral_id: int
    person_id: int
    contact_date: date
    mode: str
    outcome: str
    is_direct: bool


@router.post(
    "/contacts",
    response={201: ContactOut, **ERRORS},
    url_name="api_contact_create",
    summary="Record a contact on an open referral (a direct one may start the episode)",
    auth=staff_with(Permission.RECORD_CONTACT),
)
@idempotent
def create_contact(request, payload: ContactIn):
    known_query(request)
    staff = request.staff
    referral = get_object_or_404(
        Referral.objects.visible_to(staff).select_related("person"), pk=payload.referral_id
    )
    require(staff, Permission.RECORD_CONTACT, referral.person)
    form = checked(ContactForm, payload.model_dump(exclude={"referral_id"}))
    try:
        contact = activity_services.record_contact(
            referral=referral, details=form.details(), by=staff
        )
    except ValidationError as error:
        raise InputError(django_errors(error)) from None
    return Status(201, contact)


class EmployerContactIn(Schema):
    employer_id: Id
    person_id: Id | None = Field(None, description="The person it was for, if any")
    contact_date: Day
    mode: Literal[tuple(EmployerContact.Mode.values)]
    purpose: Literal[tuple(EmployerContact.Purpose.values)]
    outcome: Text(4000) = ""
    duration_minutes: int | None = Field(None, ge=1, le=600)


class EmployerContactOut(Schema):
    id: int
    employer_id: int
    person_id: int | None
    contact_date: date
    mode: str
    purpose: str


@router.post(
    "/employer-contacts",
    response={201: EmployerContactOut, **ERRORS},
    url_name="api_employer_contact_create",
    summary="Record a contact with an employer (job development)",
    auth=staff_with(Permission.WORK_WITH_EMPLOYERS),
)
@idempotent
def create_employer_contact(request, payload: EmployerContactIn):
    known_query(request)
    staff = request.staff
    employer = get_object_or_404(Employer.objects.visible_to(staff), pk=payload.employer_id)
    person = None
    if payload.person_id is not None:
        person = get_object_or_404(Person.objects.visible_to(staff), pk=payload.person_id)
    values = payload.model_dump(exclude={"employer_id", "person_id"})
    values["person"] = person.pk if person else None
    form = checked(
        EmployerContactForm,
        values,
        names={"person": "person_id"},
        people=Person.objects.visible_to(staff),
    )
    try:
        contact = employer_services.record_employer_contact(
            employer=employer, details=form.details(), person=person, by=staff
        )
    except ValidationError as error:
        raise InputError(django_errors(error, {"person": "person_id"})) from None
    return Status(201, contact)
