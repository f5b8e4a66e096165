"""Outcome figures arranged for pages: headline tables, breakdowns, trends and charts.

Every number comes from ``outcomes.metrics``; this module only arranges and labels them.
"""

from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ipsworks.access import scoping
from ipsworks.core.money import format_pence
from ipsworks.organisations.models import StaffMember
from ipsworks.outcomes import metrics
from ipsworks.outcomes.metrics import residence
from ipsworks.outcomes.periods import Period, financial_year, month, quarter
from ipsworks.outcomes.suppression import Cell, primary, suppress_line, suppress_table

if TYPE_CHECKING:
    from ipsworks.outcomes.forms import PeriodForm

# --- choosing a period ---------------------------------------------------------------------


def recent_quarters(today: date, count: int = 8) -> list[Period]:
    """The last ``count`` financial-year quarters, oldest first, ending with the current one."""
    periods = [quarter(today)]
    while len(periods) < count:
        periods.append(quarter(periods[-1].start - timedelta(days=1)))
    return list(reversed(periods))


def period_choices(today: date) -> list[tuple[str, Period]]:
    """Options for the period picker: months, quarters and financial years."""
    choices: list[tuple[str, Period]] = []
    p = month(today)
    for _ in range(12):
        choices.append((f"m:{p.start.isoformat()}", p))
        p = month(p.start - timedelta(days=1))
    for q in reversed(recent_quarters(today, 8)):
        choices.append((f"q:{q.start.isoformat()}", q))
    fy = financial_year(today)
    for _ in range(3):
        choices.append(
            (f"fy:{fy.start.isoformat()}", Period(fy.start, fy.end, f"Financial year {fy.label}"))
        )
        fy = financial_year(fy.start - timedelta(days=1))
    return choices


@dataclass(frozen=True)
class ChosenPeriod:
    """The picker's answer: the period to show (None when the input was refused) and the
    form, which carries the error summary and echoes what was typed."""

    period: Period | None
    form: "PeriodForm"


def parse_period(params, today: date, *, whole_months: bool = False) -> ChosenPeriod:
    """The period asked for in the query string (``period``, and ``start[day]`` and so on for
    custom dates).

    Nothing asked for, or a month or quarter no longer offered (an old link), shows the
    current quarter. Custom dates that are not real, reversed or span more than five years
    give no period and the form's errors: the page says what is wrong instead of quietly
    showing another period. ``whole_months``: the figures leave the providing service, so
    custom dates must be whole calendar months.
    """
    from ipsworks.outcomes.forms import CUSTOM, PeriodForm

    choices = period_choices(today)
    current = quarter(today)
    default = next((key for key, p in choices if p == current), choices[0][0])
    value = params.get("period")
    if not value or (value != CUSTOM and value not in dict(choices)):
        form = PeriodForm(periods=choices, initial={"period": default})
        return ChosenPeriod(current, form)
    form = PeriodForm(params, periods=choices, whole_months=whole_months)
    if not form.is_valid():
        return ChosenPeriod(None, form)
    return ChosenPeriod(form.chosen_period(), form)


# --- figures --------------------------------------------------------------------------------


@dataclass
class Figures:
    """One group's headline figures for a period (a service, a team or a specialist)."""

    referrals: int = 0
    accessed_fy: int = 0  # NHS England's "people accessing IPS": accessed in the financial year
    accesses: int = 0  # accessed for the first time ever (waits are timed to it)
    job_starts: int = 0
    into_work: int = 0
    rate_numerator: int = 0
    rate_denominator: int = 0
    sustained_13: int = 0
    sustained_26: int = 0
    sustained_52: int = 0
    open_caseload: int = 0
    retention_open: int = 0  # job-retention referrals in the open caseload
    waits: dict = field(default_factory=dict)

    @property
    def employment_rate(self) -> Decimal | None:
        return metrics.rate(self.rate_numerator, self.rate_denominator)


