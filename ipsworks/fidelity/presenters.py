"""Fidelity reviews arranged for pages and exports: item rows, section subtotals, the total
and its band (IPS-25: 115 to 125 exemplary, 100 to 114 good, 74 to 99 fair, 73 or less not
IPS, as the scale file says), drill-down tables with people de-identified, and the history.
"""

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.fidelity import scale as scales
from ipsworks.fidelity.evidence import Table
from ipsworks.fidelity.models import FidelityReview, ItemRating
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person

KIND_LABELS = {
    "computed": "Computed",
    "checklist": "Checklist",
    "judgement": "Reviewer's judgement",
}


def reference(service_id: int, referral_id: int) -> str:
    """The pseudonymous reference a fidelity reviewer sees instead of a name (as returns use)."""
    return f"IPS-{service_id}-{referral_id}"


def sees_names(staff: StaffMember) -> bool:
    """Only staff who may see a person's summary get names in the drill-down; a fidelity
    reviewer never does (ARCHITECTURE.md: de-identified samples for the review period)."""
    return has_role_permission(staff, Permission.VIEW_PERSON_SUMMARY)


@dataclass
class ItemRow:
    item: scales.Item
    rating: ItemRating

    @property
    def headline(self) -> str:
        return (self.rating.evidence or {}).get("headline", "")

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.item.kind]

    @property
    def status(self) -> dict:
        if self.rating.final_rating is not None:
            return {"text": "Rated", "colour": "green"}
        return {"text": "Not rated yet", "colour": "grey"}


@dataclass
class Section:
    id: str
    name: str
    rows: list[ItemRow]

    @property
    def subtotal(self) -> int:
        return sum(r.rating.final_rating or 0 for r in self.rows)

    @property
    def rated(self) -> int:
        return sum(1 for r in self.rows if r.rating.final_rating is not None)

    @property
    def maximum(self) -> int:
        return 5 * len(self.rows)


@dataclass
class Summary:
    scale: scales.Scale
    sections: list[Section]
    rows: list[ItemRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.subtotal for s in self.sections)

    @property
    def rated(self) -> int:
        return sum(s.rated for s in self.sections)

    @property
    def complete(self) -> bool:
        return self.rated == scales.ITEM_COUNT

    @property
    def band(self) -> scales.TotalBand | None:
        return self.scale.band_for(self.total) if self.complete else None

    @property
    def proposed_total(self) -> int:
        return sum(r.rating.proposed_rating or 0 for r in self.rows)


def summary(review: FidelityReview, ratings: list[ItemRating]) -> Summary:
    scale = scales.load(review.scale_version)
    by_item = {r.item: r for r in ratings}
    rows = [ItemRow(item, by_item[item.number]) for item in scale.items]
    sections = [
        Section(key, name, [r for r in rows if r.item.section == key])
        for key, name in scale.sections.items()
    ]
    return Summary(scale, sections, rows)


def rating_radio_items(item: scales.Item) -> list[dict]:
    """The five ratings as radio options, each with what earns it as its hint."""
    return [
        {"value": str(r), "text": str(r), "hint": {"text": item.anchor(r)}}
        for r in reversed(scales.RATINGS)
    ]


def band_rows(item: scales.Item) -> list[tuple[int, str, str]]:
    """(rating, band in figures, what earns it) for a computed item's page."""
    if item.measure is None:
        return []
    bands = {b.rating: item.measure.band_text(b) for b in item.measure.bands}
    return [
        (r, bands.get(r, "Not from the figures"), item.anchor(r)) for r in reversed(scales.RATINGS)
    ]


