"""Dated rate data for the better-off engine, read from ``rates/<tax year>.json``.

Every amount the engine uses lives in those files, each section with the gov.uk page it was
taken from; nothing here is a rate. ``tests/benefits/test_rates_match_policyengine.py`` checks
every value against policyengine-uk's parameter tree for the same year, so a new tax year
cannot drift from the reference model. To add a year: copy the latest file, change the values
from the published rates, add the year to that test, and run it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

RATES_DIR = Path(__file__).resolve().parent / "rates"


def supported_tax_years() -> tuple[str, ...]:
    """Tax years with a rate file, oldest first ("2025-26", "2026-27", ...)."""
    return tuple(sorted(p.stem for p in RATES_DIR.glob("*.json")))


def _d(value) -> Decimal:
    return Decimal(str(value))


@dataclass(frozen=True)
class Bands:
    """Income tax bands: (lower limit of taxable income, marginal rate), lowest first."""

    bands: tuple[tuple[Decimal, Decimal], ...]

    def tax_on(self, taxable: Decimal) -> Decimal:
        tax = Decimal(0)
        for index, (lower, rate) in enumerate(self.bands):
            if taxable <= lower:
                break
            upper = self.bands[index + 1][0] if index + 1 < len(self.bands) else None
            top = taxable if upper is None else min(taxable, upper)
            tax += (top - lower) * rate
        return tax


@dataclass(frozen=True)
class Rates:
    """One tax year's rates. Money is Decimal pounds; monthly UC amounts stay monthly."""

    tax_year: str
    starts_on: date
    raw: dict

    # Universal Credit
    standard_allowance_monthly: dict[str, Decimal]
    standard_allowance_age_threshold: int
    child_element_monthly: Decimal
    first_child_higher_element_monthly: Decimal
    child_limit: int | None
    child_limit_born_before: date
    child_age_limit: int
    qualifying_young_person_age_limit: int
    lcwra_element_monthly: Decimal
    lcwra_element_new_claimant_monthly: Decimal
    carer_element_monthly: Decimal
    childcare_coverage_rate: Decimal
    childcare_cap_one_child_monthly: Decimal
    childcare_cap_two_or_more_monthly: Decimal
    work_allowance_with_housing_monthly: Decimal
    work_allowance_without_housing_monthly: Decimal
    taper_rate: Decimal
    capital_lower_limit: Decimal
    capital_upper_limit: Decimal
    capital_tariff_step: Decimal
    capital_tariff_monthly: Decimal
    # Benefit cap
    benefit_cap_annual: dict[str, Decimal]
    benefit_cap_earnings_hours: int
    national_living_wage: Decimal
    national_living_wage_age: int
    # Income tax and National Insurance
    personal_allowance: Decimal
    personal_allowance_taper_threshold: Decimal
    personal_allowance_taper_rate: Decimal
    income_tax_bands: Bands
    scottish_income_tax_bands: Bands
    ni_primary_threshold: Decimal
    ni_upper_earnings_limit: Decimal
    ni_main_rate: Decimal
    ni_upper_rate: Decimal
    # Child Benefit and Scottish Child Payment
    child_benefit_eldest_weekly: Decimal
    child_benefit_additional_weekly: Decimal
    hicbc_start: Decimal
    hicbc_end: Decimal
    scottish_child_payment_weekly: Decimal
    scottish_child_payment_age_limit: int
    # Things the engine does not model but warns about
    carers_allowance_earnings_limit_weekly: Decimal
    esa_permitted_work_hours_limit: int
    esa_permitted_work_lower_limit_weekly: Decimal
    # Reg. 45(4) and (9A): 16 hours at the National Living Wage rounded up to the next 50p,
    # kept as data (with its source) because the rounding is the regulation's, not arithmetic.
    esa_permitted_work_higher_limit_weekly: Decimal

    @property
    def start_year(self) -> int:
        return self.starts_on.year


class UnknownTaxYear(LookupError):
    pass


