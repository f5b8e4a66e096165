"""A per-address limit on public form submissions, kept in Django's cache.

At most ``IPS_PUBLIC_SUBMISSIONS_PER_HOUR`` submissions (valid or not, across both public
forms of every service) are accepted from one address in a clock hour. The address is
stored only as a keyed hash, and only for that hour.

The limit holds per cache: with several server processes, configure a shared cache
(``CACHES``, for example Redis or the database cache), or each process counts alone.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import caches

from ipsworks.core.http import client_ip

_WINDOW_SECONDS = 60 * 60


def _key(address: str, window: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[
        :32
    ]
    return f"ips:public-submissions:{window}:{digest}"


def client_address(request) -> str:
    # Behind a proxy, IPS_TRUSTED_PROXY_COUNT says how far to trust X-Forwarded-For.
    return client_ip(request) or "unknown"


def allow_submission(request) -> bool:
    """Count this submission; False once the address has used up this hour's allowance."""
    limit = settings.IPS_PUBLIC_SUBMISSIONS_PER_HOUR
    cache = caches[settings.IPS_PUBLIC_RATE_LIMIT_CACHE]
    window = int(time.time()) // _WINDOW_SECONDS
    key = _key(client_address(request), window)
    cache.add(key, 0, timeout=_WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=_WINDOW_SECONDS + 60)
        count = 1
    return count <= limit
