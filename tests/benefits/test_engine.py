"""Hand-checked examples (shared/domain/benefits-reference.md section 2) and properties."""

import itertools
from decimal import Decimal
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsworks.benefits import engine
from ipsworks.benefits.rates import rates_for, supported_tax_years
from ipsworks.benefits.schema import (
    CURRENT_BENEFITS,
    CurrentBenefit,
    InputError,
    parse_household,
)


def household(**overrides):
    data = {
        "tax_year": "2025-26",
        "country": "england",
        "adults": [{"age": 35, "lcwra": True}],
        "housing": {"eligible_rent_monthly": 650},
        "job": {"adult": 0, "hours_per_week": 30, "hourly_pay": 12.21},
    }
    data.update(overrides)
    return parse_household(data)


def test_reference_single_lcwra_2025_26_out_of_work_and_at_30_hours():
    result = engine.calculate(household())
    assert result["out_of_work"]["universal_credit"] == 17680.92
    assert result["in_work"]["universal_credit"] == 10914.89
    assert result["in_work"]["income_tax"] == 1295.52
    assert result["in_work"]["national_insurance"] == 518.21
    assert result["in_work"]["earnings"] == 19047.60


def test_reference_16_hours_2025_26_better_off_without_council_tax_reduction():
    """The reference's £130.94 a week includes losing £475 a year of Council Tax Reduction
    (Oxford's scheme), which the engine leaves to the user and flags."""
    result = engine.calculate(
        household(job={"adult": 0, "hours_per_week": 16, "hourly_pay": 12.21})
    )
    assert result["in_work"]["universal_credit"] == 14806.22
    assert result["better_off_weekly"] == pytest.approx(130.94 + 475 / 52, abs=0.01)


@pytest.mark.parametrize(
    ("new_claimant", "hours", "uc"),
    [
        (False, 0, 18056.40),
        (False, 16, 15058.50),
        (False, 30, 11087.09),
        (True, 0, 15505.92),
        (True, 16, 12508.02),
        (True, 30, 8536.61),
    ],
)
def test_reference_2026_27_protected_and_new_claimant_lcwra(new_claimant, hours, uc):
    result = engine.calculate(
        household(
            tax_year="2026-27",
            adults=[{"age": 35, "lcwra": True, "lcwra_new_claimant": new_claimant}],
            job={"adult": 0, "hours_per_week": hours, "hourly_pay": 12.71},
        )
    )
    assert result["in_work"]["universal_credit"] == uc


def test_two_child_limit_in_2025_26_but_not_in_2026_27():
    """Children 3, 5 and 7 were born after 6 April 2017: only two get the element in 2025-26."""
    kids = [{"age": 3}, {"age": 5}, {"age": 7}]
    before = engine.prepare(household(children=kids))
    after = engine.prepare(household(tax_year="2026-27", children=kids))
    assert before.child_element == Decimal("292.81") * 12 * 2
    assert after.child_element == Decimal("303.94") * 12 * 3


def test_an_older_child_born_before_april_2017_counts_towards_the_two():
    # Aged 10 (born 2015) gets the higher first-child element; 5 gets one; 3 gets none.
    prepared = engine.prepare(household(children=[{"age": 3}, {"age": 10}, {"age": 5}]))
    assert prepared.child_element == (Decimal("339.00") + Decimal("292.81")) * 12


def test_capital_tariff_income_and_the_16000_limit():
    rates = rates_for("2025-26")
    assert engine.tariff_income(rates, Decimal(6000)) == 0
    assert engine.tariff_income(rates, Decimal("6000.01")) == Decimal("4.35") * 12
    assert engine.tariff_income(rates, Decimal(6250)) == Decimal("4.35") * 12
    assert engine.tariff_income(rates, Decimal("6250.01")) == Decimal("8.70") * 12
    assert not engine.capital_too_high(rates, Decimal(16000))
    assert engine.capital_too_high(rates, Decimal("16000.01"))
    assert engine.calculate(household(savings=16000.01))["out_of_work"]["universal_credit"] == 0


def test_benefit_cap_applies_out_of_work_and_lifts_with_earnings():
    family = household(
        adults=[{"age": 40}],
        children=[{"age": 1}, {"age": 2}, {"age": 3}],
        housing={"eligible_rent_monthly": 2500},
        job={"adult": 0, "hours_per_week": 30, "hourly_pay": 12.21},
    )
    result = engine.calculate(family)
    assert result["out_of_work"]["benefit_cap_reduction"] > 0
    assert result["in_work"]["benefit_cap_reduction"] == 0
    # LCWRA exempts from the cap.
    exempt = household(
        adults=[{"age": 40, "lcwra": True}],
        children=[{"age": 1}, {"age": 2}, {"age": 3}],
        housing={"eligible_rent_monthly": 2500},
    )
    assert engine.calculate(exempt)["out_of_work"]["benefit_cap_reduction"] == 0


def test_benefit_cap_earnings_threshold_2025_26_is_846_a_month():
    assert engine.benefit_cap_earnings_threshold(rates_for("2025-26")) == 846 * 12
    assert engine.benefit_cap_earnings_threshold(rates_for("2026-27")) == 881 * 12


