"""policyengine-uk as the reference model: the same households, batched into one Simulation.

Used by the oracle tests, the benchmark and ``manage.py better_off --full-check``; never by a
page or the API (importing policyengine-uk takes about six seconds). It is a dev dependency,
pinned in pyproject.toml; :func:`available` says whether it is installed.

How the contract maps onto policyengine-uk's inputs (shared/domain/benefits-reference.md,
"Rules the engine and its oracle comparison must get right"):

* Marriage Allowance is claimed, not automatic: ``would_claim_marriage_allowance`` is False.
* The eligible rent is a social rent (``RENT_FROM_COUNCIL``), so no Local Housing Allowance
  cap applies and the housing element is 12 × the rent.
* LCWRA is set directly (``uc_limited_capability_for_WRA`` and, since UC's work allowance turns
  on it, ``uc_limited_capability_for_work``); the new-claimant rate is the benefit unit's
  ``uc_receives_new_claimant_health_element``.
* Council tax is nil, so no Council Tax Reduction enters either side.
* Regions: England outside London is "NORTH_WEST"; Greater London is "LONDON".
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ipsworks.benefits.schema import HouseholdInput

PINNED_VERSION = "2.162.10"

REGIONS = {
    "england": "NORTH_WEST",
    "scotland": "SCOTLAND",
    "wales": "WALES",
    "northern_ireland": "NORTHERN_IRELAND",
}

# Figures compared with the engine, and the policyengine-uk variable for each.
BENUNIT_FIGURES = {
    "universal_credit": "universal_credit",
    "child_benefit": "child_benefit",
    "benefit_cap_reduction": "benefit_cap_reduction",
    "uc_standard_allowance": "uc_standard_allowance",
    "uc_child_element": "uc_child_element",
    "uc_lcwra_element": "uc_LCWRA_element",
    "uc_carer_element": "uc_carer_element",
    "uc_housing_element": "uc_housing_costs_element",
    "uc_childcare_element": "uc_childcare_element",
}
PERSON_FIGURES = {
    "earnings": "employment_income",
    "income_tax": "income_tax",
    "national_insurance": "national_insurance",
    "scottish_child_payment": "scottish_child_payment",
    "pip": "pip",
}


def available() -> bool:
    return importlib.util.find_spec("policyengine_uk") is not None


def start_year(tax_year: str) -> int:
    return int(tax_year[:4])


def _situation_parts(key: str, household: HouseholdInput, hours: Decimal) -> tuple[dict, ...]:
    year = start_year(household.tax_year)
    earnings = float(hours * household.job.hourly_pay * 52)
    people, members = {}, []
    for index, adult in enumerate(household.adults):
        name = f"{key}_adult{index}"
        people[name] = {
            "age": {year: adult.age},
            "employment_income": {year: earnings if index == household.job.adult else 0.0},
            "uc_limited_capability_for_WRA": {year: adult.lcwra},
            "uc_limited_capability_for_work": {year: adult.lcwra},
            "is_disabled_for_benefits": {year: adult.lcwra},
            "is_carer_for_benefits": {year: adult.carer},
            "would_claim_marriage_allowance": {year: False},
            "pip": {year: float(adult.pip_annual)},
            # Without this, policyengine-uk presumes a much younger adult is the elder's
            # child rather than their partner (household.demographic.benefit_unit).
            "is_claimant_or_partner": {year: True},
        }
        members.append(name)
    first = members[0]
    people[first]["childcare_expenses"] = {year: float(household.childcare_monthly * 12)}
    for index, child in enumerate(household.children):
        name = f"{key}_child{index}"
        people[name] = {
            "age": {year: child.age},
            "is_in_non_advanced_education": {year: child.age >= 16 and child.in_education},
            "is_claimant_or_partner": {year: False},
        }
        members.append(name)
    with_lcwra = [a for a in household.adults if a.lcwra]
    new_claimant = bool(with_lcwra) and all(a.lcwra_new_claimant for a in with_lcwra)
    benunit = {
        "members": members,
        "uc_receives_new_claimant_health_element": {year: new_claimant},
    }
    region = "LONDON" if household.greater_london else REGIONS[household.country]
    home = {
        "members": members,
        "rent": {year: float(household.housing.eligible_rent_monthly * 12)},
        "tenure_type": {year: "RENT_FROM_COUNCIL"},
        "region": {year: region},
        "council_tax": {year: 0.0},
        "savings": {year: float(household.savings)},
    }
    return people, benunit, home


def run(points: Sequence[tuple[HouseholdInput, Decimal]]) -> list[dict[str, float]]:
    """Run every (household, hours) point through policyengine-uk, one Simulation per tax year.

    Returns, in order, a dict of annual figures per point (keys as BENUNIT_FIGURES and
    PERSON_FIGURES, plus ``net_income`` built from them the way the engine builds it).
    """
    from policyengine_uk import Simulation

    results: list[dict[str, float] | None] = [None] * len(points)
    by_year: dict[str, list[int]] = {}
    for index, (household, _hours) in enumerate(points):
        by_year.setdefault(household.tax_year, []).append(index)
    for tax_year, indexes in by_year.items():
        year = start_year(tax_year)
        people, benunits, households = {}, {}, {}
        person_owner: list[int] = []
        for index in indexes:
            household, hours = points[index]
            p, b, h = _situation_parts(f"p{index}", household, hours)
            people.update(p)
            person_owner.extend([index] * len(p))
            benunits[f"b{index}"] = b
            households[f"h{index}"] = h
        simulation = Simulation(
            situation={"people": people, "benunits": benunits, "households": households}
        )
        columns = {
            name: simulation.calculate(variable, year) for name, variable in BENUNIT_FIGURES.items()
        }
        person_columns = {
            name: simulation.calculate(variable, year) for name, variable in PERSON_FIGURES.items()
        }
        for position, index in enumerate(indexes):
            results[index] = {name: float(values[position]) for name, values in columns.items()}
        for name, values in person_columns.items():
            totals: dict[int, float] = {}
            for owner, value in zip(person_owner, values, strict=True):
                totals[owner] = totals.get(owner, 0.0) + float(value)
            for index in indexes:
                results[index][name] = totals[index]
    for figures in results:
        figures["net_income"] = (
            figures["earnings"]
            - figures["income_tax"]
            - figures["national_insurance"]
            + figures["universal_credit"]
            + figures["child_benefit"]
            + figures["scottish_child_payment"]
            + figures["pip"]
        )
    return results  # type: ignore[return-value]


def curve(household: HouseholdInput, hours: Iterable[int] = range(41)) -> list[dict[str, float]]:
    """The 0..40 hour curve for one household, batched into one Simulation."""
    return run([(household, Decimal(h)) for h in hours])


def engine_figures(household: HouseholdInput, hours: Decimal) -> dict[str, float]:
    """The engine's figures under the same keys as :func:`run`, for side-by-side comparison."""
    from ipsworks.benefits.engine import figures_for, prepare

    figures = figures_for(prepare(household), hours, household.job.hourly_pay)
    elements = figures.uc_elements
    values = {
        "universal_credit": figures.universal_credit,
        "child_benefit": figures.child_benefit,
        "benefit_cap_reduction": figures.benefit_cap_reduction,
        "uc_standard_allowance": elements["standard_allowance"],
        "uc_child_element": elements["child"],
        "uc_lcwra_element": elements["lcwra"],
        "uc_carer_element": elements["carer"],
        "uc_housing_element": elements["housing"],
        "uc_childcare_element": elements["childcare"],
        "earnings": figures.earnings,
        "income_tax": figures.income_tax,
        "national_insurance": figures.national_insurance,
        "scottish_child_payment": figures.scottish_child_payment,
        "pip": figures.pip,
        "net_income": figures.net_income,
    }
    return {name: float(value) for name, value in values.items()}
