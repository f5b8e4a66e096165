"""The IPS-25 fidelity scale as versioned, validated data.

Each version of the scale is one JSON file in ``scales/`` (``ips25-uk-v1.json`` is the UK
version of the 25-item IPS Fidelity Scale: Bond et al. 2012; Centre for Mental Health; the
Supported Employment Fidelity Review Manual, 4th edition). Thresholds the project has not
confirmed from a readable copy of the manual are marked ``confirmed: false`` in the file, so
they can be corrected by changing data, never code. Nothing outside this module reads the
files, and no threshold appears as a constant anywhere else.

The loader refuses a file that is incomplete: 25 items numbered 1 to 25, an anchor for each
rating 1 to 5, numeric bands that cover every value without a gap or overlap, checklist
mappings for every possible count of elements, and total bands covering 25 to 125.
"""

from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCALES_DIR = Path(__file__).with_name("scales")
CURRENT_VERSION = "ips25-uk-v1"
ITEM_COUNT = 25
RATINGS = (1, 2, 3, 4, 5)
LOWEST_TOTAL, HIGHEST_TOTAL = ITEM_COUNT * RATINGS[0], ITEM_COUNT * RATINGS[-1]


class ScaleError(ValueError):
    """The scale file is incomplete or inconsistent."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(_Strict):
    """One rating's range of values. Lower bound: ``at_least`` or ``above``; upper bound:
    ``below`` or ``at_most``. A missing bound is open (to minus or plus infinity)."""

    rating: int = Field(ge=1, le=5)
    at_least: Decimal | None = None
    above: Decimal | None = None
    below: Decimal | None = None
    at_most: Decimal | None = None

    @model_validator(mode="after")
    def _one_bound_each_side(self):
        if self.at_least is not None and self.above is not None:
            raise ValueError("a band has either at_least or above, not both")
        if self.below is not None and self.at_most is not None:
            raise ValueError("a band has either below or at_most, not both")
        return self

    @property
    def lower(self) -> Decimal | None:
        return self.at_least if self.at_least is not None else self.above

    @property
    def upper(self) -> Decimal | None:
        return self.below if self.below is not None else self.at_most

    def contains(self, value: Decimal) -> bool:
        if self.at_least is not None and value < self.at_least:
            return False
        if self.above is not None and value <= self.above:
            return False
        if self.below is not None and value >= self.below:
            return False
        return not (self.at_most is not None and value > self.at_most)


class Measure(_Strict):
    """The figure a computed item is rated on, with the bands that turn it into a rating."""

    id: str
    label: str
    unit: Literal["per_fte", "percent", "days", "per_week"]
    higher_is_better: bool
    basis: Literal["scale", "ips_works_proxy"]
    entered_by_reviewer: bool = False
    bands: list[Band]

    @model_validator(mode="after")
    def _bands_cover_every_value(self):
        ordered = sorted(
            self.bands, key=lambda b: Decimal("-Infinity") if b.lower is None else b.lower
        )
        if ordered[0].lower is not None:
            raise ValueError(f"{self.id}: the lowest band must have no lower bound")
        if ordered[-1].upper is not None:
            raise ValueError(f"{self.id}: the highest band must have no upper bound")
        for low, high in pairwise(ordered):
            meets = (low.below is not None and high.at_least == low.below) or (
                low.at_most is not None and high.above == low.at_most
            )
            if not meets:
                raise ValueError(
                    f"{self.id}: bands for ratings {low.rating} and {high.rating} leave a gap "
                    "or overlap"
                )
        ratings = [b.rating for b in ordered]
        if len(set(ratings)) != len(ratings):
            raise ValueError(f"{self.id}: a rating has two bands")
        expected = sorted(ratings) if self.higher_is_better else sorted(ratings, reverse=True)
        if ratings != expected:
            raise ValueError(f"{self.id}: ratings must rise in the direction of better values")
        return self

    def rating_for(self, value: Decimal | None) -> int | None:
        """The rating whose band holds the value; ``None`` when there is no value."""
        if value is None:
            return None
        for band in self.bands:
            if band.contains(value):
                return band.rating
        raise ScaleError(f"{self.id}: no band holds {value}")  # the validator rules this out

    def band_text(self, band: Band) -> str:
        """The band in words, for pages: 'at least 90 and below 96'."""
        parts = []
        if band.at_least is not None:
            parts.append(f"at least {band.at_least}")
        if band.above is not None:
            parts.append(f"more than {band.above}")
        if band.below is not None:
            parts.append(f"below {band.below}")
        if band.at_most is not None:
            parts.append(f"{band.at_most} or less" if not parts else f"at most {band.at_most}")
        return " and ".join(parts)


class Element(_Strict):
    id: str
    text: str


class Item(_Strict):
    number: int = Field(ge=1, le=ITEM_COUNT)
    short_name: str
    section: Literal["staffing", "organisation", "services"]
    kind: Literal["computed", "checklist", "judgement"]
    computable: Literal["yes", "partly", "no"]
    description: str
    data_needed: str
    anchors: dict[str, str]
    measure: Measure | None = None
    elements: list[Element] = []
    rating_by_count: list[int] = []
    evidence: str | None = None
    source: str
    confirmed: bool

    @model_validator(mode="after")
    def _complete(self):
        if sorted(self.anchors) != [str(r) for r in RATINGS]:
            raise ValueError(f"item {self.number}: needs an anchor for each rating 1 to 5")
        if self.kind == "computed" and self.measure is None:
            raise ValueError(f"item {self.number}: a computed item needs a measure")
        if self.kind != "computed" and self.measure is not None:
            raise ValueError(f"item {self.number}: only computed items have a measure")
        if self.kind == "checklist":
            if not self.elements:
                raise ValueError(f"item {self.number}: a checklist item needs elements")
            if len(self.rating_by_count) != len(self.elements) + 1:
                raise ValueError(
                    f"item {self.number}: rating_by_count needs a rating for 0 to "
                    f"{len(self.elements)} elements"
                )
            if any(r not in RATINGS for r in self.rating_by_count):
                raise ValueError(f"item {self.number}: ratings must be 1 to 5")
            if self.rating_by_count != sorted(self.rating_by_count):
                raise ValueError(f"item {self.number}: more elements never lower the rating")
            if len({e.id for e in self.elements}) != len(self.elements):
                raise ValueError(f"item {self.number}: element ids must be unique")
        elif self.elements or self.rating_by_count:
            raise ValueError(f"item {self.number}: only checklist items have elements")
        return self

    @property
    def is_computed(self) -> bool:
        return self.kind == "computed"

    @property
    def is_checklist(self) -> bool:
        return self.kind == "checklist"

    @property
    def entered_by_reviewer(self) -> bool:
        return self.measure is not None and self.measure.entered_by_reviewer

    def anchor(self, rating: int) -> str:
        return self.anchors[str(rating)]

    def rating_for_elements(self, ticked: int) -> int:
        """The rating the scale gives for this many elements in place."""
        if not 0 <= ticked <= len(self.elements):
            raise ScaleError(f"item {self.number} has {len(self.elements)} elements")
        return self.rating_by_count[ticked]

    def element_ids(self) -> list[str]:
        return [e.id for e in self.elements]


class TotalBand(_Strict):
    label: str
    min: int
    max: int
    source: str
    confirmed: bool


class Scale(_Strict):
    id: str
    title: str
    version: int
    checked_on: str
    about: str
    sources: dict[str, str]
    sections: dict[str, str]
    total_bands: list[TotalBand]
    items: list[Item]

    @model_validator(mode="after")
    def _complete(self):
        numbers = [i.number for i in self.items]
        if numbers != list(range(1, ITEM_COUNT + 1)):
            raise ValueError(f"the scale needs items 1 to {ITEM_COUNT} in order")
        if sorted(self.sections) != ["organisation", "services", "staffing"]:
            raise ValueError("the scale has three sections: staffing, organisation, services")
        bands = sorted(self.total_bands, key=lambda b: b.min)
        if bands[0].min != LOWEST_TOTAL or bands[-1].max != HIGHEST_TOTAL:
            raise ValueError(f"total bands must run from {LOWEST_TOTAL} to {HIGHEST_TOTAL}")
        for low, high in pairwise(bands):
            if high.min != low.max + 1:
                raise ValueError(f"total bands {low.label} and {high.label} leave a gap or overlap")
        return self

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def section_items(self, section: str) -> list[Item]:
        return [i for i in self.items if i.section == section]

    def band_for(self, total: int) -> TotalBand:
        for band in self.total_bands:
            if band.min <= total <= band.max:
                return band
        raise ScaleError(f"A total of {total} is outside {LOWEST_TOTAL} to {HIGHEST_TOTAL}")


CASELOAD_ITEM = 1


def caseload_limit_per_fte(version: str = CURRENT_VERSION) -> Decimal:
    """Item 1 (caseload size): the most active people per full-time specialist that scores
    5, the upper bound of the scale's rating-5 band ("20 or fewer" in ips25-uk-v1).

    The caseload page (``people.caseload_limit``, registered in ``FidelityConfig.ready``)
    shows a specialist's limit from this, so the number has one home: the scale file.
    """
    measure = load(version).item(CASELOAD_ITEM).measure
    if measure is None:
        raise ScaleError(f"{version}: item {CASELOAD_ITEM} has no measure")
    full = next(band for band in measure.bands if band.rating == RATINGS[-1])
    if full.at_most is None:
        raise ScaleError(f"{version}: item {CASELOAD_ITEM}'s rating-5 band has no upper bound")
    return full.at_most


def available_versions() -> list[str]:
    return sorted(path.stem for path in SCALES_DIR.glob("*.json"))


def parse(text: str) -> Scale:
    """Validate a scale file's text; raises :class:`ScaleError` saying what is wrong."""
    from pydantic import ValidationError

    try:
        return Scale.model_validate_json(text)
    except ValidationError as error:
        raise ScaleError(str(error)) from None


@lru_cache(maxsize=8)
def load(version: str = CURRENT_VERSION) -> Scale:
    if version not in available_versions():
        raise ScaleError(f"There is no scale file for {version!r}")
    scale = parse((SCALES_DIR / f"{version}.json").read_text())
    if scale.id != version:
        raise ScaleError(f"{version}.json declares itself as {scale.id!r}")
    return scale
