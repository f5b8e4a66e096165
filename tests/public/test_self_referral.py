"""Tom refers himself: the referral reaches his service, flagged new, and nobody else's."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from ipsworks.people.models import Person, Referral, ReferralStatus
from ipsworks.public.forms import SelfReferralForm
from tests import factories as f
from tests.public.conftest import DUTY_INBOX, referral_data

pytestmark = pytest.mark.django_db


def _url(name, short_name="north-county"):
    return reverse(name, kwargs={"short_name": short_name})


def test_the_form_shows_the_services_teams_and_i_do_not_know(world, page, public):
    response = public.get(_url("public_self_referral"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Team A CMHT" in html
    assert "Team B CMHT" in html
    assert "I do not know" in html
    assert "Team X CMHT" not in html  # another service's team


def test_a_self_referral_lands_in_its_services_list_as_self_and_new(world, page, public):
    response = public.post(_url("public_self_referral"), referral_data(team=str(world.team_a.pk)))

    assert response.status_code == 302
    assert response["Location"] == _url("public_self_referral_sent")
    referral = Referral.objects.get(person__family_name="Testwalker")
    assert (referral.service, referral.source, referral.is_new) == (world.service, "B1", True)
    assert referral.status == ReferralStatus.RECEIVED
    assert referral.team == world.team_a
    assert referral.referred_by is None
    assert referral.work_interests == "Gardening or working with animals"
    person = referral.person
    assert (person.postcode, person.phone, person.nhs_number) == ("LS1 4AP", "07700 900 982", None)
    assert person.date_of_birth.isoformat() == "1990-03-27"
    assert person.contact_preferences == "Text first, not before 10am"


def test_the_referral_appears_only_in_its_own_services_referrals_list(
    world, page, other_page, public, as_staff
):
    public.post(_url("public_self_referral"), referral_data())

    own = as_staff(world.manager).get(reverse("referral_list")).content.decode()
    other_manager = f.StaffFactory(role="manager", service=world.other_service)
    other = as_staff(other_manager).get(reverse("referral_list")).content.decode()
    assert "Tom Testwalker" in own
    assert "Self referral: self" in own
    assert "Tom Testwalker" not in other


def test_a_self_referral_to_the_other_service_stays_there(world, page, other_page, public):
    public.post(_url("public_self_referral", "riverside"), referral_data(team="unknown"))
    referral = Referral.objects.get(person__family_name="Testwalker")
    assert referral.service == world.other_service
    assert referral.team is None


def test_only_the_name_and_a_way_to_get_in_touch_are_needed(world, page, public):
    data = referral_data(
        email="",
        contact_preferences="",
        postcode="",
        work_interests="",
        **{"date_of_birth[day]": "", "date_of_birth[month]": "", "date_of_birth[year]": ""},
    )
    response = public.post(_url("public_self_referral"), data)
    assert response.status_code == 302
    assert Referral.objects.filter(source="B1").count() == 1


def test_another_way_to_get_in_touch_is_enough(world, page, public):
    data = referral_data(phone="", email="", contact_preferences="Through my care coordinator")
    assert public.post(_url("public_self_referral"), data).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"given_name": ""}, "Enter your first name"),
        ({"family_name": "  "}, "Enter your last name"),
        (
            {"phone": "", "email": "", "contact_preferences": ""},
            "Enter a phone number, an email address or another way to contact you",
        ),
        ({"phone": "call me"}, "Enter a phone number, like 01632 960 001"),
        ({"email": "tom at home"}, "Enter an email address like name@example.com"),
        ({"postcode": "NOPE 123"}, "Enter a real UK postcode, like LS1 4AP"),
        ({"date_of_birth[month]": ""}, "Date of birth must include a month"),
        ({"date_of_birth[day]": "31", "date_of_birth[month]": "2"}, "must be a real date"),
        ({"date_of_birth[year]": "2999"}, "Date of birth must be in the past"),
        ({"team": ""}, "Select your mental health team, or 'I do not know'"),
        ({"team": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(world, page, public, overrides, message):
    response = public.post(_url("public_self_referral"), referral_data(**overrides))
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error:" in html
    assert not Person.objects.filter(family_name__in=["Testwalker", "  "]).exists()
    assert not Referral.objects.filter(source="B1").exists()


def test_another_services_team_cannot_be_chosen(world, page, public):
    public.post(_url("public_self_referral"), referral_data(team=str(world.team_x.pk)))
    assert not Referral.objects.filter(source="B1").exists()


def test_the_confirmation_says_what_happens_next_and_when(world, page, public):
    response = public.get(_url("public_self_referral_sent"))
    html = response.content.decode()
    assert "We have your details" in html
    assert "We will get in touch within 5 working days." in html
    assert "We will contact you by" in html
    assert "01632 960 001" in html
    assert "call 111" in html


# --- Zero exclusion --------------------------------------------------------------------------

EXCLUDING_WORDS = (
    "ready",
    "readiness",
    "diagnos",
    "condition",
    "illness",
    "medication",
    "substance",
    "drug",
    "alcohol",
    "offend",
    "criminal",
    "convict",
    "prison",
    "benefit",
    "universal credit",
    "pip",
    "esa",
    "disab",
    "motivat",
)


def test_the_form_asks_nothing_about_readiness_diagnosis_substances_offending_or_benefits():
    """IPS zero exclusion (fidelity item 9): nothing the service may not act on is asked."""
    form = SelfReferralForm(teams=[])
    asked = " ".join(
        f"{name} {field.label} {field.help_text}".lower() for name, field in form.fields.items()
    )
    for word in EXCLUDING_WORDS:
        assert f" {word}" not in f" {asked}", f"the self-referral form mentions {word!r}"
    assert set(form.fields) == {
        "given_name",
        "family_name",
        "phone",
        "email",
        "contact_preferences",
        "date_of_birth",
        "postcode",
        "work_interests",
        "website",
    }


def test_only_the_name_and_a_way_to_reach_them_are_required():
    form = SelfReferralForm(teams=[f.TeamFactory.build(pk=1, name="Team")])
    required = {name for name, field in form.fields.items() if field.required}
    assert required == {"given_name", "family_name", "team"}  # team has "I do not know"


# --- Someone who sends the form twice --------------------------------------------------------


def test_sending_the_form_again_does_not_make_a_second_person_or_referral(
    world, page, public, django_capture_on_commit_callbacks, immediate_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = public.post(_url("public_self_referral"), referral_data())
    referral = Referral.objects.get(source="B1")
    referral.is_new = False
    referral.save(update_fields=["is_new"])

    with django_capture_on_commit_callbacks(execute=True):
        second = public.post(
            _url("public_self_referral"),
            referral_data(given_name="TOM", phone="07700900982", email=""),
        )

    assert first["Location"] == second["Location"]  # the same reply: nothing is given away
    assert Person.objects.filter(family_name="Testwalker").count() == 1
    assert Referral.objects.filter(source="B1").count() == 1
    referral.refresh_from_db()
    assert referral.is_new  # back at the top of the list: they asked again
    assert [m.subject for m in mail.outbox] == [
        "IPS Works: new self-referral for North County IPS",
        "IPS Works: self-referral sent again for North County IPS",
    ]


def test_a_repeat_never_changes_what_is_recorded_about_the_person(world, page, public):
    public.post(_url("public_self_referral"), referral_data())
    public.post(_url("public_self_referral"), referral_data(postcode="LS2 7EW", work_interests="x"))
    person = Person.objects.get(family_name="Testwalker")
    assert person.postcode == "LS1 4AP"
    assert person.referrals.get().work_interests == "Gardening or working with animals"


def test_what_they_wrote_again_is_kept_and_shown_on_their_timeline(world, page, public, as_staff):
    public.post(_url("public_self_referral"), referral_data())
    public.post(
        _url("public_self_referral"),
        referral_data(work_interests="Now I would like office work, mornings only"),
    )
    referral = Referral.objects.get(source="B1")
    assert referral.work_interests == "Gardening or working with animals"  # unchanged
    assert list(referral.self_referral_repeats.values_list("work_interests", flat=True)) == [
        "Now I would like office work, mornings only"
    ]
    timeline = as_staff(world.manager).get(
        reverse("person_detail", args=[referral.person_id]), {"reason": "Duty check"}
    )
    page_text = unescape(timeline.content.decode())
    assert "Self-referral form sent again while the referral was open" in page_text
    assert "Now I would like office work, mornings only" in page_text


def test_the_same_name_with_different_contact_details_is_a_different_person(world, page, public):
    public.post(_url("public_self_referral"), referral_data())
    public.post(
        _url("public_self_referral"),
        referral_data(phone="01632 960 123", email="another.tom@example.com"),
    )
    assert Person.objects.filter(family_name="Testwalker").count() == 2


def test_someone_whose_referral_closed_is_referred_again_as_the_same_person(world, page, public):
    person = f.PersonFactory(
        service=world.service, given_name="Tom", family_name="Testwalker", phone="07700 900 982"
    )
    closed = f.ReferralFactory(person=person)
    Referral.objects.filter(pk=closed.pk).update(
        status=ReferralStatus.CLOSED, closed_on=closed.received_on, closure_reason="moved_away"
    )

    public.post(_url("public_self_referral"), referral_data())

    assert Person.objects.filter(family_name="Testwalker").count() == 1
    assert person.referrals.count() == 2
    assert person.referrals.exclude(status=ReferralStatus.CLOSED).get().source == "B1"


# --- The duty inbox --------------------------------------------------------------------------


def test_the_duty_inbox_is_told_with_no_personal_details(
    world, page, public, django_capture_on_commit_callbacks, immediate_tasks
):
    data = referral_data(team=str(world.team_a.pk))
    with django_capture_on_commit_callbacks(execute=True):
        public.post(_url("public_self_referral"), data)

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [DUTY_INBOX]
    assert "referrals" in email.body
    assert reverse("referral_list") in email.body
    text = f"{email.subject}\n{email.body}".lower()
    for detail in (
        "tom",
        "testwalker",
        "07700",
        "900 982",
        "900982",
        "example.com",
        "ls1",
        "4ap",
        "1990",
        "10am",
        "gardening",
        "team a",
    ):
        assert detail not in text, f"the duty inbox email gives away {detail!r}"


def test_no_email_is_sent_for_a_refused_submission(
    world, page, public, django_capture_on_commit_callbacks, immediate_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        public.post(_url("public_self_referral"), referral_data(given_name=""))
    assert mail.outbox == []


def test_an_empty_submission_shows_what_is_missing(world, page, public):
    html = public.post(_url("public_self_referral"), {}).content.decode()
    assert "Enter your first name" in html
    assert "Enter your last name" in html
    assert not Referral.objects.filter(source="B1").exists()
