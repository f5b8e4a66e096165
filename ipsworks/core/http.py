"""The address a request came from, behind as many reverse proxies as the deployment says."""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address, or None if it cannot be told.

    ``X-Forwarded-For`` is trusted only when ``IPS_TRUSTED_PROXY_COUNT`` is more than 0:
    anyone can send the header, so only the entries our own proxies appended mean anything.
    Each proxy appends the address it received the request from, so with N trusted proxies
    the client is the N-th entry from the right; entries further left are whatever the
    client claimed. A header too short for the count, or an entry that is not an address,
    means the request did not come through our proxies as expected: REMOTE_ADDR is used.
    """
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    hops = settings.IPS_TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    return _valid(forwarded[-hops]) or remote
