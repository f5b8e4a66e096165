"""The branch-coverage floor CI enforces (.ci/coverage-floor) only rises.

CI runs the SQLite suite with ``--cov-fail-under`` set to the floor, so coverage cannot fall
below it. This test keeps the floor itself honest: it must be a percentage, and never lower
than any value it held in an earlier commit, so lowering it to let a change through fails.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FLOOR = REPO / ".ci" / "coverage-floor"
GIT = shutil.which("git") or "git"


def _floor(text: str) -> float:
    value = float(text.strip())
    assert 0 < value <= 100, f"the coverage floor must be a percentage, not {text!r}"
    return value


def earlier_floors(repo: Path = REPO) -> list[float]:
    """Every value .ci/coverage-floor held in the history of the checkout."""
    git = [GIT, "-C", str(repo)]
    commits = subprocess.run(  # noqa: S603 (a fixed command: git log of one file)
        [*git, "log", "--format=%H", "--", ".ci/coverage-floor"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    shown = (
        subprocess.run(  # noqa: S603 (a fixed command: git show of one file)
            [*git, "show", f"{c}:.ci/coverage-floor"], capture_output=True, text=True
        )
        for c in commits
    )
    return [_floor(s.stdout) for s in shown if s.returncode == 0]


def test_the_floor_is_a_percentage():
    _floor(FLOOR.read_text())


@pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(), reason="not a git checkout"
)
def test_the_floor_never_falls():
    current = _floor(FLOOR.read_text())
    assert all(current >= earlier for earlier in earlier_floors())


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_lowered_floor_is_caught(tmp_path):
    """The history check, run on a repository whose floor went from 80 to 79, sees 80."""

    def git(*args):
        subprocess.run(  # noqa: S603 (git on a repository the test made)
            [GIT, "-C", str(tmp_path), *args], check=True, capture_output=True
        )

    git("init", "-q")
    (tmp_path / ".ci").mkdir()
    for value in ("80.0", "79.0"):
        (tmp_path / ".ci" / "coverage-floor").write_text(value + "\n")
        git("add", ".ci/coverage-floor")
        git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", value)

    assert max(earlier_floors(tmp_path)) > _floor((tmp_path / ".ci/coverage-floor").read_text())
