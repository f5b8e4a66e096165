"""One writer per aggregate (issue 23): views write nothing themselves, and people,
referrals and their status rows are written only by ``ipsworks/people/services.py``.

Both guards are AST scans. Each is also run on a copy of the code with one violation put
in, and must find exactly it (the mutation tests at the end).
"""

import ast
import shutil
from pathlib import Path

import pytest

from tests.access.test_architecture import ROOT, _request_modules

# --- (a) request modules write nothing ------------------------------------------------------

# Methods that write whatever they are called on (a model, a form, a queryset or a manager).
_WRITES_ANYWHERE = {
    "save",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
# Methods that write only on a manager or a queryset (``dict.update`` is no write).
_QUERYSET = {
    "objects",
    "all",
    "filter",
    "exclude",
    "select_for_update",
    "select_related",
    "prefetch_related",
    "order_by",
    "only",
    "defer",
    "using",
}

# Request modules allowed to write, each with the reason.
REQUEST_MODULE_EXEMPTIONS = {
    # The API's replay store: a retried POST with the same Idempotency-Key gets the first
    # answer. It is request plumbing around every operation, not an operation, and writes
    # only its own IdempotencyKey rows (no case data).
    "api/idempotency.py": "the API's Idempotency-Key store (request plumbing, no case data)",
}


def _method(call: ast.Call) -> tuple[str, ast.expr] | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr, call.func.value
    return None


def _receiver_is_queryset(receiver: ast.expr) -> bool:
    """``X.objects``, ``x.things`` (a related manager) or ``….filter(…)`` and the like."""
    if isinstance(receiver, ast.Attribute):
        return True  # Model.objects, person.referrals: a manager
    return (
        isinstance(receiver, ast.Call)
        and isinstance(receiver.func, ast.Attribute)
        and receiver.func.attr in _QUERYSET
    )


def model_writes(path: Path, root: Path = ROOT) -> list[str]:
    """The calls in one module that write to the database through the ORM."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or (method := _method(node)) is None:
            continue
        name, receiver = method
        if (
            name in _WRITES_ANYWHERE
            or (name == "create" and isinstance(receiver, ast.Attribute))
            or (name == "update" and _receiver_is_queryset(receiver))
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} .{name}(")
    return found


def request_modules(root: Path = ROOT) -> list[Path]:
    """The scoping guard's request modules, and the staff-administration pages."""
    return sorted({*_request_modules(root), *root.glob("**/staff_views.py")})


def request_module_writes(root: Path = ROOT) -> list[str]:
    return [
        write
        for path in request_modules(root)
        if str(path.relative_to(root)) not in REQUEST_MODULE_EXEMPTIONS
        for write in model_writes(path, root)
    ]


def test_the_write_scan_covers_pages_the_api_and_staff_administration():
    scanned = {str(p.relative_to(ROOT)) for p in request_modules()}
    assert {
        "people/views.py",
        "access/views.py",
        "access/staff_views.py",
        "employers/views.py",
        "api/people.py",
        "benefits/api.py",
    } <= scanned


def test_no_view_or_api_operation_writes_a_model_itself():
    """Pages and API operations parse, call a service, and render: the service writes."""
    assert request_module_writes() == []


def test_each_exempt_request_module_still_exists_and_still_writes():
    """An exemption that is no longer needed is taken off the list."""
    for where in REQUEST_MODULE_EXEMPTIONS:
        assert model_writes(ROOT / where) != [], where


# --- (b) people, referrals and status rows have one writer ----------------------------------

AGGREGATE = {"Person", "Referral", "ReferralStatusChange"}
WRITER = "people/services.py"
_MANAGER_WRITES = {
    "create",
    "bulk_create",
    "bulk_update",
    "update",
    "get_or_create",
    "update_or_create",
}
# Variables that hold one of the aggregate's rows, for ``referral.save()``.
_AGGREGATE_NAMES = {"person", "referral", "open_referral", "status_change"}

# Modules outside the writer allowed to write the aggregate, each with the reason.
AGGREGATE_EXEMPTIONS = {
    # The synthetic demo generator writes millions of made-up rows straight to the tables
    # (COPY / executemany, no Model.save or bulk_create: see its docstring); routing it
    # through the writers would make `make demo` far slower and buys nothing, as no real
    # person's record passes through it. It builds rows, never Referral(...) objects, so
    # this scan finds nothing there today; the exemption says it may.
    "demo/synthetic.py": "synthetic demo data written in bulk, straight to the tables",
}


def _root_name(expr: ast.expr) -> tuple[str | None, bool]:
    """(the name a call chain starts from, whether the chain passes ``.objects``)."""
    through_manager = False
    while True:
        if isinstance(expr, ast.Call):
            expr = expr.func
        elif isinstance(expr, ast.Attribute):
            through_manager = through_manager or expr.attr in {"objects", "_default_manager"}
            expr = expr.value
        elif isinstance(expr, ast.Name):
            return expr.id, through_manager
        else:
            return None, False


def aggregate_writes(path: Path, root: Path = ROOT) -> list[str]:
    """Calls in one module that build or write a Person, Referral or ReferralStatusChange."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        where = f"{path.relative_to(root)}:{node.lineno}"
        if isinstance(node.func, ast.Name) and node.func.id in AGGREGATE:
            found.append(f"{where} {node.func.id}(")
            continue
        if (method := _method(node)) is None:
            continue
        name, receiver = method
        root_name, through_manager = _root_name(receiver)
        if name in _MANAGER_WRITES and root_name in AGGREGATE and through_manager:
            found.append(f"{where} {root_name}.objects….{name}(")
        elif name in {"save", "delete"} and _names_an_aggregate_row(receiver):
            found.append(f"{where} .{name}(")
    return found


def _names_an_aggregate_row(receiver: ast.expr) -> bool:
    name = (
        receiver.id
        if isinstance(receiver, ast.Name)
        else receiver.attr
        if isinstance(receiver, ast.Attribute)
        else None
    )
    return name in _AGGREGATE_NAMES


def aggregate_writes_outside_the_writer(root: Path = ROOT) -> list[str]:
    return [
        write
        for path in sorted(root.glob("**/*.py"))
        if "migrations" not in path.parts
        and str(path.relative_to(root)) not in {WRITER, *AGGREGATE_EXEMPTIONS}
        for write in aggregate_writes(path, root)
    ]


def test_the_writer_is_where_the_aggregate_is_written():
    """The scan recognises the writer's own writes (so it can see them elsewhere)."""
    writes = aggregate_writes(ROOT / WRITER)
    assert any("Referral.objects….bulk_create(" in w for w in writes)
    assert any(" Person(" in w for w in writes)
    assert any("ReferralStatusChange.objects….create(" in w for w in writes)


def test_only_people_services_writes_people_referrals_and_their_status():
    assert aggregate_writes_outside_the_writer() == []


def test_each_aggregate_exemption_still_exists():
    for where in AGGREGATE_EXEMPTIONS:
        assert (ROOT / where).exists(), where


# --- the guards fail on a violation ---------------------------------------------------------


@pytest.fixture
def copy_of_the_code(tmp_path) -> Path:
    copy = tmp_path / "ipsworks"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    return copy


def _append(path: Path, code: str) -> int:
    """Add code at the end of a module; the number of its last line (the violation)."""
    path.write_text(path.read_text() + code)
    return len(path.read_text().splitlines())


@pytest.mark.parametrize(
    ("where", "code", "expected"),
    [
        (
            "access/views.py",
            "\n\ndef v(request):\n    request.staff.save(update_fields=['session_generation'])\n",
            ".save(",
        ),
        (
            "employers/views.py",
            "\n\ndef v(request, employer):\n    Vacancy.objects.create(employer=employer)\n",
            ".create(",
        ),
        (
            "api/people.py",
            "\n\ndef v(request, pk):\n    Referral.objects.filter(pk=pk).update(is_new=True)\n",
            ".update(",
        ),
        (
            "access/staff_views.py",
            "\n\ndef v(request, team):\n    team.delete()\n",
            ".delete(",
        ),
    ],
)
def test_the_view_guard_finds_a_write_put_in_a_view(copy_of_the_code, where, code, expected):
    line = _append(copy_of_the_code / where, code)
    assert request_module_writes(copy_of_the_code) == [f"{where}:{line} {expected}"]


@pytest.mark.parametrize(
    ("where", "code", "expected"),
    [
        (
            "activity/services.py",
            "\n\ndef f(referral):\n    referral.save(update_fields=['next_action'])\n",
            ".save(",
        ),
        (
            "public/services.py",
            "\n\ndef f(pk):\n    Referral.objects.filter(pk=pk).update(is_new=True)\n",
            "Referral.objects….update(",
        ),
        (
            "imports/services.py",
            "\n\ndef f(rows):\n    ReferralStatusChange.objects.bulk_create(rows)\n",
            "ReferralStatusChange.objects….bulk_create(",
        ),
        (
            "jobs/services.py",
            "\n\ndef f(service):\n    return Person(service=service)\n",
            "Person(",
        ),
    ],
)
def test_the_writer_guard_finds_a_write_outside_people_services(
    copy_of_the_code, where, code, expected
):
    line = _append(copy_of_the_code / where, code)
    assert aggregate_writes_outside_the_writer(copy_of_the_code) == [f"{where}:{line} {expected}"]


def test_the_guards_pass_on_the_unchanged_copy(copy_of_the_code):
    """So the failures above are the mutation's, not the copy's."""
    assert request_module_writes(copy_of_the_code) == []
    assert aggregate_writes_outside_the_writer(copy_of_the_code) == []
