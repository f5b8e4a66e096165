"""Rendered pages kept for reuse until anything they could show has changed (ADR 0009).

The busiest pages (a specialist's caseload and week, a person's record, the referral queue,
the service overview and dashboard) are read far more often than the records under them
change. Each is rendered once and its HTML kept in the shared cache, under a key that holds
everything the HTML depends on besides the data: the page (path and query), the staff
member, the date, whether it is an htmx fragment, and the code that drew it. Whether the
data has changed is answered by **generations**: counters in the same cache that every write
moves on. A page is kept with the generations it was drawn under and used only while they
are the current ones (both are read in one round trip).

* Every INSERT, UPDATE or DELETE sent through Django's database connections, by any code
  path (``save()``, ``QuerySet.update()``, ``bulk_create()``, raw SQL, migrations), is seen
  by an execute wrapper on each connection (:func:`track_writes`). Writes to tables that no
  cached page shows (sessions, the access log, sign-in throttling, the task queue, API
  tokens) are left
  out, as is the stamp of a user's last sign-in. Anything else that is not a SELECT moves a
  generation on: DDL, COPY, TRUNCATE.
* A write made in a request by a staff member who works in one service (specialists,
  managers, clinicians, administrators), in the browser or through the API, moves on that
  service's generation; every other write (background tasks, commands, the public pages,
  commissioners and reviewers) moves on the generation of the whole installation. A kept
  page is used only while both are as they were when it was drawn.
  Staff only ever write their own service's records (``ipsworks.access.scoping``).
* Recording a contact (:func:`about_person`) touches one person's own records: those writes
  move on that person's generation and the service's *people* generation instead. A
  person's record is kept under the person's generation; every other kept page shows many
  people and is kept under the people generation. So a contact redraws that person's record
  and the service's lists, and leaves the other people's records in use.
* The generation moves on as the statement runs, so the writer's next page is fresh even
  inside its transaction, and again when the transaction commits, so a page drawn from
  the data just before the commit by another process cannot be kept under the new number.
* Writes made outside Django's connections (the synthetic generator's COPY, ``psql``, a
  restore) call :func:`forget_everything` (``manage.py forget_pages``).

What is kept is a page's HTML with a placeholder where the CSRF token goes; each response
gets its own token. Checks that must run on every request still run before the cache is
asked: scope (404), role (403), the manager's reason and the access-log entry. Pages with a
message waiting (after a form) are drawn fresh. If the cache cannot be reached, pages are
drawn as if it were empty; entries expire after ``IPS_PAGE_CACHE_SECONDS`` whatever
happens, which bounds how long a page could be stale had a generation failed to move.

The page cache needs Redis as the cache (``IPS_CACHE_URL=redis://...``): shared by every
process, with atomic increments. It is off with any other cache unless ``IPS_PAGE_CACHE``
switches it on in development or for one process (the test suite does, so every test runs
through it).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connections
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from markupsafe import Markup

from ipsworks.core.dates import local_today

logger = logging.getLogger(__name__)

# Neither can appear in a page by chance; both survive HTML and JSON escaping unchanged.
CSRF_PLACEHOLDER = "ipsCsrfTokenPlaceholder7f3a9c"
_RENDERING_FOR_CACHE = "_ips_page_cache_render"

_ALL = "ips:gen:all"
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.I)
# Signing in stamps the user's last sign-in time (django.contrib.auth.models.update_last_login),
# which no cached page shows.
_SIGN_IN = re.compile(r'\s*UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"\."id" = %s$')
_READ = re.compile(r"\s*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK|COMMIT|BEGIN|SET|SHOW|PRAGMA)\b", re.I)

# The service whose records this request's writes can change; None means any.
write_scope: ContextVar[int | None] = ContextVar("ips_write_scope", default=None)

# Set by about_person(): the (service, person) whose own records the writes in progress touch.
_about_person: ContextVar[tuple[int, int] | None] = ContextVar("ips_about_person", default=None)

# Moved on by every write to the tables that say who a signed-in user is.
IDENTITY = "ips:gen:identity"
# The identity generation as this request read it (ipsworks.access.identity), if it has.
identity_memo: ContextVar[dict | None] = ContextVar("ips_identity_memo", default=None)


_QUIET_SECONDS = 60
_last_complaint = 0.0


def _complain(what: str) -> None:
    """Log that the cache could not be reached, at most once a minute a process (a bulk
    import would otherwise log once for each statement)."""
    global _last_complaint
    now = time.monotonic()
    if now - _last_complaint >= _QUIET_SECONDS:
        _last_complaint = now
        logger.warning("page cache: could not %s; pages are drawn fresh meanwhile", what)


def _cache():
    return caches[settings.IPS_PAGE_CACHE_ALIAS]


def _service_key(service_id: int) -> str:
    return f"ips:gen:service:{service_id}"


def _people_key(service_id: int) -> str:
    """Moved on by writes to one person's own records in the service (``about_person``)."""
    return f"ips:gen:service:{service_id}:people"


