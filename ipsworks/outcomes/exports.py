"""Requesting an export: the row that tracks it, the background task, the audit entry."""

from django.db import transaction
from django.utils import timezone

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.outcomes.models import WORKER_STOPPED, WORKER_STOPPED_RETRYING, ExportFile
from ipsworks.outcomes.periods import Period


def request_export(*, kind: str, period: Period, by) -> ExportFile:
    with transaction.atomic():
        export = ExportFile.objects.create(
            service_id=by.service_id,
            requested_by=by,
            kind=kind,
            period_start=period.start,
            period_end=period.end,
            period_label=period.label,
        )
        record_event(by=by, action=AccessLogEntry.Action.EXPORT, obj=export)
    from ipsworks.outcomes.tasks import build_export

    # Queued after the commit so the worker never looks for a row it cannot see yet.
    transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


def worker_lost(export_id: int, *, retried: bool) -> None:
    """The worker building this file died; the reaper enqueues it once more, then gives up.

    Building is safe to repeat: it only writes the file onto this row when it finishes.
    """
    ExportFile.objects.filter(
        pk=export_id, status__in=(ExportFile.Status.QUEUED, ExportFile.Status.RUNNING)
    ).update(
        status=ExportFile.Status.QUEUED if retried else ExportFile.Status.FAILED,
        progress=0,
        error=WORKER_STOPPED_RETRYING if retried else WORKER_STOPPED,
        finished_at=None if retried else timezone.now(),
    )
