"""docs/metrics.md's table of metrics, written from the registry so the two cannot drift.

The registry is the reviewed data file ``outcomes/metrics/definitions.toml``; the table shows
each metric's source, who checked it against that source, when, and when it is next due.

``manage.py metric_docs`` rewrites the table between the markers; a test fails when the file
and the registry disagree (tests/outcomes/test_metric_docs.py).
"""

from pathlib import Path

from django.conf import settings

from ipsworks.core.generated_docs import replace_between
from ipsworks.outcomes.metrics import REGISTRY
from ipsworks.outcomes.metrics.nhs_england import MEASURES

BEGIN = "<!-- metrics table: written by manage.py metric_docs -->"
END = "<!-- end of metrics table -->"
PATH = Path(settings.BASE_DIR) / "docs" / "metrics.md"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "/").replace("\n", " ")


def table() -> str:
    lines = [
        "| id | name | definition | period rule | source | checked by | checked | next review |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for metric in REGISTRY.values():
        lines.append(
            "| "
            + " | ".join(
                [
                    f"`{metric.id}`",
                    _cell(metric.name),
                    _cell(metric.definition),
                    _cell(metric.period_rule),
                    _cell(metric.source),
                    _cell(metric.checked_by),
                    metric.checked_on.isoformat(),
                    metric.next_review.isoformat(),
                ]
            )
            + " |"
        )
    lines += ["", "NHS England IPS dashboard measures (`outcomes/metrics/nhs_england.py`):", ""]
    lines += ["| measure | on the page |", "|---|---|"]
    lines += [f"| `{key}` | {label} |" for key, label in MEASURES]
    return "\n".join(lines)


def rewritten(text: str) -> str:
    """``text`` with the part between the markers replaced by the current table."""
    return replace_between(text, BEGIN, END, table())