def figures(service_ids, period: Period, by: str) -> dict:
    """All headline figures for the period, per group, from the registry.

    Four queries by service or specialist (two over the referral facts, one over the job
    starts, one over the contacts for each financial year the period touches), six by team.
    """
    groups: dict = {}
    for key, n in metrics.accessed_in_financial_year(service_ids, period, by).items():
        groups.setdefault(key, Figures()).accessed_fy = n
    for key, counts in metrics.starts_and_sustained(service_ids, period, by).items():
        g = groups.setdefault(key, Figures())
        g.job_starts = counts["job_starts"]
        g.sustained_13, g.sustained_26, g.sustained_52 = counts[13], counts[26], counts[52]
    for key, counts in metrics.referral_figures(service_ids, period, by).items():
        g = groups.setdefault(key, Figures())
        g.referrals, g.accesses = counts["referrals"], counts["accesses"]
        if counts["accesses"]:
            g.waits = counts["waits"]
        g.open_caseload, g.retention_open = counts["open_caseload"], counts["retention_open"]
        g.into_work = counts["into_work"]
        g.rate_numerator = counts["rate_numerator"]
        g.rate_denominator = counts["rate_denominator"]
    return groups


# --- trends and charts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BarChart:
    """A bar chart drawn as SVG on the server: no script, same numbers as its table.

    The geometry lives here and the template only places it: every bar stands on the axis
    line at ``baseline``, with quarter labels below it. Colours are SVG presentation
    attributes in the template (``fill``, ``stroke``), as WeasyPrint's SVG renderer ignores
    page CSS for the steering-group PDF.
    """

    title: str
    bars: list[Bar]
    width: int = 640
    height: int = 240
    top: int = 0
    left: int = 40
    right: int = 630
    plot_top: int = 20
    baseline: int = 200

    @classmethod
    def of(cls, title: str, points: list[tuple[str, int]]) -> "BarChart":
        # 20 above the tallest bar for its value, 40 below the axis for the labels.
        width, height, left, right_pad, plot_top, below, gap = 640, 240, 40, 10, 20, 40, 12
        baseline = height - below
        right = width - right_pad
        top = max([v for _, v in points] + [1])
        plot_h = baseline - plot_top
        slot = (right - left) / max(len(points), 1)
        bars = []
        for i, (label, value) in enumerate(points):
            h = plot_h * value / top
            bars.append(Bar(label, value, left + i * slot + gap / 2, baseline - h, slot - gap, h))
        return cls(
            title=title,
            bars=bars,
            width=width,
            height=height,
            top=top,
            left=left,
            right=right,
            plot_top=plot_top,
            baseline=baseline,
        )

    @property
    def label_y(self) -> int:
        return self.baseline + 18


def trends(service_ids, today: date) -> dict:
    """People accessing IPS (NHS England's financial-year measure), job starts and people
    into work over the last 8 quarters, for one service."""
    rows = [
        {
            "period": counts["period"],
            "accessed_fy": counts["accessed_fy"],
            "accesses": counts["accesses"],
            "job_starts": counts["job_starts"],
            "into_work": counts["into_work"],
            "employment_rate": metrics.rate(counts["rate_numerator"], counts["rate_denominator"]),
        }
        for counts in metrics.trend_counts(service_ids, recent_quarters(today))
    ]
    charts = [
        BarChart.of(
            "People accessing IPS",
            [
                (
                    r["period"].label.split()[0] + " " + r["period"].label.split()[1][2:],
                    r["accessed_fy"],
                )
                for r in rows
            ],
        ),
        BarChart.of(
            "Job starts",
            [
                (
                    r["period"].label.split()[0] + " " + r["period"].label.split()[1][2:],
                    r["job_starts"],
                )
                for r in rows
            ],
        ),
    ]
    return {"rows": rows, "charts": charts}


def _short(q: Period) -> str:
    """'Q1 2025-26' becomes 'Q1 25-26' so eight fit under a chart."""
    name, years = q.label.split(" ", 1)
    return f"{name} {years[2:]}"


def figures_light(service_ids, period: Period) -> dict:
    total = lambda values: sum(values.values())  # noqa: E731
    rate_parts = metrics.employment_rate(service_ids, period)
    num = sum(n for n, _ in rate_parts.values())
    den = sum(d for _, d in rate_parts.values())
    return {
        "accessed_fy": total(metrics.accessed_in_financial_year(service_ids, period, "service")),
        "accesses": total(metrics.accesses(service_ids, period)),
        "job_starts": total(metrics.job_starts(service_ids, period)),
        "into_work": total(metrics.people_into_work(service_ids, period)),
        "employment_rate": metrics.rate(num, den),
    }


