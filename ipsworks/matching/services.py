"""Writes for vacancies, applications and job search targets.

Keyword-only arguments, the acting staff member as ``by``, one transaction each with its
audit event. Every rule lives in :mod:`ipsworks.matching.rules`, shared with the CSV import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.core.dates import local_today
from ipsworks.core.money import format_pence
from ipsworks.core.validators import normalise_postcode
from ipsworks.employers.models import Employer
from ipsworks.jobs.models import Job
from ipsworks.matching import rules
from ipsworks.matching.models import (
    Application,
    ApplicationStatus,
    ApplicationStatusChange,
    JobSearchTarget,
    Vacancy,
)
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person, TimeOfDay

_CREATE = AccessLogEntry.Action.CREATE
_CHANGE = AccessLogEntry.Action.CHANGE


@dataclass(frozen=True)
class VacancyDetails:
    employer: Employer
    title: str
    soc_major_group: str
    hours_min: Decimal
    hours_max: Decimal | None
    source: str
    postcode: str = ""  # blank: the employer's postcode
    shift_pattern: str = ""
    times_of_day: tuple[str, ...] = ()
    hourly_pay_pence: int | None = None
    closing_date: date | None = None
    reference: str = ""
    # A yearly salary instead of hourly pay; the hourly figure is worked out from it.
    annual_pay_pence: int | None = None


def _same_service(obj, by: StaffMember, field_name: str, message: str) -> None:
    if obj is not None and obj.service_id != by.service_id:
        raise ValidationError({field_name: message})


def vacancy_from(
    details: VacancyDetails,
    *,
    by: StaffMember,
    today: date,
    new: bool = True,
    closing_date_was: date | None = None,
) -> Vacancy:
    """A checked, unsaved vacancy, or a ValidationError naming each field that is wrong.

    ``new=False`` skips the closing-date rule, which only applies to a vacancy being created:
    a re-imported row that closed since the first import is a duplicate, not an error.
    ``closing_date_was`` is the date a vacancy being corrected already has: keeping it is
    not an error even once it has passed (see :func:`update_vacancy`).
    """
    errors: dict[str, str] = {}
    if details.employer.service_id != by.service_id:
        errors["employer"] = "Choose an employer from your service"
    errors.update(rules.hours_problems(details.hours_min, details.hours_max))
    errors.update(rules.pay_problems(details.hourly_pay_pence))
    annual_problems = rules.annual_pay_problems(
        details.annual_pay_pence, hourly_given=details.hourly_pay_pence is not None
    )
    errors.update(annual_problems)
    hourly = details.hourly_pay_pence
    most_hours = details.hours_max if details.hours_max is not None else details.hours_min
    if details.annual_pay_pence is not None and not annual_problems and most_hours > 0:
        hourly = rules.hourly_from_annual(details.annual_pay_pence, most_hours)
        if rules.pay_problems(hourly):
            errors["annual_pay"] = (
                f"That salary works out at {format_pence(hourly)} an hour over 52 weeks of "
                f"{most_hours.normalize():f} hours: check the salary and the hours"
            )
    if new and details.closing_date != closing_date_was:
        errors.update(rules.closing_date_problems(details.closing_date, today))
    postcode = details.postcode.strip() or details.employer.postcode
    if not postcode:
        errors["postcode"] = "Enter the workplace postcode (the employer has none recorded)"
    else:
        try:
            postcode = normalise_postcode(postcode)
        except ValidationError as error:
            errors["postcode"] = error.messages[0]
    unknown_times = [t for t in details.times_of_day if t not in TimeOfDay.values]
    if unknown_times:
        errors["times_of_day"] = "Choose times of day from the list"
    if errors:
        raise ValidationError(errors)
    vacancy = Vacancy(
        service_id=by.service_id,
        employer=details.employer,
        title=details.title.strip(),
        soc_major_group=details.soc_major_group,
        hours_min=details.hours_min,
        hours_max=details.hours_max if details.hours_max is not None else details.hours_min,
        shift_pattern=details.shift_pattern.strip(),
        times_of_day=[t for t in TimeOfDay.values if t in details.times_of_day],
        hourly_pay_pence=hourly,
        annual_pay_pence=details.annual_pay_pence,
        postcode=postcode,
        closing_date=details.closing_date,
        source=details.source,
        reference=details.reference.strip(),
        created_by=by,
    )
    vacancy.dedupe_key = rules.dedupe_key(
        employer_id=details.employer.pk,
        title=vacancy.title,
        postcode=vacancy.postcode,
        closing_date=vacancy.closing_date,
        reference=vacancy.reference,
    )
    vacancy.full_clean(exclude=["dedupe_key", "created_by", "service"])
    return vacancy


@transaction.atomic
def create_vacancy(*, details: VacancyDetails, by: StaffMember) -> Vacancy:
    vacancy = vacancy_from(details, by=by, today=local_today())
    if Vacancy.objects.filter(service_id=by.service_id, dedupe_key=vacancy.dedupe_key).exists():
        raise ValidationError(
            {
                "title": "This vacancy is already recorded (same employer, title, postcode and "
                "closing date)"
            }
        )
    vacancy.save()
    record_event(by=by, action=_CREATE, obj=vacancy)
    return vacancy


# What a correction may change. Status has its own page; who added it and when never change.
_EDITABLE = (
    "employer",
    "title",
    "soc_major_group",
    "hours_min",
    "hours_max",
    "shift_pattern",
    "times_of_day",
    "hourly_pay_pence",
    "annual_pay_pence",
    "postcode",
    "closing_date",
    "source",
    "reference",
)


@transaction.atomic
def update_vacancy(*, vacancy: Vacancy, details: VacancyDetails, by: StaffMember) -> Vacancy:
    """Correct a vacancy's details (a typo, new hours, a later closing date), by the same
    rules as adding one.

    One difference: the closing date must be today or later only if it is being changed.
    An old vacancy whose closing date has passed can still have its title or hours
    corrected; moving a closing date into the past is refused, as on creation.

    Saving moves ``updated_at`` on, which changes the stamp of the service's cached matching
    features (:func:`ipsworks.matching.features.vacancy_features`), so the next ranking is
    built from the corrected details. Returns ``vacancy``, updated in place.
    """
    _same_service(vacancy, by, "title", "Choose a vacancy from your service")
    locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    checked = vacancy_from(
        details, by=by, today=local_today(), closing_date_was=locked.closing_date
    )
    if (
        Vacancy.objects.filter(service_id=locked.service_id, dedupe_key=checked.dedupe_key)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "title": "Another vacancy is already recorded with the same employer, title, "
                "postcode and closing date"
            }
        )
    changed = [name for name in _EDITABLE if getattr(locked, name) != getattr(checked, name)]
    if not changed:
        return vacancy
    for name in (*changed, "dedupe_key"):
        setattr(locked, name, getattr(checked, name))
        setattr(vacancy, name, getattr(checked, name))
    locked.save(update_fields=[*changed, "dedupe_key", "updated_at"])
    vacancy.updated_at = locked.updated_at
    record_event(by=by, action=_CHANGE, obj=locked, reason="changed " + ", ".join(changed))
    return vacancy


@dataclass
class ImportOutcome:
    created: list[Vacancy] = field(default_factory=list)
    already_recorded: list[int] = field(default_factory=list)  # CSV row numbers


@transaction.atomic
def import_vacancies(*, rows: list[tuple[int, VacancyDetails]], by: StaffMember) -> ImportOutcome:
    """Save every row or none. Rows already recorded (or repeated in the file) are skipped.

    The rows come checked from :mod:`ipsworks.matching.csv_import`; they are checked again
    here, inside the transaction, so nothing bypasses the rules.
    """
    today = local_today()
    outcome = ImportOutcome()
    existing = set(
        Vacancy.objects.filter(service_id=by.service_id).values_list("dedupe_key", flat=True)
    )
    errors = {}
    to_create = []
    for number, details in rows:
        try:
            vacancy = vacancy_from(details, by=by, today=today, new=False)
        except ValidationError as error:
            errors[number] = error
            continue
        if vacancy.dedupe_key in existing:
            outcome.already_recorded.append(number)
            continue
        late = rules.closing_date_problems(vacancy.closing_date, today)
        if late:
            errors[number] = ValidationError(late)
            continue
        existing.add(vacancy.dedupe_key)
        to_create.append(vacancy)
    if errors:
        raise ValidationError(
            [f"Row {n}: {'; '.join(e.messages)}" for n, e in sorted(errors.items())]
        )
    outcome.created = Vacancy.objects.bulk_create(to_create, batch_size=500)
    record_event(
        by=by, action=_CREATE, reason=f"imported {len(outcome.created)} vacancies from CSV"
    )
    return outcome


@transaction.atomic
def set_vacancy_status(*, vacancy: Vacancy, status: str, by: StaffMember) -> Vacancy:
    _same_service(vacancy, by, "status", "Choose a vacancy from your service")
    if status not in Vacancy.Status.values:
        raise ValidationError({"status": "Select open, filled or closed"})
    vacancy.status = status
    vacancy.save(update_fields=["status", "updated_at"])
    record_event(by=by, action=_CHANGE, obj=vacancy, reason=f"status {status}")
    return vacancy


@transaction.atomic
def record_application(
    *, person: Person, vacancy: Vacancy, applied_on: date, note: str, by: StaffMember
) -> Application:
    """Record that a person applied for a vacancy (job search, fidelity item 16)."""
    _same_service(person, by, "person", "Choose someone from your service")
    _same_service(vacancy, by, "vacancy", "Choose a vacancy from your service")
    problems = rules.application_date_problems(
        applied_on=applied_on, closing_date=vacancy.closing_date, today=local_today()
    )
    if problems:
        raise ValidationError(problems)
    if Application.objects.filter(person=person, vacancy=vacancy).exists():
        raise ValidationError(
            {
                "person": f"An application by {person.full_name} for this vacancy is already "
                "recorded. Update it instead"
            }
        )
    application = Application(
        service_id=by.service_id,
        person=person,
        vacancy=vacancy,
        applied_on=applied_on,
        status=ApplicationStatus.APPLIED,
        status_on=applied_on,
        note=note.strip(),
        created_by=by,
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(
            {"person": "An application for this vacancy is already recorded"}
        ) from None
    ApplicationStatusChange.objects.create(
        application=application,
        status=ApplicationStatus.APPLIED,
        effective_on=applied_on,
        recorded_by=by,
    )
    record_event(by=by, action=_CREATE, obj=application, person_id=person.pk)
    return application


@transaction.atomic
def move_application(
    *, application: Application, status: str, effective_on: date, note: str, by: StaffMember
) -> Application:
    """Move an application on (interview, offer, accepted...) and keep the history."""
    _same_service(application, by, "status", "Choose an application from your service")
    locked = Application.objects.select_for_update().get(pk=application.pk)
    problems = rules.move_problems(
        current=locked.status,
        new=status,
        effective_on=effective_on,
        applied_on=locked.applied_on,
        last_on=locked.status_on,
        today=local_today(),
    )
    if not problems and Job.objects.filter(application_id=locked.pk).exists():
        problems = {
            "status": "A job has been recorded from this offer. If it did not work out, end "
            "the job instead, so the job start and its support stay on their record"
        }
    if problems:
        raise ValidationError(problems)
    ApplicationStatusChange.objects.create(
        application=locked,
        status=status,
        effective_on=effective_on,
        note=note.strip()[:300],
        recorded_by=by,
    )
    locked.status, locked.status_on = status, effective_on
    locked.save(update_fields=["status", "status_on"])
    record_event(
        by=by, action=_CHANGE, obj=locked, person_id=locked.person_id, reason=f"status {status}"
    )
    application.status, application.status_on = status, effective_on
    return application


@transaction.atomic
def add_target(
    *, person: Person, employer: Employer, vacancy: Vacancy | None, note: str, by: StaffMember
) -> JobSearchTarget:
    _same_service(person, by, "person", "Choose someone from your service")
    _same_service(employer, by, "employer", "Choose an employer from your service")
    if vacancy is not None:
        _same_service(vacancy, by, "vacancy", "Choose a vacancy from your service")
        employer = vacancy.employer
    active = JobSearchTarget.objects.filter(
        person=person, employer=employer, vacancy=vacancy, removed_at__isnull=True
    )
    if active.exists():
        raise ValidationError({"employer": "Already on their job search list"})
    target = JobSearchTarget.objects.create(
        service_id=by.service_id,
        person=person,
        employer=employer,
        vacancy=vacancy,
        note=note.strip()[:300],
        added_by=by,
    )
    record_event(by=by, action=_CREATE, obj=target, person_id=person.pk)
    return target


@transaction.atomic
def remove_target(*, target: JobSearchTarget, by: StaffMember) -> None:
    _same_service(target, by, "employer", "Choose a target from your service")
    if target.removed_at is None:
        target.removed_at = timezone.now()
        target.save(update_fields=["removed_at"])
        record_event(by=by, action=_CHANGE, obj=target, person_id=target.person_id)
