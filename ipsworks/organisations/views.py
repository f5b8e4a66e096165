"""The manager's service view and the administrator's staff list."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ipsworks.access import scoping
from ipsworks.access.decorators import staff_required
from ipsworks.access.roles import Permission
from ipsworks.core.dates import local_today
from ipsworks.organisations.queries import teams_for
from ipsworks.outcomes import metrics
from ipsworks.outcomes.periods import quarter
from ipsworks.people import presenters, queries


@require_GET
@staff_required(Permission.VIEW_SERVICE_OVERVIEW)
def service_overview(request):
    staff = request.staff
    today = local_today()
    specialists = list(queries.specialists_in_service(staff))
    counts = queries.caseload_counts(staff, today)
    caseloads = [
        {
            "staff": es,
            "size": presenters.CaseloadSize(
                open=counts.get(es.pk, {}).get("open", 0),
                active=counts.get(es.pk, {}).get("active", 0),
                fte=es.fte,
            ),
        }
        for es in specialists
    ]
    unallocated = [
        {"referral": r, "wait": presenters.wait_days(r, today)}
        for r in queries.referral_queue_for(staff).filter(allocated_to__isnull=True)[:50]
    ]
    period = quarter(today)
    service_ids = [staff.service_id]
    waits = metrics.wait_to_access(service_ids, period)[staff.service_id]
    return render(
        request,
        "organisations/service_overview.jinja",
        {
            "caseloads": caseloads,
            "unallocated": unallocated,
            "period": period,
            "waits": waits,
            "accesses": metrics.accesses(service_ids, period).get(staff.service_id, 0),
            "received": metrics.referrals_received(service_ids, period).get(staff.service_id, 0),
            "wait_definition": metrics.REGISTRY["wait_to_access"],
        },
    )


@require_GET
@staff_required(Permission.MANAGE_STAFF)
def staff_list(request):
    staff = request.staff
    members = scoping.staff_for(staff).select_related("user").prefetch_related("teams")
    return render(
        request,
        "organisations/staff_list.jinja",
        {"members": members, "teams": teams_for(staff)},
    )
