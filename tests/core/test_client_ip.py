"""The client's address behind reverse proxies (ipsworks/core/http.py): X-Forwarded-For is
believed only as far as IPS_TRUSTED_PROXY_COUNT says, for the access log and sign-in lockout."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.core.http import client_ip

PROXY = "10.0.0.5"


def _request(forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_a_spoofed_forwarded_for_is_ignored_by_default(settings):
    assert settings.IPS_TRUSTED_PROXY_COUNT == 0
    assert client_ip(_request("203.0.113.9")) == PROXY


def test_with_one_trusted_proxy_the_address_it_saw_is_used(settings):
    settings.IPS_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("198.51.100.7")) == "198.51.100.7"
    # The client put its own (false) entry first; our proxy appended the real one.
    assert client_ip(_request("203.0.113.9, 198.51.100.7")) == "198.51.100.7"


def test_with_two_trusted_proxies_the_second_from_the_right_is_used(settings):
    settings.IPS_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("203.0.113.9, 198.51.100.7, 10.0.0.4")) == "198.51.100.7"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", " , "])
def test_a_missing_or_broken_header_falls_back_to_the_connection(settings, forwarded):
    settings.IPS_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(forwarded)) == PROXY


def test_a_header_shorter_than_the_proxy_count_is_not_believed(settings):
    settings.IPS_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("203.0.113.9")) == PROXY


def test_ipv6_addresses_are_understood(settings):
    settings.IPS_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("2001:db8::1")) == "2001:db8::1"


def test_no_address_at_all_is_none():
    assert client_ip(_request(remote="")) is None


@pytest.mark.django_db
def test_the_access_log_records_the_client_not_the_proxy(world, as_staff, settings):
    client = as_staff(world.es_a)
    url = reverse("person_detail", args=[world.person_a.pk])
    client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AccessLogEntry.objects.filter(path=url).latest("pk").ip_address == PROXY

    settings.IPS_TRUSTED_PROXY_COUNT = 1
    client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert AccessLogEntry.objects.filter(path=url).latest("pk").ip_address == "198.51.100.7"


def test_sign_in_lockout_uses_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.IPS_TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(_request("198.51.100.7")) == "198.51.100.7"
