"""Turn the engine's answer into what the better-off page shows: words, a chart, a table."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ipsworks.benefits.schema import CURRENT_BENEFITS

WEEKS = Decimal(52)


def _pounds(value) -> str:
    amount = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"£{abs(amount):,}"


def _money(value) -> str:
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"£{abs(amount):,.2f}"


def _weekly(annual) -> Decimal:
    return Decimal(str(annual)) / WEEKS


def _hours_text(hours) -> str:
    value = Decimal(str(hours)).normalize()
    text = f"{value:f}"
    return f"{text} hour" if value == 1 else f"{text} hours"


def headline(result: dict, hours, pay) -> str:
    """ "Working 16 hours a week at £12.71 an hour, you would be £131 a week better off"."""
    gain = Decimal(str(result["better_off_weekly"]))
    job = f"Working {_hours_text(hours)} a week at {_money(pay)} an hour"
    if Decimal(str(hours)) == 0:
        return "With no hours of work there is nothing to compare: enter the hours of the job"
    if abs(gain) < Decimal("0.5"):
        return f"{job}, you would be about the same as not working"
    direction = "better" if gain > 0 else "worse"
    return f"{job}, you would be {_pounds(gain)} a week {direction} off than not working"


@dataclass(frozen=True)
class Row:
    label: str
    out_of_work: str
    in_work: str


def weekly_table(result: dict) -> list[Row]:
    """Side by side, per week: what comes in out of work and in the job."""
    out, work = result["out_of_work"], result["in_work"]
    rows = [
        ("Earnings before tax", "earnings"),
        ("Income tax", "income_tax"),
        ("National Insurance", "national_insurance"),
        ("Universal Credit", "universal_credit"),
        ("Child Benefit", "child_benefit"),
        ("Scottish Child Payment", "scottish_child_payment"),
        ("PIP", "pip"),
    ]
    table = []
    for label, key in rows:
        if not out[key] and not work[key]:
            continue
        sign = "minus " if key in ("income_tax", "national_insurance") else ""
        table.append(
            Row(label, sign + _money(_weekly(out[key])), sign + _money(_weekly(work[key])))
        )
    table.append(
        Row(
            "Money coming in",
            _money(out["net_income_weekly"]),
            _money(work["net_income_weekly"]),
        )
    )
    return table


def where_each_pound_goes(result: dict) -> list[dict]:
    """Of each week's earnings, how much goes to tax, NI and lost benefits, and how much is kept.

    Shares of the weekly wage, in pence per pound earned; they add up to the whole wage.
    """
    out, work = result["out_of_work"], result["in_work"]
    earnings = _weekly(work["earnings"])
    if earnings <= 0:
        return []
    parts = [
        ("Income tax", _weekly(work["income_tax"])),
        ("National Insurance", _weekly(work["national_insurance"])),
        (
            "Less Universal Credit",
            _weekly(out["universal_credit"]) - _weekly(work["universal_credit"]),
        ),
        (
            "Less Scottish Child Payment",
            _weekly(out["scottish_child_payment"]) - _weekly(work["scottish_child_payment"]),
        ),
    ]
    items = [
        {"label": label, "weekly": _money(amount), "pence": _pence_per_pound(amount, earnings)}
        for label, amount in parts
        if amount
    ]
    kept = _weekly(result["better_off_annual"])
    items.append(
        {"label": "You keep", "weekly": _money(kept), "pence": _pence_per_pound(kept, earnings)}
    )
    return items


def _pence_per_pound(amount: Decimal, earnings: Decimal) -> str:
    pence = (amount / earnings * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{pence}p"


# --- The chart: a server-drawn SVG (no script, so the Content-Security-Policy stays strict) ---

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48


def chart(result: dict, hours) -> dict:
    """Coordinates for the net-income-by-hours line chart, weekly amounts.

    The template draws it as SVG; the same numbers are in :func:`curve_rows` as a table.
    """
    points = result["curve"]
    values = [Decimal(str(p["net_income_annual"])) / WEEKS for p in points]
    top = max(values) if values else Decimal(1)
    step = Decimal(100) if top > 400 else Decimal(50)
    y_max = ((top / step).to_integral_value(rounding="ROUND_CEILING") or 1) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(h) -> float:
        return float(LEFT + Decimal(str(h)) * plot_w / 40)

    def y(v) -> float:
        return float(TOP + plot_h - v * plot_h / y_max)

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x(p['hours']):.1f},{y(v):.1f}"
        for i, (p, v) in enumerate(zip(points, values, strict=True))
    )
    y_ticks = [
        {"y": round(y(step * i), 1), "label": f"£{step * i:,}"}
        for i in range(int(y_max / step) + 1)
    ]
    x_ticks = [{"x": round(x(h), 1), "label": str(h)} for h in range(0, 41, 5)]
    chosen = Decimal(str(hours))
    marker = None
    if 0 <= chosen <= 40:
        in_work = Decimal(str(result["in_work"]["net_income"])) / WEEKS
        marker = {"x": round(x(chosen), 1), "y": round(y(in_work), 1)}
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "right": WIDTH - RIGHT,
        "path": path,
        "y_ticks": y_ticks,
        "x_ticks": x_ticks,
        "marker": marker,
    }


def curve_rows(result: dict) -> list[dict]:
    return [
        {
            "hours": p["hours"],
            "earnings": _money(_weekly(p["earnings_annual"])),
            "universal_credit": _money(_weekly(p["universal_credit_annual"])),
            "tax_and_ni": _money(_weekly(p["tax_and_ni_annual"])),
            "net": _money(_weekly(p["net_income_annual"])),
        }
        for p in result["curve"]
    ]


LCWRA_WORDS = {
    (False, False): "No",
    (True, False): "Yes, assessed before 6 April 2026 (or severe conditions)",
    (True, True): "Yes, a new claim from 6 April 2026",
}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _monthly_or_none(value) -> str:
    return f"{_money(value)} a month" if value else "None"


def assumptions(household) -> list[dict]:
    """What the answer is based on, as NHS.UK summary-list rows, so a printout stands alone."""
    adults = household.adults
    job = household.job
    place = {"northern_ireland": "Northern Ireland"}.get(
        household.country, household.country.title()
    )
    if household.greater_london:
        place += ", in Greater London"
    ages = [str(a.age) for a in adults]
    people = f"Single, aged {ages[0]}" if len(adults) == 1 else f"A couple, aged {_and(ages)}"
    children = [str(c.age) for c in household.children]
    weekly_pay = Decimal(str(job.hours_per_week)) * Decimal(str(job.hourly_pay))
    labels = [
        ("LCWRA", "PIP", "Carer for 35 hours a week or more"),
        ("Partner's LCWRA", "Partner's PIP", "Partner is a carer"),
    ]
    rows = [
        ("Tax year", household.tax_year.replace("-", " to 20")),
        ("Where they live", place),
        ("Household", people),
        ("Children", f"Aged {_and(children)}" if children else "None"),
        ("Eligible rent", _monthly_or_none(household.housing.eligible_rent_monthly)),
        ("Childcare costs", _monthly_or_none(household.childcare_monthly)),
        ("Savings", _money(household.savings)),
        (
            "The job",
            f"{_hours_text(job.hours_per_week)} a week at {_money(job.hourly_pay)} an hour "
            f"({_money(weekly_pay)} a week before tax)"
            + (", for their partner" if job.adult == 1 else ""),
        ),
    ]
    for adult, (lcwra, pip, carer) in zip(adults, labels, strict=False):
        rows.append((lcwra, LCWRA_WORDS[(adult.lcwra, adult.lcwra_new_claimant)]))
        rows.append(
            (pip, f"{_money(_weekly(adult.pip_annual))} a week" if adult.pip_annual else "None")
        )
        rows.append((carer, "Yes" if adult.carer else "No"))
    current = [CURRENT_BENEFITS[code] for code in household.current_benefits]
    rows.append(("Benefits they get now", "; ".join(current) if current else "None entered"))
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]


def present(result: dict, household) -> dict:
    hours, pay = household.job.hours_per_week, household.job.hourly_pay
    return {
        "headline": headline(result, hours, pay),
        "table": weekly_table(result),
        "pound": where_each_pound_goes(result),
        "chart": chart(result, hours),
        "curve_rows": curve_rows(result),
        "warnings": result["warnings"],
        "emdr": result["effective_marginal_deduction_rate"],
        "tax_year": result["tax_year"],
        "engine_version": result["engine_version"],
        "hours": hours,
        "assumptions": assumptions(household),
    }
