"""The README's map and the import-linter layers name every app, so both stay true."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")
APPS = sorted(
    p.name for p in (ROOT / "ipsworks").iterdir() if p.is_dir() and (p / "__init__.py").exists()
)


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    return [[app.strip() for app in re.split(r"[|:]", layer)] for layer in contract["layers"]]


def test_the_readme_map_lists_every_app():
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"^ipsworks/(\w+)/", readme, re.M))
    assert listed == set(APPS)


def test_every_app_has_a_layer_once():
    named = [app for layer in _layers() for app in layer]
    assert sorted(named) == APPS


def test_the_readme_lists_the_apps_in_their_layers_top_to_bottom():
    readme = (ROOT / "README.md").read_text()
    order = re.findall(r"^ipsworks/(\w+)/", readme, re.M)
    layer_of = {app: i for i, layer in enumerate(_layers()) for app in layer}
    assert [layer_of[app] for app in order] == sorted(layer_of[app] for app in order)


def test_the_layers_have_no_exceptions():
    """The graph is acyclic with no ignored imports: a lower app that needs a higher one
    offers a registry instead (docs/architecture.md, "How a lower app learns about a
    higher one")."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    assert "ignore_imports" not in contract
    assert "unmatched_ignore_imports_alerting" not in contract


def test_the_layers_hold():
    """lint-imports passes on the code as it is (and fails on a violation: below)."""
    result = subprocess.run(  # noqa: S603 (a fixed command: the venv's own lint-imports)
        [LINT_IMPORTS, "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:]


def test_the_layer_check_fails_on_an_import_upwards(tmp_path):
    """Mutation: a copy of the package where core imports outcomes breaks the contract."""
    copy = tmp_path
    shutil.copytree(ROOT / "ipsworks", copy / "ipsworks", ignore=shutil.ignore_patterns("*.pyc"))
    with (copy / "ipsworks" / "core" / "dates.py").open("a") as module:
        module.write("\nfrom ipsworks.outcomes import periods  # noqa: E402,F401\n")
    (copy / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    result = subprocess.run(  # noqa: S603 (a fixed command: the venv's own lint-imports)
        [LINT_IMPORTS, "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "ipsworks.core is not allowed to import ipsworks.outcomes" in result.stdout
