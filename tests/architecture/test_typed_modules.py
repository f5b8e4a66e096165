"""The strictly typed modules stay checked, and strictly.

pyproject.toml lists the modules mypy checks once (``[tool.mypy] files``); ``make lint``, CI
and the pre-commit hook run mypy over that list. The money, security and metric modules are
strict through an override block. An override names modules, and mypy quietly ignores one
that names nothing, so a module renamed or moved would drop out of the strict check with
every run still green. These tests fail instead: each strict module must exist and be in
the checked list, the override must set every per-module flag of ``mypy --strict``, and the
Makefile and the pre-commit hook must check the same list.
"""

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from mypy.main import define_options
from mypy.options import PER_MODULE_OPTIONS

REPO = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")

# What the money, security and metric modules are (docs/architecture.md "Types").
STRICT_MODULES = {
    "ipsworks.access.roles",
    "ipsworks.access.rules",
    "ipsworks.access.scoping",
    "ipsworks.core.money",
    "ipsworks.jobs.rules",
    "ipsworks.outcomes.funding",
    "ipsworks.outcomes.metrics",
    "ipsworks.outcomes.metrics.*",
}


def strict_flags() -> dict[str, bool]:
    """The flags ``mypy --strict`` turns on that can be set for some modules only, read from
    the installed mypy, so a flag added to --strict by an upgrade is asked for here too."""
    _, _, assignments = define_options()
    return {flag: value for flag, value in assignments if flag in PER_MODULE_OPTIONS}


def mypy_config(root: Path) -> dict:
    with (root / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["mypy"]


def strict_overrides(config: dict) -> list[dict]:
    """The override blocks that make their modules strict (any of --strict's flags set)."""
    flags = strict_flags()
    return [o for o in config.get("overrides", []) if any(flag in o for flag in flags)]


def strict_module_names(config: dict) -> set[str]:
    names: set[str] = set()
    for override in strict_overrides(config):
        module = override["module"]
        names.update([module] if isinstance(module, str) else module)
    return names


def _module_path(root: Path, name: str) -> Path | None:
    """The file (or, for ``package.*``, the package's folder) a module name stands for."""
    parts = name.removesuffix(".*").split(".")
    base = root.joinpath(*parts)
    if name.endswith(".*"):
        return base if (base / "__init__.py").is_file() else None
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _is_checked(path: Path, root: Path, files: list[str]) -> bool:
    """Whether mypy's ``files`` list takes in ``path``: named itself or in a listed folder."""
    listed = [root / entry for entry in files]
    return any(path == entry or (entry.is_dir() and entry in path.parents) for entry in listed)


def problems(root: Path) -> list[str]:
    """What is wrong with the strict typing set-up of the checkout at ``root``."""
    config = mypy_config(root)
    files = config.get("files", [])
    found = [
        f"{entry} is in [tool.mypy] files but not on disk"
        for entry in files
        if not (root / entry).exists()
    ]
    for override in config.get("overrides", []):
        if "strict" in override:
            found.append(
                "an override sets strict, which mypy applies to every module "
                "(python/mypy#11401): set --strict's flags one by one"
            )
    names = strict_module_names(config)
    for name in sorted(names):
        path = _module_path(root, name)
        if path is None:
            found.append(f"strict module {name} is not on disk (renamed or moved?)")
        elif not _is_checked(path, root, files):
            found.append(f"strict module {name} is not in [tool.mypy] files, so never checked")
    wanted = strict_flags()
    for override in strict_overrides(config):
        missing = sorted(f for f, v in wanted.items() if override.get(f) is not v)
        if missing:
            found.append(f"strict override for {override['module']} lacks {', '.join(missing)}")
    return found


def checked_by_make(root: Path) -> list[str]:
    """The modules ``make print-mypy-domain`` gives CI (.ci/run) to check."""
    out = subprocess.run(  # noqa: S603 (make, a fixed target, in the checkout or a copy)
        [MAKE or "make", "-s", "--no-print-directory", "-C", str(root), "print-mypy-domain"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_the_strict_modules_exist_are_checked_and_strict():
    assert problems(REPO) == []


def test_the_money_security_and_metric_modules_are_the_strict_ones():
    assert strict_module_names(mypy_config(REPO)) == STRICT_MODULES


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_and_ci_check_the_list_in_pyproject():
    assert checked_by_make(REPO) == mypy_config(REPO)["files"]


def test_the_pre_commit_hook_checks_the_list_in_pyproject():
    """The hook runs mypy with no list of its own, so mypy reads ``files`` from pyproject."""
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hooks = [h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "mypy"]
    assert [h["entry"] for h in hooks] == [".venv/bin/mypy"]
    assert hooks[0]["pass_filenames"] is False


def _checkout(tmp_path: Path, pyproject: str) -> Path:
    """A copy of the checkout's pyproject.toml, edited, beside the real modules."""
    root = tmp_path / "checkout"
    root.mkdir()
    (root / "ipsworks").symlink_to(REPO / "ipsworks", target_is_directory=True)
    (root / "pyproject.toml").write_text(pyproject)
    return root


def test_a_renamed_strict_module_is_caught(tmp_path):
    """The override still names funding after it moved: the check says so."""
    text = (REPO / "pyproject.toml").read_text()
    moved = text.replace('"ipsworks.outcomes.funding"', '"ipsworks.outcomes.payments"')
    assert moved != text
    found = problems(_checkout(tmp_path, moved))
    assert found == ["strict module ipsworks.outcomes.payments is not on disk (renamed or moved?)"]


def test_a_strict_module_left_out_of_the_checked_list_is_caught(tmp_path):
    text = (REPO / "pyproject.toml").read_text()
    dropped = text.replace('    "ipsworks/core/money.py",\n', "")
    assert dropped != text
    found = problems(_checkout(tmp_path, dropped))
    assert found == [
        "strict module ipsworks.core.money is not in [tool.mypy] files, so never checked"
    ]


def test_a_weakened_or_global_strict_override_is_caught(tmp_path):
    text = (REPO / "pyproject.toml").read_text()
    weakened = text.replace("warn_return_any = true\n", "", 1)
    assert weakened != text
    assert any("lacks warn_return_any" in p for p in problems(_checkout(tmp_path, weakened)))
    global_strict = text.replace(
        "warn_return_any = true\n", "warn_return_any = true\nstrict = true\n", 1
    )
    assert global_strict != text
    (tmp_path / "checkout").rename(tmp_path / "weakened")
    assert any("applies to every module" in p for p in problems(_checkout(tmp_path, global_strict)))


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_a_makefile_with_a_list_of_its_own_is_caught(tmp_path):
    """A Makefile that keeps its own list (as it did) disagrees with pyproject once the lists
    part, which the make test sees."""
    root = _checkout(tmp_path, (REPO / "pyproject.toml").read_text())
    own_list = "MYPY_DOMAIN := ipsworks/core/dates.py\n"
    makefile = (REPO / "Makefile").read_text()
    start = makefile.index("MYPY_DOMAIN =")
    end = makefile.index("\n", start) + 1
    (root / "Makefile").write_text(makefile[:start] + own_list + makefile[end:])
    assert checked_by_make(root) != mypy_config(root)["files"]
    (root / "Makefile").write_text(makefile)
    assert checked_by_make(root) == mypy_config(root)["files"]
