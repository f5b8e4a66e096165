"""A person's jobs on their timeline: starts, endings, pay changes and corrections; and
their education or training: starts, completions and leaving early.

Registered from ``JobsConfig.ready`` through ``people.timeline.add_source``.
"""

from django.urls import reverse
from django.utils import timezone

from ipsworks.core.formatting import hours
from ipsworks.core.money import format_pence
from ipsworks.jobs.models import EducationOrTraining, Job, JobCorrection, PayChange
from ipsworks.people.models import Person
from ipsworks.people.timeline import Event


def _at(job: Job) -> str:
    return (
        f"{job.job_title} at {job.employer.name}"
        if job.employer
        else f"{job.job_title} (self-employed)"
    )


def _terms(hours_per_week, pence: int) -> str:
    return f"{hours(hours_per_week)} hours a week at {format_pence(pence)} an hour"


def jobs(person: Person, limit: int) -> list[Event]:
    """Three queries: the jobs, their pay changes and their corrections (newest ``limit``)."""
    events = []
    held = list(
        Job.objects.filter(person=person).select_related("employer", "recorded_by__user")[:limit]
    )
    for job in held:
        page = reverse("job_detail", args=[job.pk])
        events.append(
            Event(
                on=job.start_date,
                sort_key=(job.start_date, 2, job.pk),
                title=("Job held at referral: " if job.held_at_referral else "Started work: ")
                + _at(job),
                detail=_terms(job.hours_per_week, job.hourly_pay_pence),
                by=job.recorded_by.display_name,
                kind="job",
                url=page,
            )
        )
        if job.end_date is not None:
            events.append(
                Event(
                    on=job.end_date,
                    sort_key=(job.end_date, 2, job.pk),
                    title=f"Job ended: {_at(job)}",
                    detail=job.get_end_reason_display(),
                    kind="job",
                    url=page,
                )
            )
    changes = PayChange.objects.filter(job__person=person).select_related(
        "job__employer", "recorded_by__user"
    )
    for change in changes[:limit]:
        events.append(
            Event(
                on=change.effective_on,
                sort_key=(change.effective_on, 3, change.pk),
                title=f"Pay or hours changed: {_at(change.job)}",
                detail=_terms(change.hours_per_week, change.hourly_pay_pence),
                by=change.recorded_by.display_name,
                kind="job",
                url=reverse("job_detail", args=[change.job_id]),
            )
        )
    corrections = JobCorrection.objects.filter(job__person=person).select_related(
        "job__employer", "recorded_by__user"
    )
    for correction in corrections[:limit]:
        day = timezone.localtime(correction.recorded_at).date()
        changed = "; ".join(
            f"{c['label']}: {c['before']} to {c['after']}" for c in correction.changes
        )
        events.append(
            Event(
                on=day,
                sort_key=(day, 5, correction.pk),
                title=f"Job details corrected: {_at(correction.job)}",
                detail=f"{changed}\nWhy: {correction.reason}",
                by=correction.recorded_by.display_name,
                kind="job",
                url=reverse("job_detail", args=[correction.job_id]) + "#corrections",
            )
        )
    return events


def education(person: Person, limit: int) -> list[Event]:
    """One query: courses started (newest ``limit``) and, for those that ended, the end."""
    events = []
    work_tab = reverse("person_detail", args=[person.pk]) + "#work"
    courses = EducationOrTraining.objects.filter(person=person).select_related("recorded_by__user")
    for course in courses[:limit]:
        events.append(
            Event(
                on=course.started_on,
                sort_key=(course.started_on, 2, course.pk),
                title=f"Started education or training: {course}",
                detail=course.get_kind_display()
                + (f", {course.get_level_display()}" if course.level else ""),
                by=course.recorded_by.display_name,
                kind="education",
                url=work_tab,
            )
        )
        if course.ended_on is not None:
            ended = (
                "Completed education or training"
                if course.outcome == EducationOrTraining.Outcome.COMPLETED
                else "Left education or training early"
            )
            events.append(
                Event(
                    on=course.ended_on,
                    sort_key=(course.ended_on, 2, course.pk),
                    title=f"{ended}: {course}",
                    kind="education",
                    url=work_tab,
                )
            )
    return events
