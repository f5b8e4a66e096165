"""Importing referrals: every row checked, problems by row and column, all or nothing,
idempotent, CSV and XLSX, the service's own column names, and the domain rules kept."""

import pytest

from ipsworks.access.models import AccessLogEntry
from ipsworks.imports import services
from ipsworks.imports.models import ImportedReferral, ImportMapping, ImportRun
from ipsworks.outcomes import facts
from ipsworks.outcomes.models import ReferralFacts
from ipsworks.people.models import Person, Referral, ReferralStatusChange
from tests.imports.conftest import HEADER, as_csv, as_xlsx, row

pytestmark = pytest.mark.django_db


def _problems(run) -> list[tuple]:
    return [(p["row"], p["column"]) for p in run.problems]


def test_a_csv_export_is_imported_with_history_and_audit(world, run_file):
    rows = [row(given_name=f"Jo{i}") for i in range(3)]
    run = run_file(as_csv(rows))
    assert run.status == ImportRun.Status.DONE, run.problems
    assert (run.referrals_created, run.people_created, run.rows_skipped) == (3, 3, 0)
    referrals = Referral.objects.filter(person__family_name="Importtest")
    assert referrals.count() == 3
    for referral in referrals:
        assert referral.status == "received"
        assert referral.team == world.team_a
        assert referral.referred_by == world.manager
        assert referral.person.postcode == "LS1 4AP"
        assert (
            ReferralStatusChange.objects.filter(referral=referral, status="received").count() == 1
        )
        assert AccessLogEntry.objects.filter(
            object_type="Referral", object_id=referral.pk, action="create"
        ).exists()
    assert run.content is None  # the file is not kept once imported
    assert run.progress == 100
    # bulk_create sends no signals: the import adds the referrals' outcome facts itself.
    assert ReferralFacts.objects.filter(referral__in=referrals).count() == 3
    assert facts.differences() == []


def test_an_xlsx_export_is_imported_with_real_dates(world, run_file):
    import datetime as dt

    rows = [row(received_on=dt.datetime(2025, 3, 3), date_of_birth=dt.date(1980, 1, 2))]
    run = run_file(as_xlsx(rows), "export.xlsx")
    assert run.status == ImportRun.Status.DONE, run.problems
    person = Person.objects.get(family_name="Importtest")
    assert person.date_of_birth == dt.date(1980, 1, 2)
    assert person.referrals.get().received_on == dt.date(2025, 3, 3)


@pytest.mark.parametrize(
    ("change", "column", "text"),
    [
        ({"nhs_number": "9434765918"}, "nhs_number", "not a valid NHS number"),
        ({"nhs_number": "12345"}, "nhs_number", "10 digits"),
        ({"nhs_number": ""}, "nhs_number", "Enter the NHS number"),
        ({"received_on": "31/02/2025"}, "received_on", "real date"),
        ({"received_on": "01/01/2099"}, "received_on", "today or in the past"),
        ({"received_on": "01/01/2010"}, "received_on", "2016"),
        ({"postcode": "NOWHERE"}, "postcode", "real UK postcode"),
        ({"team": "Team Z"}, "team", "No team"),
        ({"source": "readiness"}, "source", "not a known code"),
        ({"employment_status_at_referral": "42"}, "employment_status_at_referral", "known code"),
        ({"date_of_birth": "01/01/2020"}, "date_of_birth", "aged 14 to 100"),
        ({"given_name": ""}, "given_name", "first name"),
    ],
)
def test_each_bad_value_is_reported_by_row_and_column_and_nothing_is_saved(
    world, run_file, change, column, text
):
    rows = [row(), row(**change), row()]
    run = run_file(as_csv(rows))
    assert run.status == ImportRun.Status.REJECTED
    assert _problems(run) == [(3, column)]
    assert text in run.problems[0]["message"]
    assert not Person.objects.filter(family_name="Importtest").exists()
    assert not ImportedReferral.objects.exists()


def test_a_missing_required_column_is_a_whole_file_problem(world, run_file):
    header = [h for h in HEADER if h != "received_on"]
    run = run_file(as_csv([row()], header))
    assert run.status == ImportRun.Status.REJECTED
    assert run.problems == [
        {
            "row": 0,
            "column": "received_on",
            "message": "The file has no column for Date referral received",
        }
    ]