def _person_key(person_id: int) -> str:
    return f"ips:gen:person:{person_id}"


# --- Generations ----------------------------------------------------------------------------


def _move_on(key: str) -> None:
    cache_ = _cache()
    try:
        try:
            cache_.incr(key)
        except ValueError:
            # Never been moved on, or evicted: start from the clock, so that no page kept
            # under an earlier run of numbers can come back.
            if not cache_.add(key, time.time_ns(), timeout=None):
                cache_.incr(key)
    except Exception:  # the cache server is down: pages expire on their own (module doc)
        _complain(f"move generation {key} on")


def moved_on(scope: int | None) -> None:
    """Say that records of service ``scope`` (None: of any service) have changed."""
    _move_on(_ALL if scope is None else _service_key(scope))


def forget_everything() -> None:
    """After a change made outside Django's connections: no kept page, and no signed-in
    user kept by a process, is used again."""
    moved_on(None)
    _move_on(IDENTITY)


def setting_changed(**kwargs) -> None:
    """``setting_changed`` receiver (tests): a setting may change how pages look."""
    forget_everything()


# What the apps above tell the cache about their tables, from their AppConfig.ready, so this
# module (the ground floor) imports none of them.
_registered: dict[str, list] = {"unseen": [], "one_person": []}


def register_unseen(*models) -> None:
    """Writes to these models' tables change no kept page (an app's log, say)."""
    _registered["unseen"].extend(models)
    _unseen_tables.cache_clear()


def register_one_person(*models) -> None:
    """Each row of these models belongs to one person and shows only on that person's
    kept pages, so a write to one forgets that person's pages, not the service's."""
    _registered["one_person"].extend(models)
    _person_tables.cache_clear()


@cache
def _unseen_tables() -> frozenset[str]:
    """Tables that no cached page shows: writing them leaves every kept page as it was."""
    from django.apps import apps

    names = {"django_session"}
    # Sign-in throttling, the task queue, second-factor devices, API tokens and idempotency
    # keys: shown on the account and token pages, which are never kept.
    for label in ("axes", "django_tasks_database", "otp_totp", "otp_static", "apitokens"):
        try:
            names.update(m._meta.db_table for m in apps.get_app_config(label).get_models())
        except LookupError:
            continue
    names.update(m._meta.db_table for m in _registered["unseen"])
    # A cache kept in the database (IPS_CACHE_URL=db://...) writes its own table.
    names.update(
        entry["LOCATION"]
        for entry in settings.CACHES.values()
        if entry["BACKEND"].endswith("DatabaseCache")
    )
    return frozenset(names)


@cache
def _identity_tables() -> frozenset[str]:
    """Tables that say who a signed-in user is: users, staff memberships, services, teams
    and second-factor devices (kept in each process by ``ipsworks.access.identity``)."""
    from django.apps import apps

    names: set[str] = set()
    for label in ("auth", "contenttypes", "organisations", "otp_totp", "otp_static"):
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        names.update(m._meta.db_table for m in config.get_models(include_auto_created=True))
    return frozenset(names)


@cache
def _person_tables() -> frozenset[str]:
    """Tables each of whose rows belongs to one person, and shows only on that person's
    record among the kept person pages: what recording a contact writes."""
    return frozenset(m._meta.db_table for m in _registered["one_person"])


def _what_changes(sql: str) -> tuple[str | None, bool, bool]:
    """(the table written, or None when it cannot be told; whether the statement could
    change a cached page; whether it could change who a signed-in user is). A statement
    that is neither a read nor a plain write (DDL, COPY, TRUNCATE, a CTE that writes) could
    change anything."""
    if _READ.match(sql):
        return None, False, False
    written = _WRITE.match(sql)
    if written is None:
        return None, True, True
    table = written.group(1)
    pages = table not in _unseen_tables() and not _SIGN_IN.match(sql)
    return table, pages, table in _identity_tables()


def changes_pages(sql: str) -> bool:
    """Whether a statement could change what a cached page shows."""
    return _what_changes(sql)[1]


def changes_identity(sql: str) -> bool:
    """Whether a statement could change a signed-in user, their staff membership or device."""
    return _what_changes(sql)[2]


@contextmanager
def about_person(service_id: int, person_id: int) -> Iterator[None]:
    """Say that the writes in this block touch one person's own records only (ADR 0009):
    writes to the tables of ``_person_tables`` then move on that person's generation and
    the service's people generation, so the other people's kept records stay in use. A
    write to any other table in the block moves the service's generation on as usual."""
    token = _about_person.set((service_id, person_id))
    try:
        yield
    finally:
        _about_person.reset(token)


def _page_generations(table: str | None) -> list[str]:
    """The generations a write to ``table`` moves on (module doc)."""
    about = _about_person.get()
    if about is not None and table in _person_tables():
        service_id, person_id = about
        return [_person_key(person_id), _people_key(service_id)]
    scope = write_scope.get()
    return [_ALL if scope is None else _service_key(scope)]


