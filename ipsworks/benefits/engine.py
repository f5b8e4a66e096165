"""The better-off-in-work engine: Universal Credit, income tax, National Insurance, Child Benefit.

Plain functions over a validated :class:`~ipsworks.benefits.schema.HouseholdInput` and the
dated rates in ``rates/<tax year>.json``. Everything is annual and in Decimal pounds, as
policyengine-uk (the reference model, ``oracle.py``) computes a tax year; figures leave rounded
to the penny. Each rule's docstring names the regulation and the policyengine-uk variable it
mirrors; ``tests/benefits/test_oracle.py`` holds the engine to that model within £1 a year.

Not modelled (flagged in ``warnings``): Council Tax Reduction, Carer's Allowance, new-style
ESA and JSA, Housing Benefit for supported or temporary accommodation, transitional
protection, the benefit cap grace period, the minimum income floor (employees only here),
non-dependant deductions, Local Housing Allowance (the user enters the eligible rent), legacy
benefits (income-related ESA, Income Support, income-based JSA, Housing Benefit, tax credits).
Benefits the household gets now are an optional input (``current_benefits``), so each one the
engine leaves out is named in a warning with what to check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ipsworks.benefits.rates import Rates, rates_for
from ipsworks.benefits.schema import CURRENT_BENEFITS, HouseholdInput

ENGINE_VERSION = "1.1.1"
MONTHS = Decimal(12)
WEEKS = Decimal(52)
ZERO = Decimal(0)
PENNY = Decimal("0.01")
CURVE_HOURS = tuple(range(41))


def pence(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _whole_pounds_down(value: Decimal) -> Decimal:
    return pence(value).quantize(Decimal(1), rounding=ROUND_DOWN)


# --- Income tax and National Insurance -----------------------------------------------------


def personal_allowance(rates: Rates, adjusted_net_income: Decimal) -> Decimal:
    """Personal allowance, tapered by £1 for every £2 of income over £100,000.

    Income Tax Act 2007 s. 35 and s. 58; gov.uk "Income Tax rates and Personal Allowances".
    Mirrors policyengine-uk ``personal_allowance`` (gov.hmrc.income_tax.allowances).
    """
    excess = max(ZERO, adjusted_net_income - rates.personal_allowance_taper_threshold)
    return max(ZERO, rates.personal_allowance - excess * rates.personal_allowance_taper_rate)


def income_tax_on_earnings(rates: Rates, earnings: Decimal, *, scottish: bool) -> Decimal:
    """Income tax on employment income: England, Wales and Northern Ireland bands, or the
    Scottish bands for a Scottish taxpayer (someone who lives in Scotland).

    Income Tax Act 2007 s. 6 and s. 11A/11C (Welsh rates equal the rest of the UK's);
    gov.uk income tax rates; gov.scot Scottish income tax. Mirrors policyengine-uk
    ``income_tax`` (gov.hmrc.income_tax.rates.uk / rates.scotland.rates) for earnings only.
    """
    taxable = max(ZERO, earnings - personal_allowance(rates, earnings))
    bands = rates.scottish_income_tax_bands if scottish else rates.income_tax_bands
    return bands.tax_on(taxable)


def employee_national_insurance(rates: Rates, earnings: Decimal) -> Decimal:
    """Class 1 primary (employee) contributions on annual earnings: the main rate between the
    primary threshold and the upper earnings limit, the upper rate above it.

    Social Security Contributions and Benefits Act 1992 s. 8; HMRC "Rates and thresholds for
    employers". Annual thresholds, as policyengine-uk's ``ni_class_1_employee`` effectively
    uses (weekly thresholds × 52 on twelve equal months), not weekly pay periods.
    """
    main_band = min(earnings, rates.ni_upper_earnings_limit) - rates.ni_primary_threshold
    upper_band = earnings - rates.ni_upper_earnings_limit
    return max(ZERO, main_band) * rates.ni_main_rate + max(ZERO, upper_band) * rates.ni_upper_rate


def high_income_child_benefit_charge(
    rates: Rates, adjusted_net_income: Decimal, child_benefit: Decimal
) -> Decimal:
    """1% of the Child Benefit (in whole pounds) for every £200 of income over £60,000,
    rounded down, all of it from £80,000.

    Income Tax (Earnings and Pensions) Act 2003 s. 681C; gov.uk "High Income Child Benefit
    Charge". Mirrors policyengine-uk ``CB_HITC`` (gov.hmrc.income_tax.charges.CB_HITC).
    """
    if child_benefit <= 0 or adjusted_net_income <= rates.hicbc_start:
        return ZERO
    width = rates.hicbc_end - rates.hicbc_start
    points = min(Decimal(100), (adjusted_net_income - rates.hicbc_start) * 100 / width)
    percentage = points.quantize(Decimal(1), rounding=ROUND_DOWN) / 100
    return _whole_pounds_down(percentage * _whole_pounds_down(child_benefit))


# --- The household, before anyone's hours are known ------------------------------------------


def assumed_birth_date(rates: Rates, age: int) -> date:
    """Birth date from an age, as policyengine-uk places it for a household: age is the age on
    6 October of the tax year and the birthday falls mid-year, so 6 April of (year - age).

    The two-child limit and the higher first-child element turn on birth before 6 April 2017
    (UC Regulations 2013 reg. 24A); with ages only, children aged 8 or 9 sit on that line.
    """
    return date(rates.start_year - age, 4, 6)


@dataclass(frozen=True)
class ChildAssessment:
    age: int
    counts_for_uc: bool
    born_before_limit: bool
    position: int  # 1 for the eldest UC child, 0 if not a UC child
    element_annual: Decimal
    counts_for_child_benefit: bool


def uc_child_elements(rates: Rates, household: HouseholdInput) -> list[ChildAssessment]:
    """The child element for each child, with the two-child limit.

    UC Regulations 2013 reg. 4, 5 (a child is under 16; a qualifying young person 16 to 19 in
    non-advanced education, modelled as under 19), reg. 24A (the limit: no element for a third
    or later child born on or after 6 April 2017; older children count towards the two) and
    reg. 36 (the higher amount for a first child born before 6 April 2017). The limit is
    ``child_limit`` in the rate file: 2 in 2025-26, none from 6 April 2026 (policyengine-uk
    gov.dwp.universal_credit.elements.child.limit.child_count). Mirrors
    ``uc_individual_child_element``; exceptions (multiple births, adoption, kinship care,
    non-consensual conception) are not in the input.
    """
    eligible = []
    for index, child in enumerate(household.children):
        counts = child.age < rates.child_age_limit or (
            child.age < rates.qualifying_young_person_age_limit and child.in_education
        )
        eligible.append((index, child, counts))
    order = sorted((item for item in eligible if item[2]), key=lambda item: (-item[1].age, item[0]))
    positions = {index: rank for rank, (index, _c, _) in enumerate(order, start=1)}
    limit = rates.child_limit
    result = []
    for index, child, counts in eligible:
        before = assumed_birth_date(rates, child.age) < rates.child_limit_born_before
        position = positions.get(index, 0)
        element = ZERO
        if counts and (limit is None or before or position <= limit):
            monthly = (
                rates.first_child_higher_element_monthly
                if position == 1 and before
                else rates.child_element_monthly
            )
            element = monthly * MONTHS
        result.append(
            ChildAssessment(
                age=child.age,
                counts_for_uc=counts,
                born_before_limit=before,
                position=position,
                element_annual=element,
                counts_for_child_benefit=counts,
            )
        )
    return result


def standard_allowance(rates: Rates, household: HouseholdInput) -> Decimal:
    """Standard allowance by couple status and age: the higher rate once the single claimant,
    or the elder of a couple, is 25.

    UC Regulations 2013 reg. 36; mirrors policyengine-uk ``uc_standard_allowance``
    (gov.dwp.universal_credit.standard_allowance.amount).
    """
    eldest = max(adult.age for adult in household.adults)
    older = eldest >= rates.standard_allowance_age_threshold
    if len(household.adults) == 1:
        key = "single_25_or_over" if older else "single_under_25"
    else:
        key = "couple_one_25_or_over" if older else "couple_both_under_25"
    return rates.standard_allowance_monthly[key] * MONTHS


def lcwra_element(rates: Rates, household: HouseholdInput) -> Decimal:
    """One LCWRA (health) element when any claimant has limited capability for work and
    work-related activity.

    UC Regulations 2013 reg. 27 and 36. From 6 April 2026 (Universal Credit Act 2025) the
    amount is the protected rate for pre-2026 claimants and the lower rate for new claimants:
    the new-claimant rate applies only when every adult with LCWRA is a new claimant.
    Mirrors policyengine-uk ``uc_LCWRA_element`` with the rebalancing amounts
    (rebalancing/protected_health_element, rebalancing/new_claimant_health_element).
    """
    with_lcwra = [adult for adult in household.adults if adult.lcwra]
    if not with_lcwra:
        return ZERO
    new_claimants = all(adult.lcwra_new_claimant for adult in with_lcwra)
    monthly = (
        rates.lcwra_element_new_claimant_monthly if new_claimants else rates.lcwra_element_monthly
    )
    return monthly * MONTHS


def carer_element(rates: Rates, household: HouseholdInput) -> Decimal:
    """A carer element for a carer, except the adult the LCWRA element is for.

    UC Regulations 2013 reg. 29 (a claimant with both gets only the LCWRA element; with two
    LCWRA adults the element is taken to be for a non-carer if there is one, else the elder)
    and reg. 36. Mirrors policyengine-uk ``uc_carer_element_included_for_claimant``.
    """
    adults = list(enumerate(household.adults))
    lcwra = [(i, a) for i, a in adults if a.lcwra]
    lcwra_for = None
    if lcwra:
        # Lowest key wins: non-carers first, then the eldest (policyengine-uk's get_rank).
        lcwra_for = min(lcwra, key=lambda item: (1000 if item[1].carer else 0) - item[1].age)[0]
    carers = sum(1 for i, a in adults if a.carer and i != lcwra_for)
    # Reg. 29(3): partners caring for the same person get one element between them. The
    # input does not say whom each cares for; like policyengine-uk
    # (partners_care_for_same_severely_disabled_person), assume the same person, and warn.
    return rates.carer_element_monthly * MONTHS * min(carers, 1)


def tariff_income(rates: Rates, savings: Decimal) -> Decimal:
    """Assumed income from capital: £4.35 a month for each £250, or part of £250, over £6,000.

    UC Regulations 2013 reg. 72; mirrors policyengine-uk ``uc_tariff_income``
    (gov.dwp.universal_credit.means_test.capital.tariff_income).
    """
    excess = savings - rates.capital_lower_limit
    if excess <= 0:
        return ZERO
    steps = (excess / rates.capital_tariff_step).to_integral_value(rounding="ROUND_CEILING")
    return steps * rates.capital_tariff_monthly * MONTHS


def capital_too_high(rates: Rates, savings: Decimal) -> bool:
    """No Universal Credit when capital is over £16,000 (£16,000 exactly still qualifies).

    Welfare Reform Act 2012 s. 5 and UC Regulations 2013 reg. 18 ("exceeds"); mirrors
    policyengine-uk ``is_uc_eligible`` (capital <= means_test.capital.limit).
    """
    return savings > rates.capital_upper_limit


def benefit_cap_limit(rates: Rates, household: HouseholdInput, children) -> Decimal:
    """The annual benefit cap: the single rate for a single claimant responsible for no child,
    otherwise the family rate; higher in Greater London.

    UC Regulations 2013 reg. 80A; gov.uk "Benefit cap amounts". Mirrors policyengine-uk
    ``uc_benefit_cap`` (gov.dwp.benefit_cap), where a 16-year-old counts as a child for the
    year (reg. 5(1)(a)).
    """
    responsible = any(c.counts_for_uc or c.age == 16 for c in children)
    single_rate = len(household.adults) == 1 and not responsible
    place = "in_london" if household.greater_london else "outside_london"
    return rates.benefit_cap_annual[f"{'single' if single_rate else 'family'}_{place}"]


def benefit_cap_earnings_threshold(rates: Rates) -> Decimal:
    """Annual UC earnings that lift the cap: 16 hours at the National Living Wage × 52 / 12,
    whole pounds a month (fractions disregarded), times 12.

    UC Regulations 2013 reg. 82(1)(a) and 6(1A); mirrors policyengine-uk
    ``uc_benefit_cap_earnings_exception_threshold``. Compared with net earnings (after income
    tax and National Insurance), as UC measures earned income.
    """
    monthly = rates.national_living_wage * rates.benefit_cap_earnings_hours * WEEKS / MONTHS
    return monthly.quantize(Decimal(1), rounding=ROUND_DOWN) * MONTHS


@dataclass
class Household:
    """Everything about the household that does not depend on the hours worked."""

    input: HouseholdInput
    rates: Rates
    children: list[ChildAssessment]
    standard_allowance: Decimal
    child_element: Decimal
    lcwra_element: Decimal
    carer_element: Decimal
    housing_element: Decimal
    childcare_element_if_working: Decimal
    childcare_partner_condition: bool
    work_allowance: Decimal
    tariff_income: Decimal
    uc_possible: bool
    cap_limit: Decimal
    cap_exempt_without_earnings: bool
    cap_earnings_threshold: Decimal
    child_benefit: Decimal
    scp_children: int
    pip: Decimal
    scottish: bool
    worker: int
    warnings: list[dict[str, str]] = field(default_factory=list)


def childcare_element(rates: Rates, household: HouseholdInput, children) -> Decimal:
    """85% of childcare costs up to the cap for one child or for two or more, for a household
    in work. The cap counts children who have a child element.

    UC Regulations 2013 reg. 31, 32 (work condition) and 34, 36; mirrors policyengine-uk
    ``uc_childcare_element`` and ``uc_maximum_childcare_element_amount``.
    """
    costs = household.childcare_monthly * MONTHS
    eligible = sum(1 for c in children if c.element_annual > 0)
    if costs <= 0 or eligible == 0:
        return ZERO
    cap = (
        rates.childcare_cap_one_child_monthly
        if eligible == 1
        else rates.childcare_cap_two_or_more_monthly
    )
    return min(cap * MONTHS, costs * rates.childcare_coverage_rate)


def prepare(household: HouseholdInput) -> Household:
    rates = rates_for(household.tax_year)
    children = uc_child_elements(rates, household)
    worker = household.job.adult
    others = [a for i, a in enumerate(household.adults) if i != worker]
    housing = household.housing.eligible_rent_monthly * MONTHS
    has_uc_child = any(c.counts_for_uc for c in children)
    lcw = any(a.lcwra for a in household.adults)
    wa_monthly = (
        rates.work_allowance_with_housing_monthly
        if housing > 0
        else rates.work_allowance_without_housing_monthly
    )
    cb_children = sorted((c for c in children if c.counts_for_child_benefit), key=lambda c: -c.age)
    child_benefit = ZERO
    for index, _child in enumerate(cb_children):
        weekly = (
            rates.child_benefit_eldest_weekly
            if index == 0
            else rates.child_benefit_additional_weekly
        )
        child_benefit += weekly * WEEKS
    lcwra = lcwra_element(rates, household)
    carer = carer_element(rates, household)
    pip = sum((a.pip_annual for a in household.adults), ZERO)
    prepared = Household(
        input=household,
        rates=rates,
        children=children,
        standard_allowance=standard_allowance(rates, household),
        child_element=sum((c.element_annual for c in children), ZERO),
        lcwra_element=lcwra,
        carer_element=carer,
        housing_element=housing,
        childcare_element_if_working=childcare_element(rates, household, children),
        # UC Regulations 2013 reg. 32(1)(b): a partner not in work must be unable to provide
        # childcare (limited capability for work, or a carer) for the couple to qualify.
        childcare_partner_condition=all(a.lcwra or a.carer for a in others),
        work_allowance=wa_monthly * MONTHS if (has_uc_child or lcw) else ZERO,
        tariff_income=tariff_income(rates, household.savings),
        uc_possible=not capital_too_high(rates, household.savings),
        cap_limit=benefit_cap_limit(rates, household, children),
        # UC Regulations 2013 reg. 83: LCWRA or carer element, or PIP, lifts the cap.
        cap_exempt_without_earnings=lcwra > 0 or carer > 0 or pip > 0,
        cap_earnings_threshold=benefit_cap_earnings_threshold(rates),
        child_benefit=child_benefit,
        scp_children=sum(1 for c in children if c.age < rates.scottish_child_payment_age_limit),
        pip=pip,
        scottish=household.country == "scotland",
        worker=worker,
    )
    prepared.warnings = household_warnings(prepared)
    return prepared


# --- One point: the household with the worker on given earnings ------------------------------


@dataclass(frozen=True)
class Figures:
    """Annual amounts for one situation, Decimal pounds (unrounded until ``as_dict``)."""

    hours: Decimal
    earnings: Decimal
    income_tax: Decimal  # including the High Income Child Benefit Charge, as policyengine-uk
    high_income_child_benefit_charge: Decimal
    national_insurance: Decimal
    uc_elements: dict[str, Decimal]
    uc_maximum: Decimal
    uc_earnings_reduction: Decimal
    uc_tariff_income: Decimal
    universal_credit_before_cap: Decimal
    benefit_cap_reduction: Decimal
    universal_credit: Decimal
    child_benefit: Decimal
    scottish_child_payment: Decimal
    pip: Decimal

    @property
    def net_income(self) -> Decimal:
        return (
            self.earnings
            - self.income_tax
            - self.national_insurance
            + self.universal_credit
            + self.child_benefit
            + self.scottish_child_payment
            + self.pip
        )

    def as_dict(self) -> dict:
        net = self.net_income
        return {
            "hours_per_week": float(self.hours),
            "earnings": _money(self.earnings),
            "income_tax": _money(self.income_tax),
            "high_income_child_benefit_charge": _money(self.high_income_child_benefit_charge),
            "national_insurance": _money(self.national_insurance),
            "universal_credit": _money(self.universal_credit),
            "universal_credit_before_cap": _money(self.universal_credit_before_cap),
            "universal_credit_maximum": _money(self.uc_maximum),
            "universal_credit_elements": {k: _money(v) for k, v in self.uc_elements.items()},
            "universal_credit_earnings_reduction": _money(self.uc_earnings_reduction),
            "universal_credit_tariff_income": _money(self.uc_tariff_income),
            "child_benefit": _money(self.child_benefit),
            "benefit_cap_reduction": _money(self.benefit_cap_reduction),
            "scottish_child_payment": _money(self.scottish_child_payment),
            "pip": _money(self.pip),
            "net_income": _money(net),
            "net_income_monthly": _money(net / MONTHS),
            "net_income_weekly": _money(net / WEEKS),
        }


def _money(value: Decimal) -> float:
    return float(pence(value))


def figures_for(prepared: Household, hours: Decimal, hourly_pay: Decimal) -> Figures:
    """The household's annual position with the worker on ``hours`` a week at ``hourly_pay``.

    Universal Credit (Welfare Reform Act 2012 s. 8; UC Regulations 2013 reg. 22): the maximum
    amount (the elements) less 55% of earned income above the work allowance and all unearned
    income (here tariff income from capital), never below nil; earned income is earnings less
    income tax and National Insurance (reg. 55). Then the benefit cap (reg. 79-83): the
    excess of UC and Child Benefit over the cap, less the childcare element, comes off UC
    unless an exemption applies. Mirrors policyengine-uk ``universal_credit``.
    """
    rates = prepared.rates
    earnings = hours * hourly_pay * WEEKS
    tax = income_tax_on_earnings(rates, earnings, scottish=prepared.scottish)
    ni = employee_national_insurance(rates, earnings)
    hicbc = high_income_child_benefit_charge(rates, earnings, prepared.child_benefit)
    in_work = earnings > 0
    childcare = (
        prepared.childcare_element_if_working
        if in_work and prepared.childcare_partner_condition
        else ZERO
    )
    elements = {
        "standard_allowance": prepared.standard_allowance,
        "child": prepared.child_element,
        "lcwra": prepared.lcwra_element,
        "carer": prepared.carer_element,
        "housing": prepared.housing_element,
        "childcare": childcare,
    }
    uc_max = ZERO
    reduction = ZERO
    before_cap = ZERO
    cap_reduction = ZERO
    net_earned = max(ZERO, earnings - tax - ni)
    if prepared.uc_possible:
        # Over the capital limit the elements are still shown (what UC would be), but no UC.
        uc_max = sum(elements.values(), ZERO)
        earned_above_allowance = max(ZERO, net_earned - prepared.work_allowance)
        reduction = min(uc_max, rates.taper_rate * earned_above_allowance + prepared.tariff_income)
        before_cap = uc_max - reduction
        exempt = prepared.cap_exempt_without_earnings or (
            net_earned >= prepared.cap_earnings_threshold
        )
        if before_cap > 0 and not exempt:
            excess = max(ZERO, before_cap + prepared.child_benefit - prepared.cap_limit)
            cap_reduction = min(before_cap, max(ZERO, excess - childcare))
    universal_credit = before_cap - cap_reduction
    scp = (
        rates.scottish_child_payment_weekly * WEEKS * prepared.scp_children
        if prepared.scottish and universal_credit > 0
        else ZERO
    )
    return Figures(
        hours=hours,
        earnings=earnings,
        income_tax=tax + hicbc,
        high_income_child_benefit_charge=hicbc,
        national_insurance=ni,
        uc_elements=elements,
        uc_maximum=uc_max,
        uc_earnings_reduction=reduction - min(reduction, prepared.tariff_income),
        uc_tariff_income=min(reduction, prepared.tariff_income) if prepared.uc_possible else ZERO,
        universal_credit_before_cap=before_cap,
        benefit_cap_reduction=cap_reduction,
        universal_credit=universal_credit,
        child_benefit=prepared.child_benefit,
        scottish_child_payment=scp,
        pip=prepared.pip,
    )


# --- Warnings: what the engine leaves out, said where it matters -----------------------------


def household_warnings(prepared: Household) -> list[dict[str, str]]:
    """What the user must check by hand for this household, in plain English."""
    household, rates = prepared.input, prepared.rates
    current = set(household.current_benefits)
    warnings = [
        {
            "code": "council_tax_reduction",
            "message": (
                "They get Council Tax Reduction now, and it is not included. "
                if "council_tax_reduction" in current
                else "Council Tax Reduction is not included. "
            )
            + "Each council runs its own scheme and most reduce it as earnings rise: check "
            "with the local council.",
        }
    ]
    warnings += current_benefit_warnings(household)
    if any(a.carer for a in household.adults) or "carers_allowance" in current:
        limit = rates.carers_allowance_earnings_limit_weekly
        warnings.append(
            {
                "code": "carers_allowance",
                "message": "Carer's Allowance is not included. It stops in any week that "
                f"earnings (after deductions) are over £{limit} a week, and it reduces "
                "Universal Credit pound for pound. Check the carer's award before they start "
                "work.",
            }
        )
    if sum(1 for a in household.adults if a.carer) == 2:
        warnings.append(
            {
                "code": "two_carers",
                "message": "Both partners are carers: the calculator assumes they care for the "
                "same person, so one carer element. If they care for different people, each "
                "gets one.",
            }
        )
    if any(a.lcwra for a in household.adults) or "new_style_esa" in current:
        warnings.append(
            {
                "code": "new_style_esa",
                "message": "New-style ESA is not included. Someone who gets it can usually "
                f"work under {rates.esa_permitted_work_hours_limit} hours a week and earn up to "
                f"£{rates.esa_permitted_work_higher_limit_weekly} a week (permitted work) and "
                "keep it; more than that ends it. Check the award with Jobcentre Plus before "
                "they start work."
                + (
                    " Working does not by itself end LCWRA in Universal Credit, but it can "
                    "lead to a new work capability assessment."
                    if any(a.lcwra for a in household.adults)
                    else ""
                ),
            }
        )
    if (
        rates.child_limit is not None
        and any(
            c.counts_for_uc and abs(c.age - (rates.start_year - 2017)) <= 1
            for c in prepared.children
        )
        and sum(1 for c in prepared.children if c.counts_for_uc) > rates.child_limit
    ):
        warnings.append(
            {
                "code": "two_child_limit_birth_date",
                "message": "The two-child limit depends on whether a child was born before "
                "6 April 2017. From ages alone the calculator assumes a birthday in the middle "
                "of the year; check the dates of birth of children aged "
                f"{rates.start_year - 2018} to {rates.start_year - 2016}.",
            }
        )
    if any(16 <= c.age <= 18 for c in household.children):
        warnings.append(
            {
                "code": "young_people",
                "message": "Young people aged 16 to 18 count only while in full-time "
                "non-advanced education or approved training, as entered.",
            }
        )
    if not prepared.uc_possible:
        warnings.append(
            {
                "code": "capital",
                "message": f"No Universal Credit: savings are over £{rates.capital_upper_limit:,}.",
            }
        )
    if len(household.adults) == 2:
        warnings.append(
            {
                "code": "partner_earnings",
                "message": "The partner is assumed to have no earnings.",
            }
        )
    if household.country == "scotland" and prepared.scp_children:
        warnings.append(
            {
                "code": "scottish_child_payment",
                "message": "Scottish Child Payment is included while Universal Credit is paid; "
                "it stops altogether when Universal Credit ends.",
            }
        )
    warnings.append(
        {
            "code": "benefit_cap_grace_period",
            "message": "If the benefit cap applies out of work, someone who worked in the last "
            "year may have a 9-month grace period first. Transitional protection and "
            "deductions for debts or non-dependants are not included.",
        }
    )
    return warnings


LEGACY_BENEFITS = ("income_related_esa", "income_support", "income_based_jsa", "tax_credits")


def current_benefit_warnings(household: HouseholdInput) -> list[dict[str, str]]:
    """A warning for each benefit the household gets now that the engine does not calculate.

    The engine models Universal Credit, not the legacy benefits or their transitional
    protection (benefits-reference.md: comparable calculators such as entitledto and Policy in
    Practice cover legacy benefits). Carer's Allowance, new-style ESA and Council Tax Reduction
    have their own warnings in :func:`household_warnings`. Where the reference gives no rule,
    the warning only says whom to check with.
    """
    warnings = []
    for code in household.current_benefits:
        name = CURRENT_BENEFITS[code]
        if code in LEGACY_BENEFITS:
            message = (
                f"{name} is not included: the calculator works out Universal Credit only, so "
                f"it does not show what happens to {name} or to any transitional protection. "
                "Check with a benefits adviser, or a calculator that covers legacy benefits "
                "(such as entitledto or Policy in Practice), before they decide."
            )
        elif code == "new_style_jsa":
            message = (
                "New-style JSA is not included. Check with Jobcentre Plus how the job's hours "
                "and earnings affect it before they start."
            )
        elif code == "housing_benefit":
            message = (
                "Housing Benefit is not included: the calculator puts the rent entered into "
                "Universal Credit. If Housing Benefit pays for supported or temporary "
                "accommodation, or is an older claim, check with the council that pays it how "
                "the job affects it."
            )
        elif code == "transitional_protection":
            message = (
                "Transitional protection is not included, so the Universal Credit shown may "
                "differ from what they get now. Check their Universal Credit statement, and ask "
                "a benefits adviser how the job affects the protection, before they decide."
            )
        elif code == "other":
            message = (
                "Other benefits they get are not included: check with whoever pays each one "
                "how the job affects it."
            )
        else:
            continue  # council_tax_reduction, carers_allowance, new_style_esa: see the caller
        warnings.append({"code": "other_benefit" if code == "other" else code, "message": message})
    return warnings


# --- The whole answer ------------------------------------------------------------------------


def calculate(household: HouseholdInput) -> dict:
    """The better-off answer for a validated household, as the JSON contract describes."""
    prepared = prepare(household)
    pay = household.job.hourly_pay
    hours = household.job.hours_per_week
    out_of_work = figures_for(prepared, ZERO, pay)
    in_work = figures_for(prepared, hours, pay)
    one_more_hour = figures_for(prepared, hours + 1, pay)
    curve = [figures_for(prepared, Decimal(h), pay) for h in CURVE_HOURS]
    gain = in_work.net_income - out_of_work.net_income
    gross_step = one_more_hour.earnings - in_work.earnings
    warnings = list(prepared.warnings)
    rates = prepared.rates
    worker_age = household.adults[household.job.adult].age
    if (
        hours > 0
        and pay < rates.national_living_wage
        and worker_age >= rates.national_living_wage_age
    ):
        warnings.append(
            {
                "code": "below_minimum_wage",
                "message": f"£{pay} an hour is below the National Living Wage of "
                f"£{rates.national_living_wage} for someone aged {rates.national_living_wage_age} "
                "or over.",
            }
        )
    return {
        "tax_year": household.tax_year,
        "engine_version": ENGINE_VERSION,
        "out_of_work": out_of_work.as_dict(),
        "in_work": in_work.as_dict(),
        "better_off_annual": _money(gain),
        "better_off_monthly": _money(gain / MONTHS),
        "better_off_weekly": _money(gain / WEEKS),
        # Of the next pound earned (one more hour), how much is lost to tax, NI and withdrawal.
        "effective_marginal_deduction_rate": (
            float(
                (1 - (one_more_hour.net_income - in_work.net_income) / gross_step).quantize(
                    Decimal("0.0001")
                )
            )
            if gross_step > 0
            else None
        ),
        # Of the whole earnings, how much is lost compared with not working.
        "participation_tax_rate": (
            float((1 - gain / in_work.earnings).quantize(Decimal("0.0001")))
            if in_work.earnings > 0
            else None
        ),
        "curve": [
            {
                "hours": int(point.hours),
                "earnings_annual": _money(point.earnings),
                "net_income_annual": _money(point.net_income),
                "universal_credit_annual": _money(point.universal_credit),
                "tax_and_ni_annual": _money(point.income_tax + point.national_insurance),
            }
            for point in curve
        ],
        "warnings": warnings,
    }


def curve_net_incomes(household: HouseholdInput) -> list[Decimal]:
    """Net income at 0..40 hours (the benchmark's unit of work): one preparation, 41 points."""
    prepared = prepare(household)
    pay = household.job.hourly_pay
    return [figures_for(prepared, Decimal(h), pay).net_income for h in CURVE_HOURS]
