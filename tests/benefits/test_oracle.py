"""The engine agrees with policyengine-uk within £1 a year on every compared figure.

A fixed grid of households (singles and couples, children either side of the April 2017
line and more than two of them, rents, LCWRA old and new-claimant rates, carers, childcare,
savings across the capital bands, every country, the benefit cap in and out of London,
incomes at the tax and charge thresholds) at several hours and rates of pay, for each
supported tax year. All points run in one policyengine-uk Simulation per tax year.
policyengine-uk is a dev dependency: this runs in CI. It skips, saying why, only when the
package is genuinely not installed.
"""

import itertools
import random
from decimal import Decimal

import pytest

from ipsworks.benefits import oracle
from ipsworks.benefits.rates import supported_tax_years
from ipsworks.benefits.schema import parse_household

pytestmark = pytest.mark.slow

if not oracle.available():  # pragma: no cover - CI installs the dev dependencies
    pytest.skip(
        "policyengine-uk is not installed; install the dev dependencies: pip install -e '.[dev]'",
        allow_module_level=True,
    )

TOLERANCE = 1.0  # pounds a year

FIXED = [
    # The hand-checked reference household (benefits-reference.md section 2).
    {"adults": [{"age": 35, "lcwra": True}], "rent": 650},
    {"adults": [{"age": 35, "lcwra": True, "lcwra_new_claimant": True}], "rent": 650},
    {"adults": [{"age": 24}], "rent": 0},
    {"adults": [{"age": 24}, {"age": 23}], "rent": 500},
    {"adults": [{"age": 60}, {"age": 22, "lcwra": True}], "rent": 450},
    {"adults": [{"age": 30}], "children": [3, 5, 7, 9], "rent": 900},
    {"adults": [{"age": 30}], "children": [8, 9, 10], "rent": 900},
    {"adults": [{"age": 40}, {"age": 38}], "children": [1, 2, 3, 4, 5], "rent": 1600},
    {"adults": [{"age": 40}], "children": [1, 2, 3], "rent": 2500, "london": True},
    {"adults": [{"age": 40}], "children": [1, 2, 3], "rent": 2500},
    {"adults": [{"age": 30}], "rent": 1400, "london": True},
    {"adults": [{"age": 45, "carer": True}], "rent": 600},
    {"adults": [{"age": 45, "carer": True, "lcwra": True}, {"age": 44, "carer": True}]},
    {"adults": [{"age": 33, "pip": 5000}], "children": [2, 4, 6], "rent": 1800},
    {"adults": [{"age": 29}], "children": [2], "rent": 700, "childcare": 900},
    {"adults": [{"age": 29}, {"age": 31, "lcwra": True}], "children": [1, 3], "childcare": 2500},
    {"adults": [{"age": 29}, {"age": 31}], "children": [1, 3], "childcare": 800},
    {"adults": [{"age": 50}], "children": [17, 14], "rent": 750},
    {"adults": [{"age": 50}], "children": [{"age": 17, "in_education": False}], "rent": 750},
    {"adults": [{"age": 50}], "children": [16], "rent": 750},
    {"adults": [{"age": 38}], "savings": 6000, "rent": 500},
    {"adults": [{"age": 38}], "savings": 6000.01, "rent": 500},
    {"adults": [{"age": 38}], "savings": 6250, "rent": 500},
    {"adults": [{"age": 38}], "savings": 11111.11, "rent": 500},
    {"adults": [{"age": 38}], "savings": 16000, "rent": 500},
    {"adults": [{"age": 38}], "savings": 16000.01, "rent": 500},
]
COUNTRIES = ["england", "scotland", "wales", "northern_ireland"]
JOBS = [(0, "12.21"), (8, "12.71"), (16, "12.71"), (22.5, "15"), (30, "12.21"), (40, "30")]
# Annual earnings at the edges of the tax, NI, charge and taper bands (as 40 h × pay × 52).
THRESHOLD_EARNINGS = [12570, 12571, 50270, 50285, 60000, 60199, 70001, 80000, 100001, 125141]