# --- commissioner tables with suppression -----------------------------------------------------

COMMISSIONER_COLUMNS = [
    ("referrals", "Referrals received"),
    ("accessed_fy", "People accessing IPS"),
    ("accesses", "Accessed for the first time"),
    ("job_starts", "Job starts"),
    ("into_work", "People into work"),
    ("sustained_13", "Jobs sustained 13 weeks"),
    ("open_caseload", "Open caseload at the end"),
]


@dataclass(frozen=True)
class SuppressedRow:
    label: str
    cells: list[Cell]
    employment_rate: str


def commissioner_table(services, period: Period) -> tuple[list[SuppressedRow], SuppressedRow]:
    """Services × headline counts with a total row, suppressed column by column.

    Each column has a total, so secondary suppression is applied within each column
    (metric-definitions.md). Employment rates are not shown where a part is suppressed.
    """
    from ipsworks.outcomes.suppression import suppressed_rate

    ids = [s.pk for s in services]
    figs = figures(ids, period, metrics.BY_SERVICE)
    columns = []
    for attr, _ in COMMISSIONER_COLUMNS:
        values = [getattr(figs.get(s.pk, Figures()), attr) for s in services]
        columns.append(suppress_line(values))
    rows = []
    for i, service in enumerate(services):
        f = figs.get(service.pk, Figures())
        rows.append(
            SuppressedRow(
                label=service.name,
                cells=[column[i] for column in columns],
                employment_rate=suppressed_rate(f.rate_numerator, f.rate_denominator),
            )
        )
    totals = [
        sum(getattr(figs.get(s.pk, Figures()), attr) for s in services)
        for attr, _ in COMMISSIONER_COLUMNS
    ]
    num = sum(figs.get(s.pk, Figures()).rate_numerator for s in services)
    den = sum(figs.get(s.pk, Figures()).rate_denominator for s in services)
    total_row = SuppressedRow(
        "All services", [primary(t) for t in totals], suppressed_rate(num, den)
    )
    return rows, total_row


def claim_choices(events) -> list[dict[str, str]]:
    """Checkbox items for the build-claim form: one per outcome whose evidence is held."""
    return [
        {
            "value": e.key,
            "text": f"{e.label}, {e.person_name}, {e.event_date:%d/%m/%Y}, "
            f"{format_pence(e.amount_pence)}",
        }
        for e in events
    ]


def suppressed_equality(
    equality: dict[str, dict[str, dict[str, int]]],
) -> dict[str, list[tuple[str, Cell, Cell]]]:
    """Equality breakdowns made safe to share: accesses and job starts by group, suppressed
    as a table (counts of 1 to 4 as "<5", then secondary suppression down each column and
    along each row), so a small group cannot be recovered from the service's totals."""
    safe = {}
    for name, groups in equality.items():
        labels = sorted(groups)
        grid = suppress_table([[groups[g]["accesses"], groups[g]["job_starts"]] for g in labels])
        safe[name] = [(label, row[0], row[1]) for label, row in zip(labels, grid, strict=True)]
    return safe


# --- where people accessing IPS live ---------------------------------------------------------


@dataclass(frozen=True)
class ResidenceTable:
    """One breakdown of people accessing IPS, ready to show: (name, people, rate) rows."""

    caption: str
    heading: str
    rows: list[tuple[str, str, str]]
    total: str
    has_rates: bool


def _rate(people: int, population: int | None) -> str:
    if not population:
        return ""
    return f"{people * residence.PER / population:.1f}"


def residence_tables(found: "residence.Residence", *, shared: bool) -> list[ResidenceTable]:
    """The three breakdowns. Where the figures leave the service (``shared``), counts are
    suppressed and rounded as every shared figure is (``suppression``), and a rate is worked
    out from the rounded count, since a rate from the true count over a known population
    would give the count back; a suppressed count has no rate."""
    tables = []
    for caption, heading, rows in (
        ("By ICB of residence", "Integrated care board", found.icbs),
        ("By sub-ICB location of residence", "Sub-ICB location", found.sub_icbs),
        ("By deprivation (IMD 2019) of where they live", "Deprivation quintile", found.quintiles),
    ):
        if shared:
            cells = suppress_line([r.people for r in rows])
            shown = [
                (
                    r.name,
                    c.shown,
                    "" if c.suppressed else _rate(c.published or 0, r.population),
                )
                for r, c in zip(rows, cells, strict=True)
            ]
            total = primary(found.total).shown
        else:
            shown = [(r.name, str(r.people), _rate(r.people, r.population)) for r in rows]
            total = str(found.total)
        tables.append(
            ResidenceTable(
                caption=caption,
                heading=heading,
                rows=shown,
                total=total,
                has_rates=any(r.population for r in rows),
            )
        )
    return tables


