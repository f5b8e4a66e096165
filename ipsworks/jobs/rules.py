"""Rules about jobs: competitive employment, job starts, sustainment and in-work support.

Sources: shared/domain/metric-definitions.md (competitive job, job start, sustained
13/26/52 weeks), the IPS fidelity scale items 21 and 23, IPS Grow KPI framework v8.
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ipsworks.core.dates import age_on
from ipsworks.core.money import format_pence

_WAGE_FILE = Path(__file__).with_name("data") / "minimum_wage.json"

# Sustainment milestones: a job is sustained N weeks when still held N×7 days after starting
# (a job is not held on its end date). metric-definitions.md, "sustained 13 / 26 / 52 weeks".
SUSTAINMENT_WEEKS = (13, 26, 52)
# IPS Grow counts a job start once the person has done 4 hours of paid work.
JOB_START_HOURS = 4


# --- What counts as a job start: the one home of the rule (issue 23) --------------------------
#
# IPS Grow key performance and outcome framework v8 (and docs/metrics.md, ``job_starts``;
# shared/domain/metric-definitions.md, "job start"): a job start is a competitive job (open
# labour market, at least the statutory minimum pay, not set aside for disabled people;
# computed at the start, ``check_competitive``), that is not the job the person held when
# referred (job retention is never a job start), counted once 4 hours of paid work are done,
# for a referral that had access and starting on or after the access date. Second and later
# jobs count. The IPS-25 fidelity scale's items 19 to 21 look at the same jobs whether
# competitive or not ("jobs obtained").
#
# ``Job.counts_as_job_start``, every queryset in ``outcomes.metrics`` and the referral facts
# (``outcomes.facts``) read these; tests/jobs/test_job_start_rule.py fails if the field
# conditions are written out anywhere else in ipsworks/.

#: Field conditions on a job for it to be a job obtained (fidelity items 19 to 21).
JOB_OBTAINED_FIELDS: MappingProxyType[str, bool] = MappingProxyType(
    {"held_at_referral": False, "four_hours_worked": True}
)
#: Field conditions on a job for it to be a job start (IPS Grow v8): a competitive job obtained.
JOB_START_FIELDS: MappingProxyType[str, bool] = MappingProxyType(
    {"competitive": True, **JOB_OBTAINED_FIELDS}
)


def _prefixed(fields: MappingProxyType[str, bool], prefix: str) -> Q:
    return Q(**{f"{prefix}{name}": value for name, value in fields.items()})


def job_start_q(prefix: str = "") -> Q:
    """The job-start field conditions (``JOB_START_FIELDS``) as a Q, on ``prefix`` + field.

    ``prefix`` is the path from the queried model to the job, such as ``"jobs__"``; empty
    when querying jobs. The access condition is :func:`started_on_or_after_access` (or
    :func:`accessed_by_start`), which needs the access date from the caller's query.
    """
    return _prefixed(JOB_START_FIELDS, prefix)


def job_obtained_q(prefix: str = "") -> Q:
    """Jobs obtained (fidelity items 19 to 21): a job start's conditions but competitive."""
    return _prefixed(JOB_OBTAINED_FIELDS, prefix)


def started_on_or_after_access(access_date: Any, prefix: str = "") -> Q:
    """The job's first day of paid work is on or after ``access_date`` (an ``F``/``OuterRef``).

    IPS Grow v8: a job start is for a referral that had access and starts on or after it.
    Comparing with a missing access date is never true, so a referral without one has none.
    """
    return Q(**{f"{prefix}start_date__gte": access_date})


def accessed_by_start(episodes: QuerySet[Any]) -> Exists:
    """On a queryset of jobs: the job's referral had its access on or before the job's start.

    The same condition as :func:`started_on_or_after_access`, asked of the episodes by the
    job's referral id (a semi-join) so a query over jobs need not join the referrals between.
    ``episodes`` is the episode queryset (passed in, so a migration can give its own model).
    """
    return Exists(
        episodes.filter(
            referral_id=OuterRef("referral_id"), access_date__lte=OuterRef("start_date")
        )
    )


def meets_job_start_fields(job: Any) -> bool:
    """Whether a job (any object with the fields) meets ``JOB_START_FIELDS``."""
    return all(getattr(job, name) == value for name, value in JOB_START_FIELDS.items())


@dataclass(frozen=True)
class WagePeriod:
    starts_on: date
    bands: tuple[tuple[int, int], ...]  # (lowest age, pence an hour), highest age first
    apprentice_pence: int


@lru_cache(maxsize=1)
def wage_table() -> tuple[WagePeriod, ...]:
    raw = json.loads(_WAGE_FILE.read_text())
    periods = [
        WagePeriod(
            starts_on=date.fromisoformat(p["from"]),
            bands=tuple(sorted(((b["min_age"], b["pence"]) for b in p["bands"]), reverse=True)),
            apprentice_pence=p["apprentice_pence"],
        )
        for p in raw["periods"]
    ]
    return tuple(sorted(periods, key=lambda p: p.starts_on))


