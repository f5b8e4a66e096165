"""Tasks whose worker died: marked failed, and enqueued again when that is safe.

django-tasks-db marks a task RUNNING when a worker claims it and only the same worker
marks it finished, so a worker killed mid-task (kill -9, out of memory, a lost machine)
leaves it RUNNING for ever. :func:`reap` finds tasks running longer than a limit, marks
them FAILED with the reason, and enqueues again those known to be idempotent (an import
saves all or nothing), up to ``MAX_TRIES`` runs. Each app says what to tell its own
records (the import page shows "interrupted, being tried again" or "failed").

Run ``manage.py reap_tasks`` every few minutes (cron or a systemd timer), with a limit
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


def _registry() -> dict[str, Callable[..., None]]:
    """Task path -> what to tell the app's records ``(first argument, retried=...)``."""
    from ipsworks.imports.tasks import IDEMPOTENT as imports

    return {**imports}


@dataclass(frozen=True)
class Reaped:
    task_id: str
    task_path: str
    requeued: bool


def reap(*, older_than: timedelta) -> list[Reaped]:
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - older_than
    registry = _registry()
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
            hook = registry.get(result.task_path)
            args = result.args_kwargs.get("args", [])
            kwargs = result.args_kwargs.get("kwargs", {})
            tries = _tries(result)
            requeue = hook is not None and tries < MAX_TRIES
            if requeue:
                task = import_string(result.task_path)
                transaction.on_commit(lambda t=task, a=args, k=kwargs: t.enqueue(*a, **k))
            if hook is not None and args:
                hook(args[0], retried=requeue)
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
