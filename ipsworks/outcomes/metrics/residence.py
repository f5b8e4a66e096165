"""People accessing IPS in the financial year, by where they live: sub-ICB location and ICB
of residence, deprivation quintile, and a rate per 100,000 population.

The breakdowns NHS England gives commissioners on its IPS dashboard (nhsengland/MHSDS
``IPS Dashboard/IPS Dashboard``: ``OrgIDCCGRes``, ``STP_Code`` and ``DeprivationQuintile``),
over the financial-year access measure (the same rows as :mod:`.financial_year`). A person
is placed by their postcode as IPS Works holds it now, through the lookup an installation loads
(:mod:`ipsworks.outcomes.geography`); one without a postcode, or with one the lookup does not
know, is counted as "not known", never left out, so each breakdown adds up to the total.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connection

from ipsworks.outcomes.geography import quintile
from ipsworks.outcomes.metrics.conditions import ServiceIds
from ipsworks.outcomes.models import Area, PostcodeArea, ReferralYearAccess
from ipsworks.outcomes.periods import Period
from ipsworks.people.models import Person, Referral

NOT_KNOWN = "Not known"
PER = 100_000
QUINTILE_NAMES = {
    1: "Quintile 1 (most deprived)",
    2: "Quintile 2",
    3: "Quintile 3",
    4: "Quintile 4",
    5: "Quintile 5 (least deprived)",
}


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    people: int
    population: int | None

    @property
    def rate(self) -> float | None:
        """People accessing per 100,000 population, when the population is loaded."""
        return None if not self.population else self.people * PER / self.population


@dataclass(frozen=True)
class Residence:
    total: int
    sub_icbs: list[AreaRow]
    icbs: list[AreaRow]
    quintiles: list[AreaRow]
    lookup_loaded: bool


def _rows(counts: Counter[str], areas: dict[str, Area]) -> list[AreaRow]:
    rows = [
        AreaRow(
            code=code,
            name=areas[code].name if code in areas else code,
            people=n,
            population=areas[code].population if code in areas else None,
        )
        for code, n in counts.items()
        if code
    ]
    rows.sort(key=lambda r: (-r.people, r.name))
    if counts.get(""):
        rows.append(AreaRow("", NOT_KNOWN, counts[""], None))
    return rows


def _grouped(
    service_ids: ServiceIds, period: Period
) -> list[tuple[str | None, str | None, int | None, int]]:
    """(sub-ICB, ICB, IMD decile, referrals) for the year's first contacts in ``period``.

    One grouped query with a LEFT JOIN from the person's postcode to the lookup: there is no
    foreign key to join on (the lookup is reference data, loaded and replaced whole), and one
    correlated subquery per column took 0.6 s nationally at 100,000 people.
    """
    ids = [int(i) for i in service_ids]
    if not ids:
        return []
    tables = {
        "access": ReferralYearAccess._meta.db_table,
        "referral": Referral._meta.db_table,
        "person": Person._meta.db_table,
        "area": PostcodeArea._meta.db_table,
    }
    marks = ", ".join(["%s"] * len(ids))
    # Table names from model metadata; every value is a parameter.
    sql = (
        "SELECT area.sub_icb, area.icb, area.imd_decile, COUNT(*) "  # noqa: S608
        f"FROM {tables['access']} access "
        f"JOIN {tables['referral']} referral ON referral.id = access.referral_id "
        f"JOIN {tables['person']} person ON person.id = referral.person_id "
        f"LEFT JOIN {tables['area']} area ON area.postcode = person.postcode "
        f"WHERE access.service_id IN ({marks}) "
        "AND access.first_direct_contact >= %s AND access.first_direct_contact <= %s "
        "GROUP BY area.sub_icb, area.icb, area.imd_decile"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, period.start, period.end])
        rows: list[tuple[str | None, str | None, int | None, int]] = cursor.fetchall()
        return rows


def accessed_by_residence(service_ids: ServiceIds, period: Period) -> Residence:
    """The financial-year access measure for ``period``, by area of residence. Three queries."""
    sub_icbs: Counter[str] = Counter()
    icbs: Counter[str] = Counter()
    quintiles: Counter[int] = Counter()
    total = 0
    for sub_icb, icb, decile, n in _grouped(service_ids, period):
        total += n
        sub_icbs[sub_icb or ""] += n
        icbs[icb or ""] += n
        quintiles[quintile(decile) or 0] += n
    areas = {a.code: a for a in Area.objects.filter(pk__in=[*sub_icbs, *icbs])}
    by_quintile = [AreaRow(str(q), QUINTILE_NAMES[q], quintiles[q], None) for q in QUINTILE_NAMES]
    if quintiles.get(0):
        by_quintile.append(AreaRow("", NOT_KNOWN, quintiles[0], None))
    return Residence(
        total=total,
        sub_icbs=_rows(sub_icbs, areas),
        icbs=_rows(icbs, areas),
        quintiles=by_quintile,
        lookup_loaded=PostcodeArea.objects.exists(),
    )
