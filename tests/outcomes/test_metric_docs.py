"""docs/metrics.md carries every metric of the registry, as the registry defines it."""

import pytest
from django.core.management import CommandError, call_command

from ipsworks.outcomes import metric_docs
from ipsworks.outcomes.metrics import REGISTRY


def test_the_docs_table_is_the_registrys():
    text = metric_docs.PATH.read_text()
    assert metric_docs.rewritten(text) == text, "run manage.py metric_docs"
    for metric in REGISTRY.values():
        assert f"`{metric.id}`" in text


def test_the_check_fails_when_the_docs_fall_behind(tmp_path, monkeypatch):
    stale = tmp_path / "metrics.md"
    stale.write_text(f"# Metrics\n\n{metric_docs.BEGIN}\n| old |\n{metric_docs.END}\n")
    monkeypatch.setattr(metric_docs, "PATH", stale)
    with pytest.raises(CommandError, match="out of date"):
        call_command("metric_docs", "--check")
    call_command("metric_docs")
    call_command("metric_docs", "--check")
    assert "`accessed_in_financial_year`" in stale.read_text()
