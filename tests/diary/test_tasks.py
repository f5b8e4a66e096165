"""Tasks: a person's several things to do, each with an owner and maybe a due date; "My
tasks", with what is worked out from support check-ins, the 30-day employer contact and
appointments left unrecorded; the caseload's "needs attention"; who may see what."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipsworks.access.models import AccessLogEntry
from ipsworks.diary import services, worklist
from ipsworks.diary.models import Task
from ipsworks.jobs import services as jobs_services
from ipsworks.jobs.models import Job
from tests import factories as f

pytestmark = pytest.mark.django_db

ZONE = timezone.get_current_timezone()


def _task(world, *, title="Phone the depot", due_on=None, owner=None, person=None, by=None):
    return services.add_task(
        person=person or world.person_a,
        title=title,
        due_on=due_on,
        owner=owner or world.es_a,
        by=by or world.es_a,
    )


def _date(prefix, day):
    return {
        f"{prefix}[day]": str(day.day),
        f"{prefix}[month]": str(day.month),
        f"{prefix}[year]": str(day.year),
    }


# --- the rules --------------------------------------------------------------------------------


def test_a_task_is_added_completed_and_reopened_each_with_a_log_entry(world, today):
    task = _task(world, due_on=today + dt.timedelta(days=3))
    assert (task.service, task.owner, task.created_by, task.is_done) == (
        world.service,
        world.es_a,
        world.es_a,
        False,
    )
    services.complete_task(task=task, by=world.es_a)
    task.refresh_from_db()
    assert task.is_done
    assert task.done_by == world.es_a
    with pytest.raises(ValidationError, match="already done"):
        services.complete_task(task=task, by=world.es_a)
    services.reopen_task(task=task, by=world.es_a)
    task.refresh_from_db()
    assert (task.done_at, task.done_by) == (None, None)
    with pytest.raises(ValidationError, match="not done"):
        services.reopen_task(task=task, by=world.es_a)
    entries = AccessLogEntry.objects.filter(person_id=world.person_a.pk)
    actions = list(entries.order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "change", "change"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "Enter what needs doing"),
        ({"title": "x" * 201}, "title", "200 characters or fewer"),
        ({"due_on": 367}, "due_on", "within a year of today"),
        ({"due_on": -367}, "due_on", "within a year of today"),
        ({"owner": "outsider"}, "owner", "Select a specialist in this person's service"),
        ({"owner": "manager"}, "owner", "Select a specialist in this person's service"),
        ({"owner": "clinician"}, "owner", "Select a specialist in this person's service"),
    ],
)
def test_bad_tasks_are_refused_with_a_clear_message_and_nothing_written(
    world, today, changes, field, message
):
    kwargs = {"title": "Phone the depot", "due_on": None, "owner": world.es_a}
    if "title" in changes:
        kwargs["title"] = changes["title"]
    if "due_on" in changes:
        kwargs["due_on"] = today + dt.timedelta(days=changes["due_on"])
    if "owner" in changes:
        kwargs["owner"] = getattr(world, changes["owner"])
    logged = AccessLogEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        services.add_task(person=world.person_a, by=world.es_a, **kwargs)
    assert message in " ".join(raised.value.message_dict[field])
    assert not Task.objects.exists()
    assert AccessLogEntry.objects.count() == logged


def test_a_due_date_a_year_either_side_is_allowed(world, today):
    _task(world, due_on=today + dt.timedelta(days=365))
    _task(world, due_on=today - dt.timedelta(days=365))
    assert Task.objects.count() == 2


def test_someone_from_another_service_cannot_be_given_a_task(world):
    with pytest.raises(ValidationError, match="your own service"):
        services.add_task(
            person=world.person_other,
            title="Call",
            due_on=None,
            owner=world.outsider,
            by=world.es_a,
        )
    assert not Task.objects.exists()


# --- the contact form ---------------------------------------------------------------------


def _contact(today, **extra):
    return {
        **_date("contact_date", today),
        "with_whom": "person",
        "mode": "face_to_face",
        "outcome": "completed",
        "place": "community",
        "duration_minutes": "30",
        "note": "",
        **extra,
    }


def test_the_contact_forms_next_step_becomes_a_task_on_my_list(world, as_staff, today):
    client = as_staff(world.es_a)
    response = client.post(
        reverse("contact_new", args=[world.person_a.pk]),
        _contact(
            today,
            next_action="Take the CV to the café",
            **_date("next_action_on", today + dt.timedelta(days=4)),
        ),
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.person, task.referral, task.owner, task.due_on) == (
        world.person_a,
        world.referral_a,
        world.es_a,
        today + dt.timedelta(days=4),
    )
    page = client.get(reverse("my_tasks")).content.decode()
    assert "Take the CV to the café" in page
    assert world.person_a.full_name in page
    world.referral_a.refresh_from_db()
    assert (world.referral_a.next_action, world.referral_a.next_action_on) == ("", None)


def test_a_contact_without_a_next_step_makes_no_task(world, as_staff, today):
    response = as_staff(world.es_a).post(
        reverse("contact_new", args=[world.person_a.pk]), _contact(today, next_action="")
    )
    assert response.status_code == 302
    assert not Task.objects.exists()


def test_a_manager_recording_a_contact_gives_the_next_step_to_the_allocated_specialist(
    world, as_staff, today
):
    from ipsworks.activity import services as activity

    activity.record_contact(
        referral=world.referral_a,
        details=activity.ContactDetails(
            contact_date=today,
            with_whom="person",
            mode="phone",
            outcome="completed",
            place="remote",
            duration_minutes=15,
        ),
        next_action="Send the application form",
        next_action_on=None,
        by=world.manager,
    )
    task = Task.objects.get()
    assert (task.owner, task.created_by) == (world.es_a, world.manager)


# --- moving the old next actions ----------------------------------------------------------


def _migration():
    return importlib.import_module("ipsworks.diary.migrations.0003_tasks_from_next_actions")


def test_open_referrals_next_actions_become_open_tasks_once(world, today):
    from ipsworks.people.models import Referral

    Referral.objects.filter(pk=world.referral_a.pk).update(
        next_action="Arrange a first meeting", next_action_on=today + dt.timedelta(days=2)
    )
    closed = f.ReferralFactory(
        person=f.PersonFactory(service=world.service),
        allocated_to=world.es_a,
        status="closed",
        closed_on=today,
        closure_reason="declined",
        next_action="Never carried over",
    )
    unallocated = f.ReferralFactory(
        person=f.PersonFactory(service=world.service), next_action="Nobody to own it"
    )
    move = _migration().open_tasks_from_next_actions
    assert move(apps, None) == 1
    task = Task.objects.get()
    assert (task.person, task.referral, task.owner, task.title, task.due_on, task.is_done) == (
        world.person_a,
        world.referral_a,
        world.es_a,
        "Arrange a first meeting",
        today + dt.timedelta(days=2),
        False,
    )
    assert move(apps, None) == 0  # run again: nothing twice
    assert not Task.objects.filter(referral__in=[closed, unallocated]).exists()
    world.referral_a.refresh_from_db()
    assert world.referral_a.next_action == "Arrange a first meeting"  # left in place


# --- My tasks -------------------------------------------------------------------------------


def test_my_tasks_lists_overdue_first_then_by_date_then_undated(world, as_staff, today):
    _task(world, title="Undated thing")
    _task(world, title="Later thing", due_on=today + dt.timedelta(days=20))
    _task(world, title="Soon thing", due_on=today + dt.timedelta(days=2))
    _task(world, title="Long overdue thing", due_on=today - dt.timedelta(days=9))
    _task(world, title="Overdue thing", due_on=today - dt.timedelta(days=1))
    _task(world, title="Colleague's thing", owner=world.colleague_a, person=world.person_a2)
    page = as_staff(world.es_a).get(reverse("my_tasks")).content.decode()
    order = [
        "Long overdue thing",
        "Overdue thing",
        "Soon thing",
        "Later thing",
        "Undated thing",
    ]
    positions = [page.index(title) for title in order]
    assert positions == sorted(positions)
    assert "9 days overdue" in page
    assert "Colleague&#39;s thing" not in page
    assert "Colleague's thing" not in page


def test_mark_done_takes_a_task_off_the_list_and_the_caseload_flag(world, as_staff, today):
    client = as_staff(world.es_a)
    task = _task(world, title="Ring the job centre", due_on=today - dt.timedelta(days=2))
    caseload = client.get(reverse("caseload")).content.decode()
    assert "Task overdue" in caseload
    assert "Ring the job centre" in caseload  # the caseload's "Next task"
    response = client.post(reverse("task_done", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.is_done
    assert "Done: Ring the job centre" in client.get(reverse("my_tasks")).content.decode()
    to_do, done = client.get(reverse("my_tasks")).content.decode().split(">Done today<")
    assert "Ring the job centre" not in to_do
    assert "Ring the job centre" in done
    assert "Task overdue" not in client.get(reverse("caseload")).content.decode()


def test_an_overdue_task_owned_by_anyone_flags_the_caseload(world, as_staff, today):
    _task(world, owner=world.colleague_a, by=world.manager, due_on=today - dt.timedelta(days=1))
    assert "Task overdue" in as_staff(world.es_a).get(reverse("caseload")).content.decode()


def test_in_work_support_due_appears_in_my_tasks(world, as_staff, today):
    jobs_services.record_job(
        referral=world.referral_a,
        details=jobs_services.JobDetails(
            employer=f.EmployerFactory(service=world.service),
            job_title="Warehouse operative",
            soc_major_group="9",
            contract_type=Job.ContractType.PERMANENT,
            start_date=today - dt.timedelta(days=3),
            hours_per_week=Decimal("20"),
            hourly_pay_pence=1300,
        ),
        by=world.es_a,
    )
    entries = worklist.my_tasks(world.es_a, today)
    support = [e for e in entries if e.source == "In-work support"]
    assert support
    assert all(e.person_name == world.person_a.full_name for e in support)
    page = as_staff(world.es_a).get(reverse("my_tasks")).content.decode()
    assert "In-work support" in page
    assert "Warehouse operative" in page


@pytest.mark.parametrize(("days_since_access", "listed"), [(30, True), (45, True), (29, False)])
def test_the_30_day_employer_contact_appears_once_due(world, today, days_since_access, listed):
    f.EpisodeFactory(referral=world.referral_a, access_date=today - dt.timedelta(days_since_access))
    entries = [e for e in worklist.my_tasks(world.es_a, today) if e.source.startswith("30-day")]
    assert bool(entries) is listed
    if listed:
        assert entries[0].due_on == today - dt.timedelta(days=days_since_access - 30)


def test_a_face_to_face_employer_contact_clears_the_30_day_entry(world, today):
    from ipsworks.employers.models import EmployerContact

    f.EpisodeFactory(referral=world.referral_a, access_date=today - dt.timedelta(days=40))
    EmployerContact.objects.create(
        service=world.service,
        employer=f.EmployerFactory(service=world.service),
        person=world.person_a,
        staff=world.es_a,
        contact_date=today - dt.timedelta(days=5),
        mode=EmployerContact.Mode.FACE_TO_FACE,
        purpose=EmployerContact.Purpose.choices[0][0],
    )
    assert not [e for e in worklist.my_tasks(world.es_a, today) if e.source.startswith("30-day")]


def test_a_past_appointment_with_no_outcome_appears_until_it_is_recorded(world, as_staff, today):
    yesterday = today - dt.timedelta(days=1)
    appointment = services.book_appointment(
        details=services.AppointmentDetails(
            kind="person",
            starts_at=dt.datetime.combine(yesterday, dt.time(10), tzinfo=ZONE),
            ends_at=dt.datetime.combine(yesterday, dt.time(11), tzinfo=ZONE),
            place="community",
            person=world.person_a,
        ),
        by=world.es_a,
    )
    client = as_staff(world.es_a)
    page = client.get(reverse("my_tasks")).content.decode()
    assert "Appointment outcome" in page
    assert reverse("appointment_detail", args=[appointment.pk]) in page
    own_time = services.book_appointment(
        details=services.AppointmentDetails(
            kind="own_time",
            starts_at=dt.datetime.combine(yesterday, dt.time(14), tzinfo=ZONE),
            ends_at=dt.datetime.combine(yesterday, dt.time(15), tzinfo=ZONE),
            place="office",
            title="Training",
        ),
        by=world.es_a,
    )
    page = client.get(reverse("my_tasks")).content.decode()
    assert reverse("appointment_detail", args=[own_time.pk]) not in page
    services.record_outcome(
        appointment=appointment, status="cancelled_person", note="", by=world.es_a
    )
    assert "Appointment outcome" not in client.get(reverse("my_tasks")).content.decode()


def test_my_tasks_reads_a_fixed_number_of_queries(world, as_staff, today):
    client = as_staff(world.es_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("my_tasks")).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for i in range(n):
            person = f.PersonFactory(service=world.service)
            f.ReferralFactory(person=person, team=world.team_a, allocated_to=world.es_a)
            _task(world, person=person, title=f"Task {i}", due_on=today - dt.timedelta(days=i))

    count()  # the first page of a session also reads who is signed in
    add(3)
    few = count()
    add(27)
    assert count() == few
    assert Task.objects.count() == 30


# --- the person's record ------------------------------------------------------------------


def test_a_task_is_added_from_the_persons_page_and_listed_there(world, as_staff, today):
    client = as_staff(world.es_a)
    page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert reverse("person_task_new", args=[world.person_a.pk]) in page
    response = client.post(
        reverse("person_task_new", args=[world.person_a.pk]),
        {
            "title": "Help with the application",
            "owner": str(world.es_a.pk),
            **_date("due_on", today + dt.timedelta(days=5)),
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.referral, task.owner) == (world.referral_a, world.es_a)
    page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert "Help with the application" in page


def test_the_add_a_task_page_refuses_bad_input(world, as_staff, today):
    response = as_staff(world.es_a).post(
        reverse("person_task_new", args=[world.person_a.pk]),
        {
            "title": "",
            "owner": str(world.es_a.pk),
            **_date("due_on", today + dt.timedelta(days=400)),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter what needs doing" in body
    assert not Task.objects.exists()
    response = as_staff(world.es_a).post(
        reverse("person_task_new", args=[world.person_a.pk]),
        {
            "title": "Call",
            "owner": str(world.es_a.pk),
            **_date("due_on", today.replace(year=today.year + 2)),
        },
    )
    assert "The due date must be within a year of today" in response.content.decode()
    assert not Task.objects.exists()


# --- who may see what -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["es_b", "colleague_a", "outsider", "clinician", "commissioner"]
)
def test_other_personas_get_no_task_data(world, as_staff, persona, today):
    task = _task(world, title="Secret errand", due_on=today - dt.timedelta(days=1))
    client = as_staff(getattr(world, persona))
    tasks_page = client.get(reverse("my_tasks"))
    assert tasks_page.status_code in (200, 403)
    body = tasks_page.content.decode()
    assert "Secret errand" not in body
    assert world.person_a.family_name not in body
    assert client.post(reverse("task_done", args=[task.pk])).status_code in (403, 404)
    assert client.post(reverse("task_reopen", args=[task.pk])).status_code in (403, 404)
    new = client.get(reverse("person_task_new", args=[world.person_a.pk]))
    assert new.status_code in (403, 404)
    assert world.person_a.family_name not in new.content.decode()
    assert client.post(
        reverse("person_task_new", args=[world.person_a.pk]),
        {"title": "Sneaky", "owner": str(world.es_a.pk)},
    ).status_code in (403, 404)
    task.refresh_from_db()
    assert not task.is_done
    assert Task.objects.count() == 1


@pytest.mark.parametrize("persona", ["clinician", "commissioner"])
def test_roles_without_a_diary_have_no_tasks_page(world, as_staff, persona):
    assert as_staff(getattr(world, persona)).get(reverse("my_tasks")).status_code == 403


def test_a_task_about_someone_who_left_my_scope_shows_without_their_name(world, as_staff):
    """Given to es_b by a manager, about person_a (team A, not es_b's)."""
    _task(world, title="Return the forms", owner=world.es_b, by=world.manager)
    page = as_staff(world.es_b).get(reverse("my_tasks")).content.decode()
    assert "Return the forms" in page
    assert world.person_a.family_name not in page
    assert "no longer in your scope" in page


def test_a_manager_may_tick_off_a_task_in_their_service(world, as_staff):
    task = _task(world)
    response = as_staff(world.manager).post(reverse("task_done", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_by == world.manager


def test_visible_tasks_are_the_owners_and_a_managers_and_can_be_kept_to_people_in_scope(world):
    own = _task(world)
    given_away = _task(world, title="About someone else's person", owner=world.es_b)
    assert set(Task.objects.visible_to(world.es_a)) == {own}
    assert set(Task.objects.visible_to(world.es_b)) == {given_away}
    assert not Task.objects.visible_to(world.es_b).about_people_in_scope(world.es_b).exists()
    assert set(Task.objects.visible_to(world.manager)) == {own, given_away}
    for persona in ("colleague_a", "outsider", "clinician", "commissioner", "admin"):
        assert not Task.objects.visible_to(getattr(world, persona)).exists()


def test_a_task_ticked_off_by_mistake_is_reopened_from_my_tasks(world, as_staff, today):
    client = as_staff(world.es_a)
    task = _task(world, title="Book the interview room")
    client.post(reverse("task_done", args=[task.pk]))
    page = client.get(reverse("my_tasks")).content.decode()
    assert "Done today" in page
    assert reverse("task_reopen", args=[task.pk]) in page
    assert client.post(reverse("task_reopen", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert not task.is_done
    page = client.get(reverse("my_tasks")).content.decode()
    assert "Done today" not in page
    assert "Book the interview room" in page
