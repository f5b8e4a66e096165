"""Writes for jobs: job starts, endings, pay changes, support check-ins, return-to-work plans,
and education or training started and ended."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.core.dates import local_today
from ipsworks.core.formatting import hours, uk_date
from ipsworks.core.money import format_pence
from ipsworks.employers.models import Employer
from ipsworks.jobs import rules
from ipsworks.jobs.models import (
    EducationOrTraining,
    Job,
    JobCorrection,
    PayChange,
    ReturnToWorkPlan,
    SupportCheckIn,
)
from ipsworks.jobs.offers import source as source_of_offers
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person, Referral

# A job offer may be recorded before the first day of work, but not far ahead.
LATEST_FUTURE_START_DAYS = 183


@dataclass(frozen=True)
class JobDetails:
    employer: Employer | None
    job_title: str
    soc_major_group: str
    contract_type: str
    start_date: date
    hours_per_week: Decimal
    hourly_pay_pence: int
    open_labour_market: bool = True
    reserved_for_disabled: bool = False
    disclosed_to_employer: bool = False
    held_at_referral: bool = False
    four_hours_worked: bool = False


def _plan(job: Job, planned: rules.PlannedCheckIn) -> SupportCheckIn:
    return SupportCheckIn(
        service_id=job.service_id,
        job=job,
        person_id=job.person_id,
        kind=planned.kind,
        opens_on=planned.opens_on,
        due_on=planned.due_on,
    )


# Refusals of the accepted offer a job start is recorded from (shown above the form).
APPLICATION_NOT_THEIRS = (
    "The job offer this came from is not one of this person's applications. Record the job "
    "from their own application on their job search page"
)
APPLICATION_NOT_ACCEPTED = (
    "The job offer this came from has not been accepted. Record the offer as accepted on "
    "the application first"
)
APPLICATION_ALREADY_RECORDED = (
    "A job has already been recorded from this job offer. Open it from the application "
    "instead of recording it again"
)
APPLICATION_NOT_RETENTION = (
    "A job from a job offer is a new job, not the job they had when referred. Choose 'A new job'"
)


def _checked(referral: Referral, details: JobDetails) -> tuple[JobDetails, rules.CompetitiveCheck]:
    """The details as they are kept (no employer for self-employment) and the competitive-job
    decision on them, or a ValidationError naming the field. For a new job and a correction."""
    if details.employer is not None and details.employer.service_id != referral.service_id:
        raise ValidationError({"employer": "Choose an employer from this service"})
    if details.contract_type == Job.ContractType.SELF_EMPLOYED:
        details = JobDetails(**{**details.__dict__, "employer": None})
    elif details.employer is None:
        raise ValidationError({"employer": "Choose the employer, or 'Self-employed'"})
    today = local_today()
    if details.start_date > today + timedelta(days=LATEST_FUTURE_START_DAYS):
        raise ValidationError({"start_date": "The start date must be within the next 6 months"})
    if details.held_at_referral and details.start_date > referral.received_on:
        raise ValidationError(
            {"start_date": "A job held at referral must have started before the referral"}
        )
    if not details.held_at_referral and details.start_date < referral.received_on:
        raise ValidationError(
            {
                "start_date": "A new job cannot start before the referral was received. If they "
                "already had this job, record it as the job they had when referred"
            }
        )
    if details.four_hours_worked and details.start_date > today:
        raise ValidationError(
            {"four_hours_worked": "They cannot have worked 4 hours in a job that has not started"}
        )
    return details, rules.check_competitive(
        start_date=details.start_date,
        hourly_pay_pence=details.hourly_pay_pence,
        date_of_birth=referral.person.date_of_birth,
        self_employed=details.contract_type == Job.ContractType.SELF_EMPLOYED,
        apprenticeship=details.contract_type == Job.ContractType.APPRENTICESHIP,
        open_labour_market=details.open_labour_market,
        reserved_for_disabled=details.reserved_for_disabled,
    )


@transaction.atomic
def record_job(
    *, referral: Referral, details: JobDetails, by: StaffMember, application=None
) -> Job:
    """Record a job; a job start schedules time-unlimited in-work support.

    ``application``: the accepted job offer (matching.Application) it came from. The job is
    linked to it, so it cannot be recorded twice, and its vacancy is marked filled.
    Problems with it are raised without a field (the form carries it hidden).
    """
    person = referral.person
    offers = source_of_offers()
    if application is not None:
        if offers is None:
            raise ValidationError(APPLICATION_NOT_THEIRS)
        application = offers.locked(application)
        problem = offers.problem(application, person)
        if problem is None and details.held_at_referral:
            problem = APPLICATION_NOT_RETENTION
        if problem is not None:
            raise ValidationError(problem)
    details, check = _checked(referral, details)
    job = Job(
        service_id=referral.service_id,
        person=person,
        referral=referral,
        application=application,
        recorded_by=by,
        competitive=check.competitive,
        minimum_wage_pence=check.minimum_pence,
        **details.__dict__,
    )
    job.full_clean(validate_unique=False)  # the application's uniqueness: checked above
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:  # recorded from the same offer at the same moment elsewhere
        if application is None:
            raise
        raise ValidationError(APPLICATION_ALREADY_RECORDED) from None
    if application is not None:
        offers.recorded(application, by)
    if not job.held_at_referral:
        SupportCheckIn.objects.bulk_create(
            [_plan(job, planned) for planned in rules.initial_support_plan(job.start_date)]
        )
        _meet_with_existing_contacts(person, since=job.start_date - timedelta(days=7))
    record_event(by=by, action=AccessLogEntry.Action.CREATE, obj=job, person_id=person.pk)
    return job


@transaction.atomic
def end_job(*, job: Job, end_date: date, end_reason: str, by: StaffMember) -> Job:
    """End a job: stop its future check-ins and schedule a contact within 3 days."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.end_date is not None:
        raise ValidationError("This job has already ended")
    if end_date < job.start_date:
        raise ValidationError({"end_date": "The end date cannot be before the start date"})
    if end_date > local_today():
        raise ValidationError({"end_date": "The end date must be today or in the past"})
    if end_reason not in Job.EndReason.values:
        raise ValidationError({"end_reason": "Select why the job ended"})
    job.end_date = end_date
    job.end_reason = end_reason
    job.save(update_fields=["end_date", "end_reason"])
    _support_after_end(job)
    record_event(by=by, action=AccessLogEntry.Action.CHANGE, obj=job, person_id=job.person_id)
    return job


