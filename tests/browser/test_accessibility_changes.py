"""axe-core on the pages added or changed after the first round of journeys: version history,
employer and contact person changes, vacancy changes, custom periods and funding evidence."""

from datetime import date
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ipsworks.demo.synthetic import DEMO_CONTRACT_RATES
from ipsworks.outcomes import funding
from tests import factories as f
from tests.browser.test_accessibility import _assert_clean, _sign_in, _visit
from tests.matching.factories import VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_added_for_specialists(live_server, page, world):
    employer = f.EmployerFactory(service=world.service)
    vacancy = VacancyFactory(employer=employer, created_by=world.es_a)
    person = world.person_a.pk
    _sign_in(page, live_server.url, world.es_a)
    _visit(page, live_server.url, reverse("profile_history", args=[person]))
    _visit(page, live_server.url, reverse("disclosure_history", args=[person]))
    _visit(page, live_server.url, reverse("employer_edit", args=[employer.pk]))
    page.get_by_label("Postcode (optional)").fill("NOT A POSTCODE")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    _assert_clean(page, "employer edit with errors")
    _visit(
        page,
        live_server.url,
        reverse("contact_person_new", args=[employer.pk]),
        submit="Add person",
    )
    _visit(page, live_server.url, reverse("vacancy_edit", args=[vacancy.pk]))
    _visit(page, live_server.url, reverse("person_better_off", args=[person]))
    # Someone no longer a contact, listed with the button that makes them one again.
    former = f.EmployerContactPersonFactory(employer=employer, name="Former Testcontact")
    former.removed_at = timezone.now()
    former.save(update_fields=["removed_at"])
    _visit(page, live_server.url, reverse("employer_detail", args=[employer.pk]))
    page.get_by_text("No longer contacts (1)").click()
    _assert_clean(page, "employer page with a former contact open")


def test_pages_added_for_managers(live_server, page, world):
    contract = funding.create_contract(
        service=world.service,
        name="Outcomes contract",
        funder="Synthetic funder",
        starts_on=date(2024, 4, 1),
        ends_on=date(2027, 3, 31),
        rates=DEMO_CONTRACT_RATES,
        by=world.manager,
    )
    _sign_in(page, live_server.url, world.manager)
    _visit(page, live_server.url, reverse("contract_detail", args=[contract.pk]))
    # A custom period the wrong way round: the error summary, checked by axe too.
    query = urlencode(
        {"period": "custom", "start[day]": 1, "start[month]": 6, "start[year]": 2026}
        | {"end[day]": 1, "end[month]": 4, "end[year]": 2026}
    )
    _visit(page, live_server.url, reverse("service_dashboard") + "?" + query)
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
