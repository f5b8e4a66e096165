"""The public forms' rate limit behind a reverse proxy: counted per client, and a client
cannot dodge it by sending its own X-Forwarded-For (IPS_TRUSTED_PROXY_COUNT)."""

import pytest
from django.urls import reverse

from tests.public.conftest import referral_data

pytestmark = pytest.mark.django_db

REFER = reverse("public_self_referral", kwargs={"short_name": "north-county"})
PROXY = "10.0.0.5"


def _post(public, n, forwarded):
    data = referral_data(family_name=f"Testproxy{n}", phone=f"07700 900 10{n}")
    return public.post(REFER, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_by_default_a_made_up_forwarded_for_does_not_escape_the_limit(page, public, settings):
    settings.IPS_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    assert _post(public, 1, "203.0.113.1").status_code == 302
    assert _post(public, 2, "203.0.113.2").status_code == 429


def test_behind_one_trusted_proxy_each_client_is_counted_alone(page, public, settings):
    settings.IPS_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    settings.IPS_TRUSTED_PROXY_COUNT = 1
    assert _post(public, 1, "198.51.100.1").status_code == 302
    assert _post(public, 2, "198.51.100.2").status_code == 302  # another client
    # The same client again, with a made-up entry in front of what our proxy appended.
    assert _post(public, 3, "203.0.113.77, 198.51.100.1").status_code == 429
