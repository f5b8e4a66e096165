"""Reading CSV files people upload: one decoder and one reader for every import.

Python's ``csv`` module raises ``csv.Error`` part-way through a file (a cell longer than its
field limit of 131,072 characters, a quote left open at the end); raised inside an import,
that was a 500 on the vacancy import and a bulk import marked "failed" with no reason. Here
it becomes a :class:`CsvProblem` that names the row, so each import reports it like any
other problem with the file and saves nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

# Python's default; cells this long are never real vacancy or referral details.
FIELD_LIMIT = 131_072


class CsvProblem(ValueError):
    """The file could not be read as CSV at ``row`` (as a spreadsheet numbers it)."""

    def __init__(self, row: int, message: str):
        self.row = row
        self.message = message
        super().__init__(f"Row {row}: {message}")


def decode(data: bytes) -> str:
    """UTF-8 (with or without the byte order mark Excel writes), else Windows-1252, the
    code page Excel on Windows saves "CSV" in."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def rows(text: str) -> Iterator[list[str]]:
    """Each record of ``text`` as a list of cells; the first is the header (row 1)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    row = 0
    while True:
        row += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CsvProblem(row, _explain(error)) from None
        yield record


def _explain(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"a cell is longer than {FIELD_LIMIT:,} characters, so this is not a file of "
            "details: check it is the right file"
        )
    return "this row could not be read as CSV: check each quote mark has a closing one"


def has_nul(value: str) -> bool:
    """NUL characters come from files saved in another format (UTF-16, a spreadsheet's own
    format) and PostgreSQL refuses them in text, so every import refuses them."""
    return "\x00" in value


def open_csv_or_zip(path: Path) -> Iterator[io.TextIOBase]:
    """A large reference file, streamed: the CSV itself, or the largest CSV inside a zip (the
    UK-wide file of the ONS Postcode Directory's download, for instance)."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if not members:
                raise ValueError(f"{path} holds no CSV file")
            member = max(members, key=lambda m: m.file_size)
            with archive.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
    else:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            yield handle
