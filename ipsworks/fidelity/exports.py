"""A review as the report reviewers write: one row per item with its rating, the evidence
and the recommendation, section subtotals, the total and its band (IPS-25 fidelity scale),
then the action plan. XLSX through openpyxl, PDF through weasyprint. Aggregates only: the
exports name no one, so they are the same for a manager and a fidelity reviewer."""

import io

from django.template.loader import render_to_string
from django.utils import timezone

from ipsworks.core import documents
from ipsworks.core.documents import spreadsheet_safe
from ipsworks.fidelity.models import ActionPlanItem, FidelityReview, ItemRating
from ipsworks.fidelity.presenters import Summary, decimal_text
from ipsworks.fidelity.scale import Item

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "Item",
    "Item name",
    "Section",
    "Rating",
    "Proposed rating",
    "Evidence",
    "Reason for a different rating",
    "Notes",
    "Recommendation",
]


def evidence_text(item: Item, rating: ItemRating) -> str:
    """Everything the rating rests on: the computed figures, the value the reviewer entered
    (item 2) and, for checklist items, each element found in place or not (the review manual
    rates these by the number of elements in place)."""
    evidence = rating.evidence or {}
    parts = [evidence.get("headline", "")]
    parts += [f"{label}: {value}" for label, value in evidence.get("figures", [])]
    if item.entered_by_reviewer:
        label = item.measure.label if item.measure else "Value entered"
        entered = decimal_text(rating.entered_value)
        unit = "%" if item.measure and item.measure.unit == "percent" and entered else ""
        parts.append(f"Entered by the reviewer: {label}: {entered + unit or 'not entered'}")
    if item.is_checklist and rating.final_rating is None and not rating.elements:
        parts.append("Checklist: not completed yet")
    elif item.is_checklist:
        ticked = set(rating.elements or [])
        in_place = len(ticked & set(item.element_ids()))
        parts.append(f"Checklist: {in_place} of {len(item.elements)} elements in place")
        parts += [
            f"{'In place' if e.id in ticked else 'Not in place'}: {e.text}" for e in item.elements
        ]
    return "\n".join(p for p in parts if p)


def item_rows(summary: Summary) -> list[list]:
    return [
        [
            row.item.number,
            row.item.short_name,
            summary.scale.sections[row.item.section],
            row.rating.final_rating,
            row.rating.proposed_rating,
            evidence_text(row.item, row.rating),
            row.rating.reason,
            row.rating.notes,
            row.rating.recommendation,
        ]
        for row in summary.rows
    ]


def filename(review: FidelityReview, extension: str) -> str:
    return f"fidelity-review-{review.period_end:%Y-%m}-v{review.version}.{extension}"


def to_xlsx(review: FidelityReview, summary: Summary, actions: list[ActionPlanItem]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Review"
    sheet.append([f"{review.service.name}: IPS fidelity review ({summary.scale.title})"])
    sheet.append(
        [
            f"Period {review.period_start:%d/%m/%Y} to {review.period_end:%d/%m/%Y}; "
            f"{review.get_kind_display()}; version {review.version}; "
            f"{review.get_status_display()}"
        ]
    )
    sheet.append([])
    sheet.append(HEADER)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    summary_rows = item_rows(summary)
    for row in summary_rows:
        sheet.append([spreadsheet_safe(v) for v in row])
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([])
    for section in summary.sections:
        subtotal = f"{section.name} subtotal"
        sheet.append(["", subtotal, "", section.subtotal, f"of {section.maximum}"])
    sheet.append(["", "Total", "", summary.total, "of 125"])
    band = summary.band.label if summary.band else "Not all items rated"
    sheet.append(["", "Fidelity", "", band])
    for column, width in zip("ABCDEFGHI", (6, 32, 14, 8, 10, 60, 40, 40, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A5"
    sheet.auto_filter.ref = f"A4:{get_column_letter(len(HEADER))}{4 + len(summary_rows)}"
    plan = book.create_sheet("Action plan")
    documents.table(
        plan,
        ["Item", "Action", "Owner", "Due by", "Progress"],
        (
            [
                action.item or "General",
                action.action,
                action.owner,
                action.due_on,
                action.get_status_display(),
            ]
            for action in actions
        ),
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_html(review: FidelityReview, summary: Summary, actions: list[ActionPlanItem]) -> str:
    """The report as HTML, which the PDF is printed from."""
    return render_to_string(
        "fidelity/report.jinja",
        {
            "review": review,
            "summary": summary,
            "actions": actions,
            "evidence_text": evidence_text,
            "generated": timezone.localtime(),
        },
    )


def to_pdf(review: FidelityReview, summary: Summary, actions: list[ActionPlanItem]) -> bytes:
    return documents.pdf(report_html(review, summary, actions))
