"""Job starts, people into work, the employment rate and sustained jobs (IPS Grow key
performance and outcome framework v8 and its 2024 employment-rate note).

What a job start is has one home, :mod:`ipsworks.jobs.rules` (``job_start_q``,
``accessed_by_start``, ``started_on_or_after_access``); these functions count them.
"""

from datetime import date, timedelta
from typing import TypedDict, cast

from django.db.models import (
    Count,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from ipsworks.core.dates import local_today
from ipsworks.jobs import rules as job_rules
from ipsworks.jobs.models import Job
from ipsworks.outcomes.metrics.conditions import (
    BY_SERVICE,
    Counts,
    GroupId,
    ServiceIds,
    _accessed_by,
    _as_date,
    _counts,
    _group,
    _not_by_team,
    _out_of_work,
    _within,
)
from ipsworks.outcomes.periods import Period
from ipsworks.people.models import Episode, Referral


def qualifying_job_starts(service_ids: ServiceIds) -> QuerySet[Job]:
    """Jobs that are job starts (metric-definitions.md), whatever their date.

    "For a referral with an access, starting on or after it" is asked of the episode by the
    job's referral id (a semi-join), without joining the referrals in between.
    """
    return Job.objects.filter(
        job_rules.accessed_by_start(Episode.objects.all()),
        job_rules.job_start_q(),
        service_id__in=service_ids,
    )


def job_starts(service_ids: ServiceIds, period: Period, by: str = BY_SERVICE) -> Counts:
    rows = qualifying_job_starts(service_ids).filter(_within("start_date", period))
    return _counts(_group(rows, by, referral_path="referral", date_path="start_date"))


def _first_start() -> Subquery:
    return Subquery(
        qualifying_job_starts_for_referral().order_by("start_date").values("start_date")[:1]
    )


def qualifying_job_starts_for_referral() -> QuerySet[Job]:
    """Job starts of the outer referral (``OuterRef("pk")``): :func:`qualifying_job_starts`
    asked of one referral, with the access date from the referral's episode."""
    return Job.objects.filter(
        job_rules.job_start_q(),
        job_rules.started_on_or_after_access(OuterRef("episode__access_date")),
        referral_id=OuterRef("pk"),
    )


class _ReferralIdRow(TypedDict):
    referral_id: int


def _started_between(
    service_ids: ServiceIds, start: date, end: date
) -> QuerySet[Job, _ReferralIdRow]:
    """Referrals with a job start between ``start`` and ``end``: those whose first one may be.

    Found from the jobs by their dates (an index on service and start date), so only these
    referrals have their first job start looked up; looking it up for every referral with an
    access was most of the time of the people-into-work figures at national scale.
    """
    return (
        qualifying_job_starts(service_ids)
        .filter(start_date__gte=start, start_date__lte=end)
        .values("referral_id")
    )


def _into_work(service_ids: ServiceIds, period: Period) -> QuerySet[Referral]:
    """Referrals whose first job start is in the period, with ``first_start`` annotated.

    The first start is the earliest of the job starts of the referrals with one in the
    period, in one grouped pass over their jobs; filtering on a per-referral lookup of it
    cost 0.3 s of the national report at a million people.
    """
    firsts = (
        qualifying_job_starts(service_ids)
        .filter(referral_id__in=_started_between(service_ids, period.start, period.end))
        .values("referral_id")
        .annotate(first=Min("start_date"))
        .filter(first__gte=period.start)
        .values("referral_id")
    )
    # people.models declares in_services() as returning a bare ReferralQuerySet, which the
    # stubs read as a queryset of Model; its rows are referrals.
    return cast(
        "QuerySet[Referral]",
        Referral.objects.in_services(service_ids)
        .filter(pk__in=firsts)
        .annotate(first_start=_first_start()),
    )


def people_into_work(service_ids: ServiceIds, period: Period, by: str = BY_SERVICE) -> Counts:
    rows = _group(_into_work(service_ids, period), by, referral_path="", date_path="first_start")
    return _counts(rows, distinct="person_id")


def rate_denominator(service_ids: ServiceIds, period: Period, by: str = BY_SERVICE) -> Counts:
    """{group: people}: the employment rate's denominator (see :func:`employment_rate`).

    Open and accessed at some time in the period: accessed by its end, and not closed on or
    before the later of the period's start and the access date.
    """
    open_accessed = (
        Referral.objects.in_services(service_ids)
        .filter(_out_of_work(), _accessed_by(service_ids, period.end))
        .filter(
            Q(closed_on__isnull=True)
            | (Q(closed_on__gt=period.start) & Q(closed_on__gt=F("episode__access_date")))
        )
        .annotate(snapshot=_as_date(period.end))
    )
    return _counts(
        _group(open_accessed, by, referral_path="", date_path="snapshot"), distinct="person_id"
    )


def employment_rate(
    service_ids: ServiceIds, period: Period, by: str = BY_SERVICE
) -> dict[GroupId, tuple[int, int]]:
    """{group: (numerator, denominator)}: the IPS Grow employment rate's two counts.

    Grouped by team, people count for the team on the period's last day.
    """
    numerator = _counts(
        _group(
            _into_work(service_ids, period)
            .filter(_out_of_work())
            .annotate(snapshot=_as_date(period.end)),
            by,
            referral_path="",
            date_path="snapshot",
        ),
        distinct="person_id",
    )
    denominator = rate_denominator(service_ids, period, by)
    return {key: (numerator.get(key, 0), denominator[key]) for key in denominator} | {
        key: (value, 0) for key, value in numerator.items() if key not in denominator
    }


def into_work_counts(
    service_ids: ServiceIds, period: Period, by: str = BY_SERVICE
) -> dict[GroupId, tuple[int, int]]:
    """{group: (people into work, of whom out of work at referral)}: :func:`people_into_work`
    and :func:`employment_rate`'s numerator in one query. By service or specialist only."""
    _not_by_team(by)
    rows = (
        _group(_into_work(service_ids, period), by, referral_path="", date_path="first_start")
        .values("group")
        .annotate(
            people=Count("person_id", distinct=True),
            out_of_work=Count("person_id", distinct=True, filter=_out_of_work()),
        )
        .order_by()
    )
    return {row["group"]: (row["people"], row["out_of_work"]) for row in rows}


def sustained(service_ids: ServiceIds, period: Period, weeks: int, by: str = BY_SERVICE) -> Counts:
    """Job starts still held ``weeks`` × 7 days on, counted in the period containing that day.

    Milestones after today are not counted yet: nobody knows whether they will be reached.
    """
    days = timedelta(days=7 * weeks)
    last_milestone = min(period.end, local_today())
    if last_milestone < period.start:
        return {}
    rows = (
        qualifying_job_starts(service_ids)
        .filter(start_date__gte=period.start - days, start_date__lte=last_milestone - days)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=F("start_date") + days))
    )
    return _counts(_group(rows, by, referral_path="referral", date_path="start_date"))