def test_files_that_are_not_exports_are_refused(world, run_file):
    assert run_file(b"", "empty.csv").status == ImportRun.Status.REJECTED
    assert (
        run_file(b"not a workbook", "x.xlsx")
        .problems[0]["message"]
        .startswith("The file is not an Excel")
    )
    assert run_file(as_csv([]), "header-only.csv").status == ImportRun.Status.REJECTED


def test_importing_the_same_file_again_adds_nothing(world, run_file):
    data = as_csv([row(source_reference=f"R{i}") for i in range(5)])
    first = run_file(data)
    second = run_file(data)
    assert first.referrals_created == 5
    assert second.status == ImportRun.Status.DONE
    assert (second.referrals_created, second.people_created, second.rows_skipped) == (0, 0, 5)
    assert Referral.objects.filter(person__family_name="Importtest").count() == 5


def _known(person, **overrides) -> dict:
    """A row for someone already known to the service, with their name and date of birth."""
    values = {
        "nhs_number": person.nhs_number,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": f"{person.date_of_birth:%d/%m/%Y}",
    }
    return row(**{**values, **overrides})


def test_a_referral_already_typed_in_that_day_is_not_added_again(world, run_file):
    # person_a (from the world) already has a referral; the same day in a file is skipped.
    existing = world.referral_a
    data = as_csv([_known(world.person_a, received_on=f"{existing.received_on:%d/%m/%Y}")])
    run = run_file(data)
    assert (run.status, run.referrals_created, run.rows_skipped) == ("done", 0, 1)


def test_a_second_open_referral_is_refused_for_the_whole_file(world, run_file):
    data = as_csv([row(), _known(world.person_a, received_on="01/02/2025")])
    run = run_file(data)
    assert run.status == ImportRun.Status.REJECTED
    assert _problems(run) == [(3, "nhs_number")]
    assert "already has an open referral" in run.problems[0]["message"]
    assert not Person.objects.filter(family_name="Importtest").exists()


def test_a_closed_referral_lets_the_person_be_re_referred(world, run_file, today):
    from ipsworks.people.services import close_referral

    close_referral(
        referral=world.referral_a, reason="does_not_want_work", on=today, by=world.manager
    )
    run = run_file(as_csv([_known(world.person_a, received_on=f"{today:%d/%m/%Y}")]))
    assert (run.status, run.referrals_created, run.people_created) == ("done", 1, 0)
    assert world.person_a.referrals.count() == 2


@pytest.mark.parametrize(
    "typed",
    [
        {"family_name": "Someoneelse"},
        {"date_of_birth": "01/01/1970"},
    ],
)
def test_a_known_nhs_number_with_another_name_or_birth_date_refuses_the_file(
    world, run_file, today, typed
):
    """As on the referral form (people.services.create_referral): the referral is not filed
    against someone else, and nothing in the file is saved."""
    from ipsworks.people.services import NHS_NUMBER_BELONGS_TO_SOMEONE_ELSE, close_referral

    close_referral(
        referral=world.referral_a, reason="does_not_want_work", on=today, by=world.manager
    )
    data = as_csv([row(), _known(world.person_a, received_on=f"{today:%d/%m/%Y}", **typed)])
    run = run_file(data)
    assert run.status == ImportRun.Status.REJECTED
    assert _problems(run) == [(3, "nhs_number")]
    assert run.problems[0]["message"] == NHS_NUMBER_BELONGS_TO_SOMEONE_ELSE
    assert world.person_a.referrals.count() == 1
    assert not Person.objects.filter(family_name="Importtest").exists()
    assert not ImportedReferral.objects.exists()
    world.person_a.refresh_from_db()
    assert world.person_a.family_name != "Someoneelse"


def test_a_known_person_is_re_referred_despite_case_or_spaces(world, run_file, today):
    """Case and surrounding spaces are no difference."""
    from ipsworks.people.services import close_referral

    close_referral(
        referral=world.referral_a, reason="does_not_want_work", on=today, by=world.manager
    )
    data = as_csv(
        [
            _known(
                world.person_a,
                family_name=f"  {world.person_a.family_name.upper()} ",
                received_on=f"{today:%d/%m/%Y}",
            )
        ]
    )
    run = run_file(data)
    assert (run.status, run.referrals_created, run.people_created) == ("done", 1, 0)
    assert world.person_a.referrals.count() == 2


