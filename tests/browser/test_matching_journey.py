"""Given / when / then: Priya adds the distribution centre's vacancy, sees Sam as a good fit
with reasons, opens his record, and records his application. Every page is checked with axe.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ipsworks.matching.models import Application
from tests import factories as f
from tests.browser.axe import violations
from tests.browser.choose import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def _clean(page):
    found = violations(page)
    assert found == [], f"{page.url}: {found}"


def test_add_a_vacancy_see_who_fits_and_record_an_application(live_server, page, world):
    sam = world.person_a
    sam.postcode = "AA1 1AB"
    sam.save()
    f.VocationalProfileFactory(
        person=sam,
        recorded_by=world.es_a,
        kinds_of_work="Warehouse or delivery work",
        hours_min=16,
        hours_max=20,
        unsuitable_times=["early_morning"],
        unsuitable_times_reason="Medication makes early mornings hard.",
        travel_max_miles=5,
    )
    f.DisclosurePlanFactory(person=sam, recorded_by=world.es_a, employer_contact_allowed=True)
    f.VocationalProfileFactory(
        person=world.person_a2, recorded_by=world.colleague_a, kinds_of_work="Care work"
    )
    f.EmployerFactory(service=world.service, name="Riverside Distribution", postcode="AA1 4BD")
    closing = dt.date.today() + dt.timedelta(days=21)

    # Given I am signed in as Sam's employment specialist
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(world.es_a.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # When I add the distribution centre's vacancy, forgetting the hours at first
    page.get_by_role("link", name="Vacancies").first.click()
    expect(page.get_by_role("heading", name="Vacancies", exact=True)).to_be_visible()
    _clean(page)
    page.get_by_role("button", name="Add a vacancy").click()
    _clean(page)
    choose(page, "Employer", "Riverside Distribution", exact=True)
    page.get_by_label("Job title").fill("Warehouse operative")
    page.get_by_label("Kind of work").select_option(label="Elementary occupations")
    page.get_by_label("Afternoon (midday to 5pm)").check()
    page.get_by_label("Hourly pay, in pounds (optional)").fill("12.71")
    group = page.get_by_role("group", name="Closing date (optional)")
    group.get_by_label("Day").fill(str(closing.day))
    group.get_by_label("Month").fill(str(closing.month))
    group.get_by_label("Year").fill(str(closing.year))
    page.get_by_label("Employer contact").check()
    page.get_by_role("button", name="Add vacancy").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the hours a week")
    _clean(page)
    page.get_by_label("Hours a week", exact=True).fill("16")
    page.get_by_label("Most hours a week, if the hours vary (optional)").fill("20")
    page.get_by_role("button", name="Add vacancy").click()

    # Then Sam is shown first, as a good fit, with the reasons in words
    expect(page.get_by_text("Vacancy added: Warehouse operative")).to_be_visible()
    first = page.locator("#matches ~ table tbody tr").first
    expect(first).to_contain_text(sam.full_name)
    expect(first).to_contain_text("Good fit")
    expect(first).to_contain_text(re.compile(r"Fits: kind of work \(like ‘warehouse’\)"))
    expect(first).to_contain_text("times of day")
    expect(page.get_by_text(world.person_a2.full_name)).to_be_visible()
    _clean(page)

    # When I open Sam's record, then come back and record his application
    page.get_by_role("link", name=sam.full_name).first.click()
    expect(page.get_by_role("heading", name=re.compile(sam.full_name))).to_be_visible()
    _clean(page)
    page.go_back()
    page.get_by_role("link", name=f"Record an application by {sam.full_name}").click()
    expect(page.get_by_label("Who applied?")).to_have_value(str(sam.pk))
    _clean(page)
    page.get_by_label("Notes (optional)").fill("CV handed to the shift manager.")
    page.get_by_role("button", name="Save application").click()

    # Then the application is recorded and I can see where it is up to
    expect(page.get_by_text(f"Application by {sam.full_name} recorded")).to_be_visible()
    expect(page.get_by_role("cell", name="Applied", exact=True)).to_be_visible()
    _clean(page)
    application = Application.objects.get()
    assert (application.person_id, application.vacancy.title) == (sam.pk, "Warehouse operative")


def test_import_problems_and_the_job_search_page_are_accessible(live_server, page, world, tmp_path):
    f.VocationalProfileFactory(
        person=world.person_a, recorded_by=world.es_a, kinds_of_work="Retail"
    )
    f.EmployerFactory(service=world.service, name="Riverside Distribution", postcode="AA1 4BD")
    bad = tmp_path / "vacancies.csv"
    bad.write_text(
        "employer,title,soc_group,hours_min,hourly_pay\n"
        "Riverside Distribution,Retail assistant,7,16,12.71\n"
        "Nobody Ltd,Picker,12,160,-1\n"
    )
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(world.es_a.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # When I import a file with a bad row, nothing is saved and each problem is listed
    page.goto(live_server.url + reverse("vacancy_import"))
    _clean(page)
    page.get_by_label("CSV file of vacancies").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("nothing was imported")
    expect(page.get_by_role("cell", name="soc_group")).to_be_visible()
    _clean(page)

    # And with the bad row taken out, the vacancy is imported and ranked on Sam's job search
    bad.write_text(
        "employer,title,soc_group,hours_min,hourly_pay\n"
        "Riverside Distribution,Retail assistant,7,16,12.71\n"
    )
    page.get_by_label("CSV file of vacancies").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("1 vacancy imported")).to_be_visible()
    page.goto(live_server.url + reverse("job_search", args=[world.person_a.pk]))
    expect(page.get_by_role("link", name="Retail assistant", exact=True)).to_be_visible()
    _clean(page)
