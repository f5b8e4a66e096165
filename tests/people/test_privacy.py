import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.outcomes import metrics
from ipsworks.outcomes.periods import Period
from ipsworks.people.models import Person, PersonChange
from ipsworks.people.privacy import due_for_anonymisation
from ipsworks.people.services import anonymise
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_subject_access_download_holds_a_pdf_and_all_the_records(world, as_staff):
    f.ContactFactory(referral=world.referral_a, staff=world.es_a, note="Talked about retail work")
    response = as_staff(world.manager).post(reverse("subject_access", args=[world.person_a.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {"record.json", "record.pdf"}
    data = json.loads(archive.read("record.json"))
    assert data["person"][0]["nhs_number"] == world.person_a.nhs_number
    assert data["contacts"][0]["note"] == "Talked about retail work"
    assert archive.read("record.pdf").startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(
        action="subject_access", person_id=world.person_a.pk
    ).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("es_a", 403), ("clinician", 403), ("commissioner", 403), ("admin", 403), ("outsider", 403)],
)
def test_only_managers_export_a_subject_access_request(world, as_staff, persona, status):
    assert (
        as_staff(getattr(world, persona))
        .post(reverse("subject_access", args=[world.person_a.pk]))
        .status_code
        == status
    )


def test_subject_access_needs_a_post(world, as_staff):
    assert (
        as_staff(world.manager).get(reverse("subject_access", args=[world.person_a.pk])).status_code
        == 405
    )


def test_corrections_keep_their_history(world, as_staff):
    data = {
        "given_name": "Alexis",
        "family_name": world.person_a.family_name,
        "nhs_number": world.person_a.nhs_number,
        "gender_identity": "X",
        "ethnic_category": "99",
    }
    as_staff(world.es_a).post(reverse("person_edit", args=[world.person_a.pk]), data)
    change = PersonChange.objects.get(field="given_name")
    assert (change.new_value, change.changed_by) == ("Alexis", world.es_a)
    assert change.old_value != "Alexis"


def _closed_long_ago(world):
    person = f.PersonFactory(service=world.service, family_name="Oldrecord")
    referral = f.ReferralFactory(
        person=person,
        team=world.team_a,
        received_on=dt.date(2015, 1, 5),
        status="closed",
        closed_on=dt.date(2016, 6, 1),
        closure_reason="moved_away",
        employment_status_at_referral="02",
    )
    f.EpisodeFactory(referral=referral, access_date=dt.date(2015, 1, 9))
    f.ContactFactory(
        referral=referral, staff=world.es_a, contact_date=dt.date(2015, 1, 9), note="Private note"
    )
    from ipsworks.jobs.models import Job

    Job.objects.create(
        service=world.service,
        person=person,
        referral=referral,
        employer=f.EmployerFactory(service=world.service),
        job_title="Porter",
        soc_major_group="9",
        contract_type="permanent",
        start_date=dt.date(2015, 3, 1),
        hours_per_week=20,
        hourly_pay_pence=900,
        competitive=True,
        four_hours_worked=True,
        recorded_by=world.es_a,
    )
    _free_text_about(world, person, referral)
    return person


def _free_text_about(world, person, referral):
    """The records the audit found anonymisation and the export missed, each with free text."""
    from ipsworks.benefits.models import BetterOffCalculation
    from ipsworks.employers.models import EmployerSupport
    from ipsworks.matching.models import Application, JobSearchTarget, Vacancy

    employer = f.EmployerFactory(service=world.service)
    EmployerSupport.objects.create(
        service=world.service,
        employer=employer,
        staff=world.es_a,
        kind="adjustment_advice",
        delivered_on=dt.date(2015, 4, 1),
        person=person,
        note="Talked to the manager about Sam's anxiety",
    )
    vacancy = Vacancy.objects.create(
        service=world.service,
        employer=employer,
        title="Porter",
        soc_major_group="9",
        hours_min=10,
        hours_max=20,
        postcode="LS1 4AP",
        source="employer",
        created_by=world.es_a,
    )
    Application.objects.create(
        service=world.service,
        person=person,
        vacancy=vacancy,
        applied_on=dt.date(2015, 2, 1),
        status_on=dt.date(2015, 2, 1),
        note="Sam applied with my help",
        created_by=world.es_a,
    )
    JobSearchTarget.objects.create(
        service=world.service,
        person=person,
        employer=employer,
        note="Sam's cousin works here",
        added_by=world.es_a,
    )
    BetterOffCalculation.objects.create(
        service=world.service,
        person=person,
        referral=referral,
        tax_year="2026-27",
        engine_version="1.0",
        inputs={
            "tax_year": "2026-27",
            "country": "england",
            "adults": [{"age": 41, "pip_annual": "4000.00"}],
            "children": [{"age": 3}],
            "savings": "1200.00",
            "job": {"adult": 0, "hours_per_week": "16", "hourly_pay": "12.21"},
        },
        results={"better_off_weekly": 80.5},
        recorded_by=world.es_a,
    )


def _figures(world):
    period = Period(dt.date(2014, 4, 1), dt.date(2016, 3, 31), "two years")
    ids = [world.service.pk]
    return (
        metrics.referrals_received(ids, period),
        metrics.accesses(ids, period),
        metrics.job_starts(ids, period),
        metrics.people_into_work(ids, period),
        metrics.employment_rate(ids, period),
        metrics.sustained(ids, period, 13),
        dict(metrics.wait_to_access(ids, period)),
        _benefits_counselling_dates(ids),
    )


def _benefits_counselling_dates(ids):
    from ipsworks.benefits.queries import first_calculation_dates

    return first_calculation_dates(ids)  # fidelity item 12's evidence


def test_retention_anonymises_old_records_and_leaves_the_outcomes_unchanged(world, settings):
    settings.IPS_RETENTION_YEARS = 6
    old = _closed_long_ago(world)
    before = _figures(world)
    due = list(due_for_anonymisation(dt.date.today()))
    assert due == [old]
    anonymise(old, today=dt.date.today())
    old.refresh_from_db()
    assert (old.given_name, old.nhs_number, old.date_of_birth, old.postcode) == (
        "Anonymised",
        None,
        None,
        "",
    )
    assert old.contacts.get().note == ""
    from ipsworks.benefits.models import BetterOffCalculation
    from ipsworks.employers.models import EmployerSupport
    from ipsworks.matching.models import Application, JobSearchTarget

    assert EmployerSupport.objects.get(person=old).note == ""
    assert Application.objects.get(person=old).note == ""
    assert JobSearchTarget.objects.get(person=old).note == ""
    calculation = BetterOffCalculation.objects.get(person=old)
    assert calculation.inputs == {
        "tax_year": "2026-27",
        "job": {"hours_per_week": "16", "hourly_pay": "12.21"},
        "anonymised": True,
    }
    assert calculation.results == {"better_off_weekly": 80.5}
    assert _figures(world) == before
    assert list(due_for_anonymisation(dt.date.today())) == []
    assert AccessLogEntry.objects.filter(action="anonymise", person_id=old.pk).exists()


def test_people_with_an_open_or_recent_referral_are_kept(world):
    assert list(due_for_anonymisation(dt.date.today())) == []
    assert Person.objects.filter(anonymised_on__isnull=False).count() == 0
