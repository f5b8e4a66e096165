"""Source of referral is MHSDS SOURCE OF REFERRAL FOR MENTAL HEALTH, everywhere it comes in."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from ipsworks.people.codes import SourceOfReferral
from ipsworks.people.models import Referral
from tests import factories as f

BEFORE = [("people", "0009_closure_reason_settled_in_work")]
AFTER = [("people", "0010_source_of_referral_mhsds")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema_after():
    """Migrating back unapplies later migrations of other apps too; put them all back."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_four_local_sources_become_mhsds_codes(latest_schema_after):
    apps = _migrate(BEFORE)
    Service = apps.get_model("organisations", "Service")
    Person = apps.get_model("people", "Person")
    OldReferral = apps.get_model("people", "Referral")
    service = Service.objects.create(name="Migration IPS", short_name="migration-ips")
    for n, local in enumerate(["clinical_team", "self", "gp", "other"]):
        person = Person.objects.create(
            service=service, given_name="Migrated", family_name=f"Testperson{n}"
        )
        OldReferral.objects.create(
            service=service, person=person, source=local, received_on=dt.date(2026, 4, 1)
        )

    def sources(apps):
        rows = apps.get_model("people", "Referral").objects.filter(service__name="Migration IPS")
        return list(rows.order_by("person__family_name").values_list("source", flat=True))

    assert sources(_migrate(AFTER)) == ["P1", "B1", "A1", "M6"]
    assert sources(_migrate(BEFORE)) == ["clinical_team", "self", "gp", "other"]


def test_the_dashboard_groups_codes_as_nhs_england_does():
    group = SourceOfReferral.dashboard_group
    assert [group(c) for c in ("A1", "A4", "B1", "B2", "P1", "I2", "Q1")] == [
        "Primary Health Care",
        "Primary Health Care",
        "Self Referral",
        "Self Referral",
        "Secondary Mental Health Care",
        "Secondary Mental Health Care",
        "Secondary Mental Health Care",
    ]
    assert group("M5") == "Other"
    assert group("E2") == "Other"
    assert group("clinical_team") == "Missing/Invalid"


@pytest.mark.django_db
def test_a_clinicians_referral_starts_as_an_internal_referral(client):
    team = f.TeamFactory()
    clinician = f.StaffFactory(role="clinician", service=team.service, teams=[team])
    client.force_login(clinician.user)
    page = client.get(reverse("referral_new")).content.decode()
    assert re.search(r'<option value="P1" selected\s*>', page)
    assert "Other: Jobcentre Plus" in page


@pytest.mark.django_db
def test_a_source_not_on_the_nhs_list_is_refused(client):
    team = f.TeamFactory()
    manager = f.StaffFactory(role="manager", service=team.service)
    client.force_login(manager.user)
    response = client.post(
        reverse("referral_new"),
        {
            "given_name": "Rhian",
            "family_name": "Testcase",
            "source": "clinical_team",
            "received_on-day": "1",
            "received_on-month": "4",
            "received_on-year": "2026",
            "pathway": "job_seeking",
            "weekly_hours_at_referral": "98",
        },
    )
    assert response.status_code == 200
    assert "Select where the referral comes from, from the list" in response.content.decode()
    assert not Referral.objects.exists()
