"""The IPS Works API (django-ninja), mounted at /api/v1/, OpenAPI at /api/v1/openapi.json.

Every operation needs a signed-in user (LoginRequiredMiddleware) unless it is listed in
``PUBLIC_OPERATIONS``: only calculators that read no personal data and store nothing.
Validation errors are 422 with the field at fault: {"detail": ..., "errors": [{"field",
"message"}]}.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import ValidationError

from ipsworks.benefits.api import router as benefits_router
from ipsworks.benefits.schema import InputError, errors_from_pydantic

api = NinjaAPI(title="IPS Works API", version="1", urls_namespace="api")
api.add_router("/", benefits_router)

# URL names of operations open without signing in.
PUBLIC_OPERATIONS = frozenset({"better_off"})


def _invalid(request: HttpRequest, errors: list[dict[str, str]]):
    return api.create_response(
        request, {"detail": "The input is not valid", "errors": errors}, status=422
    )


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return _invalid(request, errors_from_pydantic(exc.errors))


@api.exception_handler(InputError)
def input_error(request, exc: InputError):
    return _invalid(request, exc.errors)


def urls():
    """``api.urls`` with the public operations opened and every view's access declared.

    The access test (tests/access/test_architecture.py) asks every view to declare the
    permission it needs; API views declare ``None``: any signed-in user, or anyone for the
    public operations. Later routers check roles inside their operations.
    """
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        callback = pattern.callback
        if pattern.name in PUBLIC_OPERATIONS:
            callback = login_not_required(callback)
        callback.required_permission = None
    return patterns, app_name, namespace
