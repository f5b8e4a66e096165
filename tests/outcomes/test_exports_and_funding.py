import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ipsworks.outcomes import funding
from ipsworks.outcomes.models import Claim, ClaimItem, ExportFile, PaymentEvent
from ipsworks.outcomes.periods import Period
from ipsworks.outcomes.tasks import build_export
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
FY = Period(D(2025, 4, 1), D(2026, 3, 31), "2025-26")


def _job(world, referral, start, end=None, hours=20):
    from ipsworks.jobs.models import Job

    return Job.objects.create(
        service=referral.service,
        person=referral.person,
        referral=referral,
        employer=f.EmployerFactory(service=referral.service),
        job_title="Porter",
        soc_major_group="9",
        contract_type="permanent",
        start_date=start,
        end_date=end,
        end_reason="resigned" if end else "",
        hours_per_week=Decimal(hours),
        hourly_pay_pence=1300,
        competitive=True,
        four_hours_worked=True,
        recorded_by=world.es_a,
    )


def _client_with_job(world):
    referral = f.ReferralFactory(
        person=f.PersonFactory(service=world.service), team=world.team_a, received_on=D(2025, 4, 2)
    )
    f.EpisodeFactory(referral=referral, access_date=D(2025, 4, 5))
    f.VocationalProfileFactory(
        person=referral.person,
        referral=referral,
        recorded_by=world.es_a,
        hours_min=8,
        hours_max=16,
        work_history="Kitchen porter, 2019 to 2021",
    )
    _job(world, referral, D(2025, 5, 1), hours=12)
    return referral


def hold_evidence(manager, contract, keys):
    """Mark the evidence held for the outcomes with these keys, as the manager would."""
    for key in keys:
        funding.set_evidence(contract=contract, key=key, held=True, by=manager)
    return keys


def _export(world, kind, staff=None):
    staff = staff or world.manager
    return ExportFile.objects.create(
        service=staff.service,
        requested_by=staff,
        kind=kind,
        period_start=FY.start,
        period_end=FY.end,
        period_label=FY.label,
    )


def test_ips_grow_return_has_one_row_per_referral_with_job_and_sustainment(world):
    referral = _client_with_job(world)
    export = _export(world, ExportFile.Kind.IPS_GROW_CSV)
    build_export.call(export.pk)
    export.refresh_from_db()
    assert (export.status, export.progress) == ("ready", 100)
    rows = list(csv.DictReader(io.StringIO(bytes(export.content).decode("utf-8-sig"))))
    row = next(r for r in rows if r["Client reference"] == f"IPS-{world.service.pk}-{referral.pk}")
    assert row["Referral date"] == "2025-04-02"
    assert row["Access date (first direct contact)"] == "2025-04-05"
    assert row["Job 1 start date"] == "2025-05-01"
    assert row["Job 1 hours band"] == "5-15 hours"
    assert row["Job 1 sustained 13 weeks"] == "2025-07-31"
    assert referral.person.family_name not in bytes(export.content).decode("utf-8-sig")
    assert world.person_other.nhs_number not in bytes(export.content).decode("utf-8-sig")


def test_ips_grow_return_as_excel(world):
    _client_with_job(world)
    export = _export(world, ExportFile.Kind.IPS_GROW_XLSX)
    build_export.call(export.pk)
    export.refresh_from_db()
    sheet = load_workbook(io.BytesIO(bytes(export.content))).active
    assert sheet["A1"].value == "Client reference"
    assert sheet.max_row >= 2


def test_commissioner_return_is_suppressed(world):
    _client_with_job(world)
    export = _export(world, ExportFile.Kind.COMMISSIONER_CSV, staff=world.commissioner)
    build_export.call(export.pk)
    export.refresh_from_db()
    text = bytes(export.content).decode("utf-8-sig")
    assert "<5" in text
    assert world.service.name in text
    assert world.other_service.name not in text


def test_steering_group_report_is_a_pdf(world):
    _client_with_job(world)
    export = _export(world, ExportFile.Kind.STEERING_PDF)
    build_export.call(export.pk)
    export.refresh_from_db()
    assert bytes(export.content).startswith(b"%PDF")
    assert export.filename.endswith(".pdf")


