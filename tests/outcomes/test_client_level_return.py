"""The IPS Grow client-level return: one row per referral episode, the vocational profile of
that referral, every job start, and real dates in Excel."""

import datetime as dt
import io

import pytest
from django.db.models import QuerySet
from openpyxl import load_workbook

from ipsworks.outcomes import returns
from ipsworks.outcomes.models import ExportFile
from ipsworks.outcomes.periods import Period
from ipsworks.outcomes.tasks import build_export
from ipsworks.people.models import VocationalProfile
from tests import factories as f
from tests.outcomes.test_exports_and_funding import _export, _job

pytestmark = pytest.mark.django_db

D = dt.date
FY = Period(D(2025, 4, 1), D(2026, 3, 31), "2025-26")


def _referral(world, person, received, access, closed=None):
    kwargs = {"status": "closed", "closed_on": closed, "closure_reason": "moved_away"}
    referral = f.ReferralFactory(
        person=person,
        team=world.team_a,
        received_on=received,
        **(kwargs if closed else {}),
    )
    f.EpisodeFactory(referral=referral, access_date=access)
    return referral


def _profile(world, person, referral, version, on):
    profile = f.VocationalProfileFactory(
        person=person, referral=referral, version=version, recorded_by=world.es_a
    )
    moment = dt.datetime(on.year, on.month, on.day, 12, tzinfo=dt.UTC)
    # Test set-up only: a plain queryset backdates the row the append-only manager protects.
    QuerySet(VocationalProfile).filter(pk=profile.pk).update(recorded_at=moment)


def _rows(world):
    header, rows = returns.client_level_rows(world.service.pk, FY)
    return header, {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_a_re_referred_person_has_a_row_for_each_referral_with_its_own_profile(world):
    person = f.PersonFactory(service=world.service)
    first = _referral(world, person, D(2024, 1, 10), D(2024, 1, 20), closed=D(2025, 5, 31))
    _profile(world, person, first, 1, D(2024, 2, 1))
    second = _referral(world, person, D(2025, 9, 1), D(2025, 9, 8))
    _profile(world, person, second, 2, D(2025, 9, 15))
    _profile(world, person, second, 3, D(2025, 10, 1))  # a later version: not the date
    _, rows = _rows(world)
    a, b = rows[f"IPS-{world.service.pk}-{first.pk}"], rows[f"IPS-{world.service.pk}-{second.pk}"]
    assert a["Person reference"] == b["Person reference"] == f"IPS-P-{world.service.pk}-{person.pk}"
    assert a["Vocational profile date"] == D(2024, 2, 1)
    assert b["Vocational profile date"] == D(2025, 9, 15)  # not the earliest ever (2024)
    assert (a["Discharge date"], b["Discharge date"]) == (D(2025, 5, 31), None)


def test_a_profile_saved_before_profiles_were_linked_counts_for_the_referral_open_then(world):
    person = f.PersonFactory(service=world.service)
    referral = _referral(world, person, D(2025, 4, 1), D(2025, 4, 3))
    _profile(world, person, None, 1, D(2025, 3, 1))  # before this referral: not its profile
    _profile(world, person, None, 2, D(2025, 4, 10))
    _, rows = _rows(world)
    assert rows[f"IPS-{world.service.pk}-{referral.pk}"]["Vocational profile date"] == D(
        2025, 4, 10
    )


def test_a_fourth_and_fifth_job_get_columns_of_their_own(world):
    person = f.PersonFactory(service=world.service)
    referral = _referral(world, person, D(2025, 4, 1), D(2025, 4, 3))
    for month in (5, 6, 7, 8, 9):
        _job(world, referral, D(2025, month, 1), end=D(2025, month, 20), hours=10 * (month - 4))
    header, rows = _rows(world)
    row = rows[f"IPS-{world.service.pk}-{referral.pk}"]
    assert row["Job starts"] == 5
    assert row["Job 4 start date"] == D(2025, 8, 1)
    assert row["Job 5 start date"] == D(2025, 9, 1)
    assert row["Job 5 hours band"] == "30+ hours"
    assert "Job 6 start date" not in header
    assert header[-2:] == ["Discharge date", "Discharge reason"]


def test_without_many_jobs_the_file_keeps_three_job_columns(world):
    person = f.PersonFactory(service=world.service)
    _referral(world, person, D(2025, 4, 1), D(2025, 4, 3))
    header, _ = _rows(world)
    assert "Job 3 start date" in header
    assert "Job 4 start date" not in header


def test_excel_dates_are_date_cells_with_a_date_format(world):
    person = f.PersonFactory(service=world.service)
    referral = _referral(world, person, D(2025, 4, 2), D(2025, 4, 5))
    _profile(world, person, referral, 1, D(2025, 4, 9))
    _job(world, referral, D(2025, 5, 1), hours=12)
    export = _export(world, ExportFile.Kind.IPS_GROW_XLSX)
    build_export.call(export.pk)
    export.refresh_from_db()
    sheet = load_workbook(io.BytesIO(bytes(export.content))).active
    header = [cell.value for cell in sheet[1]]
    row = next(
        r
        for r in sheet.iter_rows(min_row=2)
        if r[0].value == f"IPS-{world.service.pk}-{referral.pk}"
    )
    cells = dict(zip(header, row, strict=True))
    for name, expected in [
        ("Referral date", D(2025, 4, 2)),
        ("Access date (first direct contact)", D(2025, 4, 5)),
        ("Vocational profile date", D(2025, 4, 9)),
        ("Job 1 start date", D(2025, 5, 1)),
        ("Job 1 sustained 13 weeks", D(2025, 7, 31)),
    ]:
        cell = cells[name]
        assert cell.is_date, name
        assert cell.value.date() == expected
        assert cell.number_format == "dd/mm/yyyy"
    assert cells["Job 1 end date"].value is None
    assert cells["Job starts"].value == 1


def test_csv_dates_are_iso_text_and_blanks_are_empty(world):
    header = ["Client reference", "Referral date", "Job 1 end date"]
    content = returns.to_csv(header, [["IPS-1-2", D(2025, 4, 2), None]]).decode("utf-8-sig")
    assert content.splitlines()[1] == "IPS-1-2,2025-04-02,"
