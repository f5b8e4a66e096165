"""Given / when / then: a manager imports referrals from a clinical-system export, watches it
being checked and saved, and sees the new referrals; the import columns and API token pages
are accessible too."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.axe import violations
from tests.imports.conftest import as_csv, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def _clean(page):
    found = violations(page)
    assert found == [], f"{page.url}: {found}"


def test_a_manager_imports_an_export_and_sees_the_new_referrals(live_server, page, world):
    # Given I am signed in as the service manager
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(world.manager.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # When I open Imports and upload an export with a mistake in it
    page.get_by_role("link", name="Imports").first.click()
    expect(
        page.get_by_role("heading", name="Import referrals from a clinical system")
    ).to_be_visible()
    _clean(page)
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a CSV or Excel file to import")
    _clean(page)
    bad = as_csv([row(given_name="Marlowe", nhs_number="123")])
    page.get_by_label("Export file (CSV or Excel .xlsx)").set_input_files(
        {"name": "export.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)

    # Then the page shows the problem by row and column, and nothing was imported
    expect(page.get_by_text("Not imported", exact=True)).to_be_visible(timeout=10_000)
    expect(
        page.get_by_role("cell", name=re.compile("NHS number must be 10 digits"))
    ).to_be_visible()
    _clean(page)

    # When I upload the corrected file
    page.get_by_role("link", name="Back to imports").click()
    good = as_csv([row(given_name="Marlowe"), row(given_name="Indigo", team="Team B CMHT")])
    page.get_by_label("Export file (CSV or Excel .xlsx)").set_input_files(
        {"name": "export-corrected.csv", "mimeType": "text/csv", "buffer": good}
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    _clean(page)
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)

    # Then the progress reaches "Imported" without reloading, and the new referrals are listed
    expect(page.get_by_text("Imported", exact=True)).to_be_visible(timeout=10_000)
    expect(page.locator("#referrals-created")).to_have_text("2")
    expect(page.get_by_role("link", name="Marlowe Importtest")).to_be_visible()
    _clean(page)
    page.get_by_role("link", name="Indigo Importtest").click()
    expect(page.get_by_role("heading", name=re.compile("Indigo Importtest"))).to_be_visible()

    # And the import columns page is accessible
    page.goto(live_server.url + reverse("import_mapping"))
    expect(page.get_by_role("heading", name="Import columns")).to_be_visible()
    _clean(page)


def test_a_specialist_makes_an_api_token_and_revokes_it(live_server, page, world):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(world.es_a.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + reverse("api_tokens"))
    expect(page.get_by_role("heading", name="API tokens", exact=True)).to_be_visible()
    _clean(page)
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what the token is for")
    _clean(page)
    page.get_by_label("What is the token for?").fill("Clinical system feed")
    page.get_by_label("90 days").check()
    page.get_by_role("button", name="Make token").click()
    expect(page.locator("#token-value")).to_contain_text("ipsw_")
    _clean(page)
    page.get_by_role("button", name=re.compile("Revoke")).click()
    expect(page.get_by_text("has been revoked")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Revoked"))).to_be_visible()
    _clean(page)