def test_requesting_an_export_queues_it_and_only_the_requester_downloads(world, as_staff):
    client = as_staff(world.manager)
    from ipsworks.outcomes.periods import financial_year

    key = f"fy:{financial_year(D.today()).start.isoformat()}"
    response = client.post(reverse("exports"), {"kind": "ips_grow_csv", "period": key})
    assert response.status_code == 302
    export = ExportFile.objects.get()
    assert export.status == "queued"
    status = client.get(reverse("export_status", args=[export.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in status
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 404
    build_export.call(export.pk)
    download = client.get(reverse("export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    for persona in ("es_a", "clinician", "admin"):
        assert (
            as_staff(getattr(world, persona))
            .get(reverse("export_download", args=[export.pk]))
            .status_code
            == 403
        )
    assert (
        as_staff(world.commissioner).get(reverse("export_download", args=[export.pk])).status_code
        == 404
    )


def test_commissioners_cannot_ask_for_client_level_returns(world, as_staff):
    client = as_staff(world.commissioner)
    page = client.get(reverse("exports")).content.decode()
    assert "IPS Grow client-level return" not in page
    response = client.post(reverse("exports"), {"kind": "ips_grow_csv", "period": "q:2025-04-01"})
    assert response.status_code == 200
    assert not ExportFile.objects.exists()


@pytest.fixture
def contract(world):
    return funding.create_contract(
        service=world.service,
        name="Social outcomes contract",
        funder="Test ICB",
        starts_on=D(2025, 4, 1),
        ends_on=D(2027, 3, 31),
        rates={
            PaymentEvent.ENGAGEMENT: 50000,
            PaymentEvent.JOB_START: 100000,
            PaymentEvent.SUSTAINED_13_UNDER_16: 80000,
            PaymentEvent.SUSTAINED_13_16_PLUS: 120000,
        },
        by=world.manager,
    )


def test_claimable_events_carry_their_evidence(world, contract):
    referral = _client_with_job(world)
    events = {e.event: e for e in funding.claimable_events(contract)}
    assert set(events) >= {"engagement", "job_start", "sustained_13_under_16"}
    assert "sustained_13_16_plus" not in events
    assert events["job_start"].evidence.startswith("Porter")
    assert events["sustained_13_under_16"].event_date == D(2025, 7, 31)
    assert events["engagement"].referral_id == referral.pk


def test_hours_at_the_milestone_decide_the_sustainment_band(world, contract):
    referral = _client_with_job(world)
    from ipsworks.jobs.models import PayChange

    job = referral.jobs.get()
    PayChange.objects.create(
        job=job,
        effective_on=D(2025, 6, 1),
        hourly_pay_pence=1400,
        hours_per_week=Decimal(20),
        recorded_by=world.es_a,
    )
    events = {e.event for e in funding.claimable_events(contract)}
    assert "sustained_13_16_plus" in events
    assert "sustained_13_under_16" not in events


def test_an_outcome_is_claimed_once_only(world, as_staff, contract):
    _client_with_job(world)
    client = as_staff(world.manager)
    keys = hold_evidence(
        world.manager, contract, [e.key for e in funding.claimable_events(contract)]
    )
    response = client.post(reverse("contract_detail", args=[contract.pk]), {"event": keys[:2]})
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.items.count() == 2
    again = client.post(reverse("contract_detail", args=[contract.pk]), {"event": keys[:1]})
    assert "already been claimed" in again.content.decode()
    assert ClaimItem.objects.count() == 2
    download = client.get(reverse("claim_download", args=[claim.pk]))
    assert b"Porter" in download.content or b"First contact" in download.content


def test_two_managers_claiming_at_the_same_moment_cannot_both_succeed(world, contract, monkeypatch):
    _client_with_job(world)
    stale = funding.claimable_events(contract)  # both managers loaded the page
    hold_evidence(world.manager, contract, [e.key for e in stale])
    funding.build_claim(contract=contract, keys=[stale[0].key], by=world.manager)
    # The second manager's request computed its list before the first claim committed.
    monkeypatch.setattr(funding, "claimable_events", lambda _contract: stale)
    with pytest.raises(funding.AlreadyClaimed):
        funding.build_claim(contract=contract, keys=[stale[0].key, stale[1].key], by=world.manager)
    assert ClaimItem.objects.count() == 1
    assert Claim.objects.count() == 1


def test_claim_with_nothing_ticked_is_refused(world, as_staff, contract):
    response = as_staff(world.manager).post(reverse("contract_detail", args=[contract.pk]), {})
    assert "Select at least one outcome" in response.content.decode()


@pytest.mark.parametrize("persona", ["es_a", "clinician", "commissioner", "admin"])
def test_only_managers_see_funding(world, as_staff, contract, persona):
    client = as_staff(getattr(world, persona))
    assert client.get(reverse("contracts")).status_code == 403
    assert client.get(reverse("contract_detail", args=[contract.pk])).status_code == 403


def test_another_services_manager_cannot_open_the_contract(world, as_staff, contract):
    other_manager = f.StaffFactory(role="manager", service=world.other_service)
    assert (
        as_staff(other_manager).get(reverse("contract_detail", args=[contract.pk])).status_code
        == 404
    )


def test_bad_contract_details_are_refused(world, as_staff):
    data = {
        "name": "X",
        "funder": "Y",
        "starts_on[day]": "1",
        "starts_on[month]": "4",
        "starts_on[year]": "2026",
        "ends_on[day]": "1",
        "ends_on[month]": "4",
        "ends_on[year]": "2025",
        "rate_job_start": "-1",
    }
    page = as_staff(world.manager).post(reverse("contracts"), data).content.decode()
    assert "The end date must be on or after the start date" in page
    assert "payment cannot be negative" in page
