"""Each employment specialist against the IPS Grow targets.

IPS Grow key performance and outcome framework v8 (ips-reference.md §2, "IPS Grow targets
per ES (v8)"): "Access: year 1 at least 35 unemployed people (pro-rated; first 3 months
spent building up); year 2 at least 40." "At least 40% start work (e.g. 16 of 40)." "At
least 65% of those are still working beyond 13 weeks." Registry entries
``specialist_access_target``, ``specialist_into_work`` and ``specialist_sustained``.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ipsworks.core.dates import local_today
from ipsworks.organisations.models import StaffMember
from ipsworks.outcomes.metrics.conditions import (
    ServiceIds,
    _out_of_work,
    _within,
    rate,
)
from ipsworks.outcomes.metrics.ways_of_working import _specialists
from ipsworks.outcomes.metrics.work import qualifying_job_starts
from ipsworks.outcomes.periods import Period
from ipsworks.people.models import Episode

# The IPS Grow v8 figures quoted above.
ACCESS_TARGET_FIRST_YEAR = 35
ACCESS_TARGET_LATER_YEARS = 40
INTO_WORK_TARGET = Decimal(40)
SUSTAINED_TARGET = Decimal(65)
THIRTEEN_WEEKS = timedelta(days=91)


@dataclass(frozen=True)
class SpecialistTargets:
    staff: StaffMember
    accesses: int
    access_target: int
    into_work: int
    into_work_rate: Decimal | None
    sustained: int
    could_sustain: int
    sustained_rate: Decimal | None
    start_date_known: bool


def access_target(staff: StaffMember, period: Period) -> Decimal:
    """The specialist's access target for the days of ``period`` they are in post, unrounded.

    See the ``specialist_access_target`` metric: 35 a year in the first 365 days in post, 40
    after, times FTE. With no start date every day counts at 40.
    """
    first = max(period.start, staff.started_on or period.start)
    last = min(period.end, staff.left_on or period.end)
    if last < first:
        return Decimal(0)
    days = (last - first).days + 1
    first_year_days = 0
    if staff.started_on is not None:
        year_one_ends = staff.started_on + timedelta(days=364)
        first_year_days = max(0, (min(last, year_one_ends) - first).days + 1)
    later_days = days - first_year_days
    per_year = Decimal(
        ACCESS_TARGET_FIRST_YEAR * first_year_days + ACCESS_TARGET_LATER_YEARS * later_days
    )
    return staff.fte * per_year / 365


def specialist_targets(
    service_ids: ServiceIds, year: Period, today: date | None = None
) -> list[SpecialistTargets]:
    """Each specialist's period against the IPS Grow targets (registry entries
    ``specialist_access_target``, ``specialist_into_work`` and ``specialist_sustained``).

    The cohort is the out-of-work people accessed in the period on a referral allocated to
    the specialist; the into-work and 13-week shares are shares of that cohort, so the
    numerator is always part of the denominator (never more than 100%).
    """
    reference = min(year.end, today or local_today())
    accessed = (
        Episode.objects.in_services(service_ids)
        .filter(_within("access_date", year))
        .filter(_out_of_work("referral__"))
    )
    cohort = list(accessed.values_list("referral__allocated_to_id", "person_id", "referral_id"))
    first_jobs: dict[int, tuple[date, date | None]] = {}
    for referral_id, start, end in (
        qualifying_job_starts(service_ids)
        .filter(referral_id__in=accessed.values("referral_id"), start_date__lte=reference)
        .order_by("start_date", "pk")
        .values_list("referral_id", "start_date", "end_date")
    ):
        first_jobs.setdefault(referral_id, (start, end))
    # Per specialist and person, the earliest first job start over their cohort referrals.
    # {specialist id: {person id: (first job start, its end) or (None, None)}}
    people: defaultdict[int | None, dict[int, tuple[date, date | None] | tuple[None, None]]] = (
        defaultdict(dict)
    )
    for specialist, person, referral_id in cohort:
        job = first_jobs.get(referral_id)
        known = people[specialist].get(person)
        if known is None or (job is not None and (known[0] is None or job[0] < known[0])):
            people[specialist][person] = job or (None, None)
    rows = []
    for staff in (
        _specialists(service_ids)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    ):
        mine = people.get(staff.pk, {})
        started = [job for job in mine.values() if job[0] is not None]
        could = [job for job in started if job[0] + THIRTEEN_WEEKS <= reference]
        kept = [job for job in could if job[1] is None or job[1] > job[0] + THIRTEEN_WEEKS]
        rows.append(
            SpecialistTargets(
                staff=staff,
                accesses=len(mine),
                access_target=int(
                    access_target(staff, year).quantize(Decimal(1), rounding=ROUND_HALF_UP)
                ),
                into_work=len(started),
                into_work_rate=rate(len(started), len(mine)),
                sustained=len(kept),
                could_sustain=len(could),
                sustained_rate=rate(len(kept), len(could)),
                start_date_known=staff.started_on is not None,
            )
        )
    return rows
