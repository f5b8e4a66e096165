"""Importing vacancies from CSV: every row checked, problems by row and column, all or nothing,
and the same file imported twice adds nothing the second time."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from ipsworks.matching import csv_import, services
from ipsworks.matching.models import Vacancy
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = (
    "employer,title,soc_group,hours_min,hours_max,times_of_day,hourly_pay,postcode,"
    "closing_date,source,reference\n"
)
RIVERSIDE = "Riverside Distribution"


@pytest.fixture
def employers(world):
    f.EmployerFactory(service=world.service, name="Riverside Distribution", postcode="LS1 4AP")
    f.EmployerFactory(service=world.service, name="Greenway Garden Centre", postcode="LS6 2AB")
    f.EmployerFactory(service=world.other_service, name="Faraway Foods", postcode="M1 1AA")


def future(days=30) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).strftime("%d/%m/%Y")


def good_file() -> bytes:
    return (
        HEADER
        + f"{RIVERSIDE},Warehouse operative,9,16,20,afternoon;evening,12.71,,{future()},"
        + "employer_contact,\n"
        + "greenway garden centre,Gardener,5,20,,Morning,£13.00,LS6 2AB,"
        + f"{future(10)},job_board,GG-1\n"
        + "Riverside Distribution,Picker,Elementary occupations,37.5,,,,,,,\n"
    ).encode()


def parse(world, data: bytes):
    return csv_import.parse_vacancies(data, by=world.es_a, today=dt.date.today())


def test_a_good_file_imports_every_row(world, employers):
    parsed = parse(world, good_file())
    assert parsed.problems == []
    outcome = services.import_vacancies(rows=parsed.rows, by=world.es_a)
    assert len(outcome.created) == 3
    gardener = Vacancy.objects.get(title="Gardener")
    assert (gardener.soc_major_group, gardener.hours_max, gardener.hourly_pay_pence) == (
        "5",
        20,
        1300,
    )
    assert gardener.times_of_day == ["morning"]
    picker = Vacancy.objects.get(title="Picker")
    assert (picker.postcode, picker.source, picker.closing_date) == ("LS1 4AP", "job_board", None)


def test_importing_the_same_file_again_creates_no_duplicates(world, employers):
    services.import_vacancies(rows=parse(world, good_file()).rows, by=world.es_a)
    again = parse(world, good_file())
    assert again.problems == []
    assert again.rows == []
    assert again.already_recorded == [2, 3, 4]
    assert Vacancy.objects.count() == 3


def test_a_row_repeated_in_the_file_is_imported_once(world, employers):
    row = f"Riverside Distribution,Warehouse operative,9,16,,,,,{future()},,\n"
    parsed = parse(world, (HEADER + row + row).encode())
    assert (len(parsed.rows), parsed.already_recorded) == (1, [3])


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_saved(world, employers, client):
    bad = (
        HEADER
        + f"Riverside Distribution,Warehouse operative,9,16,20,,12.71,,{future()},,\n"
        + "Nobody Ltd,Cleaner,9,16,,,,,,,\n"
        + f"{RIVERSIDE},Driver,10,120,,,-3,XX,{future(-1)},,\n"
        + "Riverside Distribution,,9,abc,,teatime,,,31/02/2027,somewhere,\n"
        + f"Faraway Foods,Packer,9,16,,,,,{future()},,\n"
    ).encode()
    parsed = parse(world, bad)
    found = {(p.row, p.column) for p in parsed.problems}
    assert found == {
        (3, "employer"),
        (4, "soc_group"),
        (4, "hours_min"),
        (4, "hourly_pay"),
        (4, "postcode"),
        (4, "closing_date"),
        (5, "title"),
        (5, "hours_min"),
        (5, "times_of_day"),
        (5, "closing_date"),
        (5, "source"),
        (6, "employer"),
    }
    assert "cannot be negative" in next(
        p.message for p in parsed.problems if p.column == "hourly_pay"
    )
    assert not Vacancy.objects.exists()


def test_a_bad_postcode_and_a_past_closing_date_are_reported(world, employers):
    yesterday = (dt.date.today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    parsed = parse(
        world,
        (
            HEADER
            + "Riverside Distribution,Driver,8,16,,,,NOPE,,,\n"
            + f"Riverside Distribution,Driver,8,16,,,,,{yesterday},,\n"
        ).encode(),
    )
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "postcode"), (3, "closing_date")]


def test_a_file_without_the_required_columns_is_refused_whole(world, employers):
    parsed = parse(world, b"name,job\nRiverside,Picker\n")
    assert parsed.problems[0].row == 0
    assert "no column called employer, title, soc_group, hours_min" in parsed.problems[0].message


def test_an_ambiguous_employer_name_needs_its_postcode(world, employers):
    f.EmployerFactory(service=world.service, name="Riverside Distribution", postcode="LS2 7AA")
    header = "employer,employer_postcode,title,soc_group,hours_min\n"
    parsed = parse(world, (header + "Riverside Distribution,,Picker,9,16\n").encode())
    assert "employer_postcode" in parsed.problems[0].message
    parsed = parse(world, (header + "Riverside Distribution,ls27aa,Picker,9,16\n").encode())
    assert parsed.problems == []


def test_excel_files_with_a_byte_order_mark_or_windows_encoding_are_read(world, employers):
    row = "Riverside Distribution,Caf\u00e9 assistant,9,16,,,,,,,\n"
    for data in ((HEADER + row).encode("utf-8-sig"), (HEADER + row).encode("cp1252")):
        parsed = parse(world, data)
        assert parsed.problems == []
        assert parsed.rows[0][1].title == "Café assistant"


def test_the_import_page_saves_nothing_when_a_row_is_wrong(world, employers, as_staff):
    bad = good_file() + b"Nobody Ltd,Cleaner,9,16,,,,,,,\n"
    response = as_staff(world.es_a).post(
        reverse("vacancy_import"), {"file": io.BytesIO(bad)}, format="multipart"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "nothing was imported" in page
    assert "No employer called" in page
    assert not Vacancy.objects.exists()


def test_the_import_page_imports_and_says_how_many(world, employers, as_staff):
    upload = io.BytesIO(good_file())
    upload.name = "vacancies.csv"
    response = as_staff(world.es_a).post(reverse("vacancy_import"), {"file": upload}, follow=True)
    assert "3 vacancies imported" in response.content.decode()
    upload = io.BytesIO(good_file())
    upload.name = "vacancies.csv"
    response = as_staff(world.es_a).post(reverse("vacancy_import"), {"file": upload}, follow=True)
    assert "0 vacancies imported; 3 already recorded, so skipped" in response.content.decode()
    assert Vacancy.objects.count() == 3


def test_the_template_file_imports_once_its_employer_exists(world, employers):
    from pathlib import Path

    template = (
        Path(__file__).resolve().parents[2] / "ipsworks/static/ipsworks/vacancy-import-template.csv"
    )
    parsed = parse(world, template.read_bytes())
    assert parsed.problems == []
    assert len(parsed.rows) == 1


def test_zip_is_not_a_csv(world, employers):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("v.csv", good_file())
    parsed = parse(world, buffer.getvalue())
    assert parsed.problems
    assert not parsed.rows


def test_a_yearly_salary_column_is_read_and_checked_by_row(world, employers):
    header = "employer,title,soc_group,hours_min,hours_max,hourly_pay,annual_pay,closing_date\n"
    good = f'{RIVERSIDE},Team leader,7,30,37.5,,"£24,000",{future()}\n'
    parsed = parse(world, (header + good).encode())
    assert parsed.problems == []
    services.import_vacancies(rows=parsed.rows, by=world.es_a)
    leader = Vacancy.objects.get(title="Team leader")
    assert (leader.annual_pay_pence, leader.hourly_pay_pence) == (2_400_000, 1231)

    bad = (
        header
        + f"{RIVERSIDE},Driver,8,40,,12.50,26000,{future()}\n"
        + f"{RIVERSIDE},Cleaner,9,16,,,-9000,{future()}\n"
        + f"{RIVERSIDE},Porter,9,16,,,lots,{future()}\n"
    )
    parsed = parse(world, bad.encode())
    assert {(p.row, p.column) for p in parsed.problems} == {
        (2, "annual_pay"),
        (3, "annual_pay"),
        (4, "annual_pay"),
    }
    messages = [p.message for p in sorted(parsed.problems, key=lambda p: p.row)]
    assert messages[0] == "Enter the hourly pay or the yearly salary, not both"
    assert messages[1] == "The yearly salary cannot be negative"
    assert Vacancy.objects.count() == 1


def test_a_cell_longer_than_the_csv_limit_is_a_problem_at_its_row(world, employers):
    data = good_file() + f"{RIVERSIDE},{'x' * 131_073},9,16,,,,,,,\n".encode()
    parsed = parse(world, data)
    assert parsed.rows == []
    assert parsed.problems == [
        csv_import.RowProblem(
            5,
            "",
            "a cell is longer than 131,072 characters, so this is not a file of details: "
            "check it is the right file",
        )
    ]


def test_nul_characters_are_refused_by_column(world, employers):
    parsed = parse(world, (HEADER + f"{RIVERSIDE},Cle\x00aner,9,16,,,,,,,ref\x00\n").encode())
    assert parsed.rows == []
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "title"), (2, "reference")]
    assert parsed.problems[0].message == "Remove the unreadable (NUL) characters"


@pytest.mark.parametrize("cell", ["NaN", "sNaN", "Infinity", "-Infinity", "1e308", "9" * 300])
def test_pay_that_is_not_money_is_a_problem_at_its_cell(world, employers, cell):
    parsed = parse(world, (HEADER + f"{RIVERSIDE},Cleaner,9,16,,,{cell},,,,\n").encode())
    assert parsed.rows == []
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "hourly_pay")]


def test_a_closing_date_years_away_is_refused(world, employers):
    far = (dt.date.today() + dt.timedelta(days=731)).strftime("%d/%m/%Y")
    for closing in (far, "31/12/9999"):
        parsed = parse(world, (HEADER + f"{RIVERSIDE},Cleaner,9,16,,,,,{closing},,\n").encode())
        assert [(p.column, p.message) for p in parsed.problems] == [
            ("closing_date", "The closing date must be within 2 years of today")
        ]
