"""Requesting an export: the row that tracks it, the background task, the audit entry."""

from django.db import transaction

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.outcomes.models import ExportFile
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