SUSTAINED_WEEKS = (13, 26, 52)


def starts_and_sustained(
    service_ids: ServiceIds, period: Period, by: str = BY_SERVICE
) -> dict[GroupId, dict[str | int, int]]:
    """{group: {"job_starts": n, 13: n, 26: n, 52: n}}: :func:`job_starts` and
    :func:`sustained` for the three milestones, in one query over the job starts."""
    last_milestone = min(period.end, local_today())
    counts = {"job_starts": Count("pk", filter=_within("start_date", period))}
    earliest, latest = period.start, period.end
    if last_milestone >= period.start:
        for weeks in SUSTAINED_WEEKS:
            days = timedelta(days=7 * weeks)
            counts[f"weeks_{weeks}"] = Count(
                "pk",
                filter=Q(start_date__gte=period.start - days, start_date__lte=last_milestone - days)
                & (Q(end_date__isnull=True) | Q(end_date__gt=F("start_date") + days)),
            )
        earliest = period.start - timedelta(days=7 * max(SUSTAINED_WEEKS))
    rows = qualifying_job_starts(service_ids).filter(
        start_date__gte=earliest, start_date__lte=latest
    )
    grouped = (
        _group(rows, by, referral_path="referral", date_path="start_date")
        .values("group")
        .annotate(**counts)
        .order_by()
    )
    result: dict[GroupId, dict[str | int, int]] = {}
    for row in grouped:
        figures: dict[str | int, int] = {
            "job_starts": row["job_starts"],
            **{weeks: row.get(f"weeks_{weeks}", 0) for weeks in SUSTAINED_WEEKS},
        }
        if any(figures.values()):  # as the separate metrics, which leave out empty groups
            result[row["group"]] = figures
    return result
