"""Given / when / then: a team leader runs a fidelity self-assessment from start to finish."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ipsworks.fidelity import scale as scales
from ipsworks.fidelity import services
from ipsworks.fidelity.models import FidelityReview
from tests import factories as f
from tests.browser.axe import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
D = dt.date


def _clean(page):
    found = violations(page)
    assert found == [], f"{page.url}: {found}"


def _fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    for part, value in zip(("Day", "Month", "Year"), (day.day, day.month, day.year), strict=True):
        group.get_by_label(part).fill(str(value))


def _records(world):
    """A year of work in team A: Sam is active and had an employer visit 20 days after starting."""
    world.referral_a.received_on = D(2025, 5, 1)
    world.referral_a.save()
    f.EpisodeFactory(referral=world.referral_a, access_date=D(2025, 5, 2))
    f.ContactFactory(referral=world.referral_a, staff=world.es_a, contact_date=D(2026, 3, 20))
    from ipsworks.employers.models import EmployerContact

    EmployerContact.objects.create(
        service=world.service,
        employer=f.EmployerFactory(service=world.service, name="Riverside Distribution"),
        staff=world.es_a,
        person=world.person_a,
        contact_date=D(2025, 5, 22),
        mode="face_to_face",
        purpose="present_person",
    )


def _rate_the_rest(review, by):
    """The items the journey does not click through, rated 4 with reasons where needed."""
    scale = scales.load()
    for rating in review.ratings.filter(final_rating__isnull=True):
        item = scale.item(rating.item)
        proposed = item.rating_for_elements(0) if item.is_checklist else rating.proposed_rating
        reason = "" if proposed in (None, 4) else "Agreed at the review meeting"
        services.rate_item(review=review, item=rating.item, final_rating=4, reason=reason, by=by)


def test_team_leader_completes_a_self_assessment(live_server, page, world):
    _records(world)
    sam = world.person_a.full_name

    # Given I am signed in as the team leader
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(world.manager.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # When I start a self-assessment of team A for the last financial year
    # At 1280 px a manager's main pages are all in the header, none folded under "More".
    expect(page.get_by_role("button", name="More")).to_be_hidden()
    page.get_by_role("link", name="Fidelity").first.click()
    expect(page.get_by_role("heading", name="Fidelity reviews")).to_be_visible()
    _clean(page)
    page.get_by_role("button", name="Start a review").click()
    page.get_by_role("button", name="Start the review").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select what kind of review it is")
    _clean(page)
    page.get_by_label("Self-assessment by the team leader").check()
    _fill_date(page, "Start of the review period", D(2025, 4, 1))
    _fill_date(page, "End of the review period", D(2026, 3, 31))
    page.get_by_label("Team A CMHT").check()
    page.get_by_role("button", name="Start the review").click()

    # Then the review shows the evidence worked out from the records
    expect(page.get_by_text("Review started")).to_be_visible()
    expect(page.locator("#section-services")).to_contain_text(
        "On average 20.0 days from first contact to the first face-to-face employer contact"
    )
    expect(page.locator("#score")).to_contain_text("0 of 25 items rated")
    _clean(page)

    # When I look at caseload size and the records behind it
    page.get_by_role("link", name="1. Caseload size").click()
    expect(page.locator("#headline")).to_contain_text("active people per full-time specialist")
    _clean(page)
    page.get_by_role("link", name="See the records behind these figures").click()
    expect(page.get_by_role("cell", name=sam)).to_be_visible()
    expect(
        page.get_by_role("cell", name=f"IPS-{world.service.pk}-{world.referral_a.pk}")
    ).to_be_visible()
    _clean(page)
    page.get_by_role("link", name="Back to item 1").click()

    # And I choose a different rating without saying why, then with a reason
    page.get_by_label("1", exact=True).check()
    page.get_by_role("button", name="Save and go to item 2").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("differs from the proposed rating")
    _clean(page)
    page.get_by_label("Why does your rating differ from the proposed rating?").fill(
        "Half the caseload had no contact plan"
    )
    page.get_by_role("button", name="Save and go to item 2").click()

    # And I enter the share of time on employment work found at the review
    expect(
        page.get_by_role("heading", name=re.compile("Employment services staff"))
    ).to_be_visible()
    page.get_by_label("Share of specialists' time spent on employment work, in per cent").fill("97")
    page.get_by_label("5", exact=True).check()
    _clean(page)
    page.get_by_role("button", name="Save and go to item 3").click()

    # And I tick the phases the specialists carry out themselves
    for phase in ("Intake", "Engagement", "Assessment", "Job placement", "Job coaching"):
        page.get_by_role("checkbox", name=phase).check()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Notes on the evidence (optional)").fill("Follow-along is handed to the team")
    page.get_by_label("Recommendation (optional)").fill("Keep people on the caseload in work")
    _clean(page)
    page.get_by_role("button", name="Save and return to the review").click()
    expect(page.locator("#score")).to_contain_text("3 of 25 items rated")

    # When the other items are rated and I finish the review
    review = FidelityReview.objects.get()
    _rate_the_rest(review, world.manager)
    page.get_by_role("button", name="Finish and lock the review").click()
    expect(page.get_by_text("All 25 items are rated")).to_be_visible()
    _clean(page)
    page.get_by_role("button", name="Finish and lock the review").click()

    # Then it is locked with its total and band
    expect(page.get_by_text("Review finished and locked")).to_be_visible()
    expect(page.locator("#score")).to_contain_text("out of 125")
    expect(page.locator("#score")).to_contain_text("Fair fidelity")
    _clean(page)

    # And I plan an action and record progress on it
    page.get_by_role("link", name="Action plan").click()
    expect(page.get_by_text("no actions can be added")).to_be_visible()
    _clean(page)
    page.get_by_role("link", name="Back to the review").click()
    page.get_by_role("button", name="Make a new version to change it").click()
    expect(page.get_by_text("Version 2 made")).to_be_visible()
    page.get_by_role("link", name="Action plan").click()
    page.get_by_label("Which item is it for?").select_option(label="1. Caseload size")
    page.get_by_label("What will be done?").fill("Agree a contact plan with everyone on a caseload")
    page.get_by_label("Who will do it?").fill("Team leader")
    _fill_date(page, "Due by", D(2026, 9, 30))
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("#actions")).to_contain_text("Agree a contact plan")
    _clean(page)
    page.get_by_label("Progress of action 1").select_option(label="In progress")
    page.get_by_role("button", name="Save progress of action 1").click()
    expect(page.get_by_text("Progress saved")).to_be_visible()

    # And the history shows the finished review's scores as a chart and a table
    page.get_by_role("link", name="Back to the review").click()
    page.get_by_role("link", name="Scores across reviews").click()
    expect(page.locator("#history")).to_contain_text("Mar 2026 v1")
    expect(page.get_by_role("img", name=re.compile("Final rating of each item"))).to_be_visible()
    _clean(page)