@dataclass(frozen=True)
class ItemPage:
    """One item of a review: what the scale says earns each rating, the rating so far (the
    form starts from it, or from the proposal when nobody has rated yet) and whether the
    viewer may still change it."""

    review: FidelityReview
    item: scales.Item
    rating: ItemRating
    initial: dict[str, Any]
    radio_items: list[dict]
    bands: list[tuple[int, str, str]]
    can_score: bool
    last_item: int

    def context(self) -> dict[str, Any]:
        """The fields by name, for the template."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def item_page(
    staff: StaffMember, review: FidelityReview, item: scales.Item, rating: ItemRating
) -> ItemPage:
    return ItemPage(
        review=review,
        item=item,
        rating=rating,
        initial={
            "final_rating": rating.final_rating or rating.proposed_rating,
            "reason": rating.reason,
            "notes": rating.notes,
            "recommendation": rating.recommendation,
            "elements": rating.elements,
            "entered_value": rating.entered_value,
        },
        radio_items=rating_radio_items(item),
        bands=band_rows(item),
        # A locked review is the record of what was decided: nobody scores it again.
        can_score=has_role_permission(staff, Permission.SCORE_FIDELITY_REVIEW)
        and not review.is_locked,
        last_item=scales.ITEM_COUNT,
    )


# --- drill-down ----------------------------------------------------------------------------


@dataclass
class ShownTable:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    counted: list[bool | None]
    total: int = 0


def drilldown(tables: list[Table], review: FidelityReview, staff: StaffMember) -> list[ShownTable]:
    """Evidence tables for the page: each person as their pseudonymous reference, and by name
    only for staff whose own scope includes them (one query, whatever the number of rows)."""
    names: dict[int, str] = {}
    if sees_names(staff):
        person_ids = {row.person_id for t in tables for row in t.rows if row.person_id}
        names = {
            pk: f"{given} {family}"
            for pk, given, family in Person.objects.visible_to(staff)
            .filter(pk__in=person_ids)
            .values_list("pk", "given_name", "family_name")
        }
    shown = []
    for table in tables:
        people = table.about_people
        columns = (["Reference"] + (["Name"] if names else []) if people else []) + table.columns
        rows = []
        for row in table.rows:
            lead = []
            if people:
                lead.append(
                    reference(review.service_id, row.referral_id) if row.referral_id else "Unknown"
                )
                if names:
                    known = names.get(row.person_id) if row.person_id else None
                    lead.append(known or "Not in your scope")
            rows.append(lead + row.cells)
        shown.append(ShownTable(table.caption, columns, rows, [r.counted for r in table.rows]))
    return shown


# --- history --------------------------------------------------------------------------------

SERIES_FILLS = ("#005eb8", "#330072", "#007f3b", "#ffb81c", "#d5281b", "#4c6272")


@dataclass(frozen=True)
class HistoryBar:
    x: float
    y: float
    width: float
    height: float
    value: int
    fill: str


@dataclass
class HistoryChart:
    """Item ratings across reviews as grouped bars, drawn on the server (no script)."""

    title: str
    groups: list[tuple[str, float]]  # (item number, x of the label)
    bars: list[HistoryBar]
    legend: list[tuple[str, str]]  # (review label, fill)
    width: int = 900
    height: int = 260
    plot_bottom: int = 220
    ticks: list[tuple[int, float]] = field(default_factory=list)


def review_label(review: FidelityReview) -> str:
    return f"{review.period_end:%b %Y} v{review.version}"


def history_chart(reviews: list[FidelityReview], ratings: dict) -> HistoryChart:
    """``ratings`` maps (review id, item) to the final rating."""
    width, height, left, right, top, bottom = 900, 260, 36, 8, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / scales.ITEM_COUNT
    n = max(len(reviews), 1)
    bar_w = (slot - 4) / n
    bars = []
    for i in range(scales.ITEM_COUNT):
        for j, review in enumerate(reviews):
            value = ratings.get((review.pk, i + 1)) or 0
            h = plot_h * value / 5
            bars.append(
                HistoryBar(
                    x=left + i * slot + 2 + j * bar_w,
                    y=top + plot_h - h,
                    width=bar_w,
                    height=h,
                    value=value,
                    fill=SERIES_FILLS[j % len(SERIES_FILLS)],
                )
            )
    return HistoryChart(
        title="Final rating of each item, review by review",
        groups=[(str(i + 1), left + i * slot + slot / 2) for i in range(scales.ITEM_COUNT)],
        bars=bars,
        legend=[
            (review_label(r), SERIES_FILLS[j % len(SERIES_FILLS)]) for j, r in enumerate(reviews)
        ],
        width=width,
        height=height,
        plot_bottom=top + plot_h,
        ticks=[(v, top + plot_h - plot_h * v / 5) for v in range(0, 6)],
    )


def totals_of(reviews: list[FidelityReview], ratings: dict) -> list[tuple]:
    """(review, total, band label) for each review; "Incomplete" if any item is unrated."""
    scale_cache: dict[str, scales.Scale] = {}
    result = []
    for review in reviews:
        scale = scale_cache.setdefault(review.scale_version, scales.load(review.scale_version))
        values = [ratings.get((review.pk, n)) for n in range(1, scales.ITEM_COUNT + 1)]
        total = sum(v or 0 for v in values)
        band = scale.band_for(total).label if all(values) else "Incomplete"
        result.append((review, total, band))
    return result


def decimal_text(value) -> str:
    return "" if value is None else str(Decimal(value).normalize())
