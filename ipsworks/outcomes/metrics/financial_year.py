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

The first direct contact of each referral in each year is kept in
``outcomes.ReferralYearAccess`` (by ``outcomes.facts``, as the referral facts are), so these
figures read one row per referral and year. ``accesses`` (first-ever access, from the
episodes) stays the measure waits are timed to.
"""

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from ipsworks.outcomes.metrics.conditions import (
    Counts,
    ServiceIds,
    _counts,
    _group,
)
from ipsworks.outcomes.models import ReferralYearAccess
from ipsworks.outcomes.periods import Period, financial_year


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


def first_contacts_of_year(service_ids: ServiceIds, period: Period) -> QuerySet[ReferralYearAccess]:
    """Rows of referrals whose first direct contact of a financial year is in ``period``.
    A referral has at most one such row a year, and a year's first contact lies in that
    year, so the rows of a period that crosses 1 April are one per referral and year."""
    return ReferralYearAccess.objects.filter(
        service_id__in=list(service_ids),
        first_direct_contact__gte=period.start,
        first_direct_contact__lte=period.end,
    )


def accessed_in_financial_year(service_ids: ServiceIds, period: Period, by: str) -> Counts:
    """{group: referrals accessed in the financial year, counted in the period}: for each
    financial year the period touches, the referrals whose first direct contact of that year
    falls in the period. Grouped by service, by the referral's specialist, or by its team on
    the day of that contact. One query."""
    rows = _group(
        first_contacts_of_year(service_ids, period),
        by,
        referral_path="referral",
        date_path="first_direct_contact",
    )
    return _counts(rows)


def accessed_in_financial_year_each(service_ids: ServiceIds, periods: list[Period]) -> list[int]:
    """:func:`accessed_in_financial_year` over all ``service_ids`` together, for each of
    ``periods`` (for trends), in one query."""
    if not periods:
        return []
    whole = Period(min(p.start for p in periods), max(p.end for p in periods), "")
    counted = first_contacts_of_year(service_ids, whole).aggregate(
        **{
            f"p{i}": Count(
                "pk",
                filter=Q(first_direct_contact__gte=p.start, first_direct_contact__lte=p.end),
            )
            for i, p in enumerate(periods)
        }
    )
    return [counted[f"p{i}"] for i in range(len(periods))]


def year_to_date(period: Period) -> Period:
    """From the 1 April before the period's end to its end: CDP_I01's running total."""
    start = financial_year(period.end).start
    return Period(start, period.end, f"Financial year to {period.end:%d %B %Y}")
