"""Resilience: kill -9 the worker in the middle of saving a 100,000-row import.

Standalone: ``python benchmarks/resilience_import_kill.py [--rows 100000]`` (PostgreSQL when
DATABASE_URL names it, else SQLite). It uploads an export, starts ``manage.py db_worker``,
waits until the import is saving (inside its one transaction), sends SIGKILL, then checks:

1. nothing partial is left: no person, referral, status row, import key or audit entry of
   the import exists (the transaction died with the process);
2. the task is not silently lost: it is still RUNNING (django-tasks-db cannot know), and
   ``manage.py reap_tasks`` marks it failed and enqueues it again (the import is
   idempotent), the page shows "interrupted, being tried again";
3. a new worker completes it: exactly the file's rows, once.

Results: benchmarks/results/resilience-kill-import.json.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from _django import (
    ROOT,
    export_csv,
    fresh_database,
    machine,
    seed_service,
    setup_django,
    write_result,
)


def _counts():
    from ipsworks.access.models import AccessLogEntry
    from ipsworks.imports.models import ImportedReferral
    from ipsworks.people.models import Person, Referral, ReferralStatusChange

    return {
        "people": Person.objects.count(),
        "referrals": Referral.objects.count(),
        "status_rows": ReferralStatusChange.objects.count(),
        "import_keys": ImportedReferral.objects.count(),
        "audit_creates": AccessLogEntry.objects.filter(path__startswith="import:").count(),
    }


def _worker(env, *extra):
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.2",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--into-save", type=float, default=1.5, help="seconds into the save")
    args = parser.parse_args()
    url, drop = fresh_database("resilience_kill")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "IPS_SECRET_KEY": "resilience-only",
        "DJANGO_SETTINGS_MODULE": "ipsworks.config.settings",
    }
    result: dict = {"rows": args.rows, "machine": machine()}
    try:
        setup_django(url)
        from django.core.management import call_command
        from django.db import connection, transaction
        from django_tasks_db.models import DBTaskResult

        from ipsworks.imports import services
        from ipsworks.imports.models import ImportRun

        result["engine"] = connection.vendor
        _, manager = seed_service()
        before = _counts()
        with transaction.atomic():
            run = services.request_import(
                filename="big.csv", data=export_csv(args.rows), by=manager
            )
        worker = _worker(env, "--worker-id", "doomed-worker")
        started = time.monotonic()
        state = None
        while time.monotonic() - started < 600:
            state = ImportRun.objects.values_list("status", flat=True).get(pk=run.pk)
            if state == "saving":
                break
            time.sleep(0.05)
        saving_at = time.monotonic() - started
        time.sleep(args.into_save)
        still = ImportRun.objects.values_list("status", flat=True).get(pk=run.pk)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        killed_at = time.monotonic() - started
        time.sleep(1)  # the server notices the dropped connection and rolls back
        connection.close()
        after_kill = _counts()
        task = DBTaskResult.objects.get()
        result["kill"] = {
            "seconds_until_saving": round(saving_at, 2),
            "killed_after_seconds": round(killed_at, 2),
            "status_when_killed": still,
            "counts_before": before,
            "counts_after_kill": after_kill,
            "nothing_partial": after_kill == before,
            "task_status_after_kill": task.status,
            "import_status_after_kill": ImportRun.objects.get(pk=run.pk).status,
        }
        call_command("reap_tasks", minutes=0, verbosity=0)
        task.refresh_from_db()
        run.refresh_from_db()
        result["reaped"] = {
            "lost_task_status": task.status,
            "lost_task_reason": task.exception_class_path,
            "import_status": run.status,
            "import_message": run.error,
            "requeued_tasks": DBTaskResult.objects.filter(status="READY").count(),
        }
        begin = time.monotonic()
        retry = _worker(env, "--batch", "--worker-id", "second-worker")
        retry.wait(timeout=900)
        run.refresh_from_db()
        final = _counts()
        result["retry"] = {
            "seconds": round(time.monotonic() - begin, 2),
            "import_status": run.status,
            "attempts": run.attempts,
            "referrals_created": run.referrals_created,
            "counts": final,
            "exactly_once": final["referrals"] == args.rows and final["import_keys"] == args.rows,
        }
        result["passed"] = bool(
            result["kill"]["nothing_partial"]
            and still == "saving"
            and result["reaped"]["requeued_tasks"] == 1
            and result["retry"]["exactly_once"]
        )
    finally:
        from django.db import connections

        connections.close_all()
        drop()
    path = write_result("resilience-kill-import.json", result)
    print(f"{'PASSED' if result.get('passed') else 'FAILED'}: {path}")
    print(result.get("kill"), result.get("reaped"), result.get("retry"), sep="\n")
    sys.exit(0 if result.get("passed") else 1)


if __name__ == "__main__":
    main()
