"""Structural checks that keep case data behind the scoping functions."""

import ast
from pathlib import Path

import pytest

from ipsworks.access.decorators import staff_required  # noqa: F401 (import proves it exists)

ROOT = Path(__file__).resolve().parents[2] / "ipsworks"
CASE_MODELS = {
    "Person",
    "Referral",
    "ReferralStatusChange",
    "Episode",
    "VocationalProfile",
    "DisclosurePlan",
    "Contact",
    "TeamMeeting",
    "AccessLogEntry",
    "Employer",
    "EmployerContact",
    "EmployerContactPerson",
    "EmployerSupport",
    "AccessToWorkApplication",
    "Job",
    "PayChange",
    "SupportCheckIn",
    "ReturnToWorkPlan",
    "ExportFile",
    "Contract",
    "Claim",
    "ClaimItem",
    "FidelityReview",
    "ItemRating",
    "ActionPlanItem",
    "PublicPage",
    "EmployerEnquiry",
    "Vacancy",
    "Application",
    "ApplicationStatusChange",
    "JobSearchTarget",
    "ApiToken",
    "ImportRun",
    "ImportedReferral",
    "ImportMapping",
}


def _request_modules(root: Path = ROOT) -> list[Path]:
    """Modules that answer a request: page views, API operations, presenters and forms.

    These must reach case data only through the scoping functions
    (``ipsworks.access.scoping``) or a query module that takes the staff member; services,
    query modules and tasks are trusted to be handed what is in scope.
    """
    patterns = ("**/views.py", "**/views/*.py", "api/*.py", "**/api.py", "**/presenters.py")
    return sorted({p for pattern in patterns for p in root.glob(pattern)})


# The scoped ways in: ``Person.objects.visible_to(staff)`` (each model's QuerySet applies
# ipsworks.access.scoping) and ``Person.objects.referred_to(staff)`` (the referrals list).
SCOPED_ENTRIES = {"visible_to", "referred_to"}


def _direct_model_uses(path: Path, root: Path = ROOT) -> list[str]:
    """Reads of a case model's manager other than ``Model.objects.visible_to(staff)``."""
    tree = ast.parse(path.read_text())
    scoped = {
        id(node.func.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SCOPED_ENTRIES
        and node.args
    }
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in CASE_MODELS
            and not (node.attr == "objects" and id(node) in scoped)
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_the_scan_covers_pages_and_the_api():
    scanned = {str(p.relative_to(ROOT)) for p in _request_modules()}
    assert {"people/views.py", "api/people.py", "api/jobs.py", "benefits/api.py"} <= scanned
    assert len(scanned) >= 25


@pytest.mark.parametrize("path", _request_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_request_module_reads_a_case_model_directly(path):
    assert _direct_model_uses(path) == []


@pytest.mark.parametrize("where", ["people/views.py", "api/people.py", "jobs/presenters.py"])
def test_the_check_catches_a_direct_read(tmp_path, where):
    """The real scanner, run on a tree holding one unscoped read, finds it."""
    module = tmp_path / where
    module.parent.mkdir(parents=True)
    module.write_text(
        "def v(request):\n"
        "    return Person.objects.all()\n"
        "def w(request):\n"
        "    return Person.objects.visible_to(request.staff)\n"
        "def x(request):\n"
        "    return Job.objects.visible_to()\n"
    )
    (tmp_path / "people" / "services.py").parent.mkdir(exist_ok=True)
    (tmp_path / "people" / "services.py").write_text("x = Person.objects.all()\n")

    found = [use for p in _request_modules(tmp_path) for use in _direct_model_uses(p, tmp_path)]

    assert found == [f"{where}:2 Person.objects", f"{where}:6 Job.objects"]


def _all_view_callables():
    """Every URL pattern with the namespace it sits in."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern):
                yield p, namespace

    return list(walk(get_resolver().url_patterns, None))


PUBLIC = {
    "healthz",
    "login",
    "privacy",
    "accessibility",
    "logout",
    "home",
    "set_password",
    # The public front door of each service (ipsworks/public): no sign-in by design.
    "public_service",
    "public_self_referral",
    "public_self_referral_sent",
    "public_employer_enquiry",
    "public_employer_enquiry_sent",
    "public_privacy",
    # The API reference: drawn from the OpenAPI document, which holds no data.
    "api_reference",
    # A diary's calendar feed: its secret address is the key (a calendar cannot sign in),
    # and it names nobody (tests/diary/test_diary.py).
    "diary_feed_ics",
}


def test_every_signed_in_view_declares_the_permission_it_needs():
    missing = []
    for pattern, namespace in _all_view_callables():
        if pattern.name in PUBLIC or namespace == "api":
            continue  # API operations declare theirs in ninja: tests/api/test_operation_guard.py
        view = pattern.callback
        while view is not None and not hasattr(view, "required_permission"):
            view = getattr(view, "__wrapped__", None)
        if view is None:
            missing.append(pattern.name)
    assert missing == []


def test_the_api_patterns_left_to_the_api_guard_are_exactly_its_operations():
    """No page can hide in the API's namespace to escape both guards."""
    from ipsworks.api.api import PUBLIC_OPERATIONS, operations

    in_api = {pattern.name for pattern, namespace in _all_view_callables() if namespace == "api"}
    ninja_own = {"api-root"}  # ninja's root: always a 404, it only anchors the other paths
    operation_names = {name for name, _operation in operations()}
    assert in_api == operation_names | PUBLIC_OPERATIONS | ninja_own
