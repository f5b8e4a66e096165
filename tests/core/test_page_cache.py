"""The page cache (ipsworks/core/page_cache.py, ADR 0009): a kept page is reused only while
nothing it could show has changed, never crosses from one staff member to another, and
never skips the checks that every request must pass.

The whole suite runs with the page cache on (settings_test), so every test that draws a
page after a change is also a test that the change reached the page. These tests pin down
the rules themselves."""

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipsworks.access.models import AccessLogEntry
from ipsworks.core import page_cache
from ipsworks.people.models import Person
from tests import factories as f

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _queries(client, url):
    """(response, number of queries) for a GET that must succeed."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


def _contact(day, note):
    """A contact form as a specialist fills it in."""
    return {
        "contact_date[day]": str(day.day),
        "contact_date[month]": str(day.month),
        "contact_date[year]": str(day.year),
        "with_whom": "person",
        "mode": "face_to_face",
        "outcome": "completed",
        "place": "community",
        "duration_minutes": "30",
        "note": note,
    }


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_page_seen_again_with_nothing_changed_is_reused(world, as_staff):
    client = as_staff(world.es_a)
    url = reverse("caseload")
    first, drawn = _queries(client, url)
    again, reused = _queries(client, url)
    assert reused < drawn
    assert _without_tokens(again.content.decode()) == _without_tokens(first.content.decode())


@pytest.mark.parametrize(
    "change",
    [
        lambda person: Person.objects.filter(pk=person.pk).update(given_name="Zebedee"),
        lambda person: (setattr(person, "given_name", "Zebedee"), person.save()),
        lambda person: Person.objects.bulk_update(
            [Person(pk=person.pk, given_name="Zebedee")], ["given_name"]
        ),
    ],
    ids=["queryset update", "save", "bulk update"],
)
def test_any_write_to_what_a_page_shows_is_seen_next_time(world, as_staff, change):
    client = as_staff(world.es_a)
    url = reverse("caseload")
    assert "Zebedee" not in client.get(url).content.decode()
    change(world.person_a)
    assert "Zebedee" in client.get(url).content.decode()


def test_raw_sql_is_seen_too(world, as_staff):
    client = as_staff(world.es_a)
    url = reverse("person_detail", args=[world.person_a.pk])
    client.get(url)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET family_name = %s WHERE id = %s",
            ["Quillfeather", world.person_a.pk],
        )
    assert "Quillfeather" in client.get(url).content.decode()


def test_a_colleague_recording_a_contact_changes_the_page_a_manager_kept(world, as_staff, today):
    manager = as_staff(world.manager)
    url = reverse("person_detail", args=[world.person_a.pk])
    assert "Met at the bakery" not in manager.get(url).content.decode()
    response = as_staff(world.es_a).post(
        reverse("contact_new", args=[world.person_a.pk]),
        _contact(today, "Met at the bakery"),
    )
    assert response.status_code == 302
    assert "Met at the bakery" in manager.get(url).content.decode()


def test_writes_in_another_service_leave_this_services_pages_kept(world, as_staff, today):
    mine, outsider, colleague = (
        as_staff(s) for s in (world.es_a, world.outsider, world.colleague_a)
    )
    url = reverse("caseload")
    mine.get(url)
    before = cache.get(f"ips:gen:service:{world.service.pk}")
    response = outsider.post(
        reverse("contact_new", args=[world.person_other.pk]),
        _contact(today, "Phone call"),
    )
    assert response.status_code == 302
    assert cache.get(f"ips:gen:service:{world.service.pk}") == before
    assert cache.get(f"ips:gen:service:{world.other_service.pk}:people") is not None
    _, reused = _queries(mine, url)
    _, drawn = _queries(colleague, url)
    assert reused < drawn


def test_a_kept_page_is_never_shown_to_someone_else(world, as_staff):
    url = reverse("caseload")
    mine = as_staff(world.es_a).get(url).content.decode()
    theirs = as_staff(world.colleague_a).get(url).content.decode()
    assert world.person_a.family_name in mine
    assert world.person_a.family_name not in theirs
    assert world.person_a2.family_name in theirs


def test_the_checks_still_run_when_a_page_was_kept(world, as_staff):
    client = as_staff(world.es_a)
    url = reverse("person_detail", args=[world.person_a.pk])
    client.get(url)
    client.get(url)
    # Each view is in the access log, kept page or not.
    assert (
        AccessLogEntry.objects.filter(person_id=world.person_a.pk, user=world.es_a.user).count()
        == 2
    )
    # Out of scope is still a 404: the outsider's request never reaches the kept page.
    assert as_staff(world.outsider).get(url).status_code == 404
    # A specialist who leaves the service loses the page at once.
    world.es_a.left_on = dt.date.today()
    world.es_a.save()
    assert client.get(url).status_code in (302, 403)


def test_each_response_carries_its_own_working_csrf_token(world, as_staff):
    client = as_staff(world.manager)
    client.handler.enforce_csrf_checks = True
    url = reverse("person_detail", args=[world.person_a.pk])
    client.get(url)
    kept = client.get(url).content.decode()
    assert page_cache.CSRF_PLACEHOLDER not in kept
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept).group(1)
    stored = [v for k, v in cache._cache.items() if k.startswith(":1:ips:page:")]
    assert stored  # the kept HTML holds the placeholder, not anyone's token
    # A form on the kept page posts with the token it was given.
    response = client.post(
        reverse("subject_access", args=[world.person_a.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/")


def test_a_message_waiting_is_shown_and_not_kept(world, as_staff, today):
    client = as_staff(world.es_a)
    url = reverse("person_detail", args=[world.person_a.pk])
    client.get(url)
    response = client.post(
        reverse("contact_new", args=[world.person_a.pk]),
        _contact(today, "Phone call"),
        follow=True,
    )
    assert "nhsuk-notification-banner--success" in response.content.decode()
    assert "nhsuk-notification-banner" not in client.get(url).content.decode()


def test_the_next_day_draws_the_page_again(world, as_staff, monkeypatch):
    client = as_staff(world.es_a)
    url = reverse("caseload")
    client.get(url)
    _, reused = _queries(client, url)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(page_cache, "local_today", lambda: tomorrow)
    _, drawn = _queries(client, url)
    assert drawn > reused


def test_writes_no_page_shows_leave_generations_alone(world, as_staff):
    client = as_staff(world.es_a)
    client.get(reverse("caseload"))
    before = cache.get_many(["ips:gen:all", f"ips:gen:service:{world.service.pk}"])
    AccessLogEntry.objects.create(user=world.es_a.user, action=AccessLogEntry.Action.VIEW_PERSON)
    Session.objects.filter(pk="nothing").delete()
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    # Signing in again only stamps the user's last sign-in time.
    as_staff(world.es_a)
    after = cache.get_many(["ips:gen:all", f"ips:gen:service:{world.service.pk}"])
    assert after == before


def test_a_commit_moves_the_generation_on_again(world, django_capture_on_commit_callbacks):
    key = f"ips:gen:service:{world.other_service.pk}"
    scope = page_cache.write_scope.set(world.other_service.pk)
    try:
        with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
            Person.objects.filter(pk=world.person_other.pk).update(given_name="Ada")
            Person.objects.filter(pk=world.person_other.pk).update(given_name="Bea")
    finally:
        page_cache.write_scope.reset(scope)
    ours = [c for c in callbacks if "_again_on_commit" in repr(c)]
    assert len(ours) == 1  # once a transaction and scope, however many statements
    before = cache.get(key)
    ours[0]()
    assert cache.get(key) == before + 1


def test_a_rolled_back_savepoint_takes_its_commit_callback_away(world):
    def ours():
        return [e for e in connection.run_on_commit if "_again_on_commit" in repr(e[1])]

    # A scope of its own, so the callbacks the fixtures' writes left are told apart.
    scope = page_cache.write_scope.set(world.other_service.pk)
    try:
        before = len(ours())
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Person.objects.filter(pk=world.person_a.pk).update(given_name="Ada")
                    assert len(ours()) == before + 1
                    raise RuntimeError
            except RuntimeError:
                pass
            assert len(ours()) == before
            Person.objects.filter(pk=world.person_a.pk).update(given_name="Bea")
            assert len(ours()) == before + 1
    finally:
        page_cache.write_scope.reset(scope)


@pytest.mark.parametrize(
    ("sql", "changes"),
    [
        ('SELECT "people_person"."id" FROM "people_person"', False),
        ("SAVEPOINT s1", False),
        ('UPDATE "people_person" SET "given_name" = %s', True),
        ('INSERT INTO "activity_contact" ("note") VALUES (%s)', True),
        ('DELETE FROM "jobs_job" WHERE "id" = %s', True),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "access_accesslogentry" ("action") VALUES (%s)', False),
        ('TRUNCATE "people_person"', True),
        ("WITH x AS (DELETE FROM people_person RETURNING id) SELECT 1", True),
        ('ALTER TABLE "people_person" ADD COLUMN "x" int', True),
    ],
)
def test_which_statements_change_pages(sql, changes):
    assert page_cache.changes_pages(sql) is changes


def test_when_the_cache_cannot_be_reached_pages_are_drawn_fresh(world, as_staff, monkeypatch):
    client = as_staff(world.es_a)
    url = reverse("caseload")
    client.get(url)

    def down(*args, **kwargs):
        raise ConnectionError("cache server down")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "incr", down)
    Person.objects.filter(pk=world.person_a.pk).update(given_name="Zebedee")
    response = client.get(url)
    assert response.status_code == 200
    assert "Zebedee" in response.content.decode()


def test_with_the_page_cache_off_pages_are_drawn_every_time(world, as_staff, settings):
    settings.IPS_PAGE_CACHE = False
    client = as_staff(world.es_a)
    url = reverse("caseload")
    _, first = _queries(client, url)
    _, second = _queries(client, url)
    assert first == second
    assert not [k for k in cache._cache if "ips:page:" in k]


def test_two_people_who_look_alike_get_their_own_pages(world, as_staff):
    client = as_staff(world.manager)
    a = client.get(reverse("person_detail", args=[world.person_a.pk])).content.decode()
    b = client.get(reverse("person_detail", args=[world.person_b.pk])).content.decode()
    assert world.person_a.family_name in a
    assert world.person_b.family_name not in a
    assert world.person_b.family_name in b


def _settings_process(code="", **env):
    return subprocess.run(  # noqa: S603 - the test's own code, this interpreter
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("IPS_")},
            "DJANGO_SETTINGS_MODULE": "ipsworks.config.settings",
            "IPS_SECRET_KEY": "x" * 60,
            "IPS_DEBUG": "0",
            **env,
        },
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("cache_url", ["locmem://", "db://"])
def test_switching_it_on_without_redis_stops_start_up(cache_url):
    # Memory is not shared between processes; the database cache's increments are a read
    # and a write, so two at once could take a counter back.
    refused = _settings_process(IPS_PAGE_CACHE="1", IPS_CACHE_URL=cache_url)
    assert refused.returncode != 0
    assert "IPS_PAGE_CACHE needs Redis as the cache" in refused.stderr


def test_with_redis_it_is_on_by_default_and_without_it_off():
    check = "from django.conf import settings; print(settings.IPS_PAGE_CACHE)"
    assert _settings_process(check, IPS_CACHE_URL="redis://127.0.0.1:6379/9").stdout == "True\n"
    assert _settings_process(check, IPS_CACHE_URL="db://").stdout == "False\n"


def test_with_redis_generations_start_and_move_on(settings):
    pytest.importorskip("redis")
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "ipsworks.core.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"ips-test-{os.getpid()}",
        },
    }
    settings.IPS_PAGE_CACHE_ALIAS = "pages"
    from django.core.cache import caches

    redis_cache = caches["pages"]
    redis_cache.delete_many(["ips:gen:all", "ips:gen:service:1"])
    page_cache.moved_on(1)  # never set: starts from the clock
    first = redis_cache.get("ips:gen:service:1")
    assert first > 10**18
    page_cache.moved_on(1)
    assert redis_cache.get("ips:gen:service:1") == first + 1
    redis_cache.delete_many(["ips:gen:all", "ips:gen:service:1"])


def test_forget_pages_after_a_change_made_outside_django(world, as_staff):
    from django.core.management import call_command

    client = as_staff(world.es_a)
    url = reverse("caseload")
    client.get(url)
    _, reused = _queries(client, url)
    out = io.StringIO()
    call_command("forget_pages", stdout=out)
    assert "forgotten" in out.getvalue()
    _, drawn = _queries(client, url)
    assert drawn > reused


def test_a_contact_sent_through_the_api_moves_its_own_services_pages_on(world, as_staff):
    from ipsworks.apitokens.services import create_token
    from tests.api.conftest import ApiClient
    from tests.api.test_endpoints import contact_body

    api = ApiClient(create_token(staff=world.es_a, name="Clinical system", valid_days=None).raw)
    page = as_staff(world.manager)
    url = reverse("person_detail", args=[world.person_a.pk])
    page.get(url)
    everywhere = cache.get("ips:gen:all")
    response = api.post("/contacts", contact_body(world.referral_a, note="Sent by the API"))
    assert response.status_code == 201, response.content
    assert cache.get("ips:gen:all") == everywhere  # other services' pages stay in use
    assert "Sent by the API" in page.get(url).content.decode()


KEPT_PAGES = [
    ("es_a", "caseload", None),
    ("es_a", "my_week", None),
    ("es_a", "person_detail", "person_a"),
    ("manager", "referral_list", None),
    ("manager", "service_overview", None),
    ("manager", "service_dashboard", None),
]


@pytest.mark.parametrize(("persona", "page", "person"), KEPT_PAGES)
def test_every_kept_page_is_reused_then_drawn_again_after_a_write(
    world, as_staff, persona, page, person
):
    client = as_staff(getattr(world, persona))
    url = reverse(page, args=[getattr(world, person).pk] if person else [])
    _, drawn = _queries(client, url)
    _, reused = _queries(client, url)
    assert reused < drawn
    f.ContactFactory(referral=world.referral_b, staff=world.es_b)
    _, after_write = _queries(client, url)
    assert after_write > reused


# --- Contacts change one person's record, and the service's lists ---------------------------


def test_a_contact_leaves_other_peoples_kept_records_in_use(world, as_staff, today):
    manager, specialist = as_staff(world.manager), as_staff(world.es_a)
    theirs = reverse("person_detail", args=[world.person_a.pk])
    other = reverse("person_detail", args=[world.person_a2.pk])
    manager.get(theirs)
    manager.get(other)
    _, kept = _queries(manager, other)
    response = specialist.post(
        reverse("contact_new", args=[world.person_a.pk]), _contact(today, "Met at the library")
    )
    assert response.status_code == 302
    _, still_kept = _queries(manager, other)
    assert still_kept == kept
    page, drawn = _queries(manager, theirs)
    assert drawn > kept
    assert "Met at the library" in page.content.decode()


def test_a_contact_reaches_the_services_lists_at_once(world, as_staff, today):
    """The caseload and the referral queue show every person: a contact moves them on."""
    specialist, manager = as_staff(world.es_a), as_staff(world.manager)
    assert "Today</td>" not in specialist.get(reverse("caseload")).content.decode()
    manager.get(reverse("referral_list"))
    _, kept = _queries(manager, reverse("referral_list"))
    specialist.post(
        reverse("contact_new", args=[world.person_a.pk]), _contact(today, "First meeting")
    )
    _, drawn = _queries(manager, reverse("referral_list"))
    assert drawn > kept
    # Last contact: today.
    assert "Today</td>" in specialist.get(reverse("caseload")).content.decode()


def test_about_person_narrows_only_the_persons_own_tables(world):
    service, people = f"ips:gen:service:{world.service.pk}", f"ips:gen:person:{world.person_a.pk}"
    page_cache.moved_on(world.service.pk)
    page_cache._move_on(people)
    before = cache.get_many([service, people])
    scope = page_cache.write_scope.set(world.service.pk)
    try:
        with page_cache.about_person(world.service.pk, world.person_a.pk):
            Person.objects.filter(pk=world.person_a.pk).update(given_name="Ada")
        middle = cache.get_many([service, people])
        assert middle[service] > before[service]  # people_person is not one of them
        assert middle[people] == before[people]
        with page_cache.about_person(world.service.pk, world.person_a.pk):
            world.referral_a.__class__.objects.filter(pk=world.referral_a.pk).update(
                next_action="Call back"
            )
        after = cache.get_many([service, people])
        assert after[service] == middle[service]
        assert after[people] > middle[people]
        # Outside the block, the same write moves the whole service on.
        world.referral_a.__class__.objects.filter(pk=world.referral_a.pk).update(next_action="")
        assert cache.get(service) > after[service]
    finally:
        page_cache.write_scope.reset(scope)


def test_the_apps_register_their_tables_with_the_ground_floor():
    """core imports no app: each registers its tables from AppConfig.ready (issue 23)."""
    from ipsworks.access.models import AccessLogEntry
    from ipsworks.activity.models import Contact
    from ipsworks.diary.models import Task
    from ipsworks.jobs.models import SupportCheckIn
    from ipsworks.outcomes.models import ReferralFacts, ReferralYearAccess
    from ipsworks.people.models import Episode, Referral, ReferralStatusChange

    one_person = (Contact, Referral, ReferralStatusChange, Episode, SupportCheckIn)
    one_person += (ReferralFacts, ReferralYearAccess, Task)
    assert page_cache._person_tables() == {m._meta.db_table for m in one_person}
    assert AccessLogEntry._meta.db_table in page_cache._unseen_tables()
