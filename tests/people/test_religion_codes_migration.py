"""Migration people 0007 moves the old local religion codes to the Data Dictionary's."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("people", "0006_self_referral_repeat")]
AFTER = [("people", "0007_religion_group_codes")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """Migrating back unapplies every later migration that depends on these (other apps'
    too); afterwards the database goes forward to every app's latest again."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_each_old_local_code_becomes_its_group_code_and_back():
    apps = _migrate(BEFORE)
    Service = apps.get_model("organisations", "Service")
    Person = apps.get_model("people", "Person")
    service = Service.objects.create(name="Migration IPS", short_name="migration-ips")
    old = ["none", "christian", "buddhist", "hindu", "jewish", "muslim", "sikh", "other"]
    old += ["Z", "9"]
    for n, code in enumerate(old):
        Person.objects.create(
            service=service,
            given_name="Migrated",
            family_name=f"Testperson{n}",
            date_of_birth=dt.date(1990, 1, 1),
            religion_or_belief=code,
        )

    def codes(apps):
        people = apps.get_model("people", "Person").objects.order_by("family_name")
        return [p.religion_or_belief for p in people.filter(given_name="Migrated")]

    assert codes(_migrate(AFTER)) == ["L", "C", "B", "D", "F", "G", "I", "K", "M", "N"]
    assert codes(_migrate(BEFORE)) == old
    _migrate(AFTER)
