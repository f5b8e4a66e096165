"""Typed readers for settings that come from the environment.

Each helper rejects a value it cannot understand instead of guessing, so a typo in a
deployment's environment stops the process at start-up rather than weakening it quietly.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, fallback: str | None = None) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes style)."""
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if value is None and path:
        try:
            with open(path, encoding="utf-8") as handle:
                value = handle.read().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"Cannot read {name}_FILE ({path}): {error}") from None
    if value:
        return value
    if fallback is not None:
        return fallback
    raise ImproperlyConfigured(f"Set {name} or {name}_FILE.")


_CACHE_BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "db": "django.core.cache.backends.db.DatabaseCache",
    "redis": "ipsworks.core.redis_cache.RedisCache",
    "rediss": "ipsworks.core.redis_cache.RedisCache",
}


def env_cache(name: str, default: str = "locmem://") -> dict:
    """A ``CACHES`` entry from a URL: ``locmem://``, ``db://TABLE`` or ``redis://HOST:PORT/DB``.

    ``locmem://`` is one cache per process, lost on restart: fine for the demo and tests,
    not for several server processes. ``db://`` (table ``ips_cache`` unless named) needs
    ``manage.py createcachetable`` once. ``redis://`` and ``rediss://`` need the redis
    package (``pip install 'ipsworks[redis]'``).
    """
    raw = env_str(name, default)
    scheme, sep, rest = raw.partition("://")
    backend = _CACHE_BACKENDS.get(scheme.lower()) if sep else None
    if backend is None:
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(f'{s}://' for s in _CACHE_BACKENDS)},"
            f" not {raw!r}."
        )
    scheme = scheme.lower()
    if scheme.startswith("redis"):
        if not rest.strip("/"):
            raise ImproperlyConfigured(f"{name} must name the Redis server: redis://HOST:PORT/DB.")
        return {"BACKEND": backend, "LOCATION": raw}
    location = rest.strip("/") or ("ips_cache" if scheme == "db" else "ips")
    if not location.replace("_", "").isalnum():
        raise ImproperlyConfigured(f"{name}: {location!r} is not a table or cache name.")
    # Django culls a database or local-memory cache past 300 entries by default; the rate
    # limit keeps one entry for each public address an hour, so allow many more.
    return {"BACKEND": backend, "LOCATION": location, "OPTIONS": {"MAX_ENTRIES": 20000}}
