"""The benefits views never read BetterOffCalculation directly: reads go through queries.py."""

import ast
from pathlib import Path

VIEWS = Path(__file__).resolve().parents[2] / "ipsworks" / "benefits" / "views.py"


def _direct_uses(source: str) -> list[str]:
    return [
        f"{node.lineno}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and node.attr in {"objects", "_default_manager", "_base_manager"}
        and isinstance(node.value, ast.Name)
        and node.value.id == "BetterOffCalculation"
    ]


def test_the_benefits_views_do_not_read_calculations_directly():
    assert _direct_uses(VIEWS.read_text()) == []


def test_the_check_would_catch_a_direct_read():
    assert _direct_uses("def v(r):\n    return BetterOffCalculation.objects.all()\n") == ["2"]
