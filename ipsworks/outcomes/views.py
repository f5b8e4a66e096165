"""Outcome pages: the service dashboard for managers and the commissioner's view."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ipsworks.access import scoping
from ipsworks.access.decorators import staff_required
from ipsworks.access.roles import Permission
from ipsworks.core.dates import local_today
from ipsworks.outcomes import metrics, presenters
from ipsworks.outcomes.periods import financial_year

_DEFINED = [
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
]


@require_GET
@staff_required(Permission.VIEW_SERVICE_OUTCOMES)
def service_dashboard(request):
    staff = request.staff
    today = local_today()
    period = presenters.parse_period(request.GET.get("period"), today)
    ids = [staff.service_id]
    service_figures = presenters.figures(ids, period, metrics.BY_SERVICE).get(
        staff.service_id, presenters.Figures()
    )
    contacts, weeks = metrics.employer_contacts_per_fte_week(ids, period).get(
        staff.service_id, (0, 0)
    )
    community, minutes = metrics.community_share(ids, period).get(staff.service_id, (0, 0))
    retention, caseload = metrics.job_retention_share(ids, period.end).get(staff.service_id, (0, 0))
    days = metrics.days_to_employer_contact(ids, period).get(staff.service_id)
    teams = {t.pk: t.name for t in staff.service.teams.all()}
    specialists = {s.pk: s.display_name for s in scoping.staff_for(staff).select_related("user")}
    by_team = presenters.figures(ids, period, metrics.BY_TEAM)
    by_specialist = presenters.figures(ids, period, metrics.BY_SPECIALIST)
    return render(
        request,
        "outcomes/service_dashboard.jinja",
        {
            "period": period,
            "choices": presenters.period_choices(today),
            "selected": request.GET.get("period", ""),
            "f": service_figures,
            "employer_contacts": (contacts, weeks, metrics.rate(contacts, weeks)),
            "community": metrics.rate(community, minutes),
            "retention": (retention, caseload, metrics.rate(retention, caseload)),
            "days": days,
            "by_team": [(teams.get(k, "No team recorded"), v) for k, v in by_team.items()],
            "by_specialist": [
                (specialists.get(k, "Not allocated"), v) for k, v in by_specialist.items()
            ],
            "targets": metrics.specialist_targets(ids, financial_year(today)),
            "year": financial_year(today),
            "trends": presenters.trends(ids, today),
            "equality": metrics.equality_breakdown(ids, period),
            "definitions": [metrics.REGISTRY[k] for k in _DEFINED],
        },
    )


@require_GET
@staff_required(Permission.VIEW_COMMISSIONED_OUTCOMES)
def outcomes_overview(request):
    """Aggregates only, for the services commissioned; small numbers suppressed."""
    staff = request.staff
    today = local_today()
    period = presenters.parse_period(request.GET.get("period"), today)
    services = list(scoping.services_for_aggregates(staff).order_by("name"))
    rows, total = presenters.commissioner_table(services, period) if services else ([], None)
    return render(
        request,
        "outcomes/overview.jinja",
        {
            "rows": rows,
            "total": total,
            "columns": [label for _, label in presenters.COMMISSIONER_COLUMNS],
            "period": period,
            "choices": presenters.period_choices(today),
            "selected": request.GET.get("period", ""),
            "definitions": [metrics.REGISTRY[k] for k in _DEFINED[:8]],
        },
    )
