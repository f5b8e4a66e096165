"""Recovery: a task whose worker died is failed visibly and retried when safe; a database
outage is a clean 503, never a traceback."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus

from ipsworks.imports import services
from ipsworks.imports.models import ImportRun
from ipsworks.imports.tasks import run_import_task
from ipsworks.operations.reaper import LOST, MAX_TRIES, reap
from tests.imports.conftest import as_csv, row

pytestmark = pytest.mark.django_db(transaction=True)


def _claimed_then_lost(run_pk):
    """What a worker killed mid-import leaves: the task RUNNING, the import part-way."""
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.filter(task_path=run_import_task.module_path).latest(
        "enqueued_at"
    )
    result.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - timedelta(hours=1))
    ImportRun.objects.filter(pk=run_pk).update(status="saving", progress=60, attempts=1)
    return result


def _upload(world):
    run = services.request_import(filename="x.csv", data=as_csv([row()]), by=world.manager)
    return run


def test_a_lost_import_is_failed_then_retried_and_completes(world):
    from django_tasks_db.models import DBTaskResult

    run = _upload(world)
    lost = _claimed_then_lost(run.pk)
    call_command("reap_tasks", minutes=30, verbosity=0)
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED
    assert lost.exception_class_path == LOST
    assert "worker-that-died" in lost.traceback
    run.refresh_from_db()
    assert run.status == ImportRun.Status.QUEUED
    assert "tried again" in run.error
    retry = DBTaskResult.objects.filter(status=TaskResultStatus.READY).get()
    assert retry.args_kwargs == lost.args_kwargs
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert run.referrals_created == 1


def test_a_task_that_keeps_losing_its_worker_is_failed_on_the_page(world, as_staff):
    from django_tasks_db.models import DBTaskResult

    run = _upload(world)
    for _ in range(MAX_TRIES):
        _claimed_then_lost(run.pk)
        reap(older_than=timedelta(minutes=30))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "Nothing was saved" in run.error
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    page = as_staff(world.manager).get("/imports/").content.decode()
    assert "Failed" in page


def test_running_tasks_inside_the_limit_are_left_alone(world):
    from django_tasks_db.models import DBTaskResult

    _upload(world)
    result = DBTaskResult.objects.get()
    result.claim("busy-worker")
    assert reap(older_than=timedelta(minutes=30)) == []
    result.refresh_from_db()
    assert result.status == TaskResultStatus.RUNNING


def test_a_database_outage_is_a_503_page_without_a_traceback(world, monkeypatch):
    from ipsworks.access import middleware

    def down(self, request):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(middleware.StaffMemberMiddleware, "__call__", down)
    client = Client(raise_request_exception=False)
    client.force_login(world.manager.user)
    page = client.get("/caseload/")
    assert page.status_code == 503
    assert page["Retry-After"] == "10"
    body = page.content.decode()
    assert "Sorry, the service is unavailable" in body
    assert "Traceback" not in body
    assert "Connection refused" not in body
    api = client.get("/api/v1/people")
    assert api.status_code == 503
    assert api.json()["errors"] == []


def test_other_errors_still_get_the_500_page(world, monkeypatch):
    from ipsworks.access import middleware

    def broken(self, request):
        raise RuntimeError("a bug")

    monkeypatch.setattr(middleware.StaffMemberMiddleware, "__call__", broken)
    page = Client(raise_request_exception=False).get("/caseload/")
    assert page.status_code == 500
    assert "a bug" not in page.content.decode()
