"""Aggregate outcome figures. Commissioners see only these, with small numbers suppressed."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ipsworks.access import scoping
from ipsworks.access.decorators import staff_required
from ipsworks.access.roles import Permission
from ipsworks.core.dates import local_today
from ipsworks.outcomes import metrics
from ipsworks.outcomes.periods import financial_year
from ipsworks.outcomes.suppression import primary, suppress_line


@require_GET
@staff_required(Permission.VIEW_AGGREGATES)
def outcomes_overview(request):
    staff = request.staff
    today = local_today()
    period = financial_year(today)
    services = list(scoping.services_for_aggregates(staff))
    ids = [s.pk for s in services]
    received = metrics.referrals_received(ids, period)
    accessed = metrics.accesses(ids, period)
    waits = metrics.wait_to_access(ids, period)
    caseload = metrics.open_caseload(ids, today)
    rows = []
    for service in services:
        bands = [waits[service.pk][label] for label, *_ in metrics.WAIT_BANDS]
        rows.append(
            {
                "service": service,
                "received": primary(received.get(service.pk, 0)),
                "accesses": primary(accessed.get(service.pk, 0)),
                "open_caseload": primary(caseload.get(service.pk, 0)),
                "wait_bands": suppress_line(bands),
            }
        )
    return render(
        request,
        "outcomes/overview.jinja",
        {
            "rows": rows,
            "period": period,
            "today": today,
            "bands": [label for label, *_ in metrics.WAIT_BANDS],
            "definitions": [
                metrics.REGISTRY[k]
                for k in ("referrals_received", "accesses", "wait_to_access", "open_caseload")
            ],
        },
    )
