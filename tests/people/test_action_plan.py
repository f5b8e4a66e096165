"""The employment action plan: goals in the person's words, steps with who and when,
versioned like the vocational profile, and printable to give to the person."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.core.models import AppendOnlyError
from ipsworks.people import privacy, services
from ipsworks.people.models import ActionPlan, ActionStep
from ipsworks.people.services import PlanStep
from tests import factories as f

pytestmark = pytest.mark.django_db

GOALS = "I want a job outdoors, mornings only,\nso I can still pick up my son"


def _date(prefix, day):
    return {
        f"{prefix}[day]": str(day.day),
        f"{prefix}[month]": str(day.month),
        f"{prefix}[year]": str(day.year),
    }


def _post(goals=GOALS, steps=(), **extra):
    """The form as posted: ``steps`` are (text, owner, due_on, done) for the first rows."""
    data = {"goals": goals, **extra}
    for row in range(1, 7):
        data[f"step_{row}_owner"] = "person"
    for row, (text, owner, due_on, done) in enumerate(steps, start=1):
        data[f"step_{row}_text"] = text
        data[f"step_{row}_owner"] = owner
        if due_on is not None:
            data.update(_date(f"step_{row}_due_on", due_on))
        if done:
            data[f"step_{row}_done"] = "on"
    return data


def _url(name, person):
    return reverse(name, args=[person.pk])


def _plan(world, *, steps=2, by=None, goals=GOALS):
    return services.save_action_plan(
        person=world.person_a,
        goals=goals,
        steps=[PlanStep(text=f"Step number {n}", owner="specialist") for n in range(steps)],
        by=by or world.es_a,
    )


def test_the_first_plan_is_saved_with_its_steps_and_blank_rows_ignored(world, as_staff, today):
    client = as_staff(world.es_a)
    week = today + dt.timedelta(days=7)
    response = client.post(
        _url("action_plan_edit", world.person_a),
        _post(
            steps=[
                ("Write a CV with Sam", "specialist", week, False),
                (
                    "Ask the care coordinator about the benefits review",
                    "clinical_team",
                    None,
                    False,
                ),
                ("Visit the garden centre", "person", today, True),
            ],
            **_date("review_on", today + dt.timedelta(days=90)),
        ),
    )
    assert response.status_code == 302
    assert response.url == _url("action_plan", world.person_a)
    plan = ActionPlan.objects.get()
    assert (plan.version, plan.goals, plan.recorded_by) == (1, GOALS, world.es_a)
    assert plan.review_on == today + dt.timedelta(days=90)
    steps = list(plan.steps.values_list("position", "text", "owner", "due_on", "done"))
    assert steps == [
        (1, "Write a CV with Sam", "specialist", week, False),
        (2, "Ask the care coordinator about the benefits review", "clinical_team", None, False),
        (3, "Visit the garden centre", "person", today, True),
    ]
    assert AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.CHANGE, person_id=world.person_a.pk, object_id=plan.pk
    ).exists()


def test_a_review_is_a_new_version_with_its_own_steps_and_the_old_one_stays(world, as_staff, today):
    client = as_staff(world.es_a)
    url = _url("action_plan_edit", world.person_a)
    client.post(url, _post(steps=[("Write a CV", "specialist", None, False)]))
    form = client.get(url).content.decode()
    assert "Write a CV" in form  # the review starts from the current plan
    assert "Why are you updating the plan?" in form
    client.post(
        url,
        _post(
            goals="A job outdoors, any time of day now",
            steps=[
                ("Write a CV", "specialist", None, True),
                ("Apply to the parks team", "person", today, False),
            ],
            change_reason="CV done; the school run has changed",
        ),
    )
    first, second = ActionPlan.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert list(first.steps.values_list("text", "done")) == [("Write a CV", False)]
    assert list(second.steps.values_list("text", "done")) == [
        ("Write a CV", True),
        ("Apply to the parks team", False),
    ]
    assert first.goals == GOALS
    assert second.change_reason == "CV done; the school run has changed"
    assert ActionStep.objects.count() == 3
    with pytest.raises(AppendOnlyError):
        first.steps.first().save()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_post(goals=""), "Enter their goals, in their own words"),
        (_post(goals="   "), "Enter their goals, in their own words"),
        (_post(goals="x" * 4001), "4,000 characters or fewer"),
        (
            {**_post(), **_date("step_2_due_on", dt.date.today())},
            "Enter step 2, or remove its date and tick",
        ),
        ({**_post(), "step_3_done": "on"}, "Enter step 3, or remove its date and tick"),
        (
            _post(steps=[("Apply", "person", dt.date.today() + dt.timedelta(days=800), False)]),
            "The date for step 1 must be no more than 2 years from now",
        ),
        (
            {**_post(), **_date("review_on", dt.date.today() + dt.timedelta(days=800))},
            "The review date must be between today and 2 years from now",
        ),
        (
            {**_post(), **_date("review_on", dt.date.today() - dt.timedelta(days=1))},
            "The review date must be between today and 2 years from now",
        ),
        ({**_post(steps=[("Apply", "person", None, False)]), "step_1_owner": ""}, "Select who"),
        ({**_post(steps=[("Apply", "boss", None, False)])}, "Select a valid choice"),
        ({**_post(), "step_1_text": "x" * 301}, "Step 1 must be 300 characters or fewer"),
        ({**_post(), "step_4_due_on[day]": "31", "step_4_due_on[month]": "2"}, "step 4"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
    world, as_staff, data, message
):
    response = as_staff(world.es_a).post(_url("action_plan_edit", world.person_a), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not ActionPlan.objects.exists()
    assert not ActionStep.objects.exists()


def test_the_service_refuses_a_plan_the_form_would_refuse_and_writes_nothing(world, today):
    from django.core.exceptions import ValidationError

    far = today + dt.timedelta(days=800)
    with pytest.raises(ValidationError, match="review date"):
        services.save_action_plan(
            person=world.person_a, goals=GOALS, steps=[], by=world.es_a, review_on=far
        )
    with pytest.raises(ValidationError, match="step's date"):
        services.save_action_plan(
            person=world.person_a,
            goals=GOALS,
            steps=[PlanStep(text="Apply", owner="person", due_on=far)],
            by=world.es_a,
        )
    with pytest.raises(ValidationError):
        services.save_action_plan(person=world.person_a, goals=" ", steps=[], by=world.es_a)
    with pytest.raises(ValidationError):
        services.save_action_plan(
            person=world.person_a,
            goals=GOALS,
            steps=[PlanStep(text="", owner="person")],
            by=world.es_a,
        )
    assert not ActionPlan.objects.exists()
    assert not ActionStep.objects.exists()


def test_the_history_lists_every_version_with_what_changed(world, as_staff):
    _plan(world, steps=1)
    services.save_action_plan(
        person=world.person_a,
        goals="Any outdoor job",
        steps=[PlanStep(text="Step number 0", owner="specialist", done=True)],
        by=world.es_a,
        change_reason="Reviewed after the interview",
    )
    page = as_staff(world.colleague_a).get(_url("action_plan_history", world.person_a))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Employment action plan: every version" in html
    assert 'href="#version-1"' in html
    assert 'href="#version-2"' in html
    assert "Why it changed: Reviewed after the interview" in html
    assert "Any outdoor job" in html
    assert "Step number 0: Employment specialist (done)" in html


def test_the_plan_page_is_printable_for_the_person(world, as_staff, today):
    services.save_action_plan(
        person=world.person_a,
        goals=GOALS,
        steps=[
            PlanStep(text="Write a CV with Sam", owner="specialist", due_on=today),
            PlanStep(text="Tell the family about the interview", owner="family", done=True),
        ],
        review_on=today + dt.timedelta(days=30),
        change_reason="internal reason the person need not be given",
        by=world.es_a,
    )
    html = as_staff(world.es_a).get(_url("action_plan", world.person_a)).content.decode()
    assert "I want a job outdoors, mornings only,<br>so I can still pick up my son" in html
    assert "Write a CV with Sam" in html
    assert "Family, carer or supporter" in html
    assert "data-print" in html
    assert 'class="ips-no-print"' in html  # the back link is left off the paper
    assert f"Agreed with {world.es_a.display_name}" in html
    assert "internal reason" not in html
    assert _url("action_plan_edit", world.person_a) in html


def test_the_person_page_shows_the_goals_and_the_next_steps_not_done(world, as_staff, today):
    services.save_action_plan(
        person=world.person_a,
        goals=GOALS,
        steps=[
            PlanStep(text="Undated step", owner="person"),
            PlanStep(text="Finished step", owner="person", done=True),
            PlanStep(text="Soonest step", owner="specialist", due_on=today),
            PlanStep(text="Later step", owner="clinical_team", due_on=today + dt.timedelta(days=9)),
            PlanStep(text="Second undated step", owner="person"),
        ],
        by=world.es_a,
    )
    html = as_staff(world.es_a).get(_url("person_detail", world.person_a)).content.decode()
    assert "so I can still pick up my son" in html
    assert "Finished step" not in html
    assert html.index("Soonest step") < html.index("Later step") < html.index("Undated step")
    assert "Second undated step" not in html  # three shown; the plan page has them all
    assert _url("action_plan", world.person_a) in html
    assert "Employment action plan agreed" in html  # on the timeline, linked to its version
    assert _url("action_plan_history", world.person_a) + "#version-1" in html


def test_the_person_page_offers_to_start_a_plan(world, as_staff):
    html = as_staff(world.es_a).get(_url("person_detail", world.person_a)).content.decode()
    assert "Start action plan" in html
    assert "No action plan yet" in html


def test_a_clinician_sees_no_plan(world, as_staff):
    _plan(world)
    client = as_staff(world.clinician)
    summary = client.get(_url("person_detail", world.person_a))
    assert summary.status_code == 200
    html = summary.content.decode()
    assert "so I can still pick up my son" not in html
    assert "Step number 0" not in html
    for name in ("action_plan", "action_plan_history", "action_plan_edit"):
        response = client.get(_url(name, world.person_a))
        assert response.status_code == 403
        assert "pick up my son" not in response.content.decode()


@pytest.mark.parametrize("persona", ["es_b", "outsider"])
def test_another_team_or_service_gets_not_found_and_writes_nothing(world, as_staff, persona):
    _plan(world)
    client = as_staff(getattr(world, persona))
    for name in ("action_plan", "action_plan_history", "action_plan_edit"):
        response = client.get(_url(name, world.person_a))
        assert response.status_code == 404
        assert "pick up my son" not in response.content.decode()
    response = client.post(_url("action_plan_edit", world.person_a), _post(goals="Overwritten"))
    assert response.status_code == 404
    assert ActionPlan.objects.count() == 1


def test_a_colleague_reads_the_plan_but_only_the_specialist_changes_it(world, as_staff):
    _plan(world)
    client = as_staff(world.colleague_a)
    page = client.get(_url("action_plan", world.person_a))
    assert page.status_code == 200
    assert _url("action_plan_edit", world.person_a) not in page.content.decode()
    assert client.post(_url("action_plan_edit", world.person_a), _post()).status_code == 403
    assert ActionPlan.objects.count() == 1


def test_anonymous_is_sent_to_sign_in_and_a_post_to_a_read_page_is_refused(world, client, as_staff):
    assert client.get(_url("action_plan", world.person_a)).status_code == 302
    specialist = as_staff(world.es_a)
    assert specialist.post(_url("action_plan", world.person_a)).status_code == 405
    assert specialist.post(_url("action_plan_history", world.person_a)).status_code == 405


def test_the_plan_page_query_count_does_not_grow_with_the_steps(
    world, as_staff, django_assert_num_queries
):
    client = as_staff(world.es_a)
    _plan(world, steps=1)
    url = _url("action_plan", world.person_a)
    client.get(url)  # the first request of a session also writes the session row
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _plan(world, steps=6)
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert response.content.decode().count("Step number") == 6


def test_the_plan_and_its_steps_are_exported_and_anonymised(world, today):
    plan = _plan(world, steps=2)
    data = privacy.subject_access_data(world.person_a)
    assert [row["goals"] for row in data["employment_action_plans"]] == [GOALS]
    assert [row["text"] for row in data["employment_action_plan_steps"]] == [
        "Step number 0",
        "Step number 1",
    ]
    services.anonymise(world.person_a, today=today)
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.goals == ""
    assert set(ActionStep.objects.values_list("text", flat=True)) == {""}
    assert ActionStep.objects.filter(plan=plan, owner="specialist").count() == 2


def test_two_specialists_recording_plans_number_versions_per_person(world):
    other = f.ReferralFactory(
        person=f.PersonFactory(service=world.service), team=world.team_a, allocated_to=world.es_a
    ).person
    _plan(world)
    services.save_action_plan(person=other, goals="Office work", steps=[], by=world.es_a)
    _plan(world)
    assert list(
        ActionPlan.objects.filter(person=world.person_a).values_list("version", flat=True)
    ) == [2, 1]
    assert ActionPlan.objects.get(person=other).version == 1


def test_the_history_query_count_does_not_grow_with_the_versions_or_steps(
    world, as_staff, django_assert_num_queries
):
    client = as_staff(world.es_a)
    url = _url("action_plan_history", world.person_a)
    # Made first: a new staff member changes who is signed in (ADR 0010) and the next
    # request would read the user again.
    recorders = [f.StaffFactory(service=world.service) for _ in range(5)]
    for by in recorders[:2]:
        _plan(world, steps=1, by=by)
    client.get(url)  # the first request of a session also writes the session row
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for by in recorders[2:]:
        _plan(world, steps=6, by=by)
    with django_assert_num_queries(len(two)):
        response = client.get(url)
    assert response.content.decode().count('<a href="#version-') == 5
