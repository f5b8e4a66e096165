"""Every rate in ipsworks/benefits/rates/<year>.json equals policyengine-uk's parameter for
that year, read from its parameter tree, so a new tax year cannot drift from the reference."""

from decimal import Decimal

import pytest

from ipsworks.benefits import oracle
from ipsworks.benefits.rates import rates_for, supported_tax_years

pytestmark = pytest.mark.slow

if not oracle.available():  # pragma: no cover - CI installs the dev dependencies
    pytest.skip(
        "policyengine-uk is not installed; install the dev dependencies: pip install -e '.[dev]'",
        allow_module_level=True,
    )

UC = "gov.dwp.universal_credit"
SA = f"{UC}.standard_allowance.amount"
CHILD = f"{UC}.elements.child"
EL = f"{UC}.elements"
MT = f"{UC}.means_test"
PA = "gov.hmrc.income_tax.allowances.personal_allowance"
NI = "gov.hmrc.national_insurance.class_1.employee_scale.components"
SCP = "gov.social_security_scotland.scottish_child_payment"
U = "universal_credit"
DWP = "gov.dwp"
ESA = "gov.dwp.ESA.exempt_work"
# Rate-file path -> policyengine-uk parameter path (read for the tax year's period).
SAME = {
    f"{U}.standard_allowance_monthly.single_under_25": f"{SA}.SINGLE_YOUNG",
    f"{U}.standard_allowance_monthly.single_25_or_over": f"{SA}.SINGLE_OLD",
    f"{U}.standard_allowance_monthly.couple_both_under_25": f"{SA}.COUPLE_YOUNG",
    f"{U}.standard_allowance_monthly.couple_one_25_or_over": f"{SA}.COUPLE_OLD",
    f"{U}.standard_allowance_age_threshold": f"{UC}.standard_allowance.claimant_type.age_threshold",
    f"{U}.child_element_monthly": f"{CHILD}.amount",
    f"{U}.first_child_higher_element_monthly": f"{CHILD}.first.higher_amount",
    f"{U}.child_age_limit": f"{CHILD}.eligibility.child_age_limit",
    f"{U}.qualifying_young_person_age_limit": f"{CHILD}.eligibility.terminal_date_age_limit",
    f"{U}.lcwra_element_new_claimant_monthly": f"{EL}.disabled.amount",
    f"{U}.carer_element_monthly": f"{EL}.carer.amount",
    f"{U}.childcare_coverage_rate": f"{EL}.childcare.coverage_rate",
    f"{U}.childcare_cap_monthly.one_child": f"{EL}.childcare.cap.1",
    f"{U}.childcare_cap_monthly.two_or_more_children": f"{EL}.childcare.cap.2",
    f"{U}.work_allowance_monthly.with_housing": f"{MT}.work_allowance.with_housing",
    f"{U}.work_allowance_monthly.without_housing": f"{MT}.work_allowance.without_housing",
    f"{U}.taper_rate": f"{MT}.reduction_rate",
    f"{U}.capital_lower_limit": f"{MT}.capital.tariff_income.threshold",
    f"{U}.capital_upper_limit": f"{MT}.capital.limit",
    f"{U}.capital_tariff_step": f"{MT}.capital.tariff_income.step",
    f"{U}.capital_tariff_monthly": f"{MT}.capital.tariff_income.amount",
    "benefit_cap.annual.single_in_london": "gov.dwp.benefit_cap.single.in_london",
    "benefit_cap.annual.single_outside_london": "gov.dwp.benefit_cap.single.outside_london",
    "benefit_cap.annual.family_in_london": "gov.dwp.benefit_cap.non_single.in_london",
    "benefit_cap.annual.family_outside_london": "gov.dwp.benefit_cap.non_single.outside_london",
    "benefit_cap.earnings_exception_hours": f"{UC}.benefit_cap.earnings_exception.hours",
    "income_tax.personal_allowance": f"{PA}.amount",
    "income_tax.personal_allowance_taper_threshold": f"{PA}.maximum_ANI",
    "income_tax.personal_allowance_taper_rate": f"{PA}.reduction_rate",
    "national_insurance.main_rate": f"{NI}.1.rate",
    "national_insurance.upper_rate": f"{NI}.2.rate",
    "child_benefit.eldest_weekly": "gov.hmrc.child_benefit.amount.eldest",
    "child_benefit.additional_weekly": "gov.hmrc.child_benefit.amount.additional",
    "child_benefit.high_income_charge_start": "gov.hmrc.income_tax.charges.CB_HITC.phase_out_start",
    "child_benefit.high_income_charge_end": "gov.hmrc.income_tax.charges.CB_HITC.phase_out_end",
    "scottish_child_payment.weekly": f"{SCP}.amount",
    "scottish_child_payment.age_limit": f"{SCP}.max_age",
    "not_modelled.carers_allowance_earnings_limit_weekly": f"{DWP}.carers_allowance.earnings_limit",
    "not_modelled.esa_permitted_work_hours_limit": f"{ESA}.hours_limit",
    "not_modelled.esa_permitted_work_lower_limit_weekly": f"{ESA}.lower_earnings_limit",
}


