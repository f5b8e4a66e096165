"""Files people download: spreadsheets that open ready to read, and tagged PDFs.

* Spreadsheets (openpyxl): a bold header row that stays in view (frozen), filters on every
  column, columns as wide as what they hold (within limits), dates as dates, and text that a
  spreadsheet would run as a formula made inert (CSV injection).
* PDFs (weasyprint): tagged PDF/UA-1, so a screen reader can read the structure (headings,
  tables, reading order) and the document's language and title. The HTML must carry
  ``lang`` on ``<html>`` and a ``<title>``; :func:`pdf` refuses HTML without them.
"""

from __future__ import annotations

import re
from datetime import date, datetime

PDF_VARIANT = "pdf/ua-1"
DATE_FORMAT = "dd/mm/yyyy"
MIN_WIDTH, MAX_WIDTH = 8, 60


def spreadsheet_safe(value):
    """Stop a spreadsheet treating text as a formula: a leading = + - or @ is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _shown_length(value) -> int:
    if value is None:
        return 0
    if isinstance(value, date | datetime):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def table(sheet, header: list[str], rows, *, header_row: int = 1) -> None:
    """Write ``header`` at ``header_row`` and ``rows`` under it, as a readable table."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for column, heading in enumerate(header, start=1):
        sheet.cell(row=header_row, column=column, value=heading).font = Font(bold=True)
    widths = [_shown_length(h) for h in header]
    last = header_row
    for row in rows:
        last += 1
        for column, raw in enumerate(row, start=1):
            value = spreadsheet_safe(raw)
            cell = sheet.cell(row=last, column=column, value=value)
            if isinstance(value, date | datetime):
                cell.number_format = DATE_FORMAT
            if column <= len(widths):
                widths[column - 1] = max(widths[column - 1], _shown_length(value))
    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if header:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(header))}{last}"


def pdf(html: str) -> bytes:
    """A tagged PDF/UA-1 document printed from ``html``."""
    from weasyprint import HTML

    if not re.search(r"<html[^>]*\blang=", html) or "<title>" not in html:
        raise ValueError("A PDF needs <html lang=...> and a <title> to be accessible")
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