def track_writes(execute, sql, params, many, context):
    """Django execute wrapper: move generations on for each statement that writes (doc)."""
    result = execute(sql, params, many, context)
    if settings.IPS_PAGE_CACHE:
        table, pages, identity = _what_changes(sql)
        keys = _page_generations(table) if pages else []
        if identity:
            keys.append(IDENTITY)
            # This request's own later lookups must not use the number read before.
            memo = identity_memo.get()
            if memo is not None:
                memo.clear()
        connection = context["connection"]
        for key in keys:
            _move_on(key)
            if connection.in_atomic_block:
                _again_on_commit(connection, key)
    return result


def _again_on_commit(connection, key: str) -> None:
    callbacks = connection.__dict__.setdefault("_ips_page_cache_callbacks", {})
    callback = callbacks.get(key)
    if callback is None:
        callback = callbacks[key] = lambda: _move_on(key)
    # One callback a transaction and generation; a savepoint rolled back takes its own away.
    if not any(entry[1] is callback for entry in connection.run_on_commit):
        connection.on_commit(callback)


def install(connection, **kwargs) -> None:
    """``connection_created`` receiver: wrap every statement on this connection."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


def install_everywhere() -> None:
    for connection in connections.all(initialized_only=True):
        install(connection)


# --- Pages ----------------------------------------------------------------------------------


@cache
def code_fingerprint() -> str:
    """Changes whenever a template or module changes: a release never serves older HTML."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".jinja") and "migrations" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _key(request, template_name: str, vary: Iterable[object]) -> str:
    staff = request.staff
    parts = [
        code_fingerprint(),
        template_name,
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Boosted", ""),
        translation.get_language(),
        local_today().isoformat(),
        staff.pk,
        staff.role,
        *vary,
    ]
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16)
    return f"ips:page:{digest.hexdigest()}"


def _page_depends_on(service_id: int | None, person_id: int | None) -> list[str]:
    """The generations a kept page is valid under. Pages only ever show the staff member's
    own service (ADR 0001); a staff member with no service is shown none of its records."""
    if not service_id:
        return [_ALL]
    own = _person_key(person_id) if person_id is not None else _people_key(service_id)
    return [_ALL, _service_key(service_id), own]


def _read(cache_, keys: list[str]) -> dict:
    try:
        return cache_.get_many(keys)
    except Exception:
        _complain("read")
        return {}


def _usable(request) -> bool:
    return (
        settings.IPS_PAGE_CACHE
        and request.method == "GET"
        and getattr(request, "staff", None) is not None
        and not len(get_messages(request))
    )


def render_page(
    request,
    template_name: str,
    build_context: Callable[[], dict],
    *,
    vary: Iterable[object] = (),
    person_id: int | None = None,
) -> HttpResponse:
    """The page's response, drawn once and then reused until its data changes.

    ``build_context`` runs only when the page is drawn: the view's checks (scope, role,
    reason, access log) must come before this call. ``vary``: anything else the HTML
    depends on that the path, the staff member and the date do not already say.
    ``person_id``: the page is one person's record, and of the records written in
    ``about_person`` blocks it shows only that person's own; any other page shows any
    person's.

    A kept page is stored with the generations it was drawn under, and used only while
    they are still the current ones; both are read in one round trip.
    """

    def draw() -> str:
        return render_to_string(template_name, build_context(), request)

    if not _usable(request):
        return HttpResponse(draw())
    cache_ = _cache()
    staff = request.staff
    names = _page_depends_on(staff.service_id, person_id)
    key = _key(request, template_name, vary)
    found = _read(cache_, [*names, key])
    if any(name not in found for name in names):
        # A generation never moved on yet (a new or emptied cache, or it is unreachable).
        for name in names:
            if name not in found:
                _move_on(name)
        found = _read(cache_, names)
        if any(name not in found for name in names):
            return HttpResponse(draw())
    generations = [found[name] for name in names]
    kept = found.get(key)
    if kept is not None and kept[0] == generations:
        html = kept[1]
    else:
        setattr(request, _RENDERING_FOR_CACHE, True)
        try:
            html = draw()
        finally:
            delattr(request, _RENDERING_FOR_CACHE)
        try:
            cache_.set(key, (generations, html), timeout=settings.IPS_PAGE_CACHE_SECONDS)
        except Exception:
            _complain("keep a page")
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(html)


def csrf_placeholder(request) -> dict:
    """Context processor: while a page is drawn for keeping, its CSRF token is a placeholder.

    Runs after the Jinja2 backend has put the real ``csrf_input`` and ``csrf_token`` in the
    context, so it replaces them; :func:`render_page` puts each response's token in.
    """
    if not getattr(request, _RENDERING_FOR_CACHE, False):
        return {}
    return {
        "csrf_token": CSRF_PLACEHOLDER,
        # A constant: nothing from the request or the data is in it.
        "csrf_input": Markup(  # noqa: S704
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'
        ),
    }