def _support_after_end(job: Job, *, job_only: bool = False) -> None:
    """The job has ended: check-ins not met that open after the end are not needed, and a
    contact is due within 3 days; contacts from the end date on count towards it."""
    SupportCheckIn.objects.filter(job=job, met_on__isnull=True, opens_on__gt=job.end_date).update(
        cancelled=True
    )
    _plan(job, rules.after_end_check_in(job.end_date)).save()
    _meet_with_existing_contacts(
        job.person, since=job.end_date, job_id=job.pk if job_only else None
    )


def _replan_support(job: Job) -> None:
    """Work the job's in-work support schedule out again from its (corrected) dates.

    Whether a check-in was met follows from the contacts recorded, so the schedule is
    rebuilt as if the job had been entered correctly: the plan from the start (none for the
    job held at referral), the contacts replayed in date order, then the end if it has one.
    Other jobs' check-ins are left alone.
    """
    SupportCheckIn.objects.filter(job=job).delete()
    if not job.held_at_referral:
        SupportCheckIn.objects.bulk_create(
            [_plan(job, planned) for planned in rules.initial_support_plan(job.start_date)]
        )
        _meet_with_existing_contacts(
            job.person,
            since=job.start_date - timedelta(days=rules.FIRST_CONTACT_OPENS_DAYS_BEFORE),
            before=job.end_date,
            job_id=job.pk,
        )
    if job.end_date is not None:
        _support_after_end(job, job_only=True)


# What a correction compares, in the form's order, with how the job page names each.
CORRECTED_FIELDS = {
    "held_at_referral": "New job or the job held at referral",
    "contract_type": "Type of job",
    "employer": "Employer",
    "job_title": "Job title",
    "soc_major_group": "Kind of work",
    "start_date": "First day of paid work",
    "hours_per_week": "Contracted hours a week at the start",
    "hourly_pay_pence": "Hourly pay at the start",
    "open_labour_market": "Anyone could apply for it",
    "reserved_for_disabled": "Set aside for disabled people",
    "disclosed_to_employer": "Told the employer about their mental health",
    "four_hours_worked": "Has done at least 4 hours of paid work",
}
NOTHING_CORRECTED = "Nothing has been changed. Change the details that were wrong, or go back"


