"""The API's own guard: every operation declares the permission its caller needs.

Pages declare theirs with ``@staff_required`` (tests/access/test_architecture.py); API
operations with ``auth=staff_with(Permission.X)``. An operation that declares nothing and
is not in ``PUBLIC_OPERATIONS`` would be open to anyone, so the check below fails for it.
"""

import pytest
from ninja import NinjaAPI, Router

from ipsworks.access.roles import Permission
from ipsworks.api import api as api_module
from ipsworks.api.auth import StaffToken, staff_with
from tests.api.conftest import ApiClient


def undeclared(named_operations, public: frozenset[str]) -> list[str]:
    """Operations neither public nor guarded by a token that names a permission."""
    found = []
    for name, operation in named_operations:
        guards = list(operation.auth_callbacks)
        if name in public:
            if guards:
                found.append(f"{name}: listed as public but asks for a token")
            continue
        if not guards or not all(
            isinstance(g, StaffToken) and isinstance(g.permission, Permission) for g in guards
        ):
            found.append(f"{name}: declares no permission")
    return found


def test_every_api_operation_declares_a_permission_or_is_public():
    operations = list(api_module.operations())
    assert len(operations) >= 11
    assert undeclared(operations, api_module.PUBLIC_OPERATIONS) == []


def test_the_public_operations_are_only_the_calculator():
    named = {name for name, _ in api_module.operations()}
    assert api_module.PUBLIC_OPERATIONS & named == {"better_off"}


def _api_with(router: Router) -> NinjaAPI:
    api = NinjaAPI(urls_namespace="guard_mutation")
    api.add_router("/", router)
    return api


def _operations_of(api: NinjaAPI):
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                yield operation.url_name, operation


def test_the_guard_catches_an_operation_that_declares_nothing():
    """Mutation: the violation introduced on purpose is found, with its name."""
    router = Router()

    @router.get("/open", url_name="forgot_the_permission")
    def forgot(request):
        return {}

    @router.get("/guarded", url_name="guarded", auth=staff_with(Permission.VIEW_AGGREGATES))
    def guarded(request):
        return {}

    found = undeclared(_operations_of(_api_with(router)), frozenset())
    assert found == ["forgot_the_permission: declares no permission"]


def test_the_guard_catches_a_public_operation_that_asks_for_a_token():
    router = Router()

    @router.get("/calc", url_name="calc", auth=staff_with(Permission.VIEW_AGGREGATES))
    def calc(request):
        return {}

    found = undeclared(_operations_of(_api_with(router)), frozenset({"calc"}))
    assert found == ["calc: listed as public but asks for a token"]


@pytest.mark.django_db
def test_the_role_is_refused_before_the_body_is_read(world, api):
    """A clinician posting rubbish to /jobs is told 403, not which fields are wrong."""
    response = api(world.clinician).post("/jobs", {"nonsense": True})
    assert response.status_code == 403
    assert response.json()["errors"] == []


@pytest.mark.django_db
def test_no_token_is_still_a_401_before_the_role(world):
    response = ApiClient("not-a-token").post("/jobs", {})
    assert response.status_code == 401
