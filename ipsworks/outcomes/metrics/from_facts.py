"""The referral counts again, from the referral facts (docs/adr/0008).

``ReferralFacts`` keeps, per referral, its own dates and flags with its access date, first
direct contact and first qualifying job start, maintained in the same transaction as the
records (``outcomes.facts``). The functions here count exactly what :mod:`.referrals` and
:mod:`.work` count, but read one narrow row per referral instead of joining referrals to
episodes, contacts and jobs: the national figures become one pass over a million rows.
tests/outcomes/test_referral_facts.py checks them against those functions.
"""

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypedDict, cast

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)

from ipsworks.outcomes.metrics.conditions import (
    _BAND_ALIASES,
    BY_SERVICE,
    BY_TEAM,
    WAIT_BANDS,
    GroupId,
    ServiceIds,
    _as_date,
    _not_by_team,
    _team_on,
    _wait,
    _wait_band_counts,
    _within,
)
from ipsworks.outcomes.metrics.financial_year import accessed_in_financial_year_each
from ipsworks.outcomes.metrics.work import qualifying_job_starts
from ipsworks.outcomes.models import ReferralFacts
from ipsworks.outcomes.periods import Period

# Rows of values(...).annotate(**counts): a dict with a key for each count. The stubs' plugin
# types them as holding only the values() keys, so where counts are added by name the rows
# are cast to this.
_Rows = QuerySet[ReferralFacts, dict[str, Any]]


class ReferralFigures(TypedDict):
    """One group's counts from :func:`referral_figures`."""

    referrals: int
    accesses: int
    open_caseload: int
    retention_open: int
    into_work: int
    rate_numerator: int
    rate_denominator: int
    waits: dict[str, int]  # accesses by MHS116 wait band


class TrendCounts(TypedDict):
    """One period's counts from :func:`trend_counts`."""

    period: Period
    accessed_fy: int
    accesses: int
    job_starts: int
    into_work: int
    rate_numerator: int
    rate_denominator: int


def _facts(service_ids: ServiceIds) -> QuerySet[ReferralFacts]:
    return ReferralFacts.objects.filter(service_id__in=service_ids)


def _facts_open_on(day: date) -> Q:
    """Open caseload on ``day`` (:func:`open_caseload`): received by then, not closed on or
    before it, with a direct contact on or before it."""
    return Q(received_on__lte=day, first_direct_contact__lte=day) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )


def _facts_looking(period: Period) -> Q:
    """The employment rate's denominator for ``period`` (:func:`rate_denominator`)."""
    return Q(out_of_work=True, access_date__lte=period.end) & (
        Q(closed_on__isnull=True)
        | (Q(closed_on__gt=period.start) & Q(closed_on__gt=F("access_date")))
    )


def _facts_into_work(period: Period) -> Q:
    """First job start in ``period`` (:func:`people_into_work`)."""
    return _within("first_job_start", period)


