"""Views name the permission they need; they neither check it by hand nor branch on roles.

A person's page says ``@person_page(Permission.EDIT_PERSON_RECORD)`` and the decorator asks
the role and the object rule (ipsworks.people.pages.py). These scans keep it so:

* a ``raise PermissionDenied`` in a request module is allowed only where it is listed below
  with its reason (the list must match exactly, so it can only shrink);
* no request module compares a role (``staff.role == ...``, ``Role.MANAGER``): what a role
  may do is decided in ipsworks/access/roles.py and asked of ipsworks/access/rules.py.

Each scan is also run on a temporary tree holding one violation, to show it can fail.
"""

import ast
from pathlib import Path

import pytest

from tests.access.test_architecture import ROOT, _request_modules

# (module, function) -> why it refuses by hand.
ALLOWED_REFUSALS = {
    ("apitokens/views.py", "wrapper"): "any signed-in staff member manages their own tokens",
    ("imports/views.py", "wrapper"): "the mapping editor's rule is a function of the staff member",
    ("fidelity/views.py", "_require_score"): "scoring is refused inside a review's own pages",
    ("api/auth.py", "authenticate"): "the API's own guard: the token's role, before the body",
    ("api/people.py", "get_person"): "a manager outside their teams must give a reason",
    ("benefits/views.py", "better_off"): (
        "anyone who may read the record works a calculation through; only saving it needs "
        "the right to change the record, and both are POSTs"
    ),
}


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _is_permission_denied(node: ast.AST) -> bool:
    target = node.exc if isinstance(node, ast.Raise) else None
    if isinstance(target, ast.Call):
        target = target.func
    return isinstance(target, ast.Name) and target.id == "PermissionDenied"


def refusals(path: Path, root: Path = ROOT) -> set[tuple[str, str]]:
    """(module, innermost function) of every ``raise PermissionDenied`` in the module."""
    tree = ast.parse(path.read_text())
    found = set()
    for function in _functions(tree):
        inner = {id(n) for f in _functions(function) if f is not function for n in ast.walk(f)}
        for node in ast.walk(function):
            if id(node) not in inner and _is_permission_denied(node):
                found.add((str(path.relative_to(root)), function.name))
    return found


def _names_a_role(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "role":
        return True
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
    )


def role_branches(path: Path, root: Path = ROOT) -> list[str]:
    """Comparisons in the module that test a role: ``x.role == ...``, ``... in {Role.X}``."""
    tree = ast.parse(path.read_text())
    return [
        f"{path.relative_to(root)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(
            _names_a_role(part)
            for side in [node.left, *node.comparators]
            for part in ast.walk(side)
        )
    ]


def test_views_refuse_by_hand_only_where_listed():
    found = set().union(*(refusals(p) for p in _request_modules()))
    assert found == set(ALLOWED_REFUSALS)


@pytest.mark.parametrize("path", _request_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_request_module_branches_on_a_role(path):
    assert role_branches(path) == []


def test_the_refusal_scan_catches_a_hand_written_check(tmp_path):
    module = tmp_path / "jobs" / "views.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "def job_end(request, job):\n"
        "    if not may(request.staff, Permission.EDIT_PERSON_RECORD, job.person):\n"
        "        raise PermissionDenied\n"
        "    def helper():\n"
        "        raise PermissionDenied()\n"
    )

    assert refusals(module, tmp_path) == {("jobs/views.py", "job_end"), ("jobs/views.py", "helper")}


@pytest.mark.parametrize(
    "line",
    [
        "if request.staff.role == 'es':",
        "if staff.role in {Role.MANAGER, Role.CLINICIAN}:",
        "if Role.MANAGER == staff.role:",
    ],
)
def test_the_role_scan_catches_a_branch_on_a_role(tmp_path, line):
    module = tmp_path / "people" / "views.py"
    module.parent.mkdir(parents=True)
    module.write_text(f"def v(request, staff):\n    {line}\n        return 1\n")

    assert role_branches(module, tmp_path) == ["people/views.py:2"]


def test_a_role_looked_up_in_a_table_is_not_a_branch(tmp_path):
    module = tmp_path / "access" / "views.py"
    module.parent.mkdir(parents=True)
    module.write_text("def home(request):\n    return HOME_PAGE[Role(request.staff.role)]\n")

    assert role_branches(module, tmp_path) == []