class NoRateKnown(ValueError):
    pass


def minimum_wage_pence(
    *, on: date, date_of_birth: date | None, apprenticeship: bool = False
) -> int:
    """The statutory minimum hourly pay, in pence, for a worker on a date.

    Without a date of birth the adult rate (National Living Wage) is used: the strictest
    test, so a job is never counted as competitive on a guess about the person's age.
    An apprentice in the first year (always true at a job's start) may be paid the
    apprentice rate.
    """
    period = None
    for candidate in wage_table():
        if candidate.starts_on <= on:
            period = candidate
    if period is None:
        raise NoRateKnown(f"No minimum wage rate is held for {on:%d %B %Y}")
    if apprenticeship:
        return period.apprentice_pence
    if date_of_birth is None:
        return period.bands[0][1]
    age = age_on(date_of_birth, on)
    for min_age, pence in period.bands:
        if age >= min_age:
            return pence
    # Under 16: not of working age for minimum wage purposes; the lowest band is the floor.
    return period.bands[-1][1]


@dataclass(frozen=True)
class CompetitiveCheck:
    competitive: bool
    minimum_pence: int | None
    reasons: tuple[str, ...]


def check_competitive(
    *,
    start_date: date,
    hourly_pay_pence: int,
    date_of_birth: date | None,
    self_employed: bool,
    apprenticeship: bool,
    open_labour_market: bool,
    reserved_for_disabled: bool,
) -> CompetitiveCheck:
    """Is this a competitive job? Evaluated once, at the start (metric-definitions.md).

    Open labour market, not reserved for disabled people, and paid at least the statutory
    minimum for the person's age on the start date. Self-employment has no minimum wage.
    """
    reasons = []
    if not open_labour_market:
        reasons.append("not open to anyone to apply for")
    if reserved_for_disabled:
        reasons.append("set aside for disabled people")
    minimum = None
    if not self_employed:
        minimum = minimum_wage_pence(
            on=start_date, date_of_birth=date_of_birth, apprenticeship=apprenticeship
        )
        if hourly_pay_pence < minimum:
            reasons.append(
                f"pays {format_pence(hourly_pay_pence)} an hour, under the legal minimum of "
                f"{format_pence(minimum)}"
            )
    return CompetitiveCheck(not reasons, minimum, tuple(reasons))


def sustained_on(start_date: date, weeks: int) -> date:
    """The date on which a job still held counts as sustained for ``weeks`` weeks."""
    return start_date + timedelta(days=7 * weeks)


def is_sustained(start_date: date, end_date: date | None, weeks: int, today: date) -> bool:
    """Held N×7 days after its start: no end date, or an end date later than that day."""
    milestone = sustained_on(start_date, weeks)
    if milestone > today:
        return False
    return end_date is None or end_date > milestone


def in_work_on(start_date: date, end_date: date | None, day: date) -> bool:
    """Whether a job is held on a day: from its start, up to but not on its end date."""
    return start_date <= day and (end_date is None or day < end_date)


# --- Time-unlimited in-work support (fidelity item 23) ---------------------------------------
# First contact before or within 3 days of the start, weekly through the first month, then at
# least monthly with no end date; after a job ends, a contact within 3 days.
FIRST_CONTACT_DAYS = 3
FIRST_CONTACT_OPENS_DAYS_BEFORE = 7
WEEKLY_CHECKS = 4
MONTHLY_INTERVAL_DAYS = 30
AFTER_END_DAYS = 3


@dataclass(frozen=True)
class PlannedCheckIn:
    kind: str
    opens_on: date
    due_on: date


def initial_support_plan(start_date: date) -> list[PlannedCheckIn]:
    """The check-ins scheduled when a job starts; monthly ones then roll forward as each is met."""
    plan = [
        PlannedCheckIn(
            "first",
            start_date - timedelta(days=FIRST_CONTACT_OPENS_DAYS_BEFORE),
            start_date + timedelta(days=FIRST_CONTACT_DAYS),
        )
    ]
    for week in range(1, WEEKLY_CHECKS + 1):
        plan.append(
            PlannedCheckIn(
                "weekly",
                start_date + timedelta(days=7 * week - 6),
                start_date + timedelta(days=7 * week),
            )
        )
    last_weekly = start_date + timedelta(days=7 * WEEKLY_CHECKS)
    plan.append(
        PlannedCheckIn(
            "monthly",
            last_weekly + timedelta(days=1),
            last_weekly + timedelta(MONTHLY_INTERVAL_DAYS),
        )
    )
    return plan


def next_monthly_check_in(after: date) -> PlannedCheckIn:
    return PlannedCheckIn(
        "monthly", after + timedelta(days=1), after + timedelta(days=MONTHLY_INTERVAL_DAYS)
    )


def after_end_check_in(end_date: date) -> PlannedCheckIn:
    return PlannedCheckIn("after_end", end_date, end_date + timedelta(days=AFTER_END_DAYS))
