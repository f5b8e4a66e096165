"""Outcome pages: the service dashboard for managers and the commissioner's view."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipsworks.access import scoping
from ipsworks.access.audit import log_access
from ipsworks.access.decorators import staff_required
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Permission
from ipsworks.access.rules import may
from ipsworks.core import page_cache
from ipsworks.core.dates import local_today
from ipsworks.core.money import format_pence, plain_pounds
from ipsworks.outcomes import funding, metrics, overview, presenters, queries, returns
from ipsworks.outcomes.exports import request_export
from ipsworks.outcomes.forms import EVIDENCE_NOTE_HINT, ContractForm, EvidenceForm, ExportForm
from ipsworks.outcomes.metrics import nhs_england, residence
from ipsworks.outcomes.models import ExportFile
from ipsworks.outcomes.periods import financial_year, quarter
from ipsworks.people import presenters as people_presenters
from ipsworks.people import queries as people_queries


def _period_refused(request, chosen):
    """The picker again with what is wrong with the dates; no figures for another period."""
    return render(request, "outcomes/period_refused.jinja", {"period_form": chosen.form})


@require_GET
@staff_required(Permission.VIEW_SERVICE_OUTCOMES)
def service_dashboard(request):
    staff = request.staff
    today = local_today()
    chosen = presenters.parse_period(request.GET, today)
    if chosen.period is None:
        return _period_refused(request, chosen)
    period = chosen.period

    def context():
        page = presenters.service_dashboard(staff, period, today)
        return {"period": period, "period_form": chosen.form, **page.context()}

    return page_cache.render_page(request, "outcomes/service_dashboard.jinja", context)


@require_GET
@staff_required(Permission.VIEW_SERVICE_OUTCOMES)
def nhs_england_measures(request):
    """NHS England's IPS dashboard measures for one month of the service, beside the
    financial year to that month (outcomes/metrics/nhs_england.py)."""
    staff = request.staff
    months = [p for key, p in presenters.period_choices(local_today()) if key.startswith("m:")]
    chosen = next((m for m in months if m.start.isoformat() == request.GET.get("month")), None)
    chosen = chosen or months[0]
    year = financial_year(chosen.start)
    so_far = [m for m in nhs_england.months_of(year) if m.start <= chosen.start]
    ids = [staff.service_id]
    by_month = [nhs_england.month_measures(ids, m) for m in so_far]
    to_date = nhs_england.year_measures(by_month, metrics.year_to_date(chosen))
    year_so_far = metrics.year_to_date(chosen)
    where = residence.accessed_by_residence(ids, year_so_far)
    return render(
        request,
        "outcomes/nhs_england.jinja",
        {
            "residence_tables": presenters.residence_tables(where, shared=False),
            "residence_loaded": where.lookup_loaded,
            "residence_period": year_so_far,
            "month_items": [
                {"value": m.start.isoformat(), "text": m.label, "selected": m == chosen}
                for m in months
            ],
            "chosen": chosen,
            "year": year,
            "rows": [
                (label, month_value, year_value)
                for (_, label, month_value), (*_, year_value) in zip(
                    by_month[-1].rows(), to_date.rows(), strict=True
                )
            ],
        },
    )


@require_GET
@staff_required(Permission.VIEW_COMMISSIONED_OUTCOMES)
def outcomes_overview(request):
    """Aggregates only, for the services commissioned; small numbers suppressed, others
    rounded, custom periods whole months (outcomes/suppression.py)."""
    staff = request.staff
    today = local_today()
    chosen = presenters.parse_period(request.GET, today, whole_months=True)
    if chosen.period is None:
        return _period_refused(request, chosen)
    period = chosen.period
    services = list(scoping.services_for_aggregates(staff).order_by("name"))
    rows, total = presenters.commissioner_table(services, period) if services else ([], None)
    where = residence.accessed_by_residence([s.pk for s in services], period)
    return render(
        request,
        "outcomes/overview.jinja",
        {
            "residence_tables": presenters.residence_tables(where, shared=True),
            "residence_loaded": where.lookup_loaded,
            "residence_period": period,
            "rows": rows,
            "total": total,
            "columns": [label for _, label in presenters.COMMISSIONER_COLUMNS],
            "period": period,
            "period_form": chosen.form,
            "definitions": [metrics.REGISTRY[k] for k in presenters.DASHBOARD_DEFINED[:9]],
        },
    )


# --- exports -------------------------------------------------------------------------------

_MANAGER_EXPORTS = [
    ExportFile.Kind.IPS_GROW_CSV,
    ExportFile.Kind.IPS_GROW_XLSX,
    ExportFile.Kind.STEERING_PDF,
    ExportFile.Kind.COMMISSIONER_CSV,
    ExportFile.Kind.COMMISSIONER_XLSX,
    ExportFile.Kind.MHSDS_ZIP,
]
_COMMISSIONER_EXPORTS = [ExportFile.Kind.COMMISSIONER_CSV, ExportFile.Kind.COMMISSIONER_XLSX]


def _export_kinds(staff):
    return (
        _MANAGER_EXPORTS if may(staff, Permission.VIEW_SERVICE_OUTCOMES) else _COMMISSIONER_EXPORTS
    )


@require_http_methods(["GET", "POST"])
@staff_required(Permission.VIEW_AGGREGATES)
def exports(request):
    staff = request.staff
    today = local_today()
    form = ExportForm(
        request.POST or None,
        kinds=_export_kinds(staff),
        periods=presenters.period_choices(today),
        initial={"period": presenters.period_choices(today)[12][0]},
    )
    if request.method == "POST" and form.is_valid():
        request_export(kind=form.cleaned_data["kind"], period=form.chosen_period(), by=staff)
        messages.success(request, "Your file is being built. It will appear below when it is ready")
        return redirect("exports")
    return render(
        request,
        "outcomes/exports.jinja",
        {
            "form": form,
            "files": queries.exports_for(staff),
            "client_level": ExportFile.Kind.IPS_GROW_CSV in _export_kinds(staff),
        },
    )


@require_GET
@staff_required(Permission.VIEW_AGGREGATES)
def export_status(request, pk: int):
    """The htmx fragment the exports page polls while a file is being built."""
    export = queries.export_for(request.staff, pk)
    return render(request, "outcomes/_export_row.jinja", {"file": export})


@require_GET
@staff_required(Permission.VIEW_AGGREGATES)
def export_download(request, pk: int):
    export = queries.export_for(request.staff, pk)
    if export.status != ExportFile.Status.READY:
        raise Http404("This file is not ready")
    log_access(request, AccessLogEntry.Action.EXPORT, obj=export, reason="downloaded")
    response = HttpResponse(bytes(export.content), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- outcome-based funding -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required(Permission.MANAGE_FUNDING_CLAIMS)
def contracts(request):
    staff = request.staff
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contract = funding.create_contract(
            service=staff.service,
            name=form.cleaned_data["name"],
            funder=form.cleaned_data["funder"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            rates=form.cleaned_data["rates"],
            by=staff,
        )
        messages.success(request, f"{contract.name} added")
        return redirect("contract_detail", pk=contract.pk)
    return render(
        request,
        "outcomes/contracts.jinja",
        {"form": form, "contracts": queries.contracts_for(staff)},
    )


@require_http_methods(["GET", "POST"])
@staff_required(Permission.MANAGE_FUNDING_CLAIMS)
def contract_detail(request, pk: int):
    staff = request.staff
    contract = queries.contract_for(staff, pk)
    error = None
    if request.method == "POST":
        try:
            claim = funding.build_claim(
                contract=contract, keys=request.POST.getlist("event"), by=staff
            )
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, f"Claim built: {format_pence(claim.total_pence)}")
            return redirect("contract_detail", pk=contract.pk)
    return _contract_page(request, contract, error)


def _contract_page(request, contract, error=None):
    events = funding.claimable_events(contract)
    evidence = funding.evidence_for(events)
    claims = queries.claims_of(contract)
    return render(
        request,
        "outcomes/contract_detail.jinja",
        {
            "contract": contract,
            "events": [(e, evidence.get(e.claim_key)) for e in events],
            "evidenced": presenters.claim_choices(
                e for e in events if getattr(evidence.get(e.claim_key), "held", False)
            ),
            "waiting": funding.engagements_waiting(contract),
            "claims": claims,
            "mismatches": funding.claim_mismatches(
                item for claim in claims for item in claim.items.all()
            ),
            "error": error,
            "note_hint": EVIDENCE_NOTE_HINT,
        },
    )


@require_POST
@staff_required(Permission.MANAGE_FUNDING_CLAIMS)
def contract_evidence(request, pk: int):
    """Mark the evidence for one claimable outcome as held or not held (kept between visits)."""
    staff = request.staff
    contract = queries.contract_for(staff, pk)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return _contract_page(request, contract, form.error_list()[0]["text"])
    try:
        data = form.cleaned_data
        funding.set_evidence(
            contract=contract, key=data["event"], held=data["held"], note=data["note"], by=staff
        )
    except ValidationError as problem:
        return _contract_page(request, contract, problem.messages[0])
    messages.success(
        request,
        "Evidence marked as held" if form.cleaned_data["held"] else "Evidence marked as not held",
    )
    return redirect("contract_detail", pk=contract.pk)


@require_GET
@staff_required(Permission.MANAGE_FUNDING_CLAIMS)
def claim_download(request, pk: int):
    claim = queries.claim_for(request.staff, pk)
    header = ["Outcome", "Client reference", "Event date", "Amount", "Evidence"]
    rows = [
        [
            item.get_event_display(),
            f"IPS-{claim.contract.service_id}-{item.referral_id}",
            item.event_date.isoformat(),
            plain_pounds(item.amount_pence),
            item.evidence,
        ]
        for item in claim.items.all()
    ]
    log_access(request, AccessLogEntry.Action.EXPORT, obj=claim)
    response = HttpResponse(returns.to_csv(header, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="claim-{claim.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_required(Permission.VIEW_SERVICE_OVERVIEW)
def service_overview(request):
    staff = request.staff

    def context():
        today = local_today()
        specialists = list(people_queries.specialists_in_service(staff))
        counts = people_queries.caseload_counts(staff, today)
        caseloads = [
            {
                "staff": es,
                "size": people_presenters.CaseloadSize(
                    open=counts.get(es.pk, {}).get("open", 0),
                    active=counts.get(es.pk, {}).get("active", 0),
                    fte=es.fte,
                ),
            }
            for es in specialists
        ]
        unallocated = [
            {"referral": r, "wait": people_presenters.wait_days(r, today)}
            for r in people_queries.referral_queue_for(staff).filter(allocated_to__isnull=True)[:50]
        ]
        period = quarter(today)
        service_ids = [staff.service_id]
        waits = metrics.wait_to_access(service_ids, period)[staff.service_id]
        return {
            "caseloads": caseloads,
            "unallocated": unallocated,
            "period": period,
            "waits": waits,
            "accesses": metrics.accesses(service_ids, period).get(staff.service_id, 0),
            "received": metrics.referrals_received(service_ids, period).get(staff.service_id, 0),
            "wait_definition": metrics.REGISTRY["wait_to_access"],
            **{name: count(staff) for name, count in overview.COUNTS.items()},
        }

    return page_cache.render_page(request, "organisations/service_overview.jinja", context)
