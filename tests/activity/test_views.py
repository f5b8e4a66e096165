import datetime as dt

import pytest
from django.urls import reverse

from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.diary.models import Task
from ipsworks.people.models import Episode
from tests import factories as f

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {
        f"{prefix}[day]": str(day.day),
        f"{prefix}[month]": str(day.month),
        f"{prefix}[year]": str(day.year),
    }


def _contact_post(day, **overrides):
    data = {
        **_date("contact_date", day),
        "with_whom": "person",
        "mode": "face_to_face",
        "outcome": "completed",
        "place": "community",
        "duration_minutes": "50",
        "note": "Coffee at the library; talked about delivery work",
    }
    data.update(overrides)
    return data


def test_specialist_records_a_contact_and_it_starts_ips(world, as_staff, today):
    client = as_staff(world.es_a)
    response = client.post(
        reverse("contact_new", args=[world.person_a.pk]),
        _contact_post(
            today,
            next_action="Visit the depot",
            **_date("next_action_on", today + dt.timedelta(days=2)),
        ),
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.staff, contact.is_direct, contact.duration_minutes) == (world.es_a, True, 50)
    assert Episode.objects.get(referral=world.referral_a).access_date == today
    # What happens next is a task for the specialist now, not a field on the referral.
    task = Task.objects.get()
    assert (task.person, task.owner, task.title, task.due_on) == (
        world.person_a,
        world.es_a,
        "Visit the depot",
        today + dt.timedelta(days=2),
    )
    world.referral_a.refresh_from_db()
    assert world.referral_a.next_action == ""
    page = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert "Coffee at the library" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"duration_minutes": "0"}, "at least 1 minute"),
        ({"duration_minutes": "601"}, "600 minutes (10 hours) or less"),
        ({"duration_minutes": "-5"}, "at least 1 minute"),
        ({"duration_minutes": "an hour"}, "whole minutes"),
        ({"duration_minutes": ""}, "Enter how long the contact lasted"),
        ({"place": ""}, "Select where the contact took place"),
        ({"place": "remote"}, "cannot be remote"),
        ({"mode": ""}, "Select how the contact happened"),
        ({"mode": "text_email", "place": "home", "duration_minutes": ""}, "Leave the place empty"),
        ({"contact_date[day]": "32"}, "must be a real date"),
        (
            {
                "next_action_on[day]": "1",
                "next_action_on[month]": "1",
                "next_action_on[year]": "2020",
                "next_action": "x",
            },
            "between today and a year",
        ),
        (
            {
                "next_action_on[day]": "1",
                "next_action_on[month]": "1",
                "next_action_on[year]": "2099",
            },
            "between today and a year",
        ),
    ],
)
def test_a_bad_contact_shows_the_error_and_saves_nothing(
    world, as_staff, today, overrides, message
):
    response = as_staff(world.es_a).post(
        reverse("contact_new", args=[world.person_a.pk]), _contact_post(today, **overrides)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert not Contact.objects.exists()
    assert not Episode.objects.exists()


def test_a_future_contact_is_refused(world, as_staff, today):
    response = as_staff(world.es_a).post(
        reverse("contact_new", args=[world.person_a.pk]),
        _contact_post(today + dt.timedelta(days=1)),
    )
    assert "must be today or in the past" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_contact_dated_before_the_referral_is_refused(world, as_staff):
    response = as_staff(world.es_a).post(
        reverse("contact_new", args=[world.person_a.pk]),
        _contact_post(world.referral_a.received_on - dt.timedelta(days=1)),
    )
    assert "cannot be before the referral was received" in response.content.decode()
    assert not Contact.objects.exists()


def test_an_attempted_call_needs_no_place_or_length_and_gives_no_access(world, as_staff, today):
    response = as_staff(world.es_a).post(
        reverse("contact_new", args=[world.person_a.pk]),
        _contact_post(today, mode="phone", outcome="attempted", place="", duration_minutes=""),
    )
    assert response.status_code == 302
    assert Contact.objects.get().is_direct is False
    assert not Episode.objects.exists()


def test_colleague_cannot_post_a_contact_for_someone_not_on_their_caseload(world, as_staff, today):
    response = as_staff(world.colleague_a).post(
        reverse("contact_new", args=[world.person_a.pk]), _contact_post(today)
    )
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_outsider_cannot_post_a_contact_into_another_service(world, as_staff, today):
    response = as_staff(world.outsider).post(
        reverse("contact_new", args=[world.person_a.pk]), _contact_post(today)
    )
    assert response.status_code == 404
    assert not Contact.objects.exists()


def test_recording_a_team_meeting(world, as_staff, today):
    client = as_staff(world.es_a)
    response = client.post(
        reverse("team_meetings"),
        {
            "team": str(world.team_a.pk),
            **_date("meeting_date", today),
            "kind": "mdt",
            "people_discussed": "4",
        },
    )
    assert response.status_code == 302
    meeting = TeamMeeting.objects.get()
    assert (meeting.staff, meeting.team, meeting.people_discussed) == (world.es_a, world.team_a, 4)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(1900, 1, 1), "The meeting date must be on or after 1 January 2000"),
        (dt.date.today() + dt.timedelta(days=1), "The meeting date must be today or in the past"),
    ],
)
def test_a_team_meeting_on_an_impossible_date_is_refused(world, as_staff, day, message):
    response = as_staff(world.es_a).post(
        reverse("team_meetings"),
        {"team": str(world.team_a.pk), **_date("meeting_date", day), "kind": "mdt"},
    )
    assert message in response.content.decode()
    assert not TeamMeeting.objects.exists()


def test_a_team_meeting_for_another_services_team_is_refused(world, as_staff, today):
    response = as_staff(world.es_a).post(
        reverse("team_meetings"),
        {
            "team": str(world.team_x.pk),
            **_date("meeting_date", today),
            "kind": "mdt",
            "people_discussed": "1",
        },
    )
    assert "Select a valid choice" in response.content.decode()
    assert not TeamMeeting.objects.exists()


def test_team_meetings_list_shows_only_my_own_service(world, as_staff, today):
    f.TeamMeetingFactory(team=world.team_x, staff=world.outsider, note="elsewhere")
    page = as_staff(world.es_a).get(reverse("team_meetings")).content.decode()
    assert world.team_x.name not in page