@cache
def rates_for(tax_year: str) -> Rates:
    """The rates for a tax year such as "2026-27"; UnknownTaxYear if there is no file."""
    if tax_year not in supported_tax_years():
        raise UnknownTaxYear(tax_year)
    data = json.loads((RATES_DIR / f"{tax_year}.json").read_text())
    uc = data["universal_credit"]
    cap = data["benefit_cap"]
    it = data["income_tax"]
    ni = data["national_insurance"]
    cb = data["child_benefit"]
    scp = data["scottish_child_payment"]
    other = data["not_modelled"]
    return Rates(
        tax_year=data["tax_year"],
        starts_on=date.fromisoformat(data["starts_on"]),
        raw=data,
        standard_allowance_monthly={k: _d(v) for k, v in uc["standard_allowance_monthly"].items()},
        standard_allowance_age_threshold=uc["standard_allowance_age_threshold"],
        child_element_monthly=_d(uc["child_element_monthly"]),
        first_child_higher_element_monthly=_d(uc["first_child_higher_element_monthly"]),
        child_limit=uc["child_limit"],
        child_limit_born_before=date.fromisoformat(uc["child_limit_born_before"]),
        child_age_limit=uc["child_age_limit"],
        qualifying_young_person_age_limit=uc["qualifying_young_person_age_limit"],
        lcwra_element_monthly=_d(uc["lcwra_element_monthly"]),
        lcwra_element_new_claimant_monthly=_d(uc["lcwra_element_new_claimant_monthly"]),
        carer_element_monthly=_d(uc["carer_element_monthly"]),
        childcare_coverage_rate=_d(uc["childcare_coverage_rate"]),
        childcare_cap_one_child_monthly=_d(uc["childcare_cap_monthly"]["one_child"]),
        childcare_cap_two_or_more_monthly=_d(uc["childcare_cap_monthly"]["two_or_more_children"]),
        work_allowance_with_housing_monthly=_d(uc["work_allowance_monthly"]["with_housing"]),
        work_allowance_without_housing_monthly=_d(uc["work_allowance_monthly"]["without_housing"]),
        taper_rate=_d(uc["taper_rate"]),
        capital_lower_limit=_d(uc["capital_lower_limit"]),
        capital_upper_limit=_d(uc["capital_upper_limit"]),
        capital_tariff_step=_d(uc["capital_tariff_step"]),
        capital_tariff_monthly=_d(uc["capital_tariff_monthly"]),
        benefit_cap_annual={k: _d(v) for k, v in cap["annual"].items()},
        benefit_cap_earnings_hours=cap["earnings_exception_hours"],
        national_living_wage=_d(data["national_living_wage"]["hourly"]),
        national_living_wage_age=data["national_living_wage"]["minimum_age"],
        personal_allowance=_d(it["personal_allowance"]),
        personal_allowance_taper_threshold=_d(it["personal_allowance_taper_threshold"]),
        personal_allowance_taper_rate=_d(it["personal_allowance_taper_rate"]),
        income_tax_bands=Bands(tuple((_d(a), _d(r)) for a, r in it["bands"])),
        scottish_income_tax_bands=Bands(tuple((_d(a), _d(r)) for a, r in it["scotland_bands"])),
        ni_primary_threshold=_d(ni["primary_threshold_annual"]),
        ni_upper_earnings_limit=_d(ni["upper_earnings_limit_annual"]),
        ni_main_rate=_d(ni["main_rate"]),
        ni_upper_rate=_d(ni["upper_rate"]),
        child_benefit_eldest_weekly=_d(cb["eldest_weekly"]),
        child_benefit_additional_weekly=_d(cb["additional_weekly"]),
        hicbc_start=_d(cb["high_income_charge_start"]),
        hicbc_end=_d(cb["high_income_charge_end"]),
        scottish_child_payment_weekly=_d(scp["weekly"]),
        scottish_child_payment_age_limit=scp["age_limit"],
        carers_allowance_earnings_limit_weekly=_d(other["carers_allowance_earnings_limit_weekly"]),
        esa_permitted_work_hours_limit=other["esa_permitted_work_hours_limit"],
        esa_permitted_work_lower_limit_weekly=_d(other["esa_permitted_work_lower_limit_weekly"]),
        esa_permitted_work_higher_limit_weekly=_d(other["esa_permitted_work_higher_limit_weekly"]),
    )
