"""Downloads open ready to read: spreadsheets with a frozen, filtered header and fitted
columns; PDFs tagged PDF/UA-1 (issue 18, "Exports")."""

import datetime as dt
import io
import re
import zlib

import pytest
from openpyxl import Workbook, load_workbook

from ipsworks.core import documents


def _sheet(header, rows, **kwargs):
    book = Workbook()
    documents.table(book.active, header, rows, **kwargs)
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue())).active


def test_a_table_has_a_frozen_bold_header_filters_and_fitted_widths():
    sheet = _sheet(
        ["Ref", "A rather long heading for a column", "Started"],
        [["R1", "x", dt.date(2026, 4, 1)], ["R2", "y" * 200, dt.date(2026, 5, 2)]],
    )
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width == documents.MIN_WIDTH  # "Ref" is short
    assert sheet.column_dimensions["B"].width == documents.MAX_WIDTH  # 200 characters, capped
    assert sheet["C2"].number_format == documents.DATE_FORMAT
    assert sheet["C2"].value.date() == dt.date(2026, 4, 1)


def test_text_a_spreadsheet_would_run_as_a_formula_is_made_inert():
    sheet = _sheet(["Note"], [['=HYPERLINK("http://x")'], ["+1"], ["-2"], ["@SUM(A1)"], ["ok"]])
    assert [sheet.cell(row=r, column=1).value for r in range(2, 7)] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "ok",
    ]


def test_a_table_below_a_title_starts_where_it_is_told():
    book = Workbook()
    book.active.append(["A title"])
    documents.table(book.active, ["One", "Two"], [[1, 2]], header_row=3)
    assert book.active.freeze_panes == "A4"
    assert book.active.auto_filter.ref == "A3:B4"


def _readable(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    inflated = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return pdf + b"".join(inflated)


def test_a_pdf_is_tagged_pdf_ua():
    pdf = documents.pdf(
        '<!DOCTYPE html><html lang="en-GB"><head><title>Test report</title></head>'
        "<body><h1>Heading</h1><table><tr><th>A</th></tr><tr><td>1</td></tr></table></body></html>"
    )
    assert pdf.startswith(b"%PDF")
    pdf = _readable(pdf)
    assert b"/StructTreeRoot" in pdf  # tagged: structure a screen reader can follow
    assert b"pdfuaid" in pdf  # declares PDF/UA conformance in its metadata
    assert b"/Lang" in pdf


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>No language</title></head><body></body></html>",
        '<html lang="en-GB"><head></head><body>No title</body></html>',
    ],
)
def test_a_pdf_without_a_language_or_title_is_refused(html):
    with pytest.raises(ValueError, match="lang"):
        documents.pdf(html)