def _in_words(job: Job, field: str) -> str:
    value = getattr(job, field)
    if field == "held_at_referral":
        return "The job held at referral" if value else "A new job"
    if field == "employer":
        return value.name if value is not None else "None (self-employed)"
    if field in ("contract_type", "soc_major_group"):
        return getattr(job, f"get_{field}_display")()
    if field == "start_date":
        return uk_date(value)
    if field == "hours_per_week":
        return hours(value)
    if field == "hourly_pay_pence":
        return format_pence(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


@transaction.atomic
def correct_job(*, job: Job, details: JobDetails, reason: str, by: StaffMember) -> JobCorrection:
    """Correct details recorded wrongly, keeping what they were and why they changed.

    The corrected job is checked as a new one would be, and the competitive-job decision is
    made again on the corrected facts at the start. The referral facts and the outcome
    figures follow (they are worked out from the job row); so do claims not yet made, since
    claimable events are read from the jobs. An outcome already claimed stays claimed: the
    job page says when a correction means a claim no longer matches the job.
    """
    job = (
        Job.objects.select_for_update(of=("self",))
        .select_related("referral__person", "employer")
        .get(pk=job.pk)
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the details were wrong"})
    if job.application_id is not None and details.held_at_referral:
        raise ValidationError({"held_at_referral": APPLICATION_NOT_RETENTION})
    details, check = _checked(job.referral, details)
    if job.end_date is not None and details.start_date > job.end_date:
        raise ValidationError(
            {"start_date": f"The job ended on {uk_date(job.end_date)}: it must start by then"}
        )
    first_change = job.pay_changes.aggregate(first=Min("effective_on"))["first"]
    if first_change is not None and details.start_date > first_change:
        raise ValidationError(
            {
                "start_date": "A change of pay or hours is recorded from "
                f"{uk_date(first_change)}: the job must start by then"
            }
        )
    before = {field: _in_words(job, field) for field in CORRECTED_FIELDS}
    was_competitive, old_start, was_held = job.competitive, job.start_date, job.held_at_referral
    for field, value in details.__dict__.items():
        setattr(job, field, value)
    job.competitive, job.minimum_wage_pence = check.competitive, check.minimum_pence
    after = {field: _in_words(job, field) for field in CORRECTED_FIELDS}
    changes = [
        {"field": field, "label": label, "before": before[field], "after": after[field]}
        for field, label in CORRECTED_FIELDS.items()
        if before[field] != after[field]
    ]
    if not changes:
        raise ValidationError(NOTHING_CORRECTED)
    job.full_clean(validate_unique=False)
    job.save()
    if job.start_date != old_start or job.held_at_referral != was_held:
        _replan_support(job)
    correction = JobCorrection.objects.create(
        job=job,
        reason=reason,
        changes=changes,
        competitive_before=was_competitive,
        competitive_after=job.competitive,
        recorded_by=by,
    )
    record_event(
        by=by,
        action=AccessLogEntry.Action.CHANGE,
        obj=job,
        person_id=job.person_id,
        reason=f"Job details corrected: {reason}",
    )
    return correction


@transaction.atomic
def confirm_four_hours(*, job: Job, by: StaffMember) -> Job:
    if job.start_date > local_today():
        raise ValidationError("The job has not started yet")
    job.four_hours_worked = True
    job.save(update_fields=["four_hours_worked"])
    record_event(by=by, action=AccessLogEntry.Action.CHANGE, obj=job, person_id=job.person_id)
    return job


@transaction.atomic
def pay_and_hours_on(job: Job, on: date) -> tuple[int, Decimal]:
    """(hourly pay in pence, hours a week) in force on ``on``: the latest change from that
    day or before, else what the job started with."""
    latest = (
        PayChange.objects.filter(job=job, effective_on__lte=on)
        .order_by("-effective_on", "-pk")
        .values_list("hourly_pay_pence", "hours_per_week")
        .first()
    )
    return latest or (job.hourly_pay_pence, job.hours_per_week)


def record_pay_change(
    *,
    job: Job,
    effective_on: date,
    hourly_pay_pence: int | None,
    hours_per_week: Decimal | None,
    by,
) -> PayChange:
    """Record new pay, new hours or both; what is not given (``None``) stays as it was on
    ``effective_on``. Whether the job was competitive was settled at its start."""
    if hourly_pay_pence is None and hours_per_week is None:
        raise ValidationError({"hourly_pay": "Enter the new hourly pay, the new hours, or both"})
    if effective_on < job.start_date:
        raise ValidationError({"effective_on": "The change cannot be before the job started"})
    if job.end_date and effective_on >= job.end_date:
        raise ValidationError({"effective_on": "The change must be before the job ended"})
    pay_then, hours_then = pay_and_hours_on(job, effective_on)
    change = PayChange(
        job=job,
        effective_on=effective_on,
        hourly_pay_pence=pay_then if hourly_pay_pence is None else hourly_pay_pence,
        hours_per_week=hours_then if hours_per_week is None else hours_per_week,
        recorded_by=by,
    )
    change.full_clean()
    change.save()
    record_event(by=by, action=AccessLogEntry.Action.CHANGE, obj=job, person_id=job.person_id)
    return change


def note_support_contact(*, person_id: int, on: date, job_id: int | None = None) -> None:
    """A direct contact (or workplace visit) on ``on`` meets the check-ins open by then.

    A late contact still meets an overdue check-in, with its date, so lateness stays visible.
    Meeting the latest monthly check-in schedules the next one: support has no end date.
    Called inside the caller's transaction. ``job_id``: only that job's check-ins (when its
    schedule is worked out again after a correction).
    """
    open_now = SupportCheckIn.objects.select_for_update().filter(
        person_id=person_id, met_on__isnull=True, cancelled=False, opens_on__lte=on
    )
    if job_id is not None:
        open_now = open_now.filter(job_id=job_id)
    open_now = list(open_now)
    if not open_now:
        return
    for check_in in open_now:
        check_in.met_on = on
    SupportCheckIn.objects.bulk_update(open_now, ["met_on"])
    current_jobs = {c.job_id for c in open_now if c.kind != SupportCheckIn.Kind.AFTER_END}
    for job in Job.objects.filter(pk__in=current_jobs, end_date__isnull=True):
        still_planned = SupportCheckIn.objects.filter(
            job=job, met_on__isnull=True, cancelled=False
        ).exists()
        if not still_planned:
            _plan(job, rules.next_monthly_check_in(on)).save()


def _meet_with_existing_contacts(
    person: Person, *, since: date, before: date | None = None, job_id: int | None = None
) -> None:
    """Contacts already recorded (before the job was entered) count towards its check-ins:
    those from ``since``, up to but not on ``before`` if given, for ``job_id``'s check-ins
    only if given."""
    from ipsworks.activity.models import Contact
    from ipsworks.employers.models import EmployerContact

    contacts = Contact.objects.filter(person=person, is_direct=True, contact_date__gte=since)
    visits = EmployerContact.objects.filter(
        person=person, purpose=EmployerContact.Purpose.IN_WORK_SUPPORT, contact_date__gte=since
    )
    if before is not None:
        contacts = contacts.filter(contact_date__lt=before)
        visits = visits.filter(contact_date__lt=before)
    dates = set(contacts.values_list("contact_date", flat=True))
    dates |= set(visits.values_list("contact_date", flat=True))
    for day in sorted(dates):
        note_support_contact(person_id=person.pk, on=day, job_id=job_id)


@transaction.atomic
def save_return_to_work_plan(
    *,
    referral: Referral,
    job: Job,
    planned_return_on: date,
    phased_hours: list[int | float],
    adjustments: str,
    notes: str,
    review_on: date | None,
    by: StaffMember,
) -> ReturnToWorkPlan:
    if not referral.is_job_retention:
        raise ValidationError("Return-to-work plans are for job retention referrals")
    if job.referral_id != referral.pk or not job.held_at_referral:
        raise ValidationError({"job": "Choose the job they had when referred"})
    Referral.objects.select_for_update().filter(pk=referral.pk).first()
    latest = ReturnToWorkPlan.objects.filter(referral=referral).aggregate(v=Max("version"))["v"]
    plan = ReturnToWorkPlan(
        service_id=referral.service_id,
        referral=referral,
        job=job,
        version=(latest or 0) + 1,
        planned_return_on=planned_return_on,
        phased_hours=phased_hours,
        adjustments=adjustments,
        notes=notes,
        review_on=review_on,
        recorded_by=by,
    )
    plan.full_clean()
    plan.save()
    record_event(by=by, action=AccessLogEntry.Action.CHANGE, obj=plan, person_id=referral.person_id)
    return plan


# --- education and training -------------------------------------------------------------


@dataclass(frozen=True)
class EducationDetails:
    kind: str
    provider_name: str
    course_title: str
    started_on: date
    level: str = ""
    planned_end_on: date | None = None
    hours_per_week: Decimal | None = None


def _within_referral(referral: Referral, day: date, field: str, what: str) -> None:
    """A course is recorded against the referral it happened in: on or after the referral
    was received and, once the referral has closed, not after it closed."""
    if day < referral.received_on:
        raise ValidationError(
            {
                field: f"{what} cannot be before the referral was received "
                f"({uk_date(referral.received_on)})"
            }
        )
    if referral.closed_on is not None and day > referral.closed_on:
        raise ValidationError(
            {field: f"{what} cannot be after the referral closed ({uk_date(referral.closed_on)})"}
        )


@transaction.atomic
def record_education_start(
    *, referral: Referral, details: EducationDetails, by: StaffMember
) -> EducationOrTraining:
    """Record a course or training starting (or about to start: a place offered may be
    recorded up to 6 months ahead, as a job offer may). Never a job start."""
    if details.kind not in EducationOrTraining.Kind.values:
        raise ValidationError({"kind": "Select the kind of education or training"})
    if details.level and details.level not in EducationOrTraining.Level.values:
        raise ValidationError({"level": "Select the level from the list, or leave it blank"})
    if not details.provider_name.strip():
        raise ValidationError({"provider_name": "Enter the college, university or provider"})
    if not details.course_title.strip():
        raise ValidationError({"course_title": "Enter the course title"})
    if details.started_on > local_today() + timedelta(days=LATEST_FUTURE_START_DAYS):
        raise ValidationError({"started_on": "The start date must be within the next 6 months"})
    _within_referral(referral, details.started_on, "started_on", "The start date")
    if details.planned_end_on is not None and details.planned_end_on < details.started_on:
        raise ValidationError(
            {"planned_end_on": "The planned end date cannot be before the start date"}
        )
    course = EducationOrTraining(
        service_id=referral.service_id,
        person_id=referral.person_id,
        referral=referral,
        recorded_by=by,
        kind=details.kind,
        provider_name=details.provider_name.strip(),
        course_title=details.course_title.strip(),
        level=details.level,
        started_on=details.started_on,
        planned_end_on=details.planned_end_on,
        hours_per_week=details.hours_per_week,
    )
    course.full_clean()
    course.save()
    record_event(
        by=by, action=AccessLogEntry.Action.CREATE, obj=course, person_id=referral.person_id
    )
    return course


ENDED_OUTCOMES = (EducationOrTraining.Outcome.COMPLETED, EducationOrTraining.Outcome.LEFT_EARLY)


@transaction.atomic
def record_education_end(
    *, course: EducationOrTraining, ended_on: date | None, outcome: str, by: StaffMember
) -> EducationOrTraining:
    """Record that a course ended: completed, or left early. A completion needs the date it
    ended, since the completions metric counts it in the period of that date."""
    course = (
        EducationOrTraining.objects.select_for_update(of=("self",))
        .select_related("referral")
        .get(pk=course.pk)
    )
    if course.ended_on is not None:
        raise ValidationError("This course has already ended")
    if outcome not in ENDED_OUTCOMES:
        raise ValidationError({"outcome": "Select whether they completed it or left early"})
    if ended_on is None:
        raise ValidationError(
            {
                "ended_on": "Enter the date it ended: a completion needs an end date"
                if outcome == EducationOrTraining.Outcome.COMPLETED
                else "Enter the date they left"
            }
        )
    if ended_on < course.started_on:
        raise ValidationError({"ended_on": "The end date cannot be before the start date"})
    if ended_on > local_today():
        raise ValidationError({"ended_on": "The end date must be today or in the past"})
    _within_referral(course.referral, ended_on, "ended_on", "The end date")
    course.ended_on = ended_on
    course.outcome = outcome
    course.full_clean()
    course.save(update_fields=["ended_on", "outcome"])
    record_event(by=by, action=AccessLogEntry.Action.CHANGE, obj=course, person_id=course.person_id)
    return course
