"""Every kind of background task whose worker died is enqueued again or failed visibly,
never silently lost: exports, the duty-inbox email, the daily reminders, and a task nobody
declared a recovery for."""

import datetime as dt
import io
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from ipsworks.core.dates import local_today
from ipsworks.jobs.models import Job, ReminderSent, SupportCheckIn
from ipsworks.jobs.tasks import send_support_reminders
from ipsworks.operations.reaper import LOST, reap
from ipsworks.outcomes.models import WORKER_STOPPED, WORKER_STOPPED_RETRYING, ExportFile
from ipsworks.outcomes.tasks import build_export
from ipsworks.public.models import DutyInboxNotice, PublicPage
from ipsworks.public.tasks import notify_duty_inbox
from tests import factories as f
from tests.public.conftest import referral_data

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = timedelta(minutes=30)


@task()
def undeclared_task(n: int) -> int:
    """A task whose module never said how to recover it."""
    return n


def _lose(task_path):
    """What a worker killed mid-task leaves: the newest run RUNNING, claimed an hour ago."""
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.filter(task_path=task_path).latest("enqueued_at")
    result.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - timedelta(hours=1))
    return result


def _ready(task_path):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task_path, status=TaskResultStatus.READY)


def _run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)


# --- Exports ---------------------------------------------------------------------------------


def _export_lost_part_way(world):
    export = ExportFile.objects.create(
        service=world.service,
        requested_by=world.manager,
        kind=ExportFile.Kind.IPS_GROW_CSV,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2026, 3, 31),
        period_label="2025-26",
    )
    build_export.enqueue(export.pk)
    _lose(build_export.module_path)
    ExportFile.objects.filter(pk=export.pk).update(status=ExportFile.Status.RUNNING, progress=40)
    return export


def test_a_lost_export_is_built_again_and_the_page_says_so(world, as_staff):
    export = _export_lost_part_way(world)
    (reaped,) = reap(older_than=LIMIT)
    assert reaped.requeued
    export.refresh_from_db()
    assert (export.status, export.progress) == (ExportFile.Status.QUEUED, 0)
    row = as_staff(world.manager).get(reverse("export_status", args=[export.pk]))
    assert WORKER_STOPPED_RETRYING in row.content.decode()
    assert _ready(build_export.module_path).get().args_kwargs["args"] == [export.pk]

    _run_worker()
    export.refresh_from_db()
    assert export.status == ExportFile.Status.READY
    assert export.error == ""
    assert bytes(export.content)


def test_an_export_that_loses_its_worker_twice_fails_with_a_message_on_the_page(world, as_staff):
    export = _export_lost_part_way(world)
    reap(older_than=LIMIT)
    _lose(build_export.module_path)  # the second run dies too
    (reaped,) = reap(older_than=LIMIT)
    assert not reaped.requeued
    export.refresh_from_db()
    assert export.status == ExportFile.Status.FAILED
    assert export.error == WORKER_STOPPED
    assert export.finished_at is not None
    assert not _ready(build_export.module_path).exists()
    page = as_staff(world.manager).get(reverse("exports")).content.decode()
    assert "Failed" in page
    assert WORKER_STOPPED in page
    assert "Being built" not in page


def test_an_export_that_fails_on_its_own_still_says_try_again(world, as_staff):
    export = _export_lost_part_way(world)
    ExportFile.objects.filter(pk=export.pk).update(
        status=ExportFile.Status.FAILED, error="division by zero"
    )
    row = as_staff(world.manager).get(reverse("export_status", args=[export.pk])).content
    assert "Try again, or tell your administrator" in row.decode()
    assert "division by zero" not in row.decode()


# --- The duty-inbox email --------------------------------------------------------------------


def _self_referral(world):
    PublicPage.objects.create(
        service=world.service,
        is_enabled=True,
        contact_phone="01632 960 001",
        duty_inbox_email="duty@north-county.invalid",
    )
    response = Client().post(
        reverse("public_self_referral", kwargs={"short_name": "north-county"}), referral_data()
    )
    assert response.status_code == 302
    return DutyInboxNotice.objects.get()


