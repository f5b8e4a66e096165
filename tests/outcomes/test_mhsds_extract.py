"""The MHSDS extract: what a month's tables hold, the formats it is checked against, who may
ask for it, and a differential test of NHS England's measures against it (issue 17)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ipsworks.activity.models import Contact
from ipsworks.demo import synthetic
from ipsworks.organisations.models import Service
from ipsworks.outcomes.metrics import nhs_england
from ipsworks.outcomes.mhsds import extract, idb
from ipsworks.outcomes.models import ExportFile
from ipsworks.outcomes.periods import Period, month
from ipsworks.outcomes.tasks import build_export
from ipsworks.people.models import Person
from tests import factories as f
from tests.outcomes import mhsds_reference

pytestmark = pytest.mark.django_db

D = dt.date
NOVEMBER = month(D(2026, 11, 1))


@pytest.fixture
def ips(world):
    """A service of its own with an ODS code, so the shared world stays out of its tables."""
    world.ips = f.ServiceFactory(name="Extract IPS", ods_code="ZZ9")
    world.ips_team = f.TeamFactory(service=world.ips, name="Extract CMHT")
    world.ips_manager = f.StaffFactory(role="manager", service=world.ips)
    world.ips_es = f.StaffFactory(role="es", service=world.ips, teams=[world.ips_team])
    return world


def _referral(world, received, *, status="02", closed=None, person=None, **extra):
    if closed:
        extra |= {"status": "closed", "closed_on": closed, "closure_reason": "settled_in_work"}
    return f.ReferralFactory(
        person=person or f.PersonFactory(service=world.ips),
        team=world.ips_team,
        received_on=received,
        employment_status_at_referral=status,
        **extra,
    )


def _contact(world, referral, on, **answers):
    return f.ContactFactory(referral=referral, staff=world.ips_es, contact_date=on, **answers)


def test_a_month_has_every_table_with_the_idbs_names(ips):
    world = ips
    seen = _referral(world, D(2026, 10, 20), source="B1")
    f.EpisodeFactory(referral=seen, access_date=D(2026, 11, 4))
    _contact(world, seen, D(2026, 11, 4))
    _contact(world, seen, D(2026, 11, 9), with_whom=Contact.With.CLINICAL_TEAM)
    built = extract.build(world.ips, NOVEMBER, now=timezone.now())

    header = built.tables["MHS000Header"][0]
    assert (header["OrgIDProvider"], header["ReportingPeriodStartDate"]) == ("ZZ9", "2026-11-01")
    assert header["ReportingPeriodEndDate"] == "2026-11-30"
    (referral,) = built.tables["MHS101Referral"]
    assert referral == {
        "ServiceRequestId": str(seen.pk),
        "LocalPatientId": str(seen.person_id),
        "ReferralRequestReceivedDate": "2026-10-20",
        "SourceOfReferralMH": "B1",
        "ServDischDate": "",
    }
    (team,) = built.tables["MHS102ServiceTypeReferredTo"]
    assert (team["ServTeamTypeRefToMH"], team["CareProfTeamLocalId"]) == (
        "D05",
        f"IPS{world.ips.pk}",
    )
    (contact,) = built.tables["MHS201CareContact"]
    assert (contact["ConsMechanismMH"], contact["AttendOrDNACode"]) == ("01", "5")
    (indirect,) = built.tables["MHS204IndirectActivity"]
    assert indirect["IndirectActDate"] == "2026-11-09"

    files = mhsds_reference.read(built.to_zip())
    assert set(files) == {table.name for table in idb.TABLES}
    for table in idb.TABLES:
        assert list(files[table.name][0]) == table.header if files[table.name] else True
    assert files["MHS101Referral"] == built.tables["MHS101Referral"]


def test_nothing_the_idb_does_not_ask_for_is_written(ips):
    world = ips
    person = f.PersonFactory(
        service=world.ips,
        given_name="Wrenna",
        family_name="Testington",
        phone="07700900123",
        email="wrenna@example.org",
    )
    referral = _referral(world, D(2026, 11, 2), person=person)
    _contact(world, referral, D(2026, 11, 3), note="Talked about a warehouse job")
    text = extract.build(world.ips, NOVEMBER).to_zip()
    files = mhsds_reference.read(text)
    everything = repr(files)
    for private in ("Wrenna", "Testington", "07700900123", "warehouse", person.email):
        assert private not in everything
    (mpi,) = files["MHS001MPI"]
    assert mpi["NHSNumber"] == person.nhs_number
    assert mpi["NHSNumberStatus"] == "02"


def test_a_discharge_after_the_month_is_not_in_that_months_extract(ips):
    world = ips
    later = _referral(world, D(2026, 10, 1), closed=D(2026, 12, 2))
    f.EpisodeFactory(
        referral=later, access_date=D(2026, 10, 3), employment_status_at_discharge="01"
    )
    built = extract.build(world.ips, NOVEMBER)
    (row,) = built.tables["MHS101Referral"]
    assert row["ServDischDate"] == ""
    (team,) = built.tables["MHS102ServiceTypeReferredTo"]
    assert (team["ReferClosureDate"], team["ReferClosReason"]) == ("", "")
    assert built.tables["MHS004EmpStatus"] == []  # neither status is dated in November
    december = extract.build(world.ips, month(D(2026, 12, 1)))
    (team,) = december.tables["MHS102ServiceTypeReferredTo"]
    assert (team["ReferClosureDate"], team["ReferClosReason"]) == ("2026-12-02", "02")


def test_employment_status_rows_blank_is_no_row_and_zz_is_a_row(ips):
    world = ips
    _referral(world, D(2026, 11, 2), status="")
    declined = _referral(world, D(2026, 11, 3), status="ZZ")
    employed = _referral(world, D(2026, 11, 5), status="01", weekly_hours_at_referral="02")
    rows = extract.build(world.ips, NOVEMBER).tables["MHS004EmpStatus"]
    assert [(r["LocalPatientId"], r["EmployStatus"], r["WeekHoursWorked"]) for r in rows] == [
        (str(declined.person_id), "ZZ", declined.weekly_hours_at_referral),
        (str(employed.person_id), "01", "02"),
    ]
    assert rows[1]["EmployStatusRecDate"] == "2026-11-05"


def test_an_extract_is_refused_without_the_providers_ods_code(ips):
    world = ips
    Service.objects.filter(pk=world.ips.pk).update(ods_code="")
    world.ips.refresh_from_db()
    with pytest.raises(extract.ExtractRefused, match="ODS code is not recorded"):
        extract.build(world.ips, NOVEMBER)


def test_rows_that_break_the_idbs_formats_are_refused_naming_them(ips):
    world = ips
    referral = _referral(world, D(2026, 11, 2))
    Person.objects.filter(pk=referral.person_id).update(nhs_number="9434765918")  # bad check digit
    with pytest.raises(extract.ExtractRefused) as refused:
        extract.build(world.ips, NOVEMBER)
    assert "MHS001MPI row 1, NHSNumber: is not a valid NHS number" in str(refused.value)


@pytest.mark.parametrize(
    ("spec", "value", "problem"),
    [
        (idb.REFERRALS.fields[2], "2026-02-30", "is not a date"),
        (idb.REFERRALS.fields[2], "", "is missing"),
        (idb.REFERRALS.fields[3], "clinical_team", "is not one of its codes"),
        (idb.CARE_CONTACTS.fields[4], "12345", "at most 4 digits"),
        (idb.HEADER.fields[1], "AB", "must be 3 to 6 characters"),
        (idb.HEADER.fields[6], "2026-11-01 10:00", "is not CCYY-MM-DDThh:mm:ss"),
    ],
)
def test_each_format_rule_refuses_what_it_should(spec, value, problem):
    assert problem in spec.problem(value)


def test_an_optional_field_may_be_blank_and_a_good_value_passes():
    assert idb.REFERRALS.fields[4].problem("") is None  # ServDischDate
    assert idb.REFERRALS.fields[4].problem("2026-11-30") is None
    assert idb.HEADER.fields[6].problem("2026-12-01T09:30:00") is None


# --- asking for it -------------------------------------------------------------------------


def test_a_manager_builds_and_downloads_a_months_extract(ips, as_staff):
    world = ips
    referral = _referral(world, D(2026, 11, 2))
    client = as_staff(world.ips_manager)
    page = client.get(reverse("exports")).content.decode()
    assert "MHSDS extract for one month" in page
    response = client.post(
        reverse("exports"),
        {
            "kind": "mhsds_zip",
            "period": "custom",
            "start[day]": "1",
            "start[month]": "11",
            "start[year]": "2026",
            "end[day]": "30",
            "end[month]": "11",
            "end[year]": "2026",
        },
    )
    assert response.status_code == 302
    export = ExportFile.objects.get()
    build_export.call(export.pk)
    download = client.get(reverse("export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert 'filename="mhsds-2026-11.zip"' in download["Content-Disposition"]
    files = mhsds_reference.read(download.content)
    assert [r["ServiceRequestId"] for r in files["MHS101Referral"]] == [str(referral.pk)]
    for persona in ("es_a", "clinician", "admin"):
        assert as_staff(getattr(world, persona)).get(
            reverse("export_download", args=[export.pk])
        ).status_code in (403, 404)


def test_a_period_that_is_not_one_month_is_refused(ips, as_staff):
    client = as_staff(ips.ips_manager)
    response = client.post(reverse("exports"), {"kind": "mhsds_zip", "period": "q:2026-07-01"})
    assert response.status_code == 200
    assert "An MHSDS extract is for one reporting month" in response.content.decode()
    assert not ExportFile.objects.exists()


def test_a_refused_extract_says_why_on_the_exports_page(ips, as_staff):
    world = ips
    Service.objects.filter(pk=world.ips.pk).update(ods_code="")
    client = as_staff(world.ips_manager)
    client.post(reverse("exports"), {"kind": "mhsds_zip", "period": "m:2026-11-01"})
    export = ExportFile.objects.get()
    build_export.call(export.pk)
    export.refresh_from_db()
    assert export.status == "failed"
    assert "ODS code is not recorded" in client.get(reverse("exports")).content.decode()
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 404


def test_a_commissioner_cannot_ask_for_the_extract(world, as_staff):
    client = as_staff(world.commissioner)
    assert "MHSDS extract" not in client.get(reverse("exports")).content.decode()
    response = client.post(reverse("exports"), {"kind": "mhsds_zip", "period": "m:2026-11-01"})
    assert response.status_code == 200
    assert not ExportFile.objects.exists()


# --- the differential test -------------------------------------------------------------------


def _months(first: dt.date, last: dt.date) -> list[Period]:
    months, start = [], month(first).start
    while start <= last:
        this = month(start)
        months.append(this)
        start = this.end + dt.timedelta(days=1)
    return months


@pytest.mark.parametrize("seed", [5, 23])
def test_the_apps_dashboard_measures_equal_the_same_measures_over_its_own_extracts(db, seed):
    """Generated data, every month of its history: the app's figures (raw joins over the
    records) equal the figures a separate implementation reads from the ZIPs the app wrote."""
    today = D(2026, 11, 20)
    synthetic.generate(
        synthetic.Options(
            services=1, people=260, seed=seed, years=2, today=today, now=timezone.now()
        )
    )
    service = Service.objects.get()
    service.ods_code = service.ods_code or "ZZ1"
    first = service.referrals.order_by("received_on").values_list("received_on", flat=True)[0]
    months = _months(first, month(today).start - dt.timedelta(days=1))
    extracts = [mhsds_reference.read(extract.build(service, m).to_zip()) for m in months]
    theirs = mhsds_reference.measures(extracts)
    compared = 0
    for period, reference in zip(months, theirs, strict=True):
        ours = nhs_england.month_measures([service.pk], period).values
        expected = {key: reference.get(key, 0) for key, _ in nhs_england.MEASURES}
        assert ours == expected, period.label
        compared += sum(expected.values())
    assert compared > 1000  # the months were not empty


def test_the_docs_tables_are_the_codes():
    from ipsworks.outcomes.mhsds import docs

    text = docs.PATH.read_text()
    assert docs.rewritten(text) == text, "run manage.py mhsds_docs"
    for table in idb.TABLES:
        assert f"### {table.name}" in text
        for spec in table.fields:
            assert f"`{spec.name}`" in text
