"""The specialist's diary: booking, the week and day pages, clashes, what happened, and who
may see what."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.diary import services
from ipsworks.diary.models import Appointment
from ipsworks.employers.models import EmployerContact
from tests import factories as f

pytestmark = pytest.mark.django_db

ZONE = timezone.get_current_timezone()


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE)


def _book(owner, *, day, start=10, end=11, kind="person", person=None, **kwargs):
    details = services.AppointmentDetails(
        kind=kind,
        starts_at=_at(day, start),
        ends_at=_at(day, end),
        place=kwargs.pop("place", "community"),
        person=person,
        **kwargs,
    )
    return services.book_appointment(details=details, by=owner)


def _form(day: dt.date, **overrides) -> dict:
    data = {
        "kind": "person",
        "day[day]": str(day.day),
        "day[month]": str(day.month),
        "day[year]": str(day.year),
        "starts": "10:00",
        "ends": "11:00",
        "place": "community",
        "title": "",
        "with_whom": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- booking ----------------------------------------------------------------------------------


def test_a_specialist_books_an_appointment_and_sees_it_in_their_week(world, as_staff, today):
    client = as_staff(world.es_a)
    response = client.post(
        reverse("appointment_new"),
        _form(today, person=str(world.person_a.pk), notes="Talk about the café job"),
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert (appointment.staff, appointment.person, appointment.minutes) == (
        world.es_a,
        world.person_a,
        60,
    )
    assert timezone.localtime(appointment.starts_at).time() == dt.time(10, 0)
    week = client.get(response["Location"]).content.decode()
    assert world.person_a.full_name in week
    assert "10:00 to 11:00" in week


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts": "11:00", "ends": "10:00"}, "The end time must be after the start time"),
        ({"starts": "25:00"}, "The start time must be a real time"),
        ({"starts": "soon"}, "Enter the start time like 09:30 or 14:00"),
        ({"ends": ""}, "Enter the end time"),
        ({"kind": "person"}, "Select who the appointment is with"),
        ({"kind": "employer"}, "Select the employer"),
        ({"kind": "team_meeting"}, "Select the clinical team"),
        ({"kind": "own_time"}, "Say what the time is for"),
        ({"place": ""}, "Select where it will be"),
        ({"day[month]": ""}, "The date must include a month"),
        ({"starts": "08:00", "ends": "21:00"}, "An appointment must be 12 hours or shorter"),
    ],
)
def test_bad_bookings_are_refused_with_a_clear_message(world, as_staff, today, overrides, message):
    data = _form(today, person=str(world.person_a.pk))
    if overrides.get("kind"):
        data["person"] = ""
    data.update(overrides)
    response = as_staff(world.es_a).post(reverse("appointment_new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_person_on_someone_elses_caseload_cannot_be_booked(world, as_staff, today):
    """The choice offers the specialist's own open caseload; another's is refused."""
    response = as_staff(world.es_a).post(
        reverse("appointment_new"), _form(today, person=str(world.person_b.pk))
    )
    assert "Select someone on the caseload" in response.content.decode()
    assert not Appointment.objects.exists()


def test_twelve_am_and_pm_times_are_read_as_people_mean_them():
    from django.core.exceptions import ValidationError

    from ipsworks.diary.forms import TimeOfDayField

    field = TimeOfDayField(subject="The start time")
    assert [field.clean(t) for t in ("9:30", "09.30", "2pm", "12pm", "12am", " 14:05 ")] == [
        dt.time(9, 30),
        dt.time(9, 30),
        dt.time(14, 0),
        dt.time(12, 0),
        dt.time(0, 0),
        dt.time(14, 5),
    ]
    for bad in ("1430", "13pm", "9:60", "half nine"):
        with pytest.raises(ValidationError):
            field.clean(bad)


def test_an_overlapping_booking_is_saved_with_a_warning_and_marked_in_the_week(
    world, as_staff, today
):
    _book(world.es_a, day=today, start=10, end=11, person=world.person_a)
    client = as_staff(world.es_a)
    response = client.post(
        reverse("appointment_new"),
        _form(today, kind="own_time", title="Training", starts="10:30", ends="12:00"),
        follow=True,
    )
    page = response.content.decode()
    assert "This overlaps another appointment in the diary (10:00 to 11:00)" in page
    assert page.count("Overlaps another appointment") == 2


def test_a_cancelled_appointment_does_not_clash(world, today):
    first = _book(world.es_a, day=today, start=10, end=11, person=world.person_a)
    services.record_outcome(appointment=first, status="cancelled_person", note="", by=world.es_a)
    second = _book(world.es_a, day=today, start=10, end=11, kind="own_time", title="Admin")
    assert services.clashes(second) == []


# --- what happened ----------------------------------------------------------------------------


def test_an_appointment_that_took_place_becomes_the_contact_with_what_was_planned(
    world, as_staff, today
):
    appointment = _book(
        world.es_a, day=today, start=9, end=10, person=world.person_a, place="workplace"
    )
    appointment.ends_at = _at(today, 9, 45)
    appointment.save()
    response = as_staff(world.es_a).post(
        reverse("appointment_detail", args=[appointment.pk]),
        {"status": "took_place", "note": "Went through the job offer"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (
        contact.referral,
        contact.contact_date,
        contact.mode,
        contact.place,
        contact.duration_minutes,
        contact.outcome,
        contact.note,
        contact.is_direct,
    ) == (
        world.referral_a,
        today,
        "face_to_face",
        "workplace",
        45,
        "completed",
        "Went through the job offer",
        True,
    )
    appointment.refresh_from_db()
    assert (appointment.status, appointment.contact) == ("took_place", contact)


def test_a_phone_appointment_becomes_a_phone_contact(world, today):
    appointment = _book(world.es_a, day=today, person=world.person_a, place="phone")
    services.record_outcome(appointment=appointment, status="took_place", note="", by=world.es_a)
    contact = Contact.objects.get()
    assert (contact.mode, contact.place) == ("phone", "remote")


def test_a_missed_appointment_becomes_a_did_not_attend(world, today):
    appointment = _book(world.es_a, day=today, person=world.person_a)
    services.record_outcome(appointment=appointment, status="dna", note="", by=world.es_a)
    contact = Contact.objects.get()
    assert (contact.outcome, contact.is_direct, contact.duration_minutes) == ("dna", False, None)


def test_a_cancellation_records_no_contact(world, as_staff, today):
    appointment = _book(world.es_a, day=today, person=world.person_a)
    as_staff(world.es_a).post(
        reverse("appointment_detail", args=[appointment.pk]), {"status": "cancelled_person"}
    )
    appointment.refresh_from_db()
    assert appointment.status == "cancelled_person"
    assert not Contact.objects.exists()


def test_a_future_appointment_cannot_be_recorded_as_taken_place(world, as_staff, today):
    appointment = _book(world.es_a, day=today + dt.timedelta(days=2), person=world.person_a)
    response = as_staff(world.es_a).post(
        reverse("appointment_detail", args=[appointment.pk]), {"status": "took_place"}
    )
    assert "This appointment is in the future" in response.content.decode()
    assert not Contact.objects.exists()
    appointment.refresh_from_db()
    assert appointment.is_booked


def test_what_happened_is_recorded_once(world, today):
    appointment = _book(world.es_a, day=today, person=world.person_a)
    services.record_outcome(appointment=appointment, status="took_place", note="", by=world.es_a)
    with pytest.raises(Exception, match="already recorded"):
        services.record_outcome(
            appointment=appointment, status="took_place", note="", by=world.es_a
        )
    assert Contact.objects.count() == 1


def test_an_employer_meeting_becomes_an_employer_contact(world, today):
    employer = f.EmployerFactory(service=world.service)
    appointment = _book(
        world.es_a,
        day=today,
        kind="employer",
        employer=employer,
        employer_purpose="learn_needs",
        place="workplace",
    )
    services.record_outcome(
        appointment=appointment, status="took_place", note="Met the manager", by=world.es_a
    )
    contact = EmployerContact.objects.get()
    assert (contact.employer, contact.mode, contact.purpose, contact.outcome) == (
        employer,
        "face_to_face",
        "learn_needs",
        "Met the manager",
    )


def test_a_team_meeting_appointment_becomes_the_team_meeting(world, today):
    appointment = _book(world.es_a, day=today, kind="team_meeting", team=world.team_a)
    services.record_outcome(appointment=appointment, status="took_place", note="", by=world.es_a)
    meeting = TeamMeeting.objects.get()
    assert (meeting.team, meeting.meeting_date, meeting.staff) == (world.team_a, today, world.es_a)


# --- who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["clinician", "commissioner", "admin"])
def test_roles_without_a_diary_get_no_diary_pages(world, as_staff, persona, today):
    appointment = _book(world.es_a, day=today, person=world.person_a)
    client = as_staff(getattr(world, persona))
    for url in (
        reverse("my_diary"),
        reverse("my_day"),
        reverse("appointment_new"),
        reverse("appointment_detail", args=[appointment.pk]),
        reverse("diary_feed"),
        reverse("team_diary", args=[world.team_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert world.person_a.family_name not in response.content.decode()


def test_another_services_specialist_cannot_find_an_appointment(world, as_staff, today):
    appointment = _book(world.es_a, day=today, person=world.person_a)
    client = as_staff(world.outsider)
    assert client.get(reverse("appointment_detail", args=[appointment.pk])).status_code == 404
    assert client.get(reverse("team_diary", args=[world.team_a.pk])).status_code == 404
    assert world.person_a.family_name not in client.get(reverse("my_diary")).content.decode()


def test_a_team_colleague_sees_busy_time_but_cannot_open_or_change_it(world, as_staff, today):
    appointment = _book(world.es_a, day=today, person=world.person_a, notes="Private plan")
    client = as_staff(world.colleague_a)
    week = client.get(reverse("team_diary", args=[world.team_a.pk])).content.decode()
    assert "10:00 to 11:00" in week
    assert "Private plan" not in week
    assert client.get(reverse("appointment_detail", args=[appointment.pk])).status_code == 403
    response = client.post(
        reverse("appointment_detail", args=[appointment.pk]), {"status": "took_place"}
    )
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_a_team_diary_names_only_people_the_viewer_may_see(world, as_staff, today):
    """es_b also works in team A, so team A sees es_b's week; their person is team B's."""
    world.es_b.teams.add(world.team_a)
    _book(world.es_b, day=today, person=world.person_b)
    week = as_staff(world.es_a).get(reverse("team_diary", args=[world.team_a.pk]))
    page = week.content.decode()
    assert "A person on their caseload" in page
    assert world.person_b.family_name not in page


def test_a_specialist_in_another_team_cannot_open_the_team_diary(world, as_staff):
    response = as_staff(world.es_b).get(reverse("team_diary", args=[world.team_a.pk]))
    assert response.status_code == 404


def test_a_manager_reads_a_specialists_week_and_a_specialist_cannot(world, as_staff, today):
    _book(world.es_a, day=today, person=world.person_a)
    url = reverse("specialist_diary", args=[world.es_a.pk]) + f"?week={today.isoformat()}"
    assert world.person_a.full_name in as_staff(world.manager).get(url).content.decode()
    assert as_staff(world.es_b).get(url).status_code == 403


def test_the_week_page_asks_the_same_number_of_queries_for_3_or_30_appointments(
    world, as_staff, today
):
    client = as_staff(world.es_a)
    monday = _monday(today)
    url = reverse("my_diary") + f"?week={monday.isoformat()}"

    def fill(count):
        Appointment.objects.all().delete()
        for i in range(count):
            _book(
                world.es_a,
                day=monday + dt.timedelta(days=i % 7),
                start=8 + (i // 7),
                end=9 + (i // 7),
                person=world.person_a,
            )
        client.get(url)  # warm the session and per-request caches alike
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert fill(3) == fill(30)


# --- the calendar feed ------------------------------------------------------------------------


def _feed_address(client) -> str:
    import re

    page = client.post(reverse("diary_feed"), {"action": "new"}).content.decode()
    match = re.search(r'<code id="feed-address">([^<]+)</code>', page)
    assert match, page
    return match.group(1).replace("http://testserver", "")


def test_the_feed_shows_references_never_names_or_notes(world, as_staff, today):
    _book(world.es_a, day=today, person=world.person_a, notes="Talk about benefits")
    client = as_staff(world.es_a)
    address = _feed_address(client)
    response = client.__class__().get(address)  # a calendar, not signed in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"IPS appointment with IPS-{world.service.pk}-{world.referral_a.pk}" in body
    for secret in (
        world.person_a.family_name,
        world.person_a.given_name,
        world.person_a.nhs_number,
        "Talk about benefits",
    ):
        assert secret not in body


def test_a_new_feed_address_stops_the_old_one_and_switching_off_stops_both(world, as_staff):
    from django.test import Client

    client = as_staff(world.es_a)
    old = _feed_address(client)
    new = _feed_address(client)
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    client.post(reverse("diary_feed"), {"action": "revoke"})
    assert Client().get(new).status_code == 404


def test_the_feed_of_someone_who_can_no_longer_sign_in_stops(world, as_staff):
    from django.test import Client

    address = _feed_address(as_staff(world.es_a))
    world.es_a.user.is_active = False
    world.es_a.user.save()
    assert Client().get(address).status_code == 404


def test_a_made_up_feed_address_finds_nothing(client):
    assert client.get(reverse("diary_feed_ics", args=["not-a-token"])).status_code == 404


def test_the_persons_timeline_shows_booked_and_cancelled_appointments_once(world, today):
    from ipsworks.people.timeline import for_person

    held = _book(world.es_a, day=today, start=9, end=10, person=world.person_a)
    services.record_outcome(appointment=held, status="took_place", note="", by=world.es_a)
    cancelled = _book(world.es_a, day=today, start=11, end=12, person=world.person_a)
    services.record_outcome(
        appointment=cancelled, status="cancelled_person", note="", by=world.es_a
    )
    _book(world.es_a, day=today + dt.timedelta(days=3), start=14, end=15, person=world.person_a)
    titles = [e.title for e in for_person(world.person_a)]
    assert "Appointment booked for 14:00" in titles
    assert "Appointment cancelled by the person or employer" in titles
    # The one that took place shows once, as its contact.
    assert sum(t.startswith("Appointment") for t in titles) == 2
    assert "Face to face contact" in titles


def test_the_persons_page_offers_to_book_an_appointment_with_them(world, as_staff):
    page = as_staff(world.es_a).get(reverse("person_detail", args=[world.person_a.pk]))
    assert f"/diary/appointments/new/?person={world.person_a.pk}" in page.content.decode()
    form = as_staff(world.es_a).get(reverse("appointment_new") + f"?person={world.person_a.pk}")
    assert f'value="{world.person_a.pk}" selected' in form.content.decode()