@pytest.fixture(scope="module")
def system():
    from policyengine_uk import CountryTaxBenefitSystem

    return CountryTaxBenefitSystem()


def _ours(data: dict, path: str):
    value = data
    for part in path.split("."):
        value = value[part]
    return value


def _theirs(node, path: str):
    for part in path.split("."):
        if isinstance(node, list | tuple):
            node = node[int(part)]
        elif hasattr(node, part):
            node = getattr(node, part)
        else:
            node = node[part]
    return node


def _params(system, tax_year: str):
    from policyengine_core.periods import period

    return system.parameters(period(oracle.start_year(tax_year)))


def _equal(ours, theirs) -> bool:
    return Decimal(str(ours)) == Decimal(str(round(float(theirs), 4)))


@pytest.mark.parametrize("tax_year", supported_tax_years())
def test_every_rate_equals_policyengine_uk(system, tax_year):
    data = rates_for(tax_year).raw
    params = _params(system, tax_year)
    mismatches = {
        ours: (_ours(data, ours), _theirs(params, theirs))
        for ours, theirs in SAME.items()
        if not _equal(_ours(data, ours), _theirs(params, theirs))
    }
    assert mismatches == {}


@pytest.mark.parametrize("tax_year", supported_tax_years())
def test_tax_bands_equal_policyengine_uk(system, tax_year):
    data = rates_for(tax_year).raw["income_tax"]
    rates = _params(system, tax_year).gov.hmrc.income_tax.rates
    uk = list(zip(rates.uk.thresholds, rates.uk.rates, strict=True))
    # policyengine-uk closes the scale with a 45% band at £10m: the same rate, no new band.
    assert uk[-1][1] == uk[-2][1]
    assert [(Decimal(a), Decimal(r)) for a, r in data["bands"]] == [
        (Decimal(str(a)), Decimal(str(r))) for a, r in uk[:-1]
    ]
    scotland = rates.scotland.rates
    assert [(Decimal(a), Decimal(r)) for a, r in data["scotland_bands"]] == [
        (Decimal(str(a)), Decimal(str(r)))
        for a, r in zip(scotland.thresholds, scotland.rates, strict=True)
    ]


@pytest.mark.parametrize("tax_year", supported_tax_years())
def test_ni_thresholds_equal_policyengine_uk_annually(system, tax_year):
    """policyengine-uk holds weekly thresholds (annual / 52); we hold HMRC's annual figures."""
    data = rates_for(tax_year).raw["national_insurance"]
    scale = _params(system, tax_year).gov.hmrc.national_insurance.class_1.employee_scale
    for ours, component in (("primary_threshold_annual", 1), ("upper_earnings_limit_annual", 2)):
        weekly = Decimal(str(scale.components[component].threshold))
        assert abs(Decimal(data[ours]) - weekly * 52) < 1


@pytest.mark.parametrize("tax_year", supported_tax_years())
def test_lcwra_protected_rate_and_child_limit_follow_policyengine_uk(system, tax_year):
    rates = rates_for(tax_year)
    year = oracle.start_year(tax_year)
    params = _params(system, tax_year)
    limit = params.gov.dwp.universal_credit.elements.child.limit
    assert (rates.child_limit or float("inf")) == limit.child_count
    assert rates.child_limit_born_before.strftime("%Y%m%d") == str(int(limit.born_before))
    rebalancing = system.parameters.gov.dwp.universal_credit.rebalancing
    if year >= 2026:
        protected = rebalancing.protected_health_element(f"{year}-04-30")
        assert rates.lcwra_element_monthly == Decimal(str(protected))
    else:
        assert rates.lcwra_element_monthly == rates.lcwra_element_new_claimant_monthly


@pytest.mark.parametrize("tax_year", supported_tax_years())
def test_national_living_wage_equals_policyengine_uk(system, tax_year):
    params = _params(system, tax_year)
    nlw = params.gov.hmrc.minimum_wage.non_apprentice.calc(200.0)
    assert rates_for(tax_year).national_living_wage == Decimal(str(round(float(nlw), 2)))


def test_the_esa_permitted_work_limit_equals_policyengine_uk():
    """policyengine-uk computes reg. 45(4) and (9A) as a variable, not a parameter."""
    from policyengine_uk import Simulation

    situation = {"people": {"you": {"age": {"2025": 35}}}}
    sim = Simulation(situation=situation)
    for tax_year in supported_tax_years():
        theirs = sim.calculate("esa_exempt_work_higher_earnings_limit", oracle.start_year(tax_year))
        ours = rates_for(tax_year).esa_permitted_work_higher_limit_weekly
        assert _equal(ours, theirs[0]), (tax_year, ours, theirs[0])
