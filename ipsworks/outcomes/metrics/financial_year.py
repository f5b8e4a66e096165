"""NHS England's headline IPS access measure: accessed in the financial year.

NHS England counts a referral once in every financial year (1 April to 31 March) in which it
has a direct contact, on the date of its first direct contact of that year, so a person
carried over from last year counts again this year. Sources:

- nhsengland/MHSDS, ``IPS Dashboard/IPS Dashboard``: ``AccessedInFinancialYear`` is the sum
  of ``FYAccessFlag``, the first of each person's direct contacts per referral and financial
  year (``ROW_NUMBER() OVER (PARTITION BY Person_ID, UniqServReqID, Der_FY ORDER BY
  Der_ContactDate)`` = 1), beside ``AccessedFirstTimeEver`` (``AccessFlag``, the first over
  all years).
- ``MH Core Data Pack/UDAL/2B. STAGING TABLES/i) MONTHLY SCRIPTS/STAGING_CDP_I_IPS.sql``:
  measure CDP_I01, "Total accessed (first contact in year)", reported as the financial year
  to date: each month adds the months since April (the running sum in step 4).
- The direct-contact rule is ``Der_DirectContact`` (``activity.codes``), held on each contact
  as ``Contact.is_direct``.

``accesses`` (first-ever access, from the episodes) stays the measure waits are timed to.
"""

from datetime import date, timedelta

from django.db import connection
from django.db.models import F, Min

from ipsworks.access import scoping
from ipsworks.outcomes.periods import Period, financial_year
from ipsworks.people.models import Referral, ReferralTeamMove


def financial_year_slices(period: Period) -> list[tuple[date, Period]]:
    """The period cut at each 1 April: (that financial year's first day, the part in it)."""
    slices = []
    start = period.start
    while start <= period.end:
        year = financial_year(start)
        end = min(year.end, period.end)
        slices.append((year.start, Period(start, end, "")))
        start = end + timedelta(days=1)
    return slices


def _firsts_of_year(service_ids, year_start: date, part: Period, group: str | None):
    """One row per referral whose first direct contact of the financial year starting
    ``year_start`` falls in ``part``: ``referral_id``, ``first`` and, with ``group`` (a path
    from the contact), ``grp``. One scan of the year's contacts, grouped by referral."""
    rows = scoping.contacts_in_services(service_ids).filter(
        is_direct=True, contact_date__gte=year_start, contact_date__lte=part.end
    )
    fields = ["referral_id"]
    if group is not None:
        rows = rows.annotate(grp=F(group))
        fields.append("grp")
    return (
        rows.values(*fields)
        .annotate(first=Min("contact_date"))
        .filter(first__gte=part.start)
        .order_by()
    )


def _tally(firsts, counts: dict[str, str], params: list, by_group: bool) -> list[tuple]:
    """Run ``SELECT [grp,] <counts> FROM (firsts)``: counting over the grouped rows needs a
    query around the grouping, which the ORM does not write."""
    sql, inner = firsts.query.sql_with_params()
    columns = ", ".join(f"{expression} AS {name}" for name, expression in counts.items())
    head, tail = ("grp, ", " GROUP BY grp") if by_group else ("", "")
    with connection.cursor() as cursor:
        # Only our own column expressions and the ORM's SQL are joined in; values are
        # parameters. The counts' parameters come first, as their text does.
        query = f"SELECT {head}{columns} FROM ({sql}) firsts{tail}"  # noqa: S608
        cursor.execute(query, [*params, *inner])
        return cursor.fetchall()


# Where each grouping's key is, from a contact (the team is worked out on the day instead).
_GROUP_PATH = {"service": "service_id", "specialist": "referral__allocated_to_id"}


def accessed_in_financial_year(service_ids, period: Period, by: str) -> dict:
    """{group: referrals accessed in the financial year, counted in the period}: for each
    financial year the period touches, the referrals whose first direct contact of that year
    falls in the period. Grouped by service, by the referral's specialist, or by its team on
    the day of that contact. One query per financial year the period touches."""
    totals: dict = {}
    for year_start, part in financial_year_slices(period):
        if by in _GROUP_PATH:
            firsts = _firsts_of_year(service_ids, year_start, part, _GROUP_PATH[by])
            counted = dict(_tally(firsts, {"n": "COUNT(*)"}, [], by_group=True))
        elif by == "team":
            counted = _by_team_on_the_day(_firsts_of_year(service_ids, year_start, part, None))
        else:
            raise ValueError(f"Unknown grouping {by!r}")
        for group, n in counted.items():
            totals[group] = totals.get(group, 0) + n
    return totals


def _by_team_on_the_day(firsts) -> dict:
    """{team: referrals} for the team each referral was in on its first contact of the year:
    the ``from_team`` of its first move after that day, else its team now (as
    ``metrics._team_on`` works it out in SQL). Three queries, however many referrals."""
    first_on = dict(firsts.values_list("referral_id", "first"))
    ids = firsts.values("referral_id")
    team_now = dict(Referral.objects.filter(pk__in=ids).values_list("pk", "team_id"))
    moves: dict[int, list[tuple[date, int | None]]] = {}
    for referral_id, effective_on, from_team in (
        ReferralTeamMove.objects.filter(referral_id__in=ids)
        .order_by("effective_on", "pk")
        .values_list("referral_id", "effective_on", "from_team_id")
    ):
        moves.setdefault(referral_id, []).append((effective_on, from_team))
    counted: dict = {}
    for referral_id, day in first_on.items():
        later = [team for on, team in moves.get(referral_id, ()) if on > day]
        team = later[0] if later else team_now.get(referral_id)
        counted[team] = counted.get(team, 0) + 1
    return counted


def accessed_in_financial_year_each(service_ids, periods: list[Period]) -> list[int]:
    """:func:`accessed_in_financial_year` over all ``service_ids`` together, for each of
    ``periods`` (for trends): one query per financial year they touch, not one per period."""
    by_year: dict[date, list[tuple[int, Period]]] = {}
    for i, period in enumerate(periods):
        for year_start, part in financial_year_slices(period):
            by_year.setdefault(year_start, []).append((i, part))
    totals = [0] * len(periods)
    for year_start, parts in by_year.items():
        whole = Period(min(p.start for _, p in parts), max(p.end for _, p in parts), "")
        counts = {
            f"p{n}": "COALESCE(SUM(CASE WHEN first BETWEEN %s AND %s THEN 1 ELSE 0 END), 0)"
            for n in range(len(parts))
        }
        params = [d for _, part in parts for d in (part.start, part.end)]
        (row,) = _tally(
            _firsts_of_year(service_ids, year_start, whole, None), counts, params, by_group=False
        )
        for n, (i, _) in enumerate(parts):
            totals[i] += int(row[n])
    return totals


def year_to_date(period: Period) -> Period:
    """From the 1 April before the period's end to its end: CDP_I01's running total."""
    start = financial_year(period.end).start
    return Period(start, period.end, f"Financial year to {period.end:%d %B %Y}")
