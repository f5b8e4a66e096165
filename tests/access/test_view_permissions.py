"""Every page, every persona: who gets the page, who gets 403, who gets 404.

Out of scope (another service, another team) is 404, so the page does not even confirm
that the person exists; a role without the right is 403; anonymous visitors are sent to
sign in.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _person_urls(w):
    return {
        "person_detail": reverse("person_detail", args=[w.person_a.pk]),
        "contact_new": reverse("contact_new", args=[w.person_a.pk]),
        "profile_edit": reverse("profile_edit", args=[w.person_a.pk]),
        "disclosure_edit": reverse("disclosure_edit", args=[w.person_a.pk]),
        "referral_accept": reverse("referral_accept", args=[w.referral_a.pk]),
        "referral_close": reverse("referral_close", args=[w.referral_a.pk]),
    }


# persona -> url name -> expected status for a GET of person_a's pages.
EXPECTED = {
    "es_a": dict.fromkeys(
        [
            "person_detail",
            "contact_new",
            "profile_edit",
            "disclosure_edit",
            "referral_accept",
            "referral_close",
        ],
        200,
    ),
    # Same team, not their caseload: may read, may not write (but may decide team referrals).
    "colleague_a": {
        "person_detail": 200,
        "contact_new": 403,
        "profile_edit": 403,
        "disclosure_edit": 403,
        "referral_accept": 200,
        "referral_close": 200,
    },
    "es_b": dict.fromkeys(
        [
            "person_detail",
            "contact_new",
            "profile_edit",
            "disclosure_edit",
            "referral_accept",
            "referral_close",
        ],
        404,
    ),
    "outsider": dict.fromkeys(
        [
            "person_detail",
            "contact_new",
            "profile_edit",
            "disclosure_edit",
            "referral_accept",
            "referral_close",
        ],
        404,
    ),
    "manager": dict.fromkeys(
        [
            "person_detail",
            "contact_new",
            "profile_edit",
            "disclosure_edit",
            "referral_accept",
            "referral_close",
        ],
        200,
    ),
    "clinician": {
        "person_detail": 200,
        "contact_new": 403,
        "profile_edit": 403,
        "disclosure_edit": 403,
        "referral_accept": 403,
        "referral_close": 403,
    },
    "commissioner": dict.fromkeys(
        [
            "person_detail",
            "contact_new",
            "profile_edit",
            "disclosure_edit",
            "referral_accept",
            "referral_close",
        ],
        403,
    ),
    "admin": dict.fromkeys(
        [
            "person_detail",
            "contact_new",
            "profile_edit",
            "disclosure_edit",
            "referral_accept",
            "referral_close",
        ],
        403,
    ),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_person_pages_answer_each_persona_as_designed(world, as_staff, persona):
    client = as_staff(getattr(world, persona))
    for name, url in _person_urls(world).items():
        response = client.get(url)
        assert response.status_code == EXPECTED[persona][name], (persona, name)
        if response.status_code != 200:
            assert world.person_a.family_name not in response.content.decode()


@pytest.mark.parametrize("name", ["person_detail", "contact_new", "profile_edit", "referral_close"])
def test_anonymous_visitors_are_sent_to_sign_in(world, client, name):
    url = _person_urls(world)[name]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


LIST_PAGES = {
    "caseload": {"es_a": 200, "manager": 403, "clinician": 403, "commissioner": 403, "admin": 403},
    "team_people": {
        "es_a": 200,
        "manager": 200,
        "clinician": 200,
        "commissioner": 403,
        "admin": 403,
    },
    "referral_list": {
        "es_a": 200,
        "manager": 200,
        "clinician": 403,
        "commissioner": 403,
        "admin": 403,
    },
    "referral_new": {
        "es_a": 200,
        "manager": 200,
        "clinician": 200,
        "commissioner": 403,
        "admin": 403,
    },
    "team_meetings": {
        "es_a": 200,
        "manager": 200,
        "clinician": 403,
        "commissioner": 403,
        "admin": 403,
    },
    "service_overview": {
        "es_a": 403,
        "manager": 200,
        "clinician": 403,
        "commissioner": 403,
        "admin": 403,
    },
    "staff_list": {
        "es_a": 403,
        "manager": 403,
        "clinician": 403,
        "commissioner": 403,
        "admin": 200,
    },
    "outcomes_overview": {
        "es_a": 403,
        "manager": 403,
        "clinician": 403,
        "commissioner": 200,
        "admin": 403,
    },
    "service_dashboard": {
        "es_a": 403,
        "manager": 200,
        "clinician": 403,
        "commissioner": 403,
        "admin": 403,
    },
    "my_week": {"es_a": 200, "manager": 403, "clinician": 403, "commissioner": 403, "admin": 403},
    "employer_list": {
        "es_a": 200,
        "manager": 200,
        "clinician": 403,
        "commissioner": 403,
        "admin": 403,
    },
}


@pytest.mark.parametrize("page", sorted(LIST_PAGES))
def test_list_pages_answer_each_role_as_designed(world, as_staff, page):
    for persona, expected in LIST_PAGES[page].items():
        response = as_staff(getattr(world, persona)).get(reverse(page))
        assert response.status_code == expected, (page, persona)


@pytest.mark.parametrize("page", sorted(LIST_PAGES))
def test_list_pages_refuse_unsupported_methods(world, as_staff, page):
    response = as_staff(world.manager).delete(reverse(page))
    assert response.status_code in (403, 405)
