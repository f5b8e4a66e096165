"""The background task that runs an import (django-tasks, run by ``manage.py db_worker``)."""

from django_tasks import task

from ipsworks.imports import services
from ipsworks.operations.reaper import recoverable


@task()
def run_import_task(run_id: int) -> dict:
    """Idempotent: an import saves all or nothing, so a retry after a lost worker is safe."""
    try:
        run = services.run_import(run_id)
    except Exception:
        from django.utils import timezone

        from ipsworks.imports.models import ImportRun

        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.FAILED,
            error="The import failed. Nothing was saved. Try again, or tell your administrator",
            content=None,
            finished_at=timezone.now(),
        )
        raise
    return {"status": run.status, "referrals_created": run.referrals_created}


# After a lost worker the reaper enqueues an import again, up to three runs in all.
recoverable(run_import_task, runs=3, lost=services.worker_lost)
