"""Education and training started and completed: IPS supported education, an outcome of its
own beside work (Bond, Drake and Luciano 2015; Rinaldi et al. 2010, IPS for young people with
first episode psychosis in the UK).

These read only ``jobs.EducationOrTraining``. A course is never a job start, and a job start
is never a course: :mod:`.work` and the referral facts do not look at this table, so
recording education moves no work figure.
"""

from django.db.models import QuerySet

from ipsworks.jobs.models import EducationOrTraining
from ipsworks.outcomes.metrics.conditions import (
    BY_SERVICE,
    Counts,
    ServiceIds,
    _counts,
    _group,
    _within,
)
from ipsworks.outcomes.periods import Period


def _courses(service_ids: ServiceIds) -> "QuerySet[EducationOrTraining]":
    return EducationOrTraining.objects.filter(service_id__in=service_ids)


def education_starts(service_ids: ServiceIds, period: Period, by: str = BY_SERVICE) -> Counts:
    """{group: people}: distinct people with a course or training starting in the period,
    grouped by the course's referral (its team on the start date, or its specialist)."""
    rows = _courses(service_ids).filter(_within("started_on", period))
    grouped = _group(rows, by, referral_path="referral", date_path="started_on")
    return _counts(grouped, distinct="person_id")


def education_completions(service_ids: ServiceIds, period: Period, by: str = BY_SERVICE) -> Counts:
    """{group: people}: distinct people who completed a course or training in the period
    (its end date in the period and recorded as completed; leaving early is not counted)."""
    rows = _courses(service_ids).filter(
        _within("ended_on", period), outcome=EducationOrTraining.Outcome.COMPLETED
    )
    grouped = _group(rows, by, referral_path="referral", date_path="ended_on")
    return _counts(grouped, distinct="person_id")
