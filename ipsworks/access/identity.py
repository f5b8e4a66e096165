"""Who is signed in, read from the database once and then kept in each process until it
could have changed (ADR 0010).

Every signed-in request needs the user, with their staff membership, service and teams,
and the second-factor device their session passed. They change rarely (a role, a team,
leaving, a new password, a reset device), yet reading them took two of the three queries
of every request. Each server process now keeps what it read, and uses it again only while
the **identity generation** in the shared cache is the one it was read under. The execute
wrapper of the page cache (``ipsworks.core.page_cache.track_writes``) moves that generation
on for every write to the tables involved (users, groups and permissions, staff members,
services, teams and their memberships, second-factor devices) and for any statement it
cannot read as a plain write, as the statement runs and again at commit. So:

* the generation is read before the database is, so a change committed meanwhile leaves
  the kept copy under the older number, never the newer one;
* a write made by this very request clears the number it read (``identity_memo``);
* if the shared cache cannot be reached, or the page cache is off, nothing is kept: every
  request reads the database, as before;
* each use gets its own copy (unpickled), so nothing a request changes on its user object
  reaches another request;
* an entry is read again after ``_LONGEST_SECONDS`` whatever the generation says: had a
  write been unable to move the generation on (the shared cache was unreachable at that
  moment), the change is seen within that time;
* a process keeps at most ``_MOST`` entries, and starts again empty beyond that.

The session itself is still read from the database on every request: signing out deletes
it, and that must take effect at once whatever the cache holds.
"""

from __future__ import annotations

import pickle  # only this process's own objects are ever unpickled
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings

from ipsworks.core import page_cache

T = TypeVar("T")

_MOST = 10_000
_LONGEST_SECONDS = 60.0
_UNREAD = object()
# (kind, key) -> (generation, when read (monotonic seconds), the object pickled)
_kept: dict[tuple[str, Hashable], tuple[int, float, bytes]] = {}


def current_generation() -> int | None:
    """The identity generation, read once a request (``IdentityMemoMiddleware``); None when
    the shared cache cannot be reached, so that nothing is kept or used."""
    memo = page_cache.identity_memo.get()
    if memo is not None and "generation" in memo:
        return memo["generation"]
    cache = page_cache._cache()
    try:
        generation = cache.get(page_cache.IDENTITY, _UNREAD)
        if generation is _UNREAD:
            page_cache._move_on(page_cache.IDENTITY)
            generation = cache.get(page_cache.IDENTITY, _UNREAD)
    except Exception:
        page_cache._complain("read the identity generation")
        generation = _UNREAD
    found = None if generation is _UNREAD else generation
    if memo is not None:
        memo["generation"] = found
    return found


def remembered(kind: str, key: Hashable, load: Callable[[], T]) -> T:
    """``load()``, or a copy of what it gave under the current identity generation."""
    if not settings.IPS_PAGE_CACHE:
        return load()
    generation = current_generation()
    if generation is None:
        return load()
    now = time.monotonic()
    entry = _kept.get((kind, key))
    if entry is not None and entry[0] == generation and now - entry[1] < _LONGEST_SECONDS:
        return pickle.loads(entry[2])  # noqa: S301 - pickled by this process, below
    value = load()
    if len(_kept) >= _MOST:
        _kept.clear()
    _kept[(kind, key)] = (generation, now, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    return value


def forget() -> None:
    """Drop what this process keeps (tests)."""
    _kept.clear()


class IdentityMemoMiddleware:
    """Each request reads the identity generation at most once, on its first lookup
    (anonymous requests never do). Goes before ``AuthenticationMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = page_cache.identity_memo.set({})
        try:
            return self.get_response(request)
        finally:
            page_cache.identity_memo.reset(token)
