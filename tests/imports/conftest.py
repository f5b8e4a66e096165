"""Export files made in the tests: synthetic people (NHS numbers from the 999 range)."""

import csv
import io

import pytest

from tests.factories import synthetic_nhs_number

HEADER = [
    "nhs_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "postcode",
    "received_on",
    "source",
    "team",
    "employment_status_at_referral",
    "source_reference",
]


def row(**overrides) -> dict:
    values = {
        "nhs_number": synthetic_nhs_number(),
        "given_name": "Jo",
        "family_name": "Importtest",
        "date_of_birth": "14/02/1988",
        "postcode": "LS1 4AP",
        "received_on": "03/03/2025",
        "source": "clinical_team",
        "team": "Team A CMHT",
        "employment_status_at_referral": "02",
        "source_reference": "",
    }
    values.update(overrides)
    return values


def as_csv(rows: list[dict], header: list[str] | None = None) -> bytes:
    header = header or HEADER
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows: list[dict], header: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    header = header or HEADER
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(h, "") for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def run_file(world):
    """Upload as the manager and run the import in the test (the worker's own function)."""
    from ipsworks.imports import services

    def go(data: bytes, filename: str = "export.csv", by=None):
        run = services.request_import(filename=filename, data=data, by=by or world.manager)
        return services.run_import(run.pk)

    return go
