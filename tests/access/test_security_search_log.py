"""Searches are logged without what was searched for: the access log is read by service
administrators, who may not see case data, and a searched name or NHS number is case data."""

import pytest
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_person_search_by_name_is_logged_without_the_name(world, as_staff):
    # A name unlike the team's "Testperson<n>", which a close-spelling search also finds.
    name = "Okonkwo"
    Person.objects.filter(pk=world.person_a.pk).update(family_name=name)
    page = as_staff(world.es_a).get(reverse("person_search"), {"q": name}).content.decode()
    assert name in page  # found
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.SEARCH)
    assert name not in entry.reason
    assert entry.reason == f"people: search by name ({len(name)} characters, 1 found)"

    log = as_staff(world.admin).get(reverse("access_log"), {"username": world.es_a.user.username})
    log = log.content.decode()
    assert "people: search by name" in log
    assert name not in log


def test_a_person_search_by_nhs_number_is_logged_without_the_number(world, as_staff):
    number = world.person_a.nhs_number
    as_staff(world.es_a).get(reverse("person_search"), {"q": number})
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.SEARCH)
    assert number not in entry.reason
    assert entry.reason.startswith("people: search by NHS number")
    log = as_staff(world.manager).get(reverse("access_log"), {"username": world.es_a.user.username})
    log = log.content.decode()
    assert "people: search by NHS number" in log
    assert number not in log


def test_an_employer_search_is_logged_without_the_text(world, as_staff):
    as_staff(world.es_a).get(reverse("employer_list"), {"q": "Hesketh"})
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.SEARCH)
    assert "Hesketh" not in entry.reason
    assert entry.reason == "employers: search (7 characters)"


def test_older_entries_lose_their_search_text():
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    name = "0003_remove_search_text_from_access_log"
    apps = MigrationLoader(connection).project_state(("access", name)).apps
    migration = import_module(f"ipsworks.access.migrations.{name}")
    kept = "people: search by name (5 characters, 1 found)"
    for reason in ("people: Testperson", "employers: Hesketh", kept, "access log"):
        AccessLogEntry.objects.create(action=AccessLogEntry.Action.SEARCH, reason=reason)
    migration.remove_search_text(apps, None)
    assert sorted(AccessLogEntry.objects.values_list("reason", flat=True)) == sorted(
        ["people: search (text removed)", "employers: search (text removed)", kept, "access log"]
    )
