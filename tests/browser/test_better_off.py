"""Journey: an employment specialist works out whether a job leaves someone better off."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ipsworks.benefits.models import BetterOffCalculation
from tests.browser.axe import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"  # tests/factories.py UserFactory


def _assert_clean(page, what):
    found = violations(page)
    assert found == [], f"{what}: {found}"


def test_specialist_changes_hours_sees_the_answer_update_and_saves(live_server, page, world):
    # Given an employment specialist signed in, on the better-off page of someone they support
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(world.es_a.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(live_server.url + reverse("person_better_off", args=[world.person_a.pk]))
    headline = page.locator("#better-off-headline")
    expect(headline).to_contain_text("Working 16 hours a week")
    _assert_clean(page, "better-off page")

    # When they change the hours, the answer updates without a page load
    page.get_by_label("Hours a week in the job").fill("30")
    page.get_by_label("Hours a week in the job").blur()
    expect(headline).to_contain_text("Working 30 hours a week")
    _assert_clean(page, "after changing hours")

    # And a mistake shows the error summary
    page.get_by_label("Pay an hour").fill("lots")
    page.get_by_role("button", name="Calculate").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    _assert_clean(page, "with errors")

    # Then saving keeps the calculation on the record
    page.get_by_label("Pay an hour").fill("12.71")
    page.get_by_role("button", name="Save on the record").click()
    expect(page.get_by_text("Better-off calculation saved on the record")).to_be_visible()
    _assert_clean(page, "after saving")
    assert BetterOffCalculation.objects.filter(person=world.person_a).count() == 1