def test_a_known_number_with_a_blank_birth_date_is_no_match(world, run_file, today):
    """NHS number, family name and date of birth, all three, as on the referral form."""
    from ipsworks.people.services import close_referral

    close_referral(
        referral=world.referral_a, reason="does_not_want_work", on=today, by=world.manager
    )
    run = run_file(
        as_csv([_known(world.person_a, date_of_birth="", received_on=f"{today:%d/%m/%Y}")])
    )
    assert (run.status, run.referrals_created) == ("rejected", 0)
    assert world.person_a.referrals.count() == 1


def test_checking_known_people_costs_the_same_queries_for_more_rows(world, run_file):
    """One lookup of the people already known (by NHS number chunk), not one per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories as f

    def import_known(count: int, day: str) -> int:
        people = [f.PersonFactory(service=world.service) for _ in range(count)]
        with CaptureQueriesContext(connection) as queries:
            run = run_file(as_csv([_known(p, received_on=day) for p in people]))
        assert run.status == ImportRun.Status.DONE, run.problems
        return sum("people_person" in q["sql"] for q in queries.captured_queries)

    assert import_known(2, "03/03/2025") == import_known(12, "04/03/2025")


def test_the_same_person_twice_in_a_file(world, run_file):
    same = row(source_reference="A1")
    assert run_file(as_csv([same, dict(same)])).referrals_created == 1
    other_day = as_csv(
        [row(nhs_number="9434765919"), row(nhs_number="9434765919", received_on="04/03/2025")]
    )
    run = run_file(other_day)
    assert run.status == ImportRun.Status.REJECTED
    assert _problems(run) == [(3, "nhs_number")]


def test_a_service_uses_its_own_column_names(world, run_file):
    services.save_mapping(
        columns={"nhs_number": "NHS No", "received_on": "Referral Date", "team": "CMHT"},
        by=world.admin,
    )
    header = ["NHS No", "given_name", "family_name", "Referral Date", "CMHT", "Diagnosis"]
    values = row()
    values.update(
        {"NHS No": values["nhs_number"], "Referral Date": "03/03/2025", "CMHT": "team b cmht"}
    )
    values["Diagnosis"] = "never read"
    run = run_file(as_csv([values], header))
    assert run.status == ImportRun.Status.DONE, run.problems
    assert Referral.objects.get(person__family_name="Importtest").team == world.team_b
    bad = dict(values, **{"NHS No": "123"})
    rejected = run_file(as_csv([bad], header))
    assert _problems(rejected) == [(2, "NHS No")]


def test_only_managers_import_and_only_managers_and_admins_set_columns(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.request_import(filename="x.csv", data=b"x", by=world.admin)
    with pytest.raises(PermissionDenied):
        services.request_import(filename="x.csv", data=b"x", by=world.es_a)
    with pytest.raises(PermissionDenied):
        services.save_mapping(columns={}, by=world.es_a)
    services.save_mapping(columns={"team": "Team"}, by=world.manager)
    assert ImportMapping.objects.get(service=world.service).columns == {"team": "Team"}


def test_an_import_is_safe_to_run_again_after_it_finished(world, run_file):
    run = run_file(as_csv([row()]))
    again = services.run_import(run.pk)
    assert again.status == ImportRun.Status.DONE
    assert Referral.objects.filter(person__family_name="Importtest").count() == 1


def test_a_cell_longer_than_the_csv_limit_is_reported_by_row_and_nothing_is_saved(world, run_file):
    # Python's csv module raises part-way through such a file; the run used to end "failed"
    # with no reason. It is a problem with the file, at the row where it was found.
    data = as_csv([row(), row(source_reference="x" * 131_073), row()])
    run = run_file(data)
    assert run.status == ImportRun.Status.REJECTED
    assert run.problems == [
        {
            "row": 3,
            "column": "",
            "message": "a cell is longer than 131,072 characters, so this is not a file of "
            "details: check it is the right file",
        }
    ]
    assert not Referral.objects.filter(person__family_name="Importtest").exists()


def test_a_blank_employment_status_stays_not_recorded_and_zz_stays_declined(world, run_file):
    # MHSDS ZZ means "asked, and declined to say"; a blank cell is no answer at all.
    blank = row(employment_status_at_referral="")
    declined = row(employment_status_at_referral="ZZ")
    run = run_file(as_csv([blank, declined]))
    assert run.status == ImportRun.Status.DONE, run.problems
    statuses = {
        r.person.nhs_number: r.employment_status_at_referral
        for r in Referral.objects.filter(person__family_name="Importtest")
    }
    assert statuses == {blank["nhs_number"]: "", declined["nhs_number"]: "ZZ"}