def test_scottish_taxpayer_pays_the_starter_rate():
    rates = rates_for("2025-26")
    # £15,000 less the £12,570 allowance leaves £2,430, all in the 19% starter band.
    assert engine.income_tax_on_earnings(rates, Decimal(15000), scottish=True) == Decimal("461.70")
    assert engine.income_tax_on_earnings(rates, Decimal(15000), scottish=False) == Decimal("486")


def test_personal_allowance_tapers_away_above_100000():
    rates = rates_for("2025-26")
    assert engine.personal_allowance(rates, Decimal(100000)) == 12570
    assert engine.personal_allowance(rates, Decimal(110000)) == 7570
    assert engine.personal_allowance(rates, Decimal(125140)) == 0


def test_high_income_child_benefit_charge_is_one_percent_per_200():
    rates = rates_for("2025-26")
    cb = Decimal("2251.60")
    assert engine.high_income_child_benefit_charge(rates, Decimal(60000), cb) == 0
    assert engine.high_income_child_benefit_charge(rates, Decimal(60199), cb) == 0
    assert engine.high_income_child_benefit_charge(rates, Decimal(60200), cb) == 22
    assert engine.high_income_child_benefit_charge(rates, Decimal(80000), cb) == 2251


def test_childcare_needs_work_and_is_85_percent_up_to_the_cap():
    base = {"adults": [{"age": 29}], "children": [{"age": 2}], "childcare_monthly": 2000}
    result = engine.calculate(household(**base))
    assert result["out_of_work"]["universal_credit_elements"]["childcare"] == 0
    assert (
        result["in_work"]["universal_credit_elements"]["childcare"] == 12382.56
    )  # the one-child cap, £1,031.88 × 12
    below = engine.calculate(household(**{**base, "childcare_monthly": 1000}))
    assert below["in_work"]["universal_credit_elements"]["childcare"] == 10200.0  # 85%


def test_warnings_flag_what_is_not_modelled():
    result = engine.calculate(household(adults=[{"age": 35, "lcwra": True, "carer": True}]))
    codes = {w["code"] for w in result["warnings"]}
    assert {"council_tax_reduction", "carers_allowance", "new_style_esa"} <= codes


def test_current_benefits_are_optional_and_change_no_figures():
    plain = engine.calculate(household())
    ticked = engine.calculate(household(current_benefits=list(CURRENT_BENEFITS)))
    assert household().current_benefits == []
    assert {k: v for k, v in ticked.items() if k != "warnings"} == {
        k: v for k, v in plain.items() if k != "warnings"
    }


def test_the_current_benefit_codes_are_the_documented_list():
    assert list(get_args(CurrentBenefit)) == list(CURRENT_BENEFITS)


@pytest.mark.parametrize(
    ("benefit", "code", "words"),
    [
        ("new_style_esa", "new_style_esa", "New-style ESA is not included"),
        ("new_style_jsa", "new_style_jsa", "Jobcentre Plus"),
        ("income_related_esa", "income_related_esa", "Income-related ESA is not included"),
        ("income_support", "income_support", "transitional protection"),
        ("income_based_jsa", "income_based_jsa", "covers legacy benefits"),
        ("tax_credits", "tax_credits", "Child Tax Credit or Working Tax Credit is not"),
        ("housing_benefit", "housing_benefit", "supported or temporary accommodation"),
        ("transitional_protection", "transitional_protection", "Universal Credit statement"),
        ("carers_allowance", "carers_allowance", "stops in any week"),
        ("council_tax_reduction", "council_tax_reduction", "They get Council Tax Reduction"),
        ("other", "other_benefit", "whoever pays each one"),
    ],
)
def test_each_current_benefit_the_engine_leaves_out_is_flagged_with_what_to_check(
    benefit, code, words
):
    # No LCWRA and no caring, so nothing but the ticked benefit raises its warning.
    result = engine.calculate(household(adults=[{"age": 35}], current_benefits=[benefit]))
    messages = [w["message"] for w in result["warnings"] if w["code"] == code]
    assert len(messages) == 1
    assert words in messages[0]
    assert "check" in messages[0].lower()


def test_without_current_benefits_esa_and_carers_allowance_are_not_flagged():
    codes = {w["code"] for w in engine.calculate(household(adults=[{"age": 35}]))["warnings"]}
    assert not codes & {"new_style_esa", "carers_allowance", "income_support"}


def test_a_benefit_ticked_twice_is_flagged_once():
    result = engine.calculate(household(current_benefits=["income_support", "income_support"]))
    assert [w["code"] for w in result["warnings"]].count("income_support") == 1