def test_a_duty_inbox_email_lost_before_it_was_sent_is_sent_once(world):
    notice = _self_referral(world)
    _lose(notify_duty_inbox.module_path)
    (reaped,) = reap(older_than=LIMIT)
    assert reaped.requeued
    _run_worker()
    assert [m.to for m in mail.outbox] == [["duty@north-county.invalid"]]
    notice.refresh_from_db()
    assert notice.sent_at is not None


def test_a_duty_inbox_email_lost_after_it_was_sent_is_not_sent_again(world):
    notice = _self_referral(world)
    lost = _lose(notify_duty_inbox.module_path)
    # The dying worker got as far as sending the email.
    assert notify_duty_inbox.call(**lost.args_kwargs["kwargs"]) is True
    assert len(mail.outbox) == 1
    reap(older_than=LIMIT)
    _run_worker()
    assert len(mail.outbox) == 1
    assert DutyInboxNotice.objects.get(pk=notice.pk).sent_at is not None
    assert not _ready(notify_duty_inbox.module_path).exists()


# --- The daily reminders ---------------------------------------------------------------------


def _overdue_check_in(world, referral):
    job = Job.objects.create(
        service=world.service,
        person=referral.person,
        referral=referral,
        employer=f.EmployerFactory(service=world.service),
        job_title="Porter",
        soc_major_group="9",
        contract_type="permanent",
        start_date=local_today() - dt.timedelta(days=20),
        hours_per_week=Decimal(20),
        hourly_pay_pence=1300,
        competitive=True,
        four_hours_worked=True,
        recorded_by=world.es_a,
    )
    SupportCheckIn.objects.create(
        service=world.service,
        job=job,
        person=referral.person,
        kind=SupportCheckIn.Kind.FIRST,
        opens_on=local_today() - dt.timedelta(days=20),
        due_on=local_today() - dt.timedelta(days=10),
    )


def test_reminders_lost_part_way_are_run_again_and_nobody_is_reminded_twice(world):
    _overdue_check_in(world, world.referral_a)
    _overdue_check_in(world, world.referral_b)
    world.es_a.user.email = "es.a@example.com"
    world.es_a.user.save()
    call_command("send_support_reminders", stdout=io.StringIO())
    lost = _lose(send_support_reminders.module_path)
    assert lost.args_kwargs["kwargs"] == {"on": local_today().isoformat()}
    # The dying worker reminded es_a; es_b's address was only added afterwards.
    assert send_support_reminders.call(**lost.args_kwargs["kwargs"]) == 1
    world.es_b.user.email = "es.b@example.com"
    world.es_b.user.save()

    (reaped,) = reap(older_than=LIMIT)
    assert reaped.requeued
    _run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["es.a@example.com", "es.b@example.com"]

    _lose(send_support_reminders.module_path)  # the re-run's worker dies as well
    (reaped,) = reap(older_than=LIMIT)
    assert not reaped.requeued  # two runs in all
    assert send_support_reminders.call(on=local_today().isoformat()) == 0
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2


# --- A task nobody declared ------------------------------------------------------------------


@pytest.mark.parametrize("renamed", [False, True], ids=["undeclared", "no-longer-importable"])
def test_a_lost_task_without_a_recovery_is_left_failed_and_logged_as_an_error(
    world, caplog, renamed
):
    from django_tasks_db.models import DBTaskResult

    undeclared_task.enqueue(7)
    lost = _lose(undeclared_task.module_path)
    if renamed:
        DBTaskResult.objects.filter(pk=lost.pk).update(task_path="ipsworks.gone.tasks.removed")
    with caplog.at_level(logging.WARNING, logger="ipsworks.operations"):
        (reaped,) = reap(older_than=LIMIT)
    assert not reaped.requeued
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED
    assert lost.exception_class_path == LOST
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert "no declared recovery" in record.getMessage()
    assert lost.task_path in record.getMessage()
