"""Abuse and privacy: CSRF, the honeypot and the per-address rate limit."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ipsworks.employers.models import Employer
from ipsworks.people.models import Person, Referral
from ipsworks.public.models import EmployerEnquiry
from tests.public.conftest import enquiry_data, referral_data

pytestmark = pytest.mark.django_db

REFER = reverse("public_self_referral", kwargs={"short_name": "north-county"})
ENQUIRE = reverse("public_employer_enquiry", kwargs={"short_name": "north-county"})
SENT = reverse("public_self_referral_sent", kwargs={"short_name": "north-county"})


# --- CSRF ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "data"), [(REFER, referral_data()), (ENQUIRE, enquiry_data())])
def test_both_forms_refuse_a_post_without_the_csrf_token(page, url, data):
    client = Client(enforce_csrf_checks=True)
    assert client.post(url, data).status_code == 403
    assert not Referral.objects.filter(source="B1").exists()
    assert not EmployerEnquiry.objects.exists()


def test_a_post_with_the_token_from_the_form_is_accepted(page):
    client = Client(enforce_csrf_checks=True)
    html = client.get(REFER).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(REFER, {**referral_data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Referral.objects.filter(source="B1").count() == 1


# --- Honeypot --------------------------------------------------------------------------------


def test_the_honeypot_is_hidden_by_a_stylesheet_class_not_an_inline_style(page, public):
    html = public.get(REFER).content.decode()
    group = re.search(r'<div class="nhsuk-form-group ips-honeypot"[^>]*>.*?</div>', html, re.S)
    assert group, "the honeypot's form group carries the ips-honeypot class"
    assert 'name="website"' in group.group(0)
    assert 'autocomplete="off"' in group.group(0)
    assert 'tabindex="-1"' in group.group(0)
    assert "Leave this box empty" in group.group(0)  # for anyone whose browser shows it
    assert "style=" not in html


def test_the_stylesheet_hides_the_honeypot(settings):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("ipsworks/public.css")).read_text()
    assert re.search(r"\.ips-honeypot\s*\{[^}]*display:\s*none", css)


def test_a_filled_honeypot_stores_nothing_and_gets_a_calm_reply(
    page, public, django_capture_on_commit_callbacks, immediate_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = public.post(REFER, referral_data(website="http://spam.invalid"), follow=True)
    assert response.redirect_chain == [(SENT, 302)]
    assert response.status_code == 200
    assert "We have your details" in response.content.decode()
    assert not Person.objects.filter(family_name="Testwalker").exists()
    assert not Referral.objects.filter(source="B1").exists()
    assert mail.outbox == []


def test_a_filled_honeypot_on_the_employer_form_stores_nothing(page, public):
    response = public.post(ENQUIRE, enquiry_data(website="cheap pills"))
    assert response.status_code == 302
    assert not EmployerEnquiry.objects.exists()
    assert not Employer.objects.filter(name="The Corner Café").exists()


# --- Rate limit ------------------------------------------------------------------------------


def test_an_address_gets_429_after_the_hourly_allowance(page, public, settings):
    settings.IPS_PUBLIC_SUBMISSIONS_PER_HOUR = 3
    for n in range(3):
        data = referral_data(family_name=f"Testwalker{n}", phone=f"07700 900 98{n}")
        assert public.post(REFER, data).status_code == 302

    response = public.post(REFER, referral_data(family_name="Testwalker9"))

    assert response.status_code == 429
    html = response.content.decode()
    assert "Please try again later" in html
    assert "nhsuk-header" in html  # the NHS-styled public layout
    assert "01632 960 001" in html  # another way to get in touch
    assert not Person.objects.filter(family_name="Testwalker9").exists()


def test_the_limit_counts_both_forms_and_refused_submissions(page, public, settings):
    settings.IPS_PUBLIC_SUBMISSIONS_PER_HOUR = 2
    assert public.post(REFER, referral_data(given_name="")).status_code == 200  # refused
    assert public.post(ENQUIRE, enquiry_data()).status_code == 302
    assert public.post(ENQUIRE, enquiry_data()).status_code == 429
    assert EmployerEnquiry.objects.count() == 1


def test_the_limit_is_per_address(page, public, settings):
    settings.IPS_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    first = referral_data(family_name="Testone", phone="07700 900 001")
    second = referral_data(family_name="Testtwo", phone="07700 900 002")
    assert public.post(REFER, first, REMOTE_ADDR="192.0.2.1").status_code == 302
    assert public.post(REFER, second, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert public.post(REFER, second, REMOTE_ADDR="192.0.2.2").status_code == 302
    assert Referral.objects.filter(source="B1").count() == 2


def test_reading_the_pages_is_not_limited(page, public, settings):
    settings.IPS_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    for _ in range(3):
        assert public.get(REFER).status_code == 200


def test_the_rate_limit_page_is_in_welsh_where_asked(page, public, settings):
    page.welsh_enabled = True
    page.save()
    settings.IPS_PUBLIC_SUBMISSIONS_PER_HOUR = 0
    response = public.post(REFER + "?lang=cy", referral_data())
    assert response.status_code == 429
    assert "Rhowch gynnig arall arni yn nes ymlaen" in response.content.decode()


def test_the_address_is_not_kept_in_the_cache_key(settings):
    from ipsworks.public.ratelimit import _key

    assert "192.0.2.1" not in _key("192.0.2.1", 1)
    assert _key("192.0.2.1", 1) != _key("192.0.2.2", 1)
