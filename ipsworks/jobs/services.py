"""Writes for jobs: job starts, endings, pay changes, support check-ins, return-to-work plans."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.core.dates import local_today
from ipsworks.employers.models import Employer
from ipsworks.jobs import rules
from ipsworks.jobs.models import Job, PayChange, ReturnToWorkPlan, SupportCheckIn
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


def check_application_for_job(application, *, person: Person) -> str | None:
    """Why a job start cannot be recorded from this application, or None if it can.

    The application must be this person's (which also keeps it in their service), accepted,
    and not already have a job: an accepted offer leads to one job start, recorded once.
    """
    if application.person_id != person.pk or application.service_id != person.service_id:
        return APPLICATION_NOT_THEIRS
    from ipsworks.matching.models import ApplicationStatus

    if application.status != ApplicationStatus.ACCEPTED:
        return APPLICATION_NOT_ACCEPTED
    if Job.objects.filter(application_id=application.pk).exists():
        return APPLICATION_ALREADY_RECORDED
    return None


def _fill_vacancy(application, *, by: StaffMember) -> None:
    """The accepted offer filled the vacancy: mark it filled (if not already).

    A vacancy is one post (it has no number of positions), so one accepted offer with its
    job recorded fills it; a closed vacancy becomes filled too, as that is what happened.
    Through ``matching.services`` so the change is audited like any status change.
    """
    from ipsworks.matching.models import Vacancy
    from ipsworks.matching.services import set_vacancy_status

    vacancy = Vacancy.objects.select_for_update().get(pk=application.vacancy_id)
    if vacancy.status != Vacancy.Status.FILLED:
        set_vacancy_status(vacancy=vacancy, status=Vacancy.Status.FILLED, by=by)


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
    if application is not None:
        from ipsworks.matching.models import Application

        application = Application.objects.select_for_update().get(pk=application.pk)
        problem = check_application_for_job(application, person=person)
        if problem is None and details.held_at_referral:
            problem = APPLICATION_NOT_RETENTION
        if problem is not None:
            raise ValidationError(problem)
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
    check = rules.check_competitive(
        start_date=details.start_date,
        hourly_pay_pence=details.hourly_pay_pence,
        date_of_birth=person.date_of_birth,
        self_employed=details.contract_type == Job.ContractType.SELF_EMPLOYED,
        apprenticeship=details.contract_type == Job.ContractType.APPRENTICESHIP,
        open_labour_market=details.open_labour_market,
        reserved_for_disabled=details.reserved_for_disabled,
    )
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
        _fill_vacancy(application, by=by)
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
    SupportCheckIn.objects.filter(job=job, met_on__isnull=True, opens_on__gt=end_date).update(
        cancelled=True
    )
    _plan(job, rules.after_end_check_in(end_date)).save()
    _meet_with_existing_contacts(job.person, since=end_date)
    record_event(by=by, action=AccessLogEntry.Action.CHANGE, obj=job, person_id=job.person_id)
    return job


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


def note_support_contact(*, person_id: int, on: date) -> None:
    """A direct contact (or workplace visit) on ``on`` meets the check-ins open by then.

    A late contact still meets an overdue check-in, with its date, so lateness stays visible.
    Meeting the latest monthly check-in schedules the next one: support has no end date.
    Called inside the caller's transaction.
    """
    open_now = list(
        SupportCheckIn.objects.select_for_update().filter(
            person_id=person_id, met_on__isnull=True, cancelled=False, opens_on__lte=on
        )
    )
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


def _meet_with_existing_contacts(person: Person, *, since: date) -> None:
    """Contacts already recorded (before the job was entered) count towards its check-ins."""
    from ipsworks.activity.models import Contact
    from ipsworks.employers.models import EmployerContact

    dates = set(
        Contact.objects.filter(person=person, is_direct=True, contact_date__gte=since).values_list(
            "contact_date", flat=True
        )
    )
    dates |= set(
        EmployerContact.objects.filter(
            person=person,
            purpose=EmployerContact.Purpose.IN_WORK_SUPPORT,
            contact_date__gte=since,
        ).values_list("contact_date", flat=True)
    )
    for day in sorted(dates):
        note_support_contact(person_id=person.pk, on=day)


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
