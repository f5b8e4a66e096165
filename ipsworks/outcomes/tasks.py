"""Background tasks that build export files (django-tasks, run by ``manage.py db_worker``)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from ipsworks.core import documents
from ipsworks.operations.reaper import recoverable
from ipsworks.outcomes import exports, metrics, presenters, returns
from ipsworks.outcomes.mhsds import extract as mhsds
from ipsworks.outcomes.models import ExportFile
from ipsworks.outcomes.periods import Period

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _progress(export: ExportFile, percent: int) -> None:
    ExportFile.objects.filter(pk=export.pk).update(progress=min(percent, 99))


@task()
def build_export(export_id: int) -> str:
    """Build one export file; the page polls ``status`` and ``progress`` while it runs."""
    export = ExportFile.objects.select_related("service", "requested_by__user").get(pk=export_id)
    if export.status in (ExportFile.Status.READY, ExportFile.Status.FAILED):
        return export.filename  # finished before its worker was lost, or given up on
    ExportFile.objects.filter(pk=export.pk).update(status=ExportFile.Status.RUNNING, progress=1)
    period = Period(export.period_start, export.period_end, export.period_label)
    slug = export.period_label.replace(" ", "-")
    try:
        kind = ExportFile.Kind
        if export.kind in (kind.IPS_GROW_CSV, kind.IPS_GROW_XLSX):
            header, rows = returns.client_level_rows(
                export.service_id, period, progress=lambda p: _progress(export, p)
            )
            if export.kind == kind.IPS_GROW_CSV:
                content, name, mime = (
                    returns.to_csv(header, rows),
                    f"ips-grow-{slug}.csv",
                    "text/csv",
                )
            else:
                content = returns.to_xlsx(header, rows, "IPS Grow return")
                name, mime = f"ips-grow-{slug}.xlsx", _XLSX
        elif export.kind in (kind.COMMISSIONER_CSV, kind.COMMISSIONER_XLSX):
            from ipsworks.access import scoping

            services = list(scoping.services_for_aggregates(export.requested_by).order_by("name"))
            header, rows = returns.commissioner_rows(services, period)
            if export.kind == kind.COMMISSIONER_CSV:
                content, name, mime = (
                    returns.to_csv(header, rows),
                    f"outcomes-{slug}.csv",
                    "text/csv",
                )
            else:
                content = returns.to_xlsx(header, rows, "Outcomes")
                name, mime = f"outcomes-{slug}.xlsx", _XLSX
        elif export.kind == kind.MHSDS_ZIP:
            try:
                extract = mhsds.build(
                    export.service, period, progress=lambda p: _progress(export, p)
                )
            except mhsds.ExtractRefused as refused:
                ExportFile.objects.filter(pk=export.pk).update(
                    status=ExportFile.Status.FAILED,
                    refusal=str(refused)[:600],
                    error="refused",
                    finished_at=timezone.now(),
                )
                return ""
            content = extract.to_zip()
            name, mime = f"mhsds-{export.period_start:%Y-%m}.zip", "application/zip"
        else:
            content, name, mime = (
                _steering_pdf(export, period),
                f"steering-{slug}.pdf",
                "application/pdf",
            )
    except Exception as error:  # recorded on the page; the worker logs the traceback
        ExportFile.objects.filter(pk=export.pk).update(
            status=ExportFile.Status.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        raise
    ExportFile.objects.filter(pk=export.pk).update(
        status=ExportFile.Status.READY,
        progress=100,
        error="",
        content=content,
        filename=name,
        content_type=mime,
        finished_at=timezone.now(),
    )
    return name


# A lost build is enqueued again once (two runs in all), then shown as failed.
recoverable(build_export, runs=2, lost=exports.worker_lost)


def _steering_pdf(export: ExportFile, period: Period) -> bytes:
    ids = [export.service_id]
    figures = presenters.figures(ids, period, metrics.BY_SERVICE).get(
        export.service_id, presenters.Figures()
    )
    _progress(export, 40)
    html = render_to_string(
        "outcomes/steering_report.jinja",
        {
            "service": export.service,
            "period": period,
            "f": figures,
            "trends": presenters.trends(ids, period.end),
            "equality": presenters.suppressed_equality(metrics.equality_breakdown(ids, period)),
            "definitions": list(metrics.REGISTRY.values()),
            "generated": timezone.localtime(),
        },
    )
    _progress(export, 70)
    return documents.pdf(html)
