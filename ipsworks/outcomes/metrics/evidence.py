"""Fidelity evidence (IPS-25 items 9, 12, 15, 19 to 21, 23 and 25), for ipsworks.fidelity.

These take ``teams``, a collection of team ids (or None for the whole of ``service_ids``):
a fidelity review covers a service or some of its teams, and diversity or a mean cannot be
added up across teams afterwards. A row counts for a team if that was the referral's team
on the date of the event, as the breakdowns by team do.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, cast

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)

from ipsworks.core.dates import local_today
from ipsworks.jobs import rules as job_rules
from ipsworks.jobs.models import Job
from ipsworks.outcomes.metrics.conditions import (
    ServiceIds,
    TeamIds,
    _in_teams,
    _within,
    first_employer_contact_after_access,
)
from ipsworks.outcomes.metrics.ways_of_working import DaysToContact
from ipsworks.outcomes.metrics.work import qualifying_job_starts
from ipsworks.outcomes.periods import Period
from ipsworks.people.models import Episode, Referral

if TYPE_CHECKING:
    from ipsworks.jobs.models import SupportCheckIn


def jobs_obtained(service_ids: ServiceIds, period: Period, teams: TeamIds = None) -> QuerySet[Job]:
    """Jobs obtained in the period (the ``jobs_obtained`` metric), competitive or not."""
    rows = Job.objects.filter(
        job_rules.job_obtained_q(),
        job_rules.started_on_or_after_access(F("referral__episode__access_date")),
        service_id__in=service_ids,
        referral__episode__isnull=False,
    ).filter(_within("start_date", period))
    return _in_teams(rows, teams, referral_path="referral", date_path="start_date")


def job_type_key(soc_major_group: str, job_title: str) -> tuple[str, str]:
    """Two jobs are of one type when kind of work and title match, ignoring case and spaces."""
    return soc_major_group, " ".join(job_title.lower().split())


def employer_key(job_id: int, employer_id: int | None) -> tuple[str, int]:
    """Each self-employment (no employer) counts as an employer of its own."""
    return ("employer", employer_id) if employer_id is not None else ("self", job_id)


def job_type_diversity(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None
) -> tuple[int, int]:
    """(different job types, jobs obtained) in the period."""
    jobs = jobs_obtained(service_ids, period, teams)
    rows = list(jobs.values_list("soc_major_group", "job_title"))
    return len({job_type_key(*row) for row in rows}), len(rows)


def employer_diversity(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None
) -> tuple[int, int]:
    """(different employers, jobs obtained) in the period."""
    rows = list(jobs_obtained(service_ids, period, teams).values_list("pk", "employer_id"))
    return len({employer_key(*row) for row in rows}), len(rows)


PERMANENT_CONTRACTS = frozenset({Job.ContractType.PERMANENT, Job.ContractType.SELF_EMPLOYED})


def permanent_competitive_share(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None
) -> tuple[int, int]:
    """(permanent competitive jobs, jobs obtained) in the period."""
    counted = jobs_obtained(service_ids, period, teams).aggregate(
        total=Count("pk"),
        permanent=Count(
            "pk", filter=Q(competitive=True, contract_type__in=list(PERMANENT_CONTRACTS))
        ),
    )
    return counted["permanent"], counted["total"]


def job_starts_in(service_ids: ServiceIds, period: Period, teams: TeamIds = None) -> QuerySet[Job]:
    """The job starts (metric ``job_starts``) in the period, for the teams."""
    rows = qualifying_job_starts(service_ids).filter(_within("start_date", period))
    return _in_teams(rows, teams, referral_path="referral", date_path="start_date")


def benefits_planning_before_start(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None
) -> tuple[int, int]:
    """(job starts with a better-off calculation on or before the start, job starts)."""
    from ipsworks.benefits.queries import first_calculation_dates

    first = first_calculation_dates(service_ids)
    starts = list(job_starts_in(service_ids, period, teams).values_list("person_id", "start_date"))
    planned = sum(1 for person, day in starts if person in first and first[person] <= day)
    return planned, len(starts)


@dataclass(frozen=True)
class EmployerContactWait:
    """One access in the period and its first face-to-face employer contact (item 15)."""

    referral_id: int
    person_id: int
    service_id: int
    access_date: date
    first_contact: date | None

    @property
    def days(self) -> int | None:
        return None if self.first_contact is None else (self.first_contact - self.access_date).days


def employer_contact_waits(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None
) -> list[EmployerContactWait]:
    """The accesses behind ``days_to_employer_contact``, one per referral, oldest first."""
    first_contact = first_employer_contact_after_access()
    # people.models declares in_services() as returning a bare EpisodeQuerySet, which the
    # stubs read as a queryset of Model; its rows are episodes.
    rows = cast(
        "QuerySet[Episode]",
        Episode.objects.in_services(service_ids).filter(_within("access_date", period)),
    )
    rows = _in_teams(rows, teams, referral_path="referral", date_path="access_date")
    return [
        EmployerContactWait(*row)
        for row in rows.annotate(first_contact=first_contact)
        .order_by("access_date", "referral_id")
        .values_list("referral_id", "person_id", "service_id", "access_date", "first_contact")
    ]


def summarise_waits(waits: list[EmployerContactWait]) -> DaysToContact:
    """Mean and median as ``days_to_employer_contact`` reports them."""
    return DaysToContact.of(len(waits), [w.days for w in waits if w.days is not None])


def check_ins_due(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None, today: date | None = None
) -> "QuerySet[SupportCheckIn]":
    """In-work support check-ins due in the period and before today, not cancelled."""
    from ipsworks.jobs.models import SupportCheckIn

    last = min(period.end, (today or local_today()) - timedelta(days=1))
    rows = SupportCheckIn.objects.filter(
        service_id__in=service_ids,
        cancelled=False,
        due_on__gte=period.start,
        due_on__lte=last,
    )
    return _in_teams(rows, teams, referral_path="job__referral", date_path="job__start_date")


@dataclass(frozen=True)
class FollowAlong:
    jobs: int
    jobs_on_time: int
    check_ins: int
    check_ins_on_time: int


def in_work_support_on_time(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None, today: date | None = None
) -> FollowAlong:
    """Check-ins due in the period met on time, and jobs whose due check-ins all were."""
    rows = list(
        check_ins_due(service_ids, period, teams, today).values_list("job_id", "due_on", "met_on")
    )
    late_jobs = {job for job, due, met in rows if met is None or met > due}
    jobs = {job for job, _, _ in rows}
    return FollowAlong(
        jobs=len(jobs),
        jobs_on_time=len(jobs - late_jobs),
        check_ins=len(rows),
        check_ins_on_time=sum(1 for _, due, met in rows if met is not None and met <= due),
    )


def referrals_received_in(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None
) -> QuerySet[Referral]:
    rows = Referral.objects.in_services(service_ids).filter(_within("received_on", period))
    return _in_teams(rows, teams, referral_path="", date_path="received_on")


def referral_sources(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None
) -> dict[str, int]:
    """{source: referrals received in the period}."""
    rows = referrals_received_in(service_ids, period, teams).values("source")
    return {row["source"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}


def closed_referrals(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None
) -> QuerySet[Referral]:
    rows = Referral.objects.in_services(service_ids).filter(
        closed_on__isnull=False, closed_on__gte=period.start, closed_on__lte=period.end
    )
    return _in_teams(rows, teams, referral_path="", date_path="closed_on")


def closures_by_reason(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None
) -> dict[str, int]:
    """{closure reason: referrals closed in the period}."""
    rows = closed_referrals(service_ids, period, teams).values("closure_reason")
    return {row["closure_reason"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}


def accesses_in(
    service_ids: ServiceIds, period: Period, teams: TeamIds = None
) -> QuerySet[Episode]:
    """The episodes behind ``accesses`` (access date in the period), for the teams."""
    rows = Episode.objects.in_services(service_ids).filter(_within("access_date", period))
    return _in_teams(rows, teams, referral_path="referral", date_path="access_date")
