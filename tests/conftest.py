"""Personas and a small world for the tests (style/CONVENTIONS.md, "Tests").

The world: service 1 with teams A and B; service 2 with team X.

* ``es_a``: employment specialist in team A, whose caseload holds ``person_a``;
* ``colleague_a``: another specialist in team A, whose caseload holds ``person_a2``;
* ``es_b``: a specialist in team B of the same service (``person_b``);
* ``manager``, ``clinician`` (team A), ``commissioner`` (commissions service 1),
  ``admin`` (service 1);
* ``outsider``: a specialist in service 2 (``person_other``).
"""

import datetime as dt
import os
import shutil

import pytest
from django.test import Client

from ipsworks.access.roles import Role
from tests import factories as f

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def world(db):
    class World:
        pass

    w = World()
    w.service = f.ServiceFactory(name="North County IPS", short_name="north-county")
    w.other_service = f.ServiceFactory(name="Riverside IPS", short_name="riverside")
    w.team_a = f.TeamFactory(service=w.service, name="Team A CMHT")
    w.team_b = f.TeamFactory(service=w.service, name="Team B CMHT")
    w.team_x = f.TeamFactory(service=w.other_service, name="Team X CMHT")

    def staff(role, service, teams=(), **kwargs):
        return f.StaffFactory(role=role, service=service, teams=list(teams), **kwargs)

    w.es_a = staff(Role.EMPLOYMENT_SPECIALIST, w.service, [w.team_a])
    w.colleague_a = staff(Role.EMPLOYMENT_SPECIALIST, w.service, [w.team_a])
    w.es_b = staff(Role.EMPLOYMENT_SPECIALIST, w.service, [w.team_b])
    w.manager = staff(Role.MANAGER, w.service)
    w.clinician = staff(Role.CLINICIAN, w.service, [w.team_a])
    w.admin = staff(Role.ADMINISTRATOR, w.service)
    w.commissioner = staff(Role.COMMISSIONER, None)
    w.commissioner.commissioned_services.set([w.service])
    w.outsider = staff(Role.EMPLOYMENT_SPECIALIST, w.other_service, [w.team_x])

    def referral(team, es, service=w.service, **kwargs):
        person = f.PersonFactory(service=service)
        return f.ReferralFactory(person=person, team=team, allocated_to=es, **kwargs)

    w.referral_a = referral(w.team_a, w.es_a, status="accepted")
    w.person_a = w.referral_a.person
    w.referral_a2 = referral(w.team_a, w.colleague_a, status="accepted")
    w.person_a2 = w.referral_a2.person
    w.referral_b = referral(w.team_b, w.es_b, status="accepted")
    w.person_b = w.referral_b.person
    w.referral_other = referral(w.team_x, w.outsider, service=w.other_service, status="accepted")
    w.person_other = w.referral_other.person
    return w


@pytest.fixture
def as_staff():
    """Return a client signed in as the given staff member."""

    def sign_in(staff) -> Client:
        client = Client()
        client.force_login(staff.user)
        return client

    return sign_in


@pytest.fixture
def today():
    return dt.date.today()


# --- Browser tests: Debian's Chromium driven by Playwright ---------------------------------

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": BROWSER_ARGS,
        "headless": True,
    }


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    reason = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))
