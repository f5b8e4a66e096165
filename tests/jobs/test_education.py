"""Education and training on the person's record: the rules, the pages, the timeline and the
privacy tools. A course is its own outcome and never a job (tests/outcomes has the figures)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.jobs import services
from ipsworks.jobs.forms import EducationForm
from ipsworks.jobs.models import EducationOrTraining, Job
from ipsworks.people import privacy, timeline
from ipsworks.people.services import anonymise
from tests import factories as f

pytestmark = pytest.mark.django_db


def _details(start, **overrides):
    values = {
        "kind": EducationOrTraining.Kind.FURTHER_EDUCATION,
        "provider_name": "Northgate College",
        "course_title": "Access to Higher Education: Nursing",
        "started_on": start,
        "level": EducationOrTraining.Level.LEVEL_3,
    }
    values.update(overrides)
    return services.EducationDetails(**values)


def _date(prefix, day):
    return {
        f"{prefix}[day]": str(day.day),
        f"{prefix}[month]": str(day.month),
        f"{prefix}[year]": str(day.year),
    }


def _logged(action, course_id=None):
    entries = AccessLogEntry.objects.filter(action=action, object_type="EducationOrTraining")
    if course_id is not None:
        entries = entries.filter(object_id=course_id)
    return entries.count()


# --- the rules --------------------------------------------------------------------------


def test_a_course_start_is_recorded_on_the_referral_and_logged(world, today):
    course = services.record_education_start(
        referral=world.referral_a,
        details=_details(
            today, hours_per_week=Decimal("16"), planned_end_on=today.replace(year=today.year + 1)
        ),
        by=world.es_a,
    )
    assert (course.person_id, course.service_id) == (world.person_a.pk, world.service.pk)
    assert course.outcome == EducationOrTraining.Outcome.ONGOING
    assert course.ended_on is None
    assert _logged(AccessLogEntry.Action.CREATE, course.pk) == 1
    assert not Job.objects.exists()  # a course is never recorded as a job


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"started_on": -1}, "started_on", "cannot be before the referral was received"),
        ({"started_on": 200}, "started_on", "within the next 6 months"),
        ({"planned_end_on": -1}, "planned_end_on", "cannot be before the start date"),
        ({"kind": "apprenticeship"}, "kind", "Select the kind of education or training"),
        ({"kind": "volunteering"}, "kind", "Select the kind of education or training"),
        ({"level": "9"}, "level", "Select the level from the list"),
        ({"course_title": "  "}, "course_title", "Enter the course title"),
        ({"provider_name": ""}, "provider_name", "Enter the college, university or provider"),
    ],
)
def test_a_bad_course_start_is_refused_with_a_clear_message_and_nothing_written(
    world, today, overrides, field, message
):
    received = world.referral_a.received_on
    values = dict(overrides)
    if "started_on" in values:
        values["started_on"] = (received if values["started_on"] < 0 else today) + dt.timedelta(
            days=values["started_on"]
        )
    if "planned_end_on" in values:
        values["planned_end_on"] = today + dt.timedelta(days=values["planned_end_on"])
        values["started_on"] = today
    values.setdefault("started_on", today)
    with pytest.raises(ValidationError) as refused:
        services.record_education_start(
            referral=world.referral_a,
            details=_details(values.pop("started_on"), **values),
            by=world.es_a,
        )
    assert message in " ".join(refused.value.message_dict[field])
    assert not EducationOrTraining.objects.exists()
    assert _logged(AccessLogEntry.Action.CREATE) == 0


def test_a_course_cannot_start_after_the_referral_closed(world):
    received = dt.date.today() - dt.timedelta(days=90)
    referral = f.ReferralFactory(
        person=world.person_a,
        team=world.team_a,
        allocated_to=world.es_a,
        received_on=received,
        status="closed",
        closed_on=received + dt.timedelta(days=30),
        closure_reason="does_not_want_work",
    )
    with pytest.raises(ValidationError) as refused:
        services.record_education_start(
            referral=referral,
            details=_details(received + dt.timedelta(days=31)),
            by=world.es_a,
        )
    assert "cannot be after the referral closed" in refused.value.message_dict["started_on"][0]
    assert not EducationOrTraining.objects.exists()


def test_a_place_starting_within_six_months_may_be_recorded_ahead(world, today):
    course = services.record_education_start(
        referral=world.referral_a,
        details=_details(today + dt.timedelta(days=services.LATEST_FUTURE_START_DAYS)),
        by=world.es_a,
    )
    assert course.pk


@pytest.fixture
def course(world, today):
    return services.record_education_start(
        referral=world.referral_a,
        details=_details(world.referral_a.received_on + dt.timedelta(days=2)),
        by=world.es_a,
    )


def test_a_course_completed_keeps_its_end_date_and_is_logged(world, course, today):
    ended = services.record_education_end(
        course=course, ended_on=today, outcome="completed", by=world.es_a
    )
    ended.refresh_from_db()
    assert (ended.ended_on, ended.outcome) == (today, "completed")
    assert _logged(AccessLogEntry.Action.CHANGE, course.pk) == 1


@pytest.mark.parametrize(
    ("ended_on", "outcome", "field", "message"),
    [
        (None, "completed", "ended_on", "a completion needs an end date"),
        (None, "left_early", "ended_on", "Enter the date they left"),
        (-1, "completed", "ended_on", "cannot be before the start date"),
        (1, "completed", "ended_on", "today or in the past"),
        (0, "ongoing", "outcome", "completed it or left early"),
        (0, "passed", "outcome", "completed it or left early"),
    ],
)
def test_a_bad_ending_is_refused_and_the_course_stays_ongoing(
    world, course, today, ended_on, outcome, field, message
):
    if ended_on == -1:
        day = course.started_on - dt.timedelta(days=1)
    elif ended_on is None:
        day = None
    else:
        day = today + dt.timedelta(days=ended_on)
    with pytest.raises(ValidationError) as refused:
        services.record_education_end(course=course, ended_on=day, outcome=outcome, by=world.es_a)
    assert message in refused.value.message_dict[field][0]
    course.refresh_from_db()
    assert (course.ended_on, course.outcome) == (None, "ongoing")
    assert _logged(AccessLogEntry.Action.CHANGE) == 0


def test_a_course_cannot_end_twice(world, course, today):
    services.record_education_end(
        course=course, ended_on=today, outcome="left_early", by=world.es_a
    )
    with pytest.raises(ValidationError, match="already ended"):
        services.record_education_end(
            course=course, ended_on=today, outcome="completed", by=world.es_a
        )
    course.refresh_from_db()
    assert course.outcome == "left_early"


def test_the_form_offers_no_apprenticeship_or_volunteering():
    kinds = dict(EducationForm().fields["kind"].choices)
    assert "apprenticeship" not in kinds
    assert "volunteering" not in kinds
    assert set(kinds) == set(EducationOrTraining.Kind.values)


# --- the pages --------------------------------------------------------------------------


def _post(start, **overrides):
    data = {
        "kind": "vocational",
        "provider_name": "Riverside Training",
        "course_title": "Forklift licence",
        "level": "2",
        "hours_per_week": "12",
        **_date("started_on", start),
    }
    data.update(overrides)
    return data


def test_the_specialist_records_a_course_and_sees_it_on_the_work_tab(world, as_staff, today):
    client = as_staff(world.es_a)
    url = reverse("education_new", args=[world.person_a.pk])
    assert "Record education or training" in client.get(url).content.decode()
    response = client.post(url, _post(today))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/people/{world.person_a.pk}/#work")
    course = EducationOrTraining.objects.get()
    assert (course.kind, course.level, course.hours_per_week) == ("vocational", "2", Decimal(12))
    page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert "Forklift licence at Riverside Training" in page
    assert reverse("education_end", args=[course.pk]) in page
    assert reverse("education_new", args=[world.person_a.pk]) in page


def test_a_start_before_the_referral_is_shown_on_the_form_and_not_saved(world, as_staff):
    early = world.referral_a.received_on - dt.timedelta(days=1)
    response = as_staff(world.es_a).post(
        reverse("education_new", args=[world.person_a.pk]), _post(early)
    )
    assert response.status_code == 200
    assert "cannot be before the referral was received" in response.content.decode()
    assert not EducationOrTraining.objects.exists()


def test_a_missing_kind_and_title_are_named_on_the_form(world, as_staff, today):
    response = as_staff(world.es_a).post(
        reverse("education_new", args=[world.person_a.pk]), _post(today, kind="", course_title="")
    )
    page = response.content.decode()
    assert "Select the kind of education or training" in page
    assert "Enter the course title" in page
    assert not EducationOrTraining.objects.exists()


def test_the_end_page_records_a_completion(world, as_staff, course, today):
    client = as_staff(world.es_a)
    url = reverse("education_end", args=[course.pk])
    assert course.course_title in client.get(url).content.decode()
    response = client.post(url, {"outcome": "completed", **_date("ended_on", today)})
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.outcome, course.ended_on) == ("completed", today)
    page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert "Completed" in page
    assert reverse("education_end", args=[course.pk]) not in page


def test_a_completion_without_a_date_is_refused_on_the_page(world, as_staff, course):
    response = as_staff(world.es_a).post(
        reverse("education_end", args=[course.pk]), {"outcome": "completed"}
    )
    assert response.status_code == 200
    assert "Enter the end date" in response.content.decode()
    course.refresh_from_db()
    assert course.ended_on is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("colleague_a", 403),  # same team: reads the record, may not change it
        ("clinician", 403),
        ("commissioner", 403),
        ("es_b", 404),  # another team of the service
        ("outsider", 404),  # another service
    ],
)
def test_only_the_specialist_or_a_manager_records_education(
    world, as_staff, course, today, persona, status
):
    client = as_staff(getattr(world, persona))
    new = reverse("education_new", args=[world.person_a.pk])
    end = reverse("education_end", args=[course.pk])
    assert client.get(new).status_code == status
    assert client.post(new, _post(today)).status_code == status
    assert client.post(end, {"outcome": "completed", **_date("ended_on", today)}).status_code == (
        status
    )
    assert EducationOrTraining.objects.count() == 1
    course.refresh_from_db()
    assert course.ended_on is None


def test_the_manager_may_record_education(world, as_staff, today):
    response = as_staff(world.manager).post(
        reverse("education_new", args=[world.person_a.pk]), _post(today)
    )
    assert response.status_code == 302
    assert EducationOrTraining.objects.count() == 1


@pytest.mark.parametrize("persona", ["clinician", "es_b", "outsider"])
def test_no_other_persona_sees_the_course(world, as_staff, course, persona):
    response = as_staff(getattr(world, persona)).get(
        reverse("person_detail", args=[world.person_a.pk])
    )
    assert course.course_title not in response.content.decode()


def test_a_person_whose_referral_closed_cannot_have_education_recorded(world, as_staff, today):
    from ipsworks.people.services import close_referral

    close_referral(referral=world.referral_a, reason="does_not_want_work", on=today, by=world.es_a)
    response = as_staff(world.manager).post(
        reverse("education_new", args=[world.person_a.pk]), _post(today)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[world.person_a.pk])
    assert not EducationOrTraining.objects.exists()


# --- the timeline and the privacy tools -------------------------------------------------


def test_starts_and_completions_are_on_the_timeline(world, course, today):
    services.record_education_end(course=course, ended_on=today, outcome="completed", by=world.es_a)
    titles = [e.title for e in timeline.for_person(world.person_a)]
    assert f"Started education or training: {course}" in titles
    assert f"Completed education or training: {course}" in titles


def test_leaving_early_is_on_the_timeline_as_leaving_early(world, course, today):
    services.record_education_end(
        course=course, ended_on=today, outcome="left_early", by=world.es_a
    )
    titles = [e.title for e in timeline.for_person(world.person_a)]
    assert f"Left education or training early: {course}" in titles
    assert not any(t.startswith("Completed education") for t in titles)


def test_courses_are_in_the_subject_access_export(world, course):
    rows = privacy.subject_access_data(world.person_a)["education_and_training"]
    assert [r["course_title"] for r in rows] == [course.course_title]


def test_anonymising_clears_where_and_what_they_studied_but_keeps_the_outcome(world, course, today):
    services.record_education_end(course=course, ended_on=today, outcome="completed", by=world.es_a)
    anonymise(world.person_a, today=today)
    course.refresh_from_db()
    assert (course.provider_name, course.course_title) == ("", "")
    assert (course.kind, course.started_on, course.ended_on, course.outcome) == (
        "further",
        world.referral_a.received_on + dt.timedelta(days=2),
        today,
        "completed",
    )
