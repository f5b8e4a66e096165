"""The public page of each service: no sign-in, its own words, 404 where there is none."""

import pytest
from django.urls import reverse

from ipsworks.public.models import PublicPage
from tests import factories as f

pytestmark = pytest.mark.django_db


def _url(name, short_name="north-county"):
    return reverse(name, kwargs={"short_name": short_name})


def test_the_service_page_needs_no_sign_in_and_links_to_both_forms(page, public):
    response = public.get(_url("public_service"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "North County IPS" in html
    assert f'href="{_url("public_self_referral")}"' in html
    assert f'href="{_url("public_employer_enquiry")}"' in html
    assert 'href="tel:01632960001"' in html
    assert "You do not have to be ready first." in html  # the standard wording
    assert "call 111" in html


def test_the_service_page_has_no_staff_navigation_and_no_tracking(page, public):
    html = public.get(_url("public_service")).content.decode()
    assert "nhsuk-header__navigation" not in html
    assert "Sign out" not in html
    assert "<script>" not in html
    assert "style=" not in html
    assert "google" not in html.lower()
    assert "analytics" not in html.lower().replace("do not use tracking or analytics", "")


def test_the_administrators_words_replace_the_standard_ones(page, public):
    page.about_text = "We help people in North County.\n\n- Free\n- For as long as you need"
    page.next_steps_text = "We call you back within a week."
    page.save()
    html = public.get(_url("public_service")).content.decode()
    assert "<p>We help people in North County.</p>" in html
    assert "<ul><li>Free</li><li>For as long as you need</li></ul>" in html
    assert "We call you back within a week." in html
    assert "You do not have to be ready first." not in html


def test_what_administrators_type_is_never_html(page, public):
    page.about_text = '<script>alert("x")</script>'
    page.save()
    html = public.get(_url("public_service")).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_an_unknown_service_is_not_found(page, public):
    assert public.get(_url("public_service", "nowhere")).status_code == 404
    assert public.get(_url("public_self_referral", "nowhere")).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "public_service",
        "public_self_referral",
        "public_self_referral_sent",
        "public_employer_enquiry",
        "public_privacy",
    ],
)
def test_a_service_that_has_not_switched_its_page_on_is_not_found(world, public, name):
    f.ServiceFactory(short_name="quiet")  # no page settings at all
    PublicPage.objects.create(service=world.service, is_enabled=False)
    assert public.get(_url(name)).status_code == 404
    assert public.get(_url(name, "quiet")).status_code == 404


def test_a_disabled_page_refuses_submissions_too(world, public):
    PublicPage.objects.create(service=world.service, is_enabled=False)
    assert public.post(_url("public_self_referral"), {"given_name": "Tom"}).status_code == 404


def test_the_privacy_notice_says_what_why_how_long_and_rights(page, public):
    world_service = page.service
    world_service.provider = "North County NHS Foundation Trust"
    world_service.save()
    html = public.get(_url("public_privacy")).content.decode()
    for text in (
        "What we hold",
        "Why we hold it",
        "How long we keep it",
        "Your rights",
        "North County NHS Foundation Trust",
        "20 years",
        "Information Commissioner",
        "We do not use tracking or analytics",
    ):
        assert text in html


@pytest.mark.parametrize("name", ["public_service", "public_self_referral_sent", "public_privacy"])
def test_pages_without_a_form_refuse_other_methods(page, public, name):
    assert public.post(_url(name)).status_code == 405


def test_form_pages_refuse_other_methods(page, public):
    assert public.put(_url("public_self_referral")).status_code == 405
    assert public.delete(_url("public_employer_enquiry")).status_code == 405


def test_form_pages_are_not_cached(page, public):
    response = public.get(_url("public_self_referral"))
    assert "no-cache" in response["Cache-Control"]