def _household(spec, *, tax_year, country, hours, pay, adult=0):
    adults = []
    for a in spec["adults"]:
        adults.append(
            {
                "age": a["age"],
                "lcwra": a.get("lcwra", False),
                "lcwra_new_claimant": a.get("lcwra_new_claimant", False),
                "carer": a.get("carer", False),
                "pip_annual": a.get("pip", 0),
            }
        )
    children = [c if isinstance(c, dict) else {"age": c} for c in spec.get("children", [])]
    return parse_household(
        {
            "tax_year": tax_year,
            "country": country,
            "greater_london": spec.get("london", False) and country == "england",
            "adults": adults,
            "children": children,
            "housing": {"eligible_rent_monthly": spec.get("rent", 0)},
            "childcare_monthly": spec.get("childcare", 0),
            "savings": spec.get("savings", 0),
            "job": {
                "adult": min(adult, len(adults) - 1),
                "hours_per_week": hours,
                "hourly_pay": pay,
            },
        }
    )


def _random_spec(rng: random.Random) -> dict:
    adults = []
    for _ in range(rng.choice([1, 2])):
        lcwra = rng.random() < 0.35
        adults.append(
            {
                "age": rng.choice([18, 21, 24, 25, 30, 45, 60, 65]),
                "lcwra": lcwra,
                "lcwra_new_claimant": lcwra and rng.random() < 0.5,
                "carer": rng.random() < 0.2,
                "pip": rng.choice([0, 0, 0, 1500, 5000]),
            }
        )
    children = [
        {"age": rng.randint(0, 18), "in_education": rng.random() < 0.8}
        for _ in range(rng.choice([0, 0, 1, 2, 3, 4]))
    ]
    has_young = any(c["age"] < 16 for c in children)
    return {
        "adults": adults,
        "children": children,
        "rent": rng.choice([0, 450, 650, 1200, 2500]),
        "childcare": rng.choice([0, 300, 1500]) if has_young else 0,
        "savings": rng.choice([0, 5999, 6000.01, 9999.99, 16000, 16000.01, 30000]),
        "london": rng.random() < 0.3,
    }


def _points():
    points = []
    for tax_year in supported_tax_years():
        for spec, country, (hours, pay) in itertools.product(FIXED, COUNTRIES, JOBS):
            points.append(
                _household(spec, tax_year=tax_year, country=country, hours=hours, pay=pay)
            )
        for earnings, country in itertools.product(THRESHOLD_EARNINGS, ["england", "scotland"]):
            spec = {"adults": [{"age": 40}], "children": [3, 6], "rent": 800}
            pay = (Decimal(earnings) / (40 * 52)).quantize(Decimal("0.01"))
            points.append(_household(spec, tax_year=tax_year, country=country, hours=40, pay=pay))
        rng = random.Random(f"oracle-{tax_year}")
        for _ in range(150):
            spec = _random_spec(rng)
            hours = rng.choice([0, 8, 16, 22.5, 30, 37.5, 40])
            pay = rng.choice(["9.50", "12.21", "12.71", "15", "25", "48.08", "70.13"])
            country = rng.choice(COUNTRIES)
            adult = rng.randrange(len(spec["adults"]))
            points.append(
                _household(
                    spec, tax_year=tax_year, country=country, hours=hours, pay=pay, adult=adult
                )
            )
    return [(h, h.job.hours_per_week) for h in points]


@pytest.fixture(scope="module")
def compared():
    points = _points()
    return points, oracle.run(points)


def test_the_engine_agrees_with_policyengine_uk_within_a_pound_a_year(compared):
    points, reference = compared
    worst = 0.0
    failures = []
    for (household, hours), expected in zip(points, reference, strict=True):
        got = oracle.engine_figures(household, hours)
        for name, value in got.items():
            difference = abs(value - expected[name])
            worst = max(worst, difference)
            if difference >= TOLERANCE:
                failures.append(
                    f"{name}: engine {value:.2f}, policyengine-uk {expected[name]:.2f} "
                    f"at {hours} h for {household.model_dump_json()}"
                )
    assert len(points) > 1000
    assert failures == [], f"{len(failures)} differences (worst £{worst:.2f}):\n" + "\n".join(
        failures[:20]
    )


def test_the_grid_reaches_the_rules_it_is_meant_to_test(compared):
    """Guard against a grid that agrees only because it never reaches a rule."""
    points, reference = compared
    assert any(r["benefit_cap_reduction"] > 0 for r in reference)
    assert any(r["uc_childcare_element"] > 0 for r in reference)
    assert any(r["uc_carer_element"] > 0 for r in reference)
    assert any(r["scottish_child_payment"] > 0 for r in reference)
    assert any(
        r["universal_credit"] == 0 and h.savings > 16000
        for (h, _), r in zip(points, reference, strict=True)
    )
    assert any(r["income_tax"] > 40_000 for r in reference)
