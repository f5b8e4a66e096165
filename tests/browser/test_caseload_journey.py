"""Given / when / then: an employment specialist records a contact from their phone or laptop.

Runs in Debian's Chromium through Playwright; axe-core checks every page visited.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from ipsworks.access.roles import Role
from tests import factories as f
from tests.browser.axe import AXE, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ips-demo-2026"


@pytest.fixture
def es_demo(db):
    service = f.ServiceFactory(name="North County IPS", short_name="north-county")
    team = f.TeamFactory(service=service, name="Northgate CMHT")
    user = f.UserFactory(
        username="es.demo", first_name="Priya", last_name="Testshah", password=PASSWORD
    )
    staff = f.StaffFactory(
        user=user, service=service, role=Role.EMPLOYMENT_SPECIALIST, teams=[team]
    )
    person = f.PersonFactory(service=service, given_name="Sam", family_name="Journeyperson")
    f.ReferralFactory(
        person=person,
        team=team,
        allocated_to=staff,
        status="accepted",
        received_on=dt.date.today() - dt.timedelta(days=6),
    )
    return person


def _check_accessibility(page):
    found = violations(page)
    assert found == [], f"axe found WCAG 2.2 AA problems on {page.url}: {found}"


def test_specialist_records_a_contact_and_sees_it_on_the_timeline(live_server, page, es_demo):
    assert AXE.exists(), "run `make assets` (npm ci) first: axe-core comes from node_modules"

    # Given I sign in as es.demo
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Sign in"))
    _check_accessibility(page)
    page.get_by_label("Username").fill("es.demo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Then I land on my caseload, with Sam waiting for a first contact
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(page.get_by_role("cell", name="Waiting for first contact")).to_be_visible()
    _check_accessibility(page)

    # When I open Sam's record
    page.get_by_role("link", name="Sam Journeyperson", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Sam Journeyperson"))).to_be_visible()
    _check_accessibility(page)

    # And I try to save a contact without saying how it happened
    page.get_by_role("button", name="Record a contact").click()
    _check_accessibility(page)
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select how the contact happened")
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()
    _check_accessibility(page)

    # And then record it properly: face to face in a café, 50 minutes
    page.get_by_label("Face to face").check()
    page.get_by_label("In the community (for example a café or library)").check()
    page.get_by_label("How long, in minutes?").fill("50")
    page.get_by_label("Note (optional)").fill(
        "Coffee at the library. Sam wants warehouse work, not before 10am."
    )
    page.get_by_role("button", name="Save contact").click()

    # Then the record says the contact was saved and IPS has started
    expect(page.get_by_text("Contact recorded")).to_be_visible()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Engaged")
    _check_accessibility(page)

    # And the contact is on Sam's timeline
    page.get_by_role("tab", name="Timeline").click()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Face to face contact")
    expect(timeline).to_contain_text("not before 10am")
    _check_accessibility(page)
