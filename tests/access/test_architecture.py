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


def _view_modules():
    return sorted(p for p in ROOT.rglob("views.py")) + sorted(ROOT.rglob("views/*.py"))


def _direct_model_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in CASE_MODELS
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_there_are_view_modules_to_check():
    assert len(_view_modules()) >= 5


@pytest.mark.parametrize("path", _view_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_view_module_reads_a_case_model_directly(path):
    assert _direct_model_uses(path) == []


def test_the_check_catches_a_direct_read(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("def v(request):\n    return Person.objects.all()\n")
    tree_uses = []
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            tree_uses.append(node.value.id)
    assert tree_uses == ["Person"]


def _all_view_callables():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                yield p

    return list(walk(get_resolver().url_patterns))


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
}


def test_every_signed_in_view_declares_the_permission_it_needs():
    missing = []
    for pattern in _all_view_callables():
        if pattern.name in PUBLIC:
            continue
        view = pattern.callback
        while view is not None and not hasattr(view, "required_permission"):
            view = getattr(view, "__wrapped__", None)
        if view is None:
            missing.append(pattern.name)
    assert missing == []
