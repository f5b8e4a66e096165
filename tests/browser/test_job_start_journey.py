"""Given / when / then: a specialist visits an employer for Sam, then records Sam's job start."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.axe import violations
from tests.browser.choose import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def _clean(page):
    found = violations(page)
    assert found == [], f"{page.url}: {found}"


def test_employer_contact_then_job_start_schedules_in_work_support(live_server, page, world):
    f.EmployerFactory(service=world.service, name="Riverside Distribution")
    f.DisclosurePlanFactory(
        person=world.person_a, recorded_by=world.es_a, employer_contact_allowed=True
    )
    sam = world.person_a.full_name

    # Given I am signed in as Sam's employment specialist
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(world.es_a.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="My week").first.click()
    expect(page.get_by_role("heading", name=re.compile("My week"))).to_be_visible()
    _clean(page)

    # When I record a face-to-face visit to the distribution centre, presenting Sam
    page.goto(live_server.url + reverse("employer_list"))
    _clean(page)
    page.get_by_role("link", name="Riverside Distribution").click()
    _clean(page)
    page.get_by_role("button", name="Record a contact").click()
    page.get_by_label("Face to face").check()
    page.get_by_label("Present a particular person's strengths").check()
    choose(page, "Who was it for? (optional)", sam)
    page.get_by_label("What happened? (optional)").fill(
        "The manager wants reliable afternoon staff."
    )
    _clean(page)
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Employer contact recorded")).to_be_visible()
    expect(page.get_by_role("cell", name="Present a particular person's strengths")).to_be_visible()
    _clean(page)

    # And I record Sam's job start there, forgetting the pay at first
    page.goto(live_server.url + reverse("person_detail", args=[world.person_a.pk]))
    page.get_by_role("button", name="Record a job").click()
    page.get_by_label("Permanent").check()
    choose(page, "Employer", "Riverside Distribution", exact=True)
    page.get_by_label("Job title").fill("Warehouse operative")
    page.get_by_label("Kind of work").select_option(label="Elementary occupations")
    for part, value in zip(
        ("Day", "Month", "Year"),
        world.referral_a.received_on.strftime("%d %m %Y").split(),
        strict=True,
    ):
        page.get_by_role("group", name="First day of paid work").get_by_label(part).fill(value)
    page.get_by_label("Contracted hours a week").fill("20")
    page.get_by_role("button", name="Save job").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the hourly pay")
    _clean(page)
    page.get_by_label("Hourly pay, in pounds").fill("12.71")
    page.get_by_role("button", name="Save job").click()

    # Then the job is competitive and in-work support is scheduled
    expect(page.get_by_text("In-work support check-ins are scheduled")).to_be_visible()
    expect(page.get_by_text(re.compile("Competitive job"))).to_be_visible()
    expect(page.locator("#check-ins")).to_contain_text("First contact around the start")
    expect(page.locator("#check-ins")).to_contain_text("Monthly check-in")
    _clean(page)
