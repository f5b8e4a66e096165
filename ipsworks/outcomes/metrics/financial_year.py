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

from django.db.models import Count, Exists, OuterRef, Q

from ipsworks.access import scoping
from ipsworks.activity.models import Contact
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


def first_direct_contacts_of_year(service_ids, period: Period):
    """The direct contacts in ``period`` that are their referral's first of the financial
    year, one or more a referral (two on the same first day are both here; count referrals).
    ``period`` must lie inside one financial year."""
    (year_start, part), *rest = financial_year_slices(period)
    if rest:
        raise ValueError("The period must lie inside one financial year")
    earlier = Contact.objects.filter(
        referral_id=OuterRef("referral_id"),
        is_direct=True,
        contact_date__gte=year_start,
        contact_date__lt=OuterRef("contact_date"),
    )
    return (
        scoping.contacts_in_services(service_ids)
        .filter(is_direct=True, contact_date__gte=part.start, contact_date__lte=part.end)
        .exclude(Exists(earlier))
    )


def accessed_in_financial_year(service_ids, period: Period, by: str) -> dict:
    """{group: referrals accessed in the financial year, counted in the period}: for each
    financial year the period touches, the referrals whose first direct contact of that year
    falls in the period. Grouped by service, by the referral's specialist, or by its team on
    the day of that contact. One query per financial year the period touches."""
    from ipsworks.outcomes.metrics import _counts, _group

    totals: dict = {}
    for _, part in financial_year_slices(period):
        rows = _group(
            first_direct_contacts_of_year(service_ids, part),
            by,
            referral_path="referral",
            date_path="contact_date",
        )
        for group, n in _counts(rows, distinct="referral_id").items():
            totals[group] = totals.get(group, 0) + n
    return totals


def year_to_date(period: Period) -> Period:
    """From the 1 April before the period's end to its end: CDP_I01's running total."""
    start = financial_year(period.end).start
    return Period(start, period.end, f"Financial year to {period.end:%d %B %Y}")


def accessed_in_financial_year_each(service_ids, periods: list[Period]) -> list[int]:
    """:func:`accessed_in_financial_year` over all ``service_ids`` together, for each of
    ``periods`` (for trends): one query per financial year they touch, not one per period."""
    by_year: dict[date, list[tuple[int, Period]]] = {}
    for i, period in enumerate(periods):
        for year_start, part in financial_year_slices(period):
            by_year.setdefault(year_start, []).append((i, part))
    totals = [0] * len(periods)
    for parts in by_year.values():
        whole = Period(min(p.start for _, p in parts), max(p.end for _, p in parts), "")
        counted = first_direct_contacts_of_year(service_ids, whole).aggregate(
            **{
                f"p{n}": Count(
                    "referral_id",
                    distinct=True,
                    filter=Q(contact_date__gte=part.start, contact_date__lte=part.end),
                )
                for n, (_, part) in enumerate(parts)
            }
        )
        for n, (i, _) in enumerate(parts):
            totals[i] += counted[f"p{n}"]
    return totals
