"""Reading an export (CSV or XLSX) and checking every row. Nothing is saved here.

Each problem names the row (as a spreadsheet numbers it: the header is row 1), the column
(as the file names it) and what to do. The checks are the ones the referral form makes
(people/forms.py), with the same messages where a person would see both.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from ipsworks.core import csvfiles, form_messages
from ipsworks.core.dates import age_on, local_today
from ipsworks.core.validators import normalise_nhs_number, normalise_postcode
from ipsworks.imports.mapping import TARGETS, header_key
from ipsworks.people.codes import (
    LEGACY_SOURCES,
    Disability,
    EmploymentStatus,
    EthnicCategory,
    GenderIdentity,
    ReligionOrBelief,
    SexualOrientation,
)
from ipsworks.people.codes import WeeklyHoursWorked as Hours
from ipsworks.people.forms import EARLIEST_RECORD_DATE, MAX_AGE, MIN_AGE
from ipsworks.people.models import Referral

MAX_ROWS = 200_000
MAX_BYTES = 64 * 1024 * 1024
MAX_PROBLEMS_KEPT = 500
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


@dataclass(frozen=True)
class Problem:
    row: int  # 0: the whole file
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class FileProblem(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


# A checked row: the person's details, then the referral's, in the order of ROW_FIELDS.
PERSON_FIELDS = (
    "nhs_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "postcode",
    "phone",
    "email",
    "gender_identity",
    "ethnic_category",
)
REFERRAL_FIELDS = (
    "received_on",
    "source",
    "referrer_name",
    "team_id",
    "pathway",
    "employment_status_at_referral",
    "weekly_hours_at_referral",
    "work_interests",
    "source_reference",
)
# More of the person's details, after the referral's so the positions above stay put.
EQUALITY_FIELDS = ("sexual_orientation", "disability", "religion_or_belief")
ROW_FIELDS = ("row", *PERSON_FIELDS, *REFERRAL_FIELDS, *EQUALITY_FIELDS)


def _lookup(choices) -> dict[str, str]:
    """A choice by its code or its label, in any case."""
    found = {}
    for value, label in choices:
        found[header_key(value)] = value
        found[header_key(label)] = value
        found[header_key(label.split("(")[0])] = value
    return found


_GENDER = _lookup(GenderIdentity.choices)
_ETHNIC = _lookup(EthnicCategory.choices)
_ORIENTATION = _lookup(SexualOrientation.choices)
_DISABILITY = _lookup(Disability.choices)
_RELIGION = _lookup(ReligionOrBelief.choices)
# The MHSDS code or its description, or one of the local words used before the codes.
_SOURCE = _lookup(Referral.Source.choices) | {
    header_key(word): code for word, code in LEGACY_SOURCES.items()
}
_PATHWAY = _lookup(Referral.Pathway.choices)
_EMPLOYMENT = _lookup(EmploymentStatus.choices) | {
    header_key(f"{int(v)}"): v for v in EmploymentStatus.values if v.isdigit()
}
_HOURS = _lookup(Hours.choices) | {header_key(f"{int(v)}"): v for v in Hours.values}
_email = EmailValidator()


# --- reading -------------------------------------------------------------------------------


def _cell(value) -> str | date:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes, kind: str) -> tuple[list[str], int, Iterator[list]]:
    """(header, approximate row count, rows) from a CSV or XLSX file, streamed."""
    if kind == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise FileProblem(
                [Problem(0, "", "The file is not an Excel (.xlsx) workbook")]
            ) from None
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(c or "").strip() for c in next(rows, ())]
        total = max((sheet.max_row or 1) - 1, 0)
        return header, total, ([_cell(c) for c in row] for row in rows)
    text = csvfiles.decode(data)
    records = csvfiles.rows(text)
    try:
        header = [h.strip() for h in next(records, [])]
    except csvfiles.CsvProblem:
        raise FileProblem([Problem(0, "", "The file is not a CSV file")]) from None
    total = max(text.count("\n") - 1, 0)
    return header, total, ([_cell(c) for c in row] for row in records)


# --- checking ------------------------------------------------------------------------------


def _date(value) -> date:
    if isinstance(value, date):
        return value
    # The common forms without strptime, which costs most of the checking time on big files.
    if (
        len(value) == 10
        and value[4] == "-"
        and value[7] == "-"
        and value.replace("-", "").isdigit()
    ):
        return date(int(value[:4]), int(value[5:7]), int(value[8:]))
    if (
        len(value) == 10
        and value[2] == "/"
        and value[5] == "/"
        and value.replace("/", "").isdigit()
    ):
        return date(int(value[6:]), int(value[3:5]), int(value[:2]))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


class RowChecker:
    """Checks rows against a service's column names, teams and today's date."""

    def __init__(self, header: list[str], columns: dict[str, str], teams: dict[str, int]):
        self.today = local_today()
        self.teams = {header_key(name): pk for name, pk in teams.items()}
        self.columns = columns
        positions = {header_key(h): i for i, h in enumerate(header) if h}
        self.index: dict[str, int] = {}
        missing = []
        for target in TARGETS:
            position = positions.get(header_key(columns[target.name]))
            if position is not None:
                self.index[target.name] = position
            elif target.required:
                missing.append(
                    Problem(0, columns[target.name], f"The file has no column for {target.label}")
                )
        if missing:
            raise FileProblem(missing)

    def check(self, number: int, cells: list) -> tuple[tuple | None, list[Problem]]:
        problems: list[Problem] = []

        def get(name: str):
            i = self.index.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        def bad(name: str, message: str) -> None:
            problems.append(Problem(number, self.columns[name], message))

        def text(name: str, limit: int, required: str | None = None) -> str:
            value = get(name)
            value = value.isoformat() if isinstance(value, date) else value
            if "\x00" in value:
                bad(name, "Remove the unreadable characters")
                return ""
            if required and not value:
                bad(name, required)
            elif len(value) > limit:
                bad(name, f"Must be {limit} characters or fewer")
            return value

        def code(name: str, lookup: dict[str, str], default: str, what: str) -> str:
            value = get(name)
            if value == "" or value is None:
                return default
            found = lookup.get(header_key(value))
            if found is None:
                bad(name, f"{what} is not a known code: see docs/import.md")
                return default
            return found

        def when(name: str, subject: str, required: bool) -> date | None:
            value = get(name)
            if value == "":
                if required:
                    bad(name, f"Enter {subject.lower()}")
                return None
            try:
                return _date(value)
            except ValueError:
                bad(name, form_messages.real_date(subject, example="31/03/2025"))
                return None

        nhs = get("nhs_number")
        nhs = nhs if isinstance(nhs, str) else ""
        if not nhs:
            bad("nhs_number", "Enter the NHS number")
        else:
            try:
                nhs = normalise_nhs_number(nhs)
            except ValidationError as error:
                bad("nhs_number", error.messages[0])
        given = text("given_name", 100, "Enter their first name")
        family = text("family_name", 100, "Enter their last name")
        born = when("date_of_birth", "Date of birth", False)
        if born is not None and not MIN_AGE <= age_on(born, self.today) <= MAX_AGE:
            bad("date_of_birth", f"Date of birth must be for someone aged {MIN_AGE} to {MAX_AGE}")
        postcode = text("postcode", 10)
        if postcode:
            try:
                postcode = normalise_postcode(postcode)
            except ValidationError as error:
                bad("postcode", error.messages[0])
        phone = text("phone", 20)
        email = text("email", 254)
        if email:
            try:
                _email(email)
            except ValidationError:
                bad("email", str(form_messages.EMAIL))
        gender = code("gender_identity", _GENDER, GenderIdentity.NOT_KNOWN, "Gender")
        ethnic = code("ethnic_category", _ETHNIC, EthnicCategory.NOT_KNOWN, "Ethnic group")
        orientation = code(
            "sexual_orientation", _ORIENTATION, SexualOrientation.NOT_KNOWN, "Sexual orientation"
        )
        disability = code("disability", _DISABILITY, Disability.NOT_KNOWN, "Disability")
        religion = code(
            "religion_or_belief", _RELIGION, ReligionOrBelief.NOT_KNOWN, "Religion or belief"
        )
        received = when("received_on", "The date the referral was received", True)
        if received is not None:
            if received > self.today:
                bad("received_on", "The date received must be today or in the past")
            elif received < EARLIEST_RECORD_DATE:
                bad("received_on", "The date received must be on or after 1 January 2016")
        source = code("source", _SOURCE, Referral.Source.INTERNAL, "The source")
        referrer = text("referrer_name", 200)
        team_name = text("team", 200)
        team_id = None
        if team_name:
            team_id = self.teams.get(header_key(team_name))
            if team_id is None:
                bad("team", "No team of your service has this name: add it or correct it")
        pathway = code("pathway", _PATHWAY, Referral.Pathway.JOB_SEEKING, "The pathway")
        employment = code(
            "employment_status_at_referral",
            _EMPLOYMENT,
            "",  # a blank cell is not recorded: ZZ would say they declined to answer
            "Employment status",
        )
        hours = code("weekly_hours_at_referral", _HOURS, Hours.NOT_KNOWN, "Weekly hours")
        if pathway == Referral.Pathway.JOB_RETENTION and employment != EmploymentStatus.EMPLOYED:
            bad(
                "employment_status_at_referral",
                "Job retention is for people who have a job: use 01 (employed), or the "
                "job_seeking pathway",
            )
        interests = text("work_interests", 2000)
        reference = text("source_reference", 100)
        if problems:
            return None, problems
        row = (number, nhs, given, family, born, postcode, phone, email, gender, ethnic)
        row += (received, source, referrer, team_id, pathway, employment, hours, interests)
        return (*row, reference, orientation, disability, religion), []


def check_file(
    data: bytes,
    kind: str,
    columns: dict[str, str],
    teams: dict[str, int],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[tuple], list[Problem], int]:
    """(checked rows, problems (the first few hundred), problem count) for the whole file."""
    header, total, rows = read_rows(data, kind)
    if not any(header):
        raise FileProblem([Problem(0, "", "The file is empty: it needs a header row")])
    checker = RowChecker(header, columns, teams)
    checked, problems, count = [], [], 0
    number = 1
    try:
        for number, cells in enumerate(rows, start=2):
            if not any(c not in ("", None) for c in cells):
                continue  # blank lines at the end of a spreadsheet
            if number - 1 > MAX_ROWS:
                raise FileProblem([Problem(0, "", f"The file has more than {MAX_ROWS:,} rows")])
            row, found = checker.check(number, cells)
            if row is not None:
                checked.append(row)
            else:
                count += len(found)
                if len(problems) < MAX_PROBLEMS_KEPT:
                    problems.extend(found[: MAX_PROBLEMS_KEPT - len(problems)])
            if progress and number % 2000 == 0:
                progress(number - 1, max(total, number - 1))
    except csvfiles.CsvProblem as problem:
        raise FileProblem([Problem(problem.row, "", problem.message)]) from None
    if not checked and not count:
        raise FileProblem([Problem(0, "", "The file has a header row but no rows")])
    return checked, problems, count
