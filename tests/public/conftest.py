"""Fixtures for the public front door: a published page for the world's service."""

import pytest
from django.core.cache import caches
from django.test import Client

from ipsworks.public.models import PublicPage

DUTY_INBOX = "duty.inbox@north-county.invalid"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    """Each test starts with no submissions counted against any address."""
    caches[settings.IPS_PUBLIC_RATE_LIMIT_CACHE].clear()
    yield
    caches[settings.IPS_PUBLIC_RATE_LIMIT_CACHE].clear()


@pytest.fixture
def page(world):
    return PublicPage.objects.create(
        service=world.service,
        is_enabled=True,
        contact_phone="01632 960 001",
        contact_email="ips@north-county.invalid",
        duty_inbox_email=DUTY_INBOX,
    )


@pytest.fixture
def other_page(world):
    return PublicPage.objects.create(
        service=world.other_service,
        is_enabled=True,
        contact_phone="01632 960 999",
        duty_inbox_email="duty@riverside.invalid",
    )


@pytest.fixture
def immediate_tasks(settings):
    """Run background tasks at once, so the duty inbox email is sent within the test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def public():
    """A member of the public: no sign-in."""
    return Client()


def referral_data(**overrides) -> dict:
    data = {
        "given_name": "Tom",
        "family_name": "Testwalker",
        "phone": "07700 900 982",
        "email": "tom.testwalker@example.com",
        "contact_preferences": "Text first, not before 10am",
        "date_of_birth[day]": "27",
        "date_of_birth[month]": "3",
        "date_of_birth[year]": "1990",
        "postcode": "ls1 4ap",
        "team": "unknown",
        "work_interests": "Gardening or working with animals",
        "website": "",
    }
    data.update(overrides)
    return data


def enquiry_data(**overrides) -> dict:
    data = {
        "organisation": "The Corner Café",
        "postcode": "LS2 7EW",
        "size_band": "micro",
        "sector": "hospitality",
        "contact_name": "Bea Testowner",
        "job_title": "Owner",
        "phone": "0113 496 0000",
        "email": "bea@corner-cafe.invalid",
        "interests": ["recruiting", "awareness_training"],
        "message": "We have two jobs coming up in the spring.",
        "website": "",
    }
    data.update(overrides)
    return data