def referral_figures(
    service_ids: ServiceIds, period: Period, by: str = BY_SERVICE
) -> dict[GroupId, ReferralFigures]:
    """{group: {name: count}}: referrals received, accesses with their wait bands, the open
    caseload on the period's last day and its job-retention part, people into work, and the
    employment rate's numerator and denominator. Two queries over the referral facts.

    The same numbers as :func:`referrals_received`, :func:`accesses_and_waits`,
    :func:`open_caseload`, :func:`job_retention_share`, :func:`into_work_counts` and
    :func:`rate_denominator`, grouped as they group: by service, by the referral's current
    specialist, or by team on the date of each event (four queries). Groups whose counts
    are all zero are left out, as those functions leave them out.
    """
    if by == BY_TEAM:
        return _referral_figures_by_team(service_ids, period)
    _not_by_team(by)
    group = F("service_id" if by == BY_SERVICE else "allocated_to_id")
    accessed = _within("access_date", period)
    open_at_end = _facts_open_on(period.end)
    records = {
        "referrals": Count("pk", filter=_within("received_on", period)),
        "accesses": Count("pk", filter=accessed),
        "open_caseload": Count("pk", filter=open_at_end),
        "retention_open": Count("pk", filter=open_at_end & Q(job_retention=True)),
        **_wait_band_counts(among=accessed),
    }
    # Only referrals that can count: received by the end and not closed before the start
    # (which takes in everything received in the period, since a referral cannot close
    # before it is received, and everything open at the end), or accessed in the period.
    # Counting conditions on the rest of a million rows was half the time.
    counted = cast(
        "_Rows",
        _facts(service_ids)
        .filter(
            Q(received_on__lte=period.end)
            & (Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
            | accessed
        )
        .annotate(group=group, wait=_wait("received_on"))
        .values("group")
        .annotate(**records)
        .order_by(),
    )
    # People are counted once per group, so these need DISTINCT: asked only of the rows
    # that can count, which keeps the sorts small.
    into_work, looking = _facts_into_work(period), _facts_looking(period)
    people = {
        "into_work": Count("person_id", distinct=True, filter=into_work),
        "rate_numerator": Count("person_id", distinct=True, filter=into_work & Q(out_of_work=True)),
        "rate_denominator": Count("person_id", distinct=True, filter=looking),
    }
    distinct = cast(
        "_Rows",
        _facts(service_ids)
        .filter(into_work | looking)
        .annotate(group=group)
        .values("group")
        .annotate(**people)
        .order_by(),
    )
    return _headline(itertools.chain(counted, distinct), [*records, *people])


def _headline(rows: Iterable[dict[str, Any]], names: list[str]) -> dict[GroupId, ReferralFigures]:
    """Merge grouped rows into {group: counts with "waits"}, leaving out all-zero groups."""
    result: defaultdict[GroupId, dict[str, int]] = defaultdict(lambda: dict.fromkeys(names, 0))
    for row in rows:
        result[row.pop("group")].update(row)
    figures: dict[GroupId, ReferralFigures] = {}
    for key, counts in result.items():
        headline: dict[str, Any] = {
            name: n for name, n in counts.items() if not name.startswith("band_")
        }
        if any(headline.values()):
            headline["waits"] = {label: counts[_BAND_ALIASES[label]] for label, *_ in WAIT_BANDS}
            # The names the two callers pass are ReferralFigures' keys, and "waits" is added.
            figures[key] = cast(ReferralFigures, headline)
    return figures


def _referral_figures_by_team(
    service_ids: ServiceIds, period: Period
) -> dict[GroupId, ReferralFigures]:
    """:func:`referral_figures` by team: each count in the team the referral was in on the
    date its metric counts it (received, access, first job start, or the period's last day
    for the open caseload and the employment rate), from the team moves (:func:`_team_on`)."""

    def on(date_path: str, rows: QuerySet[ReferralFacts]) -> _Rows:
        return cast("_Rows", rows.annotate(group=_team_on("", date_path)).values("group"))

    accessed = _within("access_date", period)
    into_work, looking = _facts_into_work(period), _facts_looking(period)
    open_at_end = _facts_open_on(period.end)
    bands = _wait_band_counts()
    facts = _facts(service_ids)
    received = on("received_on", facts.filter(_within("received_on", period))).annotate(
        referrals=Count("pk")
    )
    accesses = on(
        "access_date",
        facts.filter(accessed).annotate(wait=_wait("received_on")),
    ).annotate(accesses=Count("pk"), **bands)
    first_start = on("first_job_start", facts.filter(into_work)).annotate(
        into_work=Count("person_id", distinct=True)
    )
    at_end = on(
        "snapshot",
        facts.filter(open_at_end | looking | (into_work & Q(out_of_work=True))).annotate(
            snapshot=_as_date(period.end)
        ),
    ).annotate(
        open_caseload=Count("pk", filter=open_at_end),
        retention_open=Count("pk", filter=open_at_end & Q(job_retention=True)),
        rate_numerator=Count("person_id", distinct=True, filter=into_work & Q(out_of_work=True)),
        rate_denominator=Count("person_id", distinct=True, filter=looking),
    )
    names = ["referrals", "accesses", "open_caseload", "retention_open", "into_work"]
    names += ["rate_numerator", "rate_denominator", *bands]
    rows = itertools.chain(*(q.order_by() for q in (received, accesses, first_start, at_end)))
    return _headline(rows, names)


def trend_counts(service_ids: ServiceIds, periods: list[Period]) -> list[TrendCounts]:
    """For each period, over all ``service_ids`` together: people accessing IPS (accessed in
    the financial year), first-time accesses, job starts, people into work and the employment
    rate's numerator and denominator, as :func:`accessed_in_financial_year`,
    :func:`accesses`, :func:`job_starts`, :func:`people_into_work` and
    :func:`employment_rate` count them (people are counted once per service). Two queries,
    and one for each financial year the periods touch. The periods must not overlap.
    """
    if not periods:
        return []
    spans = sorted((p.start, p.end) for p in periods)
    if any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(spans)):
        raise ValueError("Trend periods must not overlap")
    first, last = min(p.start for p in periods), max(p.end for p in periods)

    def each(condition: Callable[[Period], Count]) -> dict[str, Count]:
        return {f"p{i}": condition(p) for i, p in enumerate(periods)}

    started = (
        qualifying_job_starts(service_ids)
        .filter(start_date__gte=first, start_date__lte=last)
        .aggregate(**each(lambda p: Count("pk", filter=_within("start_date", p))))
    )
    # The rest from the referral facts: accesses by access date, people into work by their
    # first job start, the rate's denominator by access and closure. People are counted
    # once per service, so the distinct counts are per service and added up.
    per_service = cast(
        "_Rows",
        _facts(service_ids)
        .filter(Q(access_date__lte=last) | Q(first_job_start__lte=last))
        .values("service_id")
        .annotate(
            **{
                f"a{i}": Count("pk", filter=_within("access_date", p))
                for i, p in enumerate(periods)
            },
            **{
                f"w{i}": Count("person_id", distinct=True, filter=_facts_into_work(p))
                for i, p in enumerate(periods)
            },
            **{
                f"n{i}": Count(
                    "person_id",
                    distinct=True,
                    filter=_facts_into_work(p) & Q(out_of_work=True),
                )
                for i, p in enumerate(periods)
            },
            **{
                f"d{i}": Count("person_id", distinct=True, filter=_facts_looking(p))
                for i, p in enumerate(periods)
            },
        )
        .order_by(),
    )
    totals: dict[str, int] = defaultdict(int)
    for row in per_service:
        for name, value in row.items():
            if name != "service_id":
                totals[name] += value
    accessed_fy = accessed_in_financial_year_each(service_ids, periods)
    counts: list[TrendCounts] = []
    for i, period in enumerate(periods):
        key = f"p{i}"
        counts.append(
            {
                "period": period,
                "accessed_fy": accessed_fy[i],
                "accesses": totals[f"a{i}"],
                "job_starts": started[key],
                "into_work": totals[f"w{i}"],
                "rate_numerator": totals[f"n{i}"],
                "rate_denominator": totals[f"d{i}"],
            }
        )
    return counts
