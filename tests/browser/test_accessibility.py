"""axe-core finds no WCAG 2.2 AA problems on the pages each role uses, errors included."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.axe import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"  # tests/factories.py UserFactory


def _sign_in(page, base, staff):
    page.goto(base + reverse("login"))
    page.get_by_label("Username").fill(staff.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _assert_clean(page, what):
    found = violations(page)
    assert found == [], f"{what}: {found}"


def _visit(page, base, path, submit=None):
    page.goto(base + path)
    _assert_clean(page, path)
    if submit:
        page.get_by_role("button", name=submit).click()
        expect(page.locator(".nhsuk-error-summary")).to_be_visible()
        _assert_clean(page, f"{path} with errors")


def test_pages_for_signed_out_visitors(live_server, page):
    page.goto(live_server.url + reverse("login"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter your username")
    _assert_clean(page, "sign in with errors")
    for path in (reverse("privacy"), reverse("accessibility")):
        _visit(page, live_server.url, path)


def test_pages_an_employment_specialist_uses(live_server, page, world):
    _sign_in(page, live_server.url, world.es_a)
    person = world.person_a.pk
    _visit(page, live_server.url, reverse("caseload"))
    _visit(page, live_server.url, reverse("person_detail", args=[person]))
    _visit(page, live_server.url, reverse("profile_edit", args=[person]), submit="Save profile")
    _visit(page, live_server.url, reverse("disclosure_edit", args=[person]), submit="Save plan")
    _visit(page, live_server.url, reverse("team_meetings"))
    _visit(page, live_server.url, reverse("referral_new"), submit="Send referral")
    page.goto(live_server.url + "/no-such-page/")
    _assert_clean(page, "not found")


def test_pages_a_manager_uses(live_server, page, world):
    _sign_in(page, live_server.url, world.manager)
    _visit(page, live_server.url, reverse("service_overview"))
    _visit(page, live_server.url, reverse("referral_list"))
    _visit(page, live_server.url, reverse("referral_accept", args=[world.referral_b.pk]))
    _visit(
        page,
        live_server.url,
        reverse("referral_close", args=[world.referral_b.pk]),
        submit="Close referral",
    )
    _visit(page, live_server.url, reverse("service_dashboard"))
    _visit(page, live_server.url, reverse("nhs_england_measures"))
    _visit(page, live_server.url, reverse("referral_checks"))


def test_pages_a_clinician_commissioner_and_administrator_use(live_server, page, world):
    _sign_in(page, live_server.url, world.clinician)
    _visit(page, live_server.url, reverse("team_people"))
    _visit(page, live_server.url, reverse("person_detail", args=[world.person_a.pk]))
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, live_server.url, world.commissioner)
    _visit(page, live_server.url, reverse("outcomes_overview"))
    page.goto(live_server.url + reverse("person_detail", args=[world.person_a.pk]))
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    _assert_clean(page, "forbidden")
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, live_server.url, world.admin)
    _visit(page, live_server.url, reverse("staff_list"))
    _visit(page, live_server.url, reverse("staff_edit", args=[world.es_a.pk]))
    _visit(page, live_server.url, reverse("staff_new"), submit="Save")
    _visit(page, live_server.url, reverse("team_new"), submit="Add team")
