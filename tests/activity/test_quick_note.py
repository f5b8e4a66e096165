"""The quick note: a contact in three answers from the caseload or the person's page."""

import datetime as dt

import pytest
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.activity.forms import QUICK_NOTE_MINUTES
from ipsworks.activity.models import Contact
from ipsworks.people.models import Episode, Referral

pytestmark = pytest.mark.django_db


def _post(day, **overrides):
    data = {
        "contact_date[day]": str(day.day),
        "contact_date[month]": str(day.month),
        "contact_date[year]": str(day.year),
        "mode": "face_to_face",
        "note": "Met at the library; looked at warehouse jobs",
    }
    data.update(overrides)
    return data


def _url(person, **query):
    url = reverse("quick_note", args=[person.pk])
    return url + "?from=caseload" if query.get("from_caseload") else url


@pytest.mark.parametrize(
    ("mode", "place", "minutes", "direct"),
    [
        ("face_to_face", "community", QUICK_NOTE_MINUTES, True),
        ("phone", "remote", QUICK_NOTE_MINUTES, True),
        ("video", "remote", QUICK_NOTE_MINUTES, True),
        ("text_email", "", None, False),
    ],
)
def test_a_quick_note_is_saved_with_the_defaults(
    world, as_staff, today, mode, place, minutes, direct
):
    client = as_staff(world.es_a)
    response = client.post(_url(world.person_a), _post(today, mode=mode))
    assert response.status_code == 302
    assert response.url == reverse("person_detail", args=[world.person_a.pk])
    contact = Contact.objects.get()
    assert (
        contact.with_whom,
        contact.outcome,
        contact.place,
        contact.duration_minutes,
        contact.is_direct,
        contact.staff,
        contact.referral,
        contact.contact_date,
    ) == ("person", "completed", place, minutes, direct, world.es_a, world.referral_a, today)
    assert contact.note == "Met at the library; looked at warehouse jobs"
    # A spoken contact is a direct one, so it starts the episode as the full form does.
    assert Episode.objects.filter(referral=world.referral_a).exists() is direct


def test_the_page_offers_three_questions_the_default_date_and_the_full_form(world, as_staff, today):
    page = as_staff(world.es_a).get(_url(world.person_a)).content.decode()
    assert 'name="note"' in page
    assert 'name="mode"' in page
    assert f'value="{today.day}"' in page
    assert f'value="{today.year}"' in page
    for asked_by_the_full_form in ('name="with_whom"', 'name="outcome"', 'name="place"'):
        assert asked_by_the_full_form not in page
    assert f"{QUICK_NOTE_MINUTES} minutes" in page
    assert reverse("contact_new", args=[world.person_a.pk]) in page
    assert "use the full form" in page


def test_from_the_caseload_it_returns_to_the_caseload(world, as_staff, today):
    client = as_staff(world.es_a)
    caseload = client.get(reverse("caseload")).content.decode()
    link = _url(world.person_a, from_caseload=True)
    assert link in caseload.replace("&amp;", "&")
    response = client.post(link, _post(today))
    assert response.status_code == 302
    assert response.url == reverse("caseload")
    assert Contact.objects.count() == 1


def test_the_person_page_links_to_the_quick_note(world, as_staff):
    page = as_staff(world.es_a).get(reverse("person_detail", args=[world.person_a.pk]))
    assert _url(world.person_a) in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"note": ""}, "Enter what happened"),
        ({"note": "x" * 4001}, "4,000 characters or fewer"),
        ({"mode": ""}, "Select how the contact happened"),
        ({"mode": "carrier_pigeon"}, "Select a valid choice"),
        ({"contact_date[day]": ""}, "must include a day"),
        ({"contact_date[day]": "32"}, "must be a real date"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
    world, as_staff, today, overrides, message
):
    response = as_staff(world.es_a).post(_url(world.person_a), _post(today, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()
    assert not Episode.objects.exists()


def test_a_future_date_or_one_before_the_referral_is_refused(world, as_staff, today):
    client = as_staff(world.es_a)
    tomorrow = today + dt.timedelta(days=1)
    page = client.post(_url(world.person_a), _post(tomorrow)).content.decode()
    assert "must be today or in the past" in page
    before = world.referral_a.received_on - dt.timedelta(days=1)
    page = client.post(_url(world.person_a), _post(before)).content.decode()
    assert "cannot be before the referral was received" in page
    assert not Contact.objects.exists()


def test_a_closed_referral_takes_no_quick_note_and_writes_nothing(world, as_staff, today):
    Referral.objects.filter(pk=world.referral_a.pk).update(
        status="closed", closed_on=today, closure_reason="moved_away"
    )
    # The manager may record for anyone in the service: they are sent back to re-refer.
    manager = as_staff(world.manager)
    for response in (
        manager.get(_url(world.person_a)),
        manager.post(_url(world.person_a), _post(today)),
    ):
        assert response.status_code == 302
        assert response.url == reverse("person_detail", args=[world.person_a.pk])
    page = manager.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    assert "no open referral" in page
    assert _url(world.person_a) not in page
    # The person is no longer on the specialist's caseload, so they may not add to it.
    specialist = as_staff(world.es_a)
    assert specialist.post(_url(world.person_a), _post(today)).status_code == 403
    assert _url(world.person_a) not in specialist.get(reverse("caseload")).content.decode()
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 404), ("es_b", 404), ("colleague_a", 403), ("clinician", 403)],
)
def test_someone_who_may_not_record_for_the_person_gets_no_page_and_writes_nothing(
    world, as_staff, today, persona, status
):
    client = as_staff(getattr(world, persona))
    for response in (
        client.get(_url(world.person_a)),
        client.post(_url(world.person_a), _post(today)),
    ):
        assert response.status_code == status
        assert world.person_a.family_name not in response.content.decode()
    assert not Contact.objects.exists()


def test_anonymous_is_sent_to_sign_in_and_put_is_refused(world, client, as_staff):
    assert client.get(_url(world.person_a)).status_code == 302
    assert as_staff(world.es_a).put(_url(world.person_a)).status_code == 405


def test_the_saved_note_is_in_the_access_log_as_a_new_contact(world, as_staff, today):
    as_staff(world.es_a).post(_url(world.person_a), _post(today))
    contact = Contact.objects.get()
    assert AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.CREATE, person_id=world.person_a.pk, object_id=contact.pk
    ).exists()
