"""Reading vacancies from a CSV file: every row checked, problems reported by row and column.

The columns are documented in docs/vacancy-import.md. Nothing is saved here: the caller
passes the checked rows to :func:`ipsworks.matching.services.import_vacancies`, which saves all
of them or none. Row numbers are those a spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from ipsworks.core import csvfiles, form_messages
from ipsworks.core.money import parse_pounds
from ipsworks.core.validators import normalise_postcode
from ipsworks.employers.models import Employer
from ipsworks.jobs.models import SocMajorGroup
from ipsworks.matching import rules, services
from ipsworks.matching.models import Vacancy
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import TimeOfDay

REQUIRED = ("employer", "title", "soc_group", "hours_min")
OPTIONAL = (
    "employer_postcode",
    "hours_max",
    "shift_pattern",
    "times_of_day",
    "hourly_pay",
    "annual_pay",
    "postcode",
    "closing_date",
    "source",
    "reference",
)
COLUMNS = REQUIRED + OPTIONAL
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
# Where a problem found by the shared vacancy rules shows in the file.
_FIELD_COLUMN = {
    "employer": "employer",
    "title": "title",
    "soc_major_group": "soc_group",
    "hours_min": "hours_min",
    "hours_max": "hours_max",
    "hourly_pay": "hourly_pay",
    "hourly_pay_pence": "hourly_pay",
    "annual_pay": "annual_pay",
    "postcode": "postcode",
    "closing_date": "closing_date",
    "times_of_day": "times_of_day",
    "shift_pattern": "shift_pattern",
    "reference": "reference",
    "source": "source",
}
_LIST_SPLIT = re.compile(r"[;|,]")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


@dataclass(frozen=True)
class RowProblem:
    row: int  # 0 for a problem with the whole file
    column: str
    message: str


@dataclass
class ParsedFile:
    rows: list[tuple[int, services.VacancyDetails]]
    problems: list[RowProblem]
    already_recorded: list[int]


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _choice_lookup(choices) -> dict[str, str]:
    """Accept a choice by its value or its label, in any case, with or without brackets."""
    lookup = {}
    for value, label in choices:
        lookup[_key(value)] = value
        lookup[_key(label)] = value
        lookup[_key(label.split("(")[0])] = value
    return lookup


_SOC = _choice_lookup(SocMajorGroup.choices) | {
    _key(f"{value} {label}"): value for value, label in SocMajorGroup.choices
}
_TIMES = _choice_lookup(TimeOfDay.choices) | {
    "early mornings": "early_morning",
    "mornings": "morning",
    "afternoons": "afternoon",
    "evenings": "evening",
    "nights": "night",
    "weekends": "weekend",
}
_SOURCES = _choice_lookup(Vacancy.Source.choices)


def _parse_date(value: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _parse_hours(value: str, column: str, problems: list, row: int) -> Decimal | None:
    try:
        hours = Decimal(value)
    except InvalidOperation:
        problems.append(RowProblem(row, column, form_messages.HOURS))
        return None
    if not hours.is_finite() or hours < 0 or hours > 100:
        problems.append(RowProblem(row, column, "Hours a week must be between 0 and 100"))
        return None
    return hours


class _Employers:
    def __init__(self, by: StaffMember):
        self.by_name: dict[str, list[Employer]] = {}
        for employer in Employer.objects.filter(service_id=by.service_id):
            self.by_name.setdefault(employer.name.casefold().strip(), []).append(employer)

    def find(self, name: str, postcode: str) -> tuple[Employer | None, str]:
        found = self.by_name.get(name.casefold().strip(), [])
        if postcode:
            wanted = postcode.replace(" ", "").upper()
            found = [e for e in found if e.postcode.replace(" ", "").upper() == wanted]
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, (
                f"No employer called '{name}' in your service"
                + (" at that employer_postcode" if postcode else "")
                + ". Add the employer first, or check the spelling"
            )
        return None, (
            f"More than one employer is called '{name}': add an employer_postcode column "
            "to say which"
        )


def _details(
    raw: dict[str, str],
    row: int,
    employers: _Employers,
    problems: list[RowProblem],
    today: date,
) -> services.VacancyDetails | None:
    start = len(problems)

    def get(column: str) -> str:
        return (raw.get(column) or "").strip()

    employer = None
    if not get("employer"):
        problems.append(RowProblem(row, "employer", "Enter the employer's name"))
    else:
        employer, message = employers.find(get("employer"), get("employer_postcode"))
        if message:
            problems.append(RowProblem(row, "employer", message))
    title = get("title")
    if not title:
        problems.append(RowProblem(row, "title", "Enter the job title"))
    elif len(title) > 200:
        problems.append(RowProblem(row, "title", "The job title must be 200 characters or fewer"))
    soc = _SOC.get(_key(get("soc_group")))
    if soc is None:
        problems.append(
            RowProblem(row, "soc_group", "Enter a SOC 2020 major group from 1 to 9, like 9")
        )
    hours_min = hours_max = None
    if not get("hours_min"):
        problems.append(RowProblem(row, "hours_min", "Enter the hours a week"))
    else:
        hours_min = _parse_hours(get("hours_min"), "hours_min", problems, row)
    if get("hours_max"):
        hours_max = _parse_hours(get("hours_max"), "hours_max", problems, row)
    times = []
    for token in _LIST_SPLIT.split(get("times_of_day")):
        if not token.strip():
            continue
        value = _TIMES.get(_key(token))
        if value is None:
            problems.append(
                RowProblem(
                    row,
                    "times_of_day",
                    f"'{token.strip()}' is not a time of day. Use "
                    + ", ".join(TimeOfDay.values)
                    + ", separated by semicolons",
                )
            )
        else:
            times.append(value)
    pay = None
    if get("hourly_pay"):
        try:
            pay = parse_pounds(get("hourly_pay"), field="hourly pay")
        except ValidationError as error:
            text = error.messages[0]
            if get("hourly_pay").lstrip().startswith("-"):
                text = "Hourly pay cannot be negative"
            problems.append(RowProblem(row, "hourly_pay", text))
    annual = None
    if get("annual_pay"):
        try:
            annual = parse_pounds(get("annual_pay"), field="yearly salary")
        except ValidationError as error:
            text = error.messages[0]
            if get("annual_pay").lstrip().startswith("-"):
                text = "The yearly salary cannot be negative"
            problems.append(RowProblem(row, "annual_pay", text))
    closing = None
    if get("closing_date"):
        try:
            closing = _parse_date(get("closing_date"))
        except ValueError:
            problems.append(
                RowProblem(
                    row,
                    "closing_date",
                    form_messages.real_date("The closing date", example="31/12/2026"),
                )
            )
    source = _SOURCES.get(_key(get("source") or "job_board"))
    if source is None:
        problems.append(
            RowProblem(row, "source", "Use employer_contact, job_board or other for the source")
        )
    for column, limit in (("shift_pattern", 200), ("reference", 100)):
        if len(get(column)) > limit:
            problems.append(RowProblem(row, column, f"Use {limit} characters or fewer"))
    if get("postcode"):
        try:
            normalise_postcode(get("postcode"))
        except ValidationError as error:
            problems.append(RowProblem(row, "postcode", error.messages[0]))
    if len(problems) > start:
        # Report a past closing date with the row's other problems. On a clean row it waits
        # for the duplicate check: a re-imported row that has since closed is not an error.
        late = rules.closing_date_problems(closing, today)
        if late:
            problems.append(RowProblem(row, "closing_date", late["closing_date"]))
        return None
    if employer is None or hours_min is None or soc is None:
        return None
    return services.VacancyDetails(
        employer=employer,
        title=title,
        soc_major_group=soc,
        hours_min=hours_min,
        hours_max=hours_max,
        source=source,
        postcode=get("postcode"),
        shift_pattern=get("shift_pattern"),
        times_of_day=tuple(times),
        hourly_pay_pence=pay,
        annual_pay_pence=annual,
        closing_date=closing,
        reference=get("reference"),
    )


def parse_vacancies(data: bytes, *, by: StaffMember, today: date) -> ParsedFile:
    """Check every row of a vacancies CSV file; nothing is saved."""
    result = ParsedFile(rows=[], problems=[], already_recorded=[])
    if len(data) > MAX_BYTES:
        result.problems.append(RowProblem(0, "", "The file is over 2 MB: split it into parts"))
        return result
    try:
        _check_rows(csvfiles.rows(csvfiles.decode(data)), result, by=by, today=today)
    except csvfiles.CsvProblem as problem:
        result.rows.clear()
        result.problems.append(RowProblem(problem.row, "", problem.message))
    return result


def _check_rows(records, result: ParsedFile, *, by: StaffMember, today: date) -> None:
    header = [_key(name).replace(" ", "_") for name in next(records, [])]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    if not header:
        result.problems.append(RowProblem(0, "", "The file is empty"))
        return
    if missing:
        result.problems.append(
            RowProblem(0, "", "The file has no column called " + ", ".join(missing))
        )
    if unknown:
        result.problems.append(
            RowProblem(
                0, "", "Unknown column: " + ", ".join(unknown) + " (see the list of columns)"
            )
        )
    if missing or unknown:
        return
    employers = _Employers(by)
    existing = set(
        Vacancy.objects.filter(service_id=by.service_id).values_list("dedupe_key", flat=True)
    )
    seen: set[str] = set()
    count = 0
    for row, cells in enumerate(records, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            result.problems.append(
                RowProblem(row, "", f"The file has more than {MAX_ROWS} rows: split it into parts")
            )
            break
        if len(cells) > len(header):
            result.problems.append(RowProblem(row, "", "This row has more cells than the header"))
            continue
        unreadable = [c for c, cell in zip(header, cells, strict=False) if csvfiles.has_nul(cell)]
        if unreadable:
            result.problems.extend(
                RowProblem(row, column, "Remove the unreadable (NUL) characters")
                for column in unreadable
            )
            continue
        raw = dict(zip(header, cells, strict=False))
        details = _details(raw, row, employers, result.problems, today)
        if details is None:
            continue
        try:
            vacancy = services.vacancy_from(details, by=by, today=today, new=False)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                column = _FIELD_COLUMN.get(field_name, "")
                result.problems.extend(RowProblem(row, column, m) for m in messages)
            continue
        if vacancy.dedupe_key in existing or vacancy.dedupe_key in seen:
            result.already_recorded.append(row)
            continue
        seen.add(vacancy.dedupe_key)
        late = rules.closing_date_problems(vacancy.closing_date, today)
        if late:
            result.problems.append(RowProblem(row, "closing_date", late["closing_date"]))
            continue
        result.rows.append((row, details))
    if count == 0 and not result.problems:
        result.problems.append(RowProblem(0, "", "The file has a header but no vacancies"))
