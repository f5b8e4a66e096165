"""The job-start rule has one home, ``ipsworks/jobs/rules.py`` (issue 23).

IPS Grow v8 (docs/metrics.md, ``job_starts``): competitive, not held at referral, 4 hours of
paid work done, started on or after the access. The field conditions are
``jobs.rules.JOB_START_FIELDS``; this scan fails when any other module in ipsworks/ writes
them out again (as a filter keyword, a dict key or a Python condition), so a change to the
rule cannot miss a copy.
"""

import ast
import datetime as dt
from pathlib import Path

import pytest

from ipsworks.jobs import rules
from tests.fidelity.builders import Builder

ROOT = Path(__file__).resolve().parents[2] / "ipsworks"
HOME = ROOT / "jobs" / "rules.py"
RULE_FIELDS = frozenset(rules.JOB_START_FIELDS)
# Fields only the job-start rule combines; ``competitive`` alone is asked elsewhere (item 21).
RULE_ONLY_FIELDS = RULE_FIELDS - {"competitive"}


def _names_a_rule_field(name: str) -> bool:
    return any(part in RULE_ONLY_FIELDS for part in name.split("__"))


def copies_of_the_rule(root: Path, home: Path) -> list[str]:
    """Places under ``root`` (but ``home`` and migrations) that state the rule's fields."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == home or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if (
                        keyword.arg
                        and _names_a_rule_field(keyword.arg)
                        and isinstance(keyword.value, ast.Constant)
                        and not _is_field_definition(node)
                    ):
                        found.append(f"{where} {keyword.arg}=")
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and isinstance(key.value, str)
                        and _names_a_rule_field(key.value)
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, bool)
                    ):
                        found.append(f"{where} {key.value!r}:")
            elif isinstance(node, ast.BoolOp):
                attributes = {
                    n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
                } & RULE_FIELDS
                if len(attributes) >= 2:
                    found.append(f"{where} {' and '.join(sorted(attributes))}")
    return found


def _is_field_definition(call: ast.Call) -> bool:
    # ``models.BooleanField(default=False)`` and the like name no field as a keyword; a call
    # building a job (``Job(four_hours_worked=True)``) records facts, it is not a condition.
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in {"create", "Job", "JobDetails", "update_or_create", "get_or_create"}


def test_the_job_start_rule_is_written_only_in_jobs_rules():
    assert copies_of_the_rule(ROOT, HOME) == [], (
        "state the job-start rule through ipsworks.jobs.rules (job_start_q, job_obtained_q, "
        "JOB_START_FIELDS), not by its fields"
    )


@pytest.mark.parametrize(
    "copy",
    [
        "Job.objects.filter(competitive=True, held_at_referral=False, four_hours_worked=True)",
        "Q(jobs__four_hours_worked=True)",
        "conditions = {'held_at_referral': False}",
        "ok = job.competitive and not job.held_at_referral and job.four_hours_worked",
    ],
)
def test_the_scan_finds_a_copy(tmp_path, copy):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "metrics.py").write_text(copy + "\n")
    assert copies_of_the_rule(tmp_path, tmp_path / "rules.py")


def test_the_property_and_the_queryset_agree_on_every_combination(db):
    """Job.counts_as_job_start and job_start_q select the same jobs."""
    from itertools import product

    from ipsworks.jobs.models import Job

    b = Builder()
    es = b.es()
    referral = b.referral(es, access=dt.date(2025, 4, 2))
    made = []
    for competitive, held, worked in product([True, False], repeat=3):
        job = b.job(referral, dt.date(2025, 5, 1), competitive=competitive, four_hours=worked)
        Job.objects.filter(pk=job.pk).update(held_at_referral=held)
        made.append(job.pk)
    jobs = Job.objects.filter(pk__in=made)
    by_property = {job.pk for job in jobs if job.counts_as_job_start}
    by_query = set(jobs.filter(rules.job_start_q()).values_list("pk", flat=True))
    assert by_property == by_query
    assert len(by_query) == 1