def test_a_partner_with_new_claimant_lcwra_gets_the_lower_health_element():
    result = engine.calculate(
        household(
            tax_year="2026-27",
            adults=[{"age": 35}, {"age": 33, "lcwra": True, "lcwra_new_claimant": True}],
            job={"adult": 0, "hours_per_week": 16, "hourly_pay": 12.71},
        )
    )
    assert result["out_of_work"]["universal_credit_elements"]["lcwra"] == 2607.12  # 217.26 × 12


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"current_benefits": ["pension_credit"]}, "current_benefits.0"),
        ({"tax_year": "2031-32"}, "tax_year"),
        ({"job": {"adult": 0, "hours_per_week": -1, "hourly_pay": 12}}, "job.hours_per_week"),
        ({"job": {"adult": 0, "hours_per_week": 10, "hourly_pay": -1}}, "job.hourly_pay"),
        ({"job": {"adult": 1, "hours_per_week": 10, "hourly_pay": 12}}, "job.adult"),
        ({"adults": [{"age": 16}]}, "adults.0.age"),
        ({"adults": [{"age": 70}]}, "adults.0.age"),
        ({"children": [{"age": 19}]}, "children.0.age"),
        ({"country": "france"}, "country"),
        ({"adults": [{"age": 30, "lcwra_new_claimant": True}]}, "adults.0.lcwra_new_claimant"),
        ({"childcare_monthly": 100}, "childcare_monthly"),
        ({"country": "wales", "greater_london": True}, "greater_london"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_input_names_the_field(overrides, field):
    with pytest.raises(InputError) as error:
        household(**overrides)
    assert field in [e["field"] for e in error.value.errors]


# --- Properties ------------------------------------------------------------------------------

households = st.fixed_dictionaries(
    {
        "tax_year": st.sampled_from(["2025-26", "2026-27"]),
        "country": st.sampled_from(["england", "scotland", "wales", "northern_ireland"]),
        "adults": st.lists(
            st.fixed_dictionaries(
                {
                    "age": st.integers(21, 65),
                    "lcwra": st.booleans(),
                    "carer": st.booleans(),
                    "pip_annual": st.sampled_from([0, 1500, 5000]),
                }
            ),
            min_size=1,
            max_size=2,
        ),
        "children": st.lists(st.fixed_dictionaries({"age": st.integers(0, 15)}), max_size=5),
        "housing": st.fixed_dictionaries(
            {"eligible_rent_monthly": st.integers(0, 3000).map(Decimal)}
        ),
        "savings": st.integers(0, 20000).map(Decimal),
    }
)


@settings(max_examples=150, deadline=None)
@given(data=households, pay_above_minimum=st.integers(0, 1000))
def test_net_income_never_falls_when_hours_rise_at_or_above_minimum_wage(data, pay_above_minimum):
    """Up to £10 an hour over the minimum (under £60,000 a year at 40 hours). Above £60,000
    the High Income Child Benefit Charge can overlap the UC taper for a large family and take
    more than the whole of an extra hour's pay: a real feature of the rules, not of the engine.
    """
    pay = rates_for(data["tax_year"]).national_living_wage + Decimal(pay_above_minimum) / 100
    h = parse_household({**data, "job": {"adult": 0, "hours_per_week": 0, "hourly_pay": pay}})
    nets = engine.curve_net_incomes(h)
    # Scottish Child Payment ends at once with the last penny of UC: the one cliff edge.
    if data["country"] == "scotland" and data["children"]:
        return
    assert all(b >= a for a, b in itertools.pairwise(nets))


@settings(max_examples=150, deadline=None)
@given(data=households, hours=st.integers(0, 60), pay=st.integers(0, 10000))
def test_universal_credit_is_never_negative_nor_above_its_maximum(data, hours, pay):
    h = parse_household(
        {**data, "job": {"adult": 0, "hours_per_week": hours, "hourly_pay": Decimal(pay) / 100}}
    )
    figures = engine.figures_for(engine.prepare(h), h.job.hours_per_week, h.job.hourly_pay)
    assert 0 <= figures.universal_credit <= figures.uc_maximum
    assert figures.benefit_cap_reduction >= 0


@pytest.mark.parametrize(("tax_year", "limit"), [("2025-26", "195.50"), ("2026-27", "203.50")])
def test_the_esa_permitted_work_limit_is_the_dated_rate_rounded_up_to_50p(tax_year, limit):
    rates = rates_for(tax_year)
    assert rates.esa_permitted_work_higher_limit_weekly == Decimal(limit)
    result = engine.calculate(household(tax_year=tax_year, current_benefits=["new_style_esa"]))
    (message,) = [w["message"] for w in result["warnings"] if w["code"] == "new_style_esa"]
    assert f"earn up to £{limit} a week" in message


@pytest.mark.parametrize("tax_year", supported_tax_years())
def test_every_year_has_the_esa_limit_by_the_published_rule_with_its_source(tax_year):
    """ESA Regulations 2008 reg. 45(4) and (9A): 16 hours at the National Living Wage, rounded
    up to the next 50p. The rate file holds the figure; this checks it against the rule."""
    rates = rates_for(tax_year)
    by_rule = rates.national_living_wage * rates.esa_permitted_work_hours_limit
    rounded_up = (by_rule * 2).to_integral_value(rounding="ROUND_CEILING") / 2
    assert rates.esa_permitted_work_higher_limit_weekly == rounded_up
    source = rates.raw["not_modelled"]["esa_permitted_work_higher_limit_source"]
    assert "regulation/45" in source
    assert "rounded up to the next 50p" in source
