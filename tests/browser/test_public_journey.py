"""Given / when / then: Tom refers himself from the service's public page, keyboard only.

Runs in Debian's Chromium through Playwright. No mouse: Tab, Enter, arrow keys and typing.
axe-core checks every page visited. A second test opens every public page at 375 px wide,
saves a screenshot and checks the page does not scroll sideways.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ipsworks.people.models import Referral
from ipsworks.public.models import PublicPage
from tests import factories as f
from tests.browser.axe import AXE, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "public-375px"
MOBILE = {"width": 375, "height": 812}


@pytest.fixture
def north_county(db):
    service = f.ServiceFactory(
        name="North County IPS",
        short_name="north-county",
        provider="North County NHS Foundation Trust",
    )
    f.TeamFactory(service=service, name="Northgate CMHT")
    f.TeamFactory(service=service, name="Southfield Early Intervention Team")
    PublicPage.objects.create(
        service=service,
        is_enabled=True,
        welsh_enabled=True,
        contact_phone="01632 960 001",
        contact_email="ips-north-county-employment-support@north-county.invalid",
        duty_inbox_email="duty@north-county.invalid",
    )
    return service


def _check_accessibility(page):
    found = violations(page)
    assert found == [], f"axe found WCAG 2.2 AA problems on {page.url}: {found}"


_FOCUSED = """(want) => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    if (want.id) return el.id === want.id;
    const text = (el.innerText || el.value || "").replace(/\\s+/g, " ").trim();
    return text === want.text;
}"""


def _tab_to(page, *, id=None, text=None, limit=80):
    """Press Tab until the element with this id, or this text, has the focus."""
    want = {"id": id, "text": text}
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(_FOCUSED, want):
            return
    raise AssertionError(f"Tab never reached {id or text!r} on {page.url}")


def _focused_id(page) -> str:
    return page.evaluate("() => document.activeElement.id")


def test_tom_refers_himself_using_only_the_keyboard(live_server, page, north_county):
    assert AXE.exists(), "run `make assets` (npm ci) first: axe-core comes from node_modules"

    # Given Tom opens North County's public page
    page.goto(live_server.url + "/ips/north-county/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Help to find and keep a job")
    expect(page).to_have_title(re.compile("North County IPS"))
    _check_accessibility(page)

    # When he tabs to "Refer yourself" and presses Enter
    _tab_to(page, text="Refer yourself")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Refer yourself")
    expect(page.locator("#website")).to_be_hidden()  # the honeypot is not for people
    _check_accessibility(page)

    # And fills in the form, forgetting his last name
    _tab_to(page, id="given_name")
    page.keyboard.type("Tom")
    _tab_to(page, id="phone")
    page.keyboard.type("07700 900 982")
    _tab_to(page, id="contact_preferences")
    page.keyboard.type("Text first, not before 10am")
    _tab_to(page, id="team")  # the first of the team radios
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert _focused_id(page) == "team-3"
    expect(page.get_by_label("I do not know")).to_be_checked()
    _tab_to(page, id="work_interests")
    page.keyboard.type("Gardening, or working with animals")
    _tab_to(page, text="Send")
    page.keyboard.press("Enter")

    # Then he is told what is missing, and the summary has the focus
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter your last name")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Error: Refer yourself"))
    expect(page.locator("#given_name")).to_have_value("Tom")  # nothing typed is lost
    expect(page.get_by_label("I do not know")).to_be_checked()
    _check_accessibility(page)
    assert not Referral.objects.filter(source="B1").exists()

    # When he follows the error's link to the box and types his last name
    _tab_to(page, text="Enter your last name")
    page.keyboard.press("Enter")
    expect(page.locator("#family_name")).to_be_focused()
    page.keyboard.type("Testwalker")
    page.keyboard.press("Enter")  # sends the form

    # Then he sees what happens next, and when
    expect(page.get_by_role("heading", level=1)).to_have_text("We have your details")
    expect(page.get_by_text("We will get in touch within 5 working days.")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"We will contact you by \w+day \d+ \w+ \d{4}\."))
    ).to_be_visible()
    _check_accessibility(page)

    # And the referral is with North County, from Tom himself, marked new
    referral = Referral.objects.select_related("person").get(source="B1")
    assert referral.service == north_county
    assert referral.is_new
    assert referral.team is None
    assert referral.person.full_name == "Tom Testwalker"


def _open(page, url):
    page.goto(url)
    expect(page.locator("main")).to_be_visible()


def _submit_empty(page):
    page.get_by_role("button", name=re.compile("^(Send|Anfon)$")).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()


def test_every_public_page_fits_a_375px_phone_and_passes_axe(
    live_server, browser, north_county, settings
):
    context = browser.new_context(viewport=MOBILE)
    page = context.new_page()
    base = live_server.url + "/ips/north-county/"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visits = [
        ("service", lambda: _open(page, base)),
        ("refer", lambda: _open(page, base + "refer/")),
        ("refer-errors", lambda: _submit_empty(page)),
        ("refer-sent", lambda: _open(page, base + "refer/sent/")),
        ("employers", lambda: _open(page, base + "employers/")),
        ("employers-errors", lambda: _submit_empty(page)),
        ("employers-sent", lambda: _open(page, base + "employers/sent/")),
        ("privacy", lambda: _open(page, base + "privacy/")),
        ("cy-service", lambda: _open(page, base + "?lang=cy")),
        ("cy-refer", lambda: _open(page, base + "refer/?lang=cy")),
        ("cy-refer-errors", lambda: _submit_empty(page)),
        ("cy-privacy", lambda: _open(page, base + "privacy/?lang=cy")),
    ]
    try:
        for name, visit in visits:
            visit()
            expected_lang = "cy" if name.startswith("cy-") else "en-GB"
            assert page.evaluate("() => document.documentElement.lang") == expected_lang
            _check_mobile_page(page, name)

        # The "try again later" page, once the address has used its allowance
        settings.IPS_PUBLIC_SUBMISSIONS_PER_HOUR = 0
        _open(page, base + "refer/")
        page.get_by_role("button", name="Send").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Please try again later")
        _check_mobile_page(page, "rate-limited")
    finally:
        context.close()


def _check_mobile_page(page, name):
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= MOBILE["width"], f"{name} scrolls sideways at 375 px: {widths}"
    _check_accessibility(page)
    assert reverse("public_service", kwargs={"short_name": "north-county"}) in page.content()
