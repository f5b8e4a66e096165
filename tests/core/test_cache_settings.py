"""CACHES from IPS_CACHE_URL (ipsworks/config/env.py): a shared cache for the public forms'
rate limit in production, local memory by default. No cache server is needed to test it."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from ipsworks.config.env import env_cache


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        (None, "locmem.LocMemCache", "ips"),
        ("locmem://", "locmem.LocMemCache", "ips"),
        ("db://", "db.DatabaseCache", "ips_cache"),
        ("db://ips_rate_limits", "db.DatabaseCache", "ips_rate_limits"),
        ("redis://127.0.0.1:6379/1", "redis_cache", "redis://127.0.0.1:6379/1"),
        ("rediss://cache.internal:6380/0", "redis_cache", "rediss://cache.internal:6380/0"),
    ],
)
def test_the_cache_url_chooses_the_backend(monkeypatch, url, backend, location):
    if url is None:
        monkeypatch.delenv("IPS_CACHE_URL", raising=False)
    else:
        monkeypatch.setenv("IPS_CACHE_URL", url)
    cache = env_cache("IPS_CACHE_URL")
    if backend == "redis_cache":
        # Django's, keeping one client per pool (ipsworks/core/redis_cache.py).
        assert cache["BACKEND"] == "ipsworks.core.redis_cache.RedisCache"
    else:
        assert cache["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert cache["LOCATION"] == location
    if not backend.startswith("redis"):
        assert cache["OPTIONS"]["MAX_ENTRIES"] >= 10000


@pytest.mark.parametrize(
    "url", ["memcached://127.0.0.1", "127.0.0.1:6379", "redis://", "db://ips-cache; DROP"]
)
def test_a_cache_url_it_cannot_use_stops_start_up(monkeypatch, url):
    monkeypatch.setenv("IPS_CACHE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="IPS_CACHE_URL"):
        env_cache("IPS_CACHE_URL")


def test_the_tests_and_the_demo_use_local_memory(settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
