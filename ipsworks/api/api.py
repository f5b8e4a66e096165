"""The IPS Works API (django-ninja), mounted at /api/v1/, OpenAPI at /api/v1/openapi.json.

Authentication is a personal API token (``Authorization: Bearer <token>``, made on the
"API tokens" page), never the browser session, so no operation needs CSRF protection and
none is reached by a signed-in browser by accident. The token acts as its staff member:
their role, their scope (``ipsworks.access.scoping``) and their entries in the access log.

Operations listed in ``PUBLIC_OPERATIONS`` need no token: only calculators that read no
personal data and store nothing, and the OpenAPI document (no data).
Every error is JSON: {"detail": ..., "errors": [{"field", "message"}]}: 401 without a
valid token, 403 for the wrong role, 404 out of scope, 422 naming the field at fault, 503
when the database cannot be reached, and a plain 500 (never a traceback) otherwise.

Operations that create or change records take an optional ``Idempotency-Key`` header
(``ipsworks/api/idempotency.py``, docs/api.md): a retry with the same key gets the first
answer again and creates nothing; the same key with a different request is a 409.
"""

from django.contrib.auth.decorators import login_not_required
from ninja import NinjaAPI

from ipsworks.api import activity, errors, jobs, metrics, people, referrals
from ipsworks.benefits.api import router as benefits_router

api = NinjaAPI(
    title="IPS Works API",
    version="1",
    docs_url=None,  # the reference page is ipsworks.api.reference, drawn as an NHS.UK page
    urls_namespace="api",
    description=(
        "Referrals from clinical systems, people and episodes, contacts, employer contacts, "
        "jobs and outcome figures. Authenticate with a personal API token: "
        "`Authorization: Bearer <token>`. The token sees and does what its staff member can."
    ),
)
api.add_router("/", benefits_router)
api.add_router("/", referrals.router)
api.add_router("/", people.router)
api.add_router("/", activity.router)
api.add_router("/", jobs.router)
api.add_router("/", metrics.router)
errors.install(api)

# URL names of operations open without a token (better-off reads no personal data).
PUBLIC_OPERATIONS = frozenset({"better_off", "openapi-json"})


def urls():
    """``api.urls`` with every operation outside the session sign-in.

    The API authenticates by token (above), so LoginRequiredMiddleware must not send API
    clients to the sign-in page. Each operation declares the permission it needs in its
    own ``auth=`` (``ipsworks.api.auth.staff_with``) or is listed in ``PUBLIC_OPERATIONS``;
    tests/api/test_operation_guard.py checks every one, as tests/access/test_architecture.py
    checks every page.
    """
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace


def operations():
    """Every operation of the API, as (URL name, ninja Operation), for the guards."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                yield operation.url_name, operation
