"""Referrals as a clinical system sends them: a person's details and the referral, in one.

Validated by the same form as the "Make a referral" page (people/forms.py ReferralForm) and
saved by ``people.services.create_referral``, which keeps zero exclusion and one open
referral per person. A person already known to the service (same NHS number) is re-referred.
"""

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from pydantic import Field

from ipsworks.access.roles import Permission
from ipsworks.api.auth import staff_with
from ipsworks.api.errors import django_errors
from ipsworks.api.forms import checked
from ipsworks.api.idempotency import idempotent
from ipsworks.api.schemas import ERRORS, Day, Id, Text, known_query
from ipsworks.benefits.schema import InputError
from ipsworks.organisations.queries import teams_for
from ipsworks.people import services
from ipsworks.people.codes import (
    LEGACY_SOURCES,
    Disability,
    EmploymentStatus,
    EthnicCategory,
    GenderIdentity,
    ReligionOrBelief,
    SexualOrientation,
)
from ipsworks.people.codes import WeeklyHoursWorked as Hours
from ipsworks.people.forms import ReferralForm
from ipsworks.people.models import Referral

router = Router(tags=["referrals"])

Gender = Literal[tuple(GenderIdentity.values)]
Ethnicity = Literal[tuple(EthnicCategory.values)]
Orientation = Literal[tuple(SexualOrientation.values)]
DisabilityCode = Literal[tuple(Disability.values)]
Religion = Literal[tuple(ReligionOrBelief.values)]
# The MHSDS code; the local words used before the codes are still understood.
Source = Literal[(*Referral.Source.values, *LEGACY_SOURCES)]
Pathway = Literal[tuple(Referral.Pathway.values)]
# Blank: not recorded yet. ZZ is an answer (asked, and declined to say).
Employment = Literal[("", *EmploymentStatus.values)]
WeeklyHours = Literal[tuple(Hours.values)]


class PersonIn(Schema):
    nhs_number: Text(14) | None = Field(None, description="10 digits; spaces allowed")
    given_name: Text(100, 1)
    family_name: Text(100, 1)
    preferred_name: Text(100) = ""
    date_of_birth: Day | None = None
    postcode: Text(10) = ""
    phone: Text(20) = ""
    email: Text(254) = ""
    gender_identity: Gender = Field("X", description="NHS Data Dictionary GENDER IDENTITY CODE")
    ethnic_category: Ethnicity = Field("99", description="NHS Data Dictionary ETHNIC CATEGORY")
    # Equality monitoring, all optional: left out is "not known" (9), as before they existed.
    sexual_orientation: Orientation = Field(
        "9", description="NHS Data Dictionary SEXUAL ORIENTATION CODE"
    )
    disability: DisabilityCode = Field(
        "9",
        description="Says they have a disability or long-term condition: Y, N, Z (declined), "
        "9 (not known)",
    )
    religion_or_belief: Religion = Field(
        ReligionOrBelief.NOT_KNOWN.value,
        description="NHS Data Dictionary religious or other belief system affiliation group "
        "code: A to K a group, L no religion, M declined to say, N not known",
    )


class ReferralIn(Schema):
    person: PersonIn
    team_id: Id | None = Field(None, description="The person's clinical team, if known")
    source: Source = Field(
        description="MHSDS SOURCE OF REFERRAL FOR MENTAL HEALTH code (P1 internal referral, A1 "
        "GP practice, B1 self, M6 other service). clinical_team, self, gp and other are "
        "accepted and stored as P1, B1, A1 and M6."
    )
    referrer_name: Text(200) = ""
    received_on: Day
    pathway: Pathway = "job_seeking"
    employment_status_at_referral: Employment = Field(
        "", description="MHSDS EmployStatus; blank when not known yet (ZZ: declined to say)"
    )
    weekly_hours_at_referral: WeeklyHours = Field("99", description="MHSDS WeekHoursWorked")
    work_interests: Text(2000) = ""


class ReferralOut(Schema):
    id: int
    person_id: int
    status: str
    received_on: date
    team_id: int | None
    source: str
    pathway: str


# Form field -> where it is in the JSON body.
_NAMES = {name: f"person.{name}" for name in ReferralForm.person_fields} | {"team": "team_id"}


@router.post(
    "/referrals",
    response={201: ReferralOut, **ERRORS},
    url_name="api_referral_create",
    summary="Make a referral (new person, or re-referral by NHS number)",
    auth=staff_with(Permission.CREATE_REFERRAL),
)
@idempotent
def create_referral(request, payload: ReferralIn):
    known_query(request)
    staff = request.staff
    values = {**payload.person.model_dump(), **payload.model_dump(exclude={"person"})}
    values["team"] = values.pop("team_id")
    values["source"] = LEGACY_SOURCES.get(values["source"], values["source"])
    form = checked(ReferralForm, values, names=_NAMES, teams=teams_for(staff))
    try:
        referral = services.create_referral(
            service=staff.service,
            person_details=form.person_details(),
            referral=form.new_referral(),
            by=staff,
        )
    except ValidationError as error:
        raise InputError(django_errors(error, _NAMES)) from None
    return Status(201, referral)
