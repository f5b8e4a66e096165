"""Views stay thin: no function in a views module is longer than 40 lines.

A view checks its input, calls a service or a presenter and renders (docs/architecture.md,
"Thin views"). Once a view passes 40 lines it is building what the page shows, and that
belongs in the app's ``presenters.py`` as a function returning a frozen dataclass, where a
test can ask it for a hand-made case without a request.

The allow-list holds the views still to be made thin. It must match exactly, so a view that
is shortened has to leave the list: the list only shrinks. The scan is also run on a
temporary tree with one long view, to show it can fail.
"""

import ast
from pathlib import Path

from tests.access.test_architecture import ROOT

MAX_LINES = 40

# (module, function) -> why it is still long.
ALLOWED_LONG: dict[tuple[str, str], str] = {}


def views_modules(root: Path = ROOT) -> list[Path]:
    return sorted({*root.glob("*/views.py"), *root.glob("*/views/*.py")})


def long_functions(root: Path = ROOT) -> dict[tuple[str, str], int]:
    """(module, function) -> lines from ``def`` to its last line, for every function (nested
    ones too) in a views module longer than ``MAX_LINES``."""
    found = {}
    for path in views_modules(root):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_LINES:
                    found[(str(path.relative_to(root)), node.name)] = length
    return found


def test_no_view_is_longer_than_40_lines_except_those_listed():
    found = long_functions()
    too_long = {key: n for key, n in found.items() if key not in ALLOWED_LONG}
    assert not too_long, (
        f"views over {MAX_LINES} lines: {too_long}. Build what the page shows in the app's "
        "presenters.py (a function returning a frozen dataclass) and call it"
    )
    thin_now = set(ALLOWED_LONG) - set(found)
    assert not thin_now, f"no longer over {MAX_LINES} lines: take them off ALLOWED_LONG: {thin_now}"


def test_the_scan_finds_a_long_view_in_either_layout(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_LINES - 1))
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "views.py").write_text(
        f"@decorated\ndef long_view(request):\n{body}    return x0\n\n\n"
        f"def short_view(request):\n{body}"
    )
    (tmp_path / "people" / "views").mkdir(parents=True)
    (tmp_path / "people" / "views" / "pages.py").write_text(
        f"def outer(request):\n    def inner():\n{body.replace('    ', '        ')}"
        "        return 1\n"
    )
    (tmp_path / "jobs" / "services.py").write_text(f"def long_service():\n{body}    return 1\n")

    found = long_functions(tmp_path)

    # 41 lines from the ``def`` (decorators are not counted); exactly 40 is allowed; the
    # nested function is counted on its own; services are not views.
    assert found == {
        ("jobs/views.py", "long_view"): MAX_LINES + 1,
        ("people/views/pages.py", "outer"): MAX_LINES + 2,
        ("people/views/pages.py", "inner"): MAX_LINES + 1,
    }
