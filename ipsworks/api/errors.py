"""Every error the API gives is JSON: {"detail": ..., "errors": [{"field", "message"}]}.

No traceback ever reaches a client, whatever DEBUG says: an unexpected exception is logged
here and answered with a plain 500. A database that cannot be reached is a 503.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ipsworks.benefits.schema import InputError, errors_from_pydantic
from ipsworks.core.form_messages import INPUT_NOT_VALID

logger = logging.getLogger("ipsworks.api")

UNAVAILABLE = "The service is unavailable for a moment. Try again shortly"


def django_errors(error: DjangoValidationError, field_names: dict[str, str] | None = None):
    """A service's ValidationError as [{"field", "message"}], fields named as in the API."""
    names = field_names or {}
    if hasattr(error, "error_dict"):
        return [
            {"field": names.get(field, field) if field != "__all__" else "input", "message": m}
            for field, messages in error.message_dict.items()
            for m in messages
        ]
    return [{"field": "input", "message": m} for m in error.messages]


def _located(errors: list[dict]) -> list[dict[str, str]]:
    """Pydantic's errors, each named by its field alone ("page", "person.nhs_number")."""
    places = {"query", "path", "header", "filters"}
    trimmed = [
        {**e, "loc": tuple(p for i, p in enumerate(e.get("loc", ())) if i or p not in places)}
        for e in errors
    ]
    return errors_from_pydantic(trimmed)


def install(api) -> None:
    def respond(request, status: int, detail: str, errors=None):
        return api.create_response(
            request, {"detail": detail, "errors": errors or []}, status=status
        )

    @api.exception_handler(NinjaValidationError)
    def _invalid(request, exc):
        return respond(request, 422, INPUT_NOT_VALID, _located(exc.errors))

    @api.exception_handler(InputError)
    def _input(request, exc):
        return respond(request, 422, INPUT_NOT_VALID, exc.errors)

    @api.exception_handler(DjangoValidationError)
    def _domain(request, exc):
        return respond(request, 422, INPUT_NOT_VALID, django_errors(exc))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        response = respond(request, 401, "Send a valid API token: Authorization: Bearer <token>")
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        message = str(exc) or "Your role does not allow this"
        return respond(request, 403, message)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return respond(request, 404, "Not found")

    @api.exception_handler(HttpError)
    def _http(request, exc):
        if exc.status_code == 400:
            # The body could not be read (not JSON, or not UTF-8): the body is at fault.
            return respond(
                request,
                422,
                INPUT_NOT_VALID,
                [{"field": "body", "message": "Send the body as JSON (UTF-8)"}],
            )
        return respond(request, exc.status_code, str(exc))

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        if isinstance(exc, (OperationalError, InterfaceError)):
            logger.warning("Database unavailable for %s %s", request.method, request.path)
            return respond(request, 503, UNAVAILABLE)
        logger.exception("Unexpected error in %s %s", request.method, request.path)
        if isinstance(exc, DatabaseError):
            return respond(request, 500, "The request could not be completed")
        return respond(request, 500, "Something went wrong. It has been logged")
