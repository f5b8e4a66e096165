"""People accessing IPS in the financial year, by where they live: sub-ICB location and ICB
of residence, deprivation quintile, and a rate per 100,000 population.

The breakdowns NHS England gives commissioners on its IPS dashboard (nhsengland/MHSDS
``IPS Dashboard/IPS Dashboard``: ``OrgIDCCGRes``, ``STP_Code`` and ``DeprivationQuintile``),
over the financial-year access measure (:mod:`.financial_year`). A person is placed by their
postcode as IPS Works holds it now, through the lookup an installation loads
(:mod:`ipsworks.outcomes.geography`); one without a postcode, or with one the lookup does not
know, is counted as "not known", never left out, so each breakdown adds up to the total.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery

from ipsworks.outcomes.geography import quintile
from ipsworks.outcomes.metrics.financial_year import first_contacts_of_year
from ipsworks.outcomes.models import Area, PostcodeArea
from ipsworks.outcomes.periods import Period

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


def _rows(counts: Counter, areas: dict[str, Area]) -> list[AreaRow]:
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


def accessed_by_residence(service_ids, period: Period) -> Residence:
    """The financial-year access measure for ``period``, by area of residence. Three queries."""
    lookup = PostcodeArea.objects.filter(postcode=OuterRef("referral__person__postcode"))
    grouped = (
        first_contacts_of_year(service_ids, period)
        .annotate(
            sub_icb=Subquery(lookup.values("sub_icb")[:1]),
            icb=Subquery(lookup.values("icb")[:1]),
            decile=Subquery(lookup.values("imd_decile")[:1]),
        )
        .values("sub_icb", "icb", "decile")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sub_icbs, icbs, quintiles = Counter(), Counter(), Counter()
    total = 0
    for row in grouped:
        total += row["n"]
        sub_icbs[row["sub_icb"] or ""] += row["n"]
        icbs[row["icb"] or ""] += row["n"]
        quintiles[quintile(row["decile"]) or 0] += row["n"]
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
