"""Every page in the URL configuration, opened in Chromium at 375 px wide as a role that may
see it, has no axe-core violation (WCAG 2.2 AA and axe's best-practice rules: heading order,
landmarks, empty table headers, a summary's name) and is no wider than the screen.

The routes come from the URL configuration (``tests/access/test_every_url.py`` fills their
parameters), so a new page is checked the moment it is added. Each route is opened once, as
the first role below to whom it answers with an HTML page; a route that answers no role with
one must be listed in ``NOT_PAGES`` with the reason, or the test fails naming it.
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.access.test_every_url import _routes, _url, objects  # noqa: F401 (a fixture)
from tests.browser.axe import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages are opened at a small phone's width: none may be wider (WCAG 1.4.10, reflow).
PHONE_WIDTH = 375

# The roles, in the order a route is tried with them; None is a visitor not signed in.
ROLES = (None, "es_a", "manager", "clinician", "commissioner", "admin")

# Routes that never draw an HTML page for anyone, and why: by a part of the route...
NOT_PAGES = {
    "healthz": "a JSON health check",
    "static/": "files",
    "api/v1/": "the JSON API (its reference page, api/v1/docs, is checked)",
    "download": "a file download (CSV, XLSX, PDF or ZIP)",
    ".pdf": "a PDF download",
    ".xlsx": "a spreadsheet download",
    ".csv": "a CSV download",
    ".ics": "a calendar feed (iCalendar)",
}
# ... and by the whole route.
NOT_PAGES_EXACTLY = {
    "": "the home page sends each role on to their own start page",
    "funding/claims/<int:pk>/": "a claim file (CSV) download",
    "service/public-page/": "sends the manager on to their service's public page settings",
}


# Pages whose route has a part listed above.
PAGES_ALL_THE_SAME = {"api/v1/docs"}


def _not_a_page(route: str) -> bool:
    if route in PAGES_ALL_THE_SAME:
        return False
    return route in NOT_PAGES_EXACTLY or any(marker in route for marker in NOT_PAGES)


@pytest.fixture
def pages(world, objects):  # noqa: F811 (the fixture imported above)
    """The URL walk's objects, with what the remaining pages need to draw: a public page
    switched on, a referral made by the clinician, and a job held at referral."""
    from ipsworks.jobs.models import Job
    from ipsworks.people.models import Referral
    from ipsworks.public.models import PublicPage

    PublicPage.objects.update_or_create(
        service=world.service,
        defaults={
            "is_enabled": True,
            "duty_inbox_email": "duty@example.com",
            "contact_phone": "0300 000 0000",
        },
    )
    referral = world.referral_a
    Referral.objects.filter(pk=referral.pk).update(
        referred_by=world.clinician, pathway=Referral.Pathway.JOB_RETENTION
    )
    Job.objects.filter(pk=objects["job"]).update(
        held_at_referral=True, start_date=referral.received_on
    )
    return objects


def _html(response) -> bool:
    return response.status_code == 200 and "text/html" in response.get("Content-Type", "")


def _sign_in_as(context, client: Client, base: str) -> None:
    """The browser signed in as the test client's user: its session cookie, copied over."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    context.clear_cookies()
    if cookie is not None:
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])


_NO_ROLE, _NOT_A_PAGE = object(), object()


def _first_role_shown(clients, url):
    """The first role shown an HTML page at ``url``; else _NO_ROLE. _NOT_A_PAGE for a form's
    action (405 to anyone, before any check of who they are) and for a fragment of a page
    (an export's or import's progress, polled into the page that holds it and checked
    there): HTML without a document around it."""
    for role in ROLES:
        response = clients[role].get(url)
        if response.status_code == 405:
            return _NOT_A_PAGE
        if _html(response):
            return role if b"<html" in response.content else _NOT_A_PAGE
    return _NO_ROLE


def test_every_page_passes_axe_as_a_role_that_may_see_it(live_server, page, world, pages):
    clients = {}
    for role in ROLES:
        client = Client()
        if role is not None:
            client.force_login(getattr(world, role).user)
        clients[role] = client
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    found, too_wide, never_a_page, checked = {}, {}, [], set()
    for route in _routes():
        url = _url(route, pages)
        if url is None or _not_a_page(route):
            continue
        role = _first_role_shown(clients, url)
        if role is _NOT_A_PAGE:
            continue
        if role is _NO_ROLE:
            never_a_page.append(route)
            continue
        _sign_in_as(page.context, clients[role], live_server.url)
        page.goto(live_server.url + url)
        checked.add(url)
        who = f"{url} as {role or 'a visitor'}"
        problems = violations(page)
        if problems:
            found[who] = problems
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            too_wide[who] = width
    assert never_a_page == [], f"routes that draw no page for any role: {never_a_page}"
    assert found == {}
    assert too_wide == {}, f"pages wider than a {PHONE_WIDTH} px phone"
    assert len(checked) >= 80  # the walk did not silently skip pages (85 when written)
    assert "/api/v1/docs" in checked