# --- the service dashboard ------------------------------------------------------------------

# The measures the dashboard shows, whose definitions it prints beneath the figures.
DASHBOARD_DEFINED = (
    "accessed_in_financial_year",
    "referrals_received",
    "accesses",
    "wait_to_access",
    "open_caseload",
    "job_starts",
    "people_into_work",
    "employment_rate",
    "sustained_13",
    "job_retention_share",
    "days_to_employer_contact",
    "employer_contacts_per_fte_week",
    "community_share",
    "specialist_access_target",
    "specialist_into_work",
    "specialist_sustained",
    "education_starts",
    "education_completions",
)


@dataclass(frozen=True)
class ServiceDashboard:
    """A manager's figures for their own service over a period, as the dashboard shows them.

    Counts come as (numerator, denominator, rate) where the page shows all three.
    """

    f: Figures
    accessed_fytd: int
    employer_contacts: tuple[int | Decimal, Decimal | int, Decimal | None]
    community: Decimal | None
    retention: tuple[int, int, Decimal | None]
    # People starting and completing education or training: their own outcome, never
    # counted in the job starts above them.
    education_starts: int
    education_completions: int
    days: "metrics.DaysToContact | None"
    by_team: list[tuple[str, Figures]]
    by_specialist: list[tuple[str, Figures]]
    targets: list["metrics.SpecialistTargets"]
    year: Period
    trends: dict
    equality: dict[str, dict[str, dict[str, int]]]
    definitions: list["metrics.Metric"]

    def context(self) -> dict[str, Any]:
        """The fields by name, for the template (shallow: the figures keep their methods)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def service_dashboard(staff: StaffMember, period: Period, today: date) -> ServiceDashboard:
    """The staff member's service only; teams and specialists named, "No team recorded" and
    "Not allocated" for the figures that belong to neither."""
    service = staff.service_id
    ids = [service]
    service_figures = figures(ids, period, metrics.BY_SERVICE).get(service, Figures())
    contacts, weeks = metrics.employer_contacts_per_fte_week(ids, period).get(service, (0, 0))
    community, minutes = metrics.community_share(ids, period).get(service, (0, 0))
    retention, caseload = service_figures.retention_open, service_figures.open_caseload
    teams = {t.pk: t.name for t in staff.service.teams.all()}
    specialists = {s.pk: s.display_name for s in scoping.staff_for(staff).select_related("user")}
    by_team = figures(ids, period, metrics.BY_TEAM)
    by_specialist = figures(ids, period, metrics.BY_SPECIALIST)
    year = financial_year(today)
    return ServiceDashboard(
        f=service_figures,
        accessed_fytd=metrics.accessed_in_financial_year(
            ids, metrics.year_to_date(period), metrics.BY_SERVICE
        ).get(service, 0),
        employer_contacts=(contacts, weeks, metrics.rate(contacts, weeks)),
        community=metrics.rate(community, minutes),
        retention=(retention, caseload, metrics.rate(retention, caseload)),
        education_starts=metrics.education_starts(ids, period).get(service, 0),
        education_completions=metrics.education_completions(ids, period).get(service, 0),
        days=metrics.days_to_employer_contact(ids, period).get(service),
        by_team=[(teams.get(k, "No team recorded"), v) for k, v in by_team.items()],
        by_specialist=[(specialists.get(k, "Not allocated"), v) for k, v in by_specialist.items()],
        targets=metrics.specialist_targets(ids, year),
        year=year,
        trends=trends(ids, today),
        equality=metrics.equality_breakdown(ids, period),
        definitions=[metrics.REGISTRY[k] for k in DASHBOARD_DEFINED],
    )
