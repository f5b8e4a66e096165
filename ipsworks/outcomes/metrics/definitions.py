"""The metric definitions: reviewed data in ``definitions.toml``, loaded and checked here.

Each metric is declared once, with its plain-English definition, numerator and denominator,
period rule, direction, unit, the source it follows (IPS Grow, NHS England, the IPS-25
fidelity scale) and who checked it against that source, when, and when it is next due for a
check (style/CONVENTIONS.md, "Definitions as reviewed data"). The file is read when
``ipsworks.outcomes.metrics`` is imported, so a bad definition stops the application from
starting, with a message naming the metric and the field.
"""

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

PATH = Path(__file__).with_name("definitions.toml")

UNITS = frozenset({"count", "rate", "days", "per_week", "share"})
DIRECTIONS: Mapping[str, bool | None] = {"higher": True, "lower": False, "neither": None}
_TEXT_FIELDS = ("id", "name", "definition", "numerator", "period_rule", "source", "checked_by")
_FIELDS = frozenset(
    {*_TEXT_FIELDS, "denominator", "direction", "unit", "checked_on", "next_review"}
)


class DefinitionError(ValueError):
    """The definitions file is malformed: the message names the metric and the field."""


class UnknownMetric(KeyError):
    """Code asked for a metric the definitions file does not declare."""

    def __str__(self) -> str:
        return f"No metric {self.args[0]!r} is declared in {PATH.name}"


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    definition: str
    numerator: str
    denominator: str | None
    period_rule: str
    higher_is_better: bool | None
    source: str
    unit: str  # count, rate, days, per_week, share
    checked_by: str
    checked_on: date
    next_review: date


class Registry(Mapping[str, Metric]):
    """The metrics by id, in the file's order. An unknown id raises :class:`UnknownMetric`."""

    def __init__(self, metrics: Iterable[Metric]) -> None:
        self._metrics = {m.id: m for m in metrics}

    def __getitem__(self, metric_id: str) -> Metric:
        try:
            return self._metrics[metric_id]
        except KeyError:
            raise UnknownMetric(metric_id) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._metrics)

    def __len__(self) -> int:
        return len(self._metrics)

    def require(self, metric_ids: Iterable[str]) -> None:
        """Fail unless the file declares exactly ``metric_ids`` (the ids the code computes)."""
        wanted = set(metric_ids)
        unknown = sorted(wanted - set(self._metrics))
        if unknown:
            raise DefinitionError(
                f"{PATH.name}: the code computes {', '.join(unknown)}, which it does not declare"
            )
        extra = sorted(set(self._metrics) - wanted)
        if extra:
            raise DefinitionError(
                f"{PATH.name}: {', '.join(extra)} is declared but nothing computes it"
            )


def _metric(row: Any, position: int, where: str) -> Metric:
    if not isinstance(row, dict):
        raise DefinitionError(f"{where}: metric {position} is not a table")
    name = row.get("id")
    label = f"{where}: metric {name!r}" if isinstance(name, str) else f"{where}: metric {position}"
    unknown = sorted(set(row) - _FIELDS)
    if unknown:
        raise DefinitionError(f"{label}: unknown field {', '.join(unknown)}")
    for field in _TEXT_FIELDS:
        value = row.get(field)
        if value is None:
            raise DefinitionError(f"{label}: missing field {field}")
        if not isinstance(value, str) or not value.strip():
            raise DefinitionError(f"{label}: {field} must be text, not {value!r}")
    denominator = row.get("denominator")
    if denominator is not None and (not isinstance(denominator, str) or not denominator.strip()):
        raise DefinitionError(f"{label}: denominator must be text, or left out for a count")
    for field in ("direction", "unit", "checked_on", "next_review"):
        if field not in row:
            raise DefinitionError(f"{label}: missing field {field}")
    if row["direction"] not in DIRECTIONS:
        raise DefinitionError(
            f"{label}: direction must be one of {', '.join(DIRECTIONS)}, not {row['direction']!r}"
        )
    if row["unit"] not in UNITS:
        raise DefinitionError(
            f"{label}: unit must be one of {', '.join(sorted(UNITS))}, not {row['unit']!r}"
        )
    for field in ("checked_on", "next_review"):
        # tomllib reads a bare 2026-11-22 as a date; a quoted one or a date-time is wrong.
        if type(row[field]) is not date:
            raise DefinitionError(
                f"{label}: {field} must be a date (YYYY-MM-DD), not {row[field]!r}"
            )
    if row["next_review"] <= row["checked_on"]:
        raise DefinitionError(f"{label}: next_review must be after checked_on")
    return Metric(
        id=row["id"],
        name=row["name"],
        definition=row["definition"],
        numerator=row["numerator"],
        denominator=denominator,
        period_rule=row["period_rule"],
        higher_is_better=DIRECTIONS[row["direction"]],
        source=row["source"],
        unit=row["unit"],
        checked_by=row["checked_by"],
        checked_on=row["checked_on"],
        next_review=row["next_review"],
    )


def parse(text: str, where: str = PATH.name) -> Registry:
    """The registry from the text of a definitions file, or :class:`DefinitionError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DefinitionError(f"{where}: not valid TOML: {error}") from error
    rows = data.get("metric")
    if not isinstance(rows, list) or not rows:
        raise DefinitionError(f"{where}: no [[metric]] tables")
    metrics = [_metric(row, i, where) for i, row in enumerate(rows, start=1)]
    seen: set[str] = set()
    for metric in metrics:
        if metric.id in seen:
            raise DefinitionError(f"{where}: metric {metric.id!r} is declared twice")
        seen.add(metric.id)
    return Registry(metrics)


def load(path: Path = PATH) -> Registry:
    return parse(path.read_text(encoding="utf-8"), path.name)


REGISTRY = load()
