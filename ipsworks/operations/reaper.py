"""Tasks whose worker died: marked failed, then enqueued again or left failed on the page.

django-tasks-db marks a task RUNNING when a worker claims it and only the same worker
marks it finished, so a worker killed mid-task (kill -9, out of memory, a lost machine)
leaves it RUNNING for ever. :func:`reap` finds tasks running longer than a limit and marks
them FAILED with the reason. What happens next is declared by the module that defines the
task, with :func:`recoverable`: how many runs in all are allowed (a task is enqueued again
only when running it twice is safe) and what to tell the app's own records (the import or
export page says "being tried again" or "failed"). A lost task nobody declared is logged
as an error and left FAILED.

Run ``manage.py reap_tasks`` every 5 minutes (cron or a systemd timer), with a limit
longer than the longest task should take.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus

logger = logging.getLogger("ipsworks.operations")

MAX_TRIES = 3
LOST = "ipsworks.operations.reaper.WorkerLost"


class WorkerLost(Exception):
    """The worker running the task stopped before finishing it."""


@dataclass(frozen=True)
class Recovery:
    """How to recover one task after its worker died.

    ``runs`` counts every run, the first included: 1 never enqueues the task again, 2
    enqueues it again once. ``lost`` is called ``(*args, retried=..., **kwargs)`` with the
    task's own arguments, inside the reaper's transaction, to update the app's records.
    """

    runs: int
    lost: Callable[..., None] | None = None


_RECOVERIES: dict[str, Recovery] = {}


def recoverable(task, *, runs: int = MAX_TRIES, lost: Callable[..., None] | None = None):
    """Declare, next to a task, how the reaper recovers it (a task module calls this)."""
    if runs < 1:
        raise ValueError("runs counts the first run, so it is at least 1")
    _RECOVERIES[task.module_path] = Recovery(runs=runs, lost=lost)
    return task


def recovery_for(task_path: str) -> Recovery | None:
    """The declared recovery of a task, importing its module (where it is declared)."""
    if task_path not in _RECOVERIES:
        try:
            import_string(task_path)
        except Exception:  # a task renamed or removed since it was enqueued
            return None
    return _RECOVERIES.get(task_path)


@dataclass(frozen=True)
class Reaped:
    task_id: str
    task_path: str
    requeued: bool


def reap(*, older_than: timedelta) -> list[Reaped]:
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - older_than
    reaped = []
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).values_list("pk", flat=True)
    for pk in list(stale):
        with transaction.atomic():
            result = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if result is None:
                continue  # finished or taken meanwhile
            result.status = TaskResultStatus.FAILED
            result.finished_at = timezone.now()
            result.exception_class_path = LOST
            worker = result.worker_ids[-1] if result.worker_ids else "?"
            since = f"{result.started_at:%Y-%m-%d %H:%M:%S}"
            result.traceback = (
                f"WorkerLost: worker {worker} stopped while running this task (running since "
                f"{since} UTC); marked failed by manage.py reap_tasks"
            )
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
            recovery = recovery_for(result.task_path)
            args = result.args_kwargs.get("args", [])
            kwargs = result.args_kwargs.get("kwargs", {})
            requeue = recovery is not None and _tries(result) < recovery.runs
            if requeue:
                task = import_string(result.task_path)
                transaction.on_commit(lambda t=task, a=args, k=kwargs: t.enqueue(*a, **k))
            if recovery is not None and recovery.lost is not None:
                recovery.lost(*args, retried=requeue, **kwargs)
            if recovery is None:
                # Nobody said whether running it again is safe: it stays failed, loudly.
                logger.error(
                    "Task %s (%s) lost its worker and has no declared recovery; left failed",
                    result.pk,
                    result.task_path,
                )
            else:
                logger.warning(
                    "Task %s (%s) lost its worker; %s",
                    result.pk,
                    result.task_path,
                    "enqueued again" if requeue else "marked failed",
                )
            reaped.append(Reaped(str(result.pk), result.task_path, requeue))
    return reaped


def _tries(result) -> int:
    """How many earlier runs of the same task with the same arguments were lost."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=result.task_path,
        args_kwargs=result.args_kwargs,
        exception_class_path=LOST,
    ).count()
