"""Outcome figures from the metric registry, for the services the caller may aggregate.

Managers get their own service's figures. Commissioners and fidelity reviewers, who are
outside the providing service, get their services' figures with statistical disclosure
control exactly as on the commissioner pages (outcomes/suppression.py): counts of 1 to 4 are
"<5", other counts are rounded to the nearest 5, a second cell is suppressed where one alone
could be worked out from a total, and a rate is "Not shown" when a part is. Their custom
periods are whole calendar months, so two overlapping periods cannot be subtracted to find
one day's figures (docs/security.md).
"""

from datetime import date
from decimal import Decimal

from ninja import Query, Router, Schema
from pydantic import Field

from ipsworks.access import scoping
from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.api.auth import staff_with
from ipsworks.api.schemas import ERRORS, Day, known_query
from ipsworks.benefits.schema import InputError
from ipsworks.core.dates import local_today
from ipsworks.outcomes import metrics
from ipsworks.outcomes.periods import Period, quarter, whole_months_problems
from ipsworks.outcomes.suppression import primary, suppress_line, suppressed_rate

router = Router(tags=["metrics"])

COUNTS = [
    "referrals_received",
    "accessed_in_financial_year",
    "accessed_in_financial_year_to_date",
    "accesses",
    "job_starts",
    "people_into_work",
    "sustained_13",
    "sustained_26",
    "sustained_52",
    "open_caseload",
]
RATES = ["employment_rate"]
MAX_DAYS = 3 * 366


class MetricValueOut(Schema):
    id: str
    value: int | None = Field(description="The count; null where suppressed")
    shown: str = Field(description="As a person should read it: '12', '<5', '*', '40%'")
    numerator: int | None = None
    denominator: int | None = None
    rate: Decimal | None = Field(None, description="Percentage, where not suppressed")


class ServiceMetricsOut(Schema):
    service_id: int
    service_name: str
    metrics: list[MetricValueOut]


class DefinitionOut(Schema):
    id: str
    name: str
    definition: str
    numerator: str
    denominator: str | None
    period_rule: str
    unit: str
    source: str


class MetricsOut(Schema):
    period_start: date
    period_end: date
    suppressed: bool = Field(description="True for commissioners and reviewers")
    services: list[ServiceMetricsOut]
    definitions: list[DefinitionOut]


class PeriodQuery(Schema):
    start: Day | None = Field(
        None,
        description="First day; default: this quarter. Outside the providing service "
        "(suppressed figures), the first day of a month",
    )
    end: Day | None = Field(
        None,
        description="Last day, inclusive. Outside the providing service, the last day of a month",
    )


def _period(query: PeriodQuery, *, whole_months: bool) -> Period:
    if query.start is None and query.end is None:
        return quarter(local_today())
    if query.start is None or query.end is None:
        field = "end" if query.end is None else "start"
        raise InputError([{"field": field, "message": "Give both start and end, or neither"}])
    if query.end < query.start:
        raise InputError([{"field": "end", "message": "The end must be on or after the start"}])
    if (query.end - query.start).days > MAX_DAYS:
        raise InputError([{"field": "end", "message": "A period can be at most 3 years"}])
    if whole_months:
        problems = whole_months_problems(query.start, query.end)
        if problems:
            raise InputError([{"field": k, "message": m} for k, m in problems.items()])
    return Period(query.start, query.end, f"{query.start} to {query.end}")


def _count(service_ids, period: Period, metric: str) -> dict:
    if metric == "referrals_received":
        return metrics.referrals_received(service_ids, period)
    if metric == "accessed_in_financial_year":
        return metrics.accessed_in_financial_year(service_ids, period, metrics.BY_SERVICE)
    if metric == "accessed_in_financial_year_to_date":
        year_to_date = metrics.year_to_date(period)
        return metrics.accessed_in_financial_year(service_ids, year_to_date, metrics.BY_SERVICE)
    if metric == "accesses":
        return metrics.accesses(service_ids, period)
    if metric == "job_starts":
        return metrics.job_starts(service_ids, period)
    if metric == "people_into_work":
        return metrics.people_into_work(service_ids, period)
    if metric.startswith("sustained_"):
        return metrics.sustained(service_ids, period, int(metric.split("_")[1]))
    return metrics.open_caseload(service_ids, period.end)


@router.get(
    "/metrics",
    response={200: MetricsOut, **ERRORS},
    url_name="api_metrics",
    summary="Outcome figures for a period, per service (aggregates only)",
    auth=staff_with(Permission.VIEW_AGGREGATES),
)
def get_metrics(request, query: Query[PeriodQuery]):
    known_query(request, PeriodQuery)
    staff = request.staff
    suppress = not has_role_permission(staff, Permission.VIEW_SERVICE_OUTCOMES)
    period = _period(query, whole_months=suppress)
    services = list(scoping.services_for_aggregates(staff).order_by("name"))
    ids = [s.pk for s in services]
    per_service: dict[int, list[dict]] = {s.pk: [] for s in services}
    for metric in COUNTS:
        values = _count(ids, period, metric)
        column = [values.get(s.pk, 0) for s in services]
        cells = suppress_line(column) if suppress else None
        for i, service in enumerate(services):
            per_service[service.pk].append(
                {
                    "id": metric,
                    "value": cells[i].published if cells is not None else column[i],
                    "shown": cells[i].shown if cells is not None else str(column[i]),
                }
            )
    rates = metrics.employment_rate(ids, period)
    for service in services:
        num, den = rates.get(service.pk, (0, 0))
        rate = metrics.rate(num, den)
        if suppress:
            shown = suppressed_rate(num, den)
            visible = shown != "Not shown"
            num, den = primary(num).published, primary(den).published
        else:
            shown, visible = (f"{rate:.0f}%" if rate is not None else "No one yet"), True
        per_service[service.pk].append(
            {
                "id": "employment_rate",
                "value": None,
                "shown": shown,
                "numerator": num if visible else None,
                "denominator": den if visible else None,
                "rate": rate if visible else None,
            }
        )
    return {
        "period_start": period.start,
        "period_end": period.end,
        "suppressed": suppress,
        "services": [
            {"service_id": s.pk, "service_name": s.name, "metrics": per_service[s.pk]}
            for s in services
        ],
        "definitions": [metrics.REGISTRY[m].__dict__ for m in COUNTS + RATES],
    }
