"""The metric definitions are reviewed data (outcomes/metrics/definitions.toml), checked on load.

style/CONVENTIONS.md, "Definitions as reviewed data": each metric has its source, who
checked it against the source and when, and when it is next due for a check.
"""

import ast
import re
from pathlib import Path

import pytest

from ipsworks.outcomes import metrics
from ipsworks.outcomes.metrics import definitions
from ipsworks.outcomes.metrics.definitions import DefinitionError, UnknownMetric

ROOT = Path(__file__).resolve().parents[2] / "ipsworks"

GOOD = """
[[metric]]
id = "job_starts"
name = "Job starts"
definition = "Competitive jobs started in the period."
numerator = "job starts in the period"
period_rule = "the job's start date falls in the period"
direction = "higher"
unit = "count"
source = "IPS Grow key performance and outcome framework v8"
checked_by = "IPS Works data lead"
checked_on = 2026-11-22
next_review = 2027-11-22
"""


def test_every_metric_has_a_source_a_checker_and_a_later_review_date():
    assert len(metrics.REGISTRY) == 31  # 29, and the two education measures
    for metric in metrics.REGISTRY.values():
        assert metric.source.strip(), metric.id
        assert metric.checked_by.strip(), metric.id
        assert metric.next_review > metric.checked_on, metric.id


def test_the_checker_is_a_role_not_a_person():
    # No real person's name enters the repository: who checked is named by role.
    for metric in metrics.REGISTRY.values():
        assert metric.checked_by.startswith("IPS Works "), metric.id


def test_a_good_file_loads():
    registry = definitions.parse(GOOD)
    metric = registry["job_starts"]
    assert metric.higher_is_better is True
    assert metric.denominator is None
    assert metric.next_review.year == 2027


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('checked_by = "IPS Works data lead"\n', ""), "'job_starts': missing field checked_by"),
        (
            ('source = "IPS Grow key performance and outcome framework v8"\n', ""),
            "missing field source",
        ),
        (("next_review = 2027-11-22\n", ""), "'job_starts': missing field next_review"),
        (("next_review = 2027-11-22", "next_review = 2026-11-01"), "next_review must be after"),
        (("next_review = 2027-11-22", 'next_review = "soon"'), "next_review must be a date"),
        (('unit = "count"', 'unit = "people"'), "'job_starts': unit must be one of"),
        (('direction = "higher"', "direction = true"), "direction must be one of"),
        (('name = "Job starts"', 'name = ""'), "'job_starts': name must be text"),
        (('unit = "count"', 'unit = "count"\nowner = "x"'), "unknown field owner"),
        (("[[metric]]", "[[metric"), "not valid TOML"),
    ],
)
def test_a_malformed_file_is_rejected_naming_the_metric_and_field(change, message):
    old, new = change
    assert old in GOOD
    with pytest.raises(DefinitionError, match=re.escape(message)):
        definitions.parse(GOOD.replace(old, new, 1))


def test_a_metric_declared_twice_is_rejected():
    with pytest.raises(DefinitionError, match="'job_starts' is declared twice"):
        definitions.parse(GOOD + GOOD)


def test_an_id_the_code_computes_but_the_file_lacks_fails():
    registry = definitions.parse(GOOD)
    with pytest.raises(DefinitionError, match="computes people_into_work, which it does not"):
        registry.require({"job_starts", "people_into_work"})
    with pytest.raises(DefinitionError, match="job_starts is declared but nothing computes"):
        registry.require(set())


def test_asking_for_an_unknown_metric_says_so():
    with pytest.raises(UnknownMetric, match="No metric 'job_stats' is declared"):
        metrics.REGISTRY["job_stats"]


def test_the_shipped_file_declares_exactly_what_the_code_computes():
    assert set(metrics.REGISTRY) == set(metrics.COMPUTED_BY)


def test_every_metric_id_the_code_names_is_declared():
    """REGISTRY["..."] and the id lists of the pages and the API name declared metrics."""
    named = set()
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Attribute | ast.Name)
                and getattr(node.value, "attr", getattr(node.value, "id", "")) == "REGISTRY"
                and isinstance(node.slice, ast.Constant)
            ):
                named.add(node.slice.value)
    from ipsworks.api import metrics as api_metrics
    from ipsworks.outcomes import presenters

    named |= {*api_metrics.COUNTS, *api_metrics.RATES, *presenters.DASHBOARD_DEFINED}
    assert named, "the scan found no metric ids"
    assert named <= set(metrics.REGISTRY)
