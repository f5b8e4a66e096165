"""Job starts and endings. Whether a job is competitive is computed, never sent."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from ipsworks.access.roles import Permission
from ipsworks.access.rules import require
from ipsworks.api.auth import staff_with
from ipsworks.api.errors import django_errors
from ipsworks.api.forms import checked
from ipsworks.api.idempotency import idempotent
from ipsworks.api.schemas import ERRORS, Day, Id, Text, known_query
from ipsworks.benefits.schema import InputError
from ipsworks.employers.models import Employer
from ipsworks.jobs import queries, services
from ipsworks.jobs.forms import EndJobForm, JobForm
from ipsworks.jobs.models import Job, SocMajorGroup
from ipsworks.people.models import Referral, ReferralStatus

router = Router(tags=["jobs"])


class JobIn(Schema):
    referral_id: Id = Field(description="The referral (episode) the job belongs to")
    employer_id: Id | None = Field(None, description="Not needed for self-employment")
    job_title: Text(200, 1)
    soc_major_group: Literal[tuple(SocMajorGroup.values)]
    contract_type: Literal[tuple(Job.ContractType.values)]
    start_date: Day
    hours_per_week: Decimal = Field(gt=0, le=100, max_digits=5, decimal_places=2)
    hourly_pay: Decimal = Field(gt=0, le=500, decimal_places=2, description="Pounds an hour")
    open_labour_market: bool = True
    reserved_for_disabled: bool = False
    disclosed_to_employer: bool = False
    held_at_referral: bool = Field(False, description="The job they had when referred")
    four_hours_worked: bool = False


class JobOut(Schema):
    id: int
    person_id: int
    referral_id: int
    employer_id: int | None
    job_title: str
    start_date: date
    end_date: date | None
    end_reason: str
    hours_per_week: Decimal
    hourly_pay_pence: int
    competitive: bool = Field(description="Computed: open market, at least minimum wage")


_JOB_NAMES = {"employer": "employer_id", "hourly_pay_pence": "hourly_pay"}


@router.post(
    "/jobs",
    response={201: JobOut, **ERRORS},
    url_name="api_job_create",
    summary="Record a job start (schedules in-work support) or the job held at referral",
    auth=staff_with(Permission.EDIT_PERSON_RECORD),
)
@idempotent
def create_job(request, payload: JobIn):
    known_query(request)
    staff = request.staff
    referral = get_object_or_404(
        Referral.objects.visible_to(staff).select_related("person"), pk=payload.referral_id
    )
    require(staff, Permission.EDIT_PERSON_RECORD, referral.person)
    if referral.status == ReferralStatus.CLOSED:
        raise InputError([{"field": "referral_id", "message": "This referral is closed"}])
    values = payload.model_dump(exclude={"referral_id", "employer_id"})
    values["employer"] = payload.employer_id
    values["held_at_referral"] = "held" if payload.held_at_referral else "new"
    form = checked(JobForm, values, names=_JOB_NAMES, employers=Employer.objects.visible_to(staff))
    details = form.details()
    try:
        job = services.record_job(referral=referral, details=details, by=staff)
    except ValidationError as error:
        raise InputError(django_errors(error, _JOB_NAMES)) from None
    return Status(201, job)


class JobEndIn(Schema):
    end_date: Day
    end_reason: Literal[tuple(Job.EndReason.values)]


@router.post(
    "/jobs/{job_id}/end",
    response={200: JobOut, **ERRORS},
    url_name="api_job_end",
    summary="End a job (stops its future check-ins, schedules a contact within 3 days)",
    auth=staff_with(Permission.EDIT_PERSON_RECORD),
)
@idempotent
def end_job(request, job_id: Id, payload: JobEndIn):
    known_query(request)
    staff = request.staff
    job = queries.job_for(staff, job_id)
    require(staff, Permission.EDIT_PERSON_RECORD, job.person)
    form = checked(EndJobForm, payload.model_dump())
    try:
        job = services.end_job(
            job=job,
            end_date=form.cleaned_data["end_date"],
            end_reason=form.cleaned_data["end_reason"],
            by=staff,
        )
    except ValidationError as error:
        raise InputError(django_errors(error)) from None
    return job
