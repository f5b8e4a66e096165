"""The optional ``Idempotency-Key`` header on the API's creating POSTs.

Clinical-system interfaces retry a request that timed out, so a POST that succeeded but
whose answer was lost arrives again. Sent with the same ``Idempotency-Key``, the retry gets
the first answer back (same status and body, ``Idempotent-Replayed: true``) and makes
nothing. Keys belong to the staff member the token acts as: one member's key never finds
another's answer. The same key with a different request (method, path or body) is a 409.
Only successful (2xx) answers are kept, so a retry after an error is tried afresh. Keys are
kept for ``IDEMPOTENCY_WINDOW`` (24 hours); ``manage.py purge_idempotency_keys`` deletes
older ones.

Two identical requests at once must not both create. The whole operation (token check,
claiming the key, the write, storing the answer) runs in one transaction, and the key is
claimed by inserting its row first: on PostgreSQL the second insert waits on the unique
constraint until the first commits, then finds the stored answer; SQLite takes its write
lock when the transaction begins (``transaction_mode`` IMMEDIATE), so the second request
waits there.

Use :func:`idempotent` under the ``@router.post`` of each operation that creates records.
"""

import hashlib
from functools import wraps
from typing import Annotated

from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from ninja import Header, Status
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_args, contribute_operation_callback
from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ipsworks.apitokens.models import IDEMPOTENCY_WINDOW, IdempotencyKey
from ipsworks.benefits.schema import ErrorOut

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_LENGTH = IdempotencyKey._meta.get_field("key").max_length
CONTENT_TYPE = "application/json; charset=utf-8"


def _printable_ascii(value: str) -> str:
    if not 1 <= len(value) <= MAX_LENGTH or not all(" " <= c <= "~" for c in value):
        raise PydanticCustomError(
            "idempotency_key",
            f"The {HEADER} header must be 1 to {MAX_LENGTH} printable ASCII characters",
        )
    return value


Key = Annotated[
    str,
    AfterValidator(_printable_ascii),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_LENGTH,
            "pattern": "^[ -~]+$",
        }
    ),
]


_DESCRIPTION = (
    "Optional. A unique value for each new request (a UUID, say). A retry with the same key "
    "and body within 24 hours gets the first answer again, with "
    f"`{REPLAYED}: true`, and creates nothing; the same key with a different request is a 409."
)


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _conflict(message: str):
    return Status(409, {"detail": message, "errors": [{"field": HEADER, "message": message}]})


def _replay(stored: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        stored.response_body, status=stored.response_status, content_type=CONTENT_TYPE
    )
    response[REPLAYED] = "true"
    return response


def _claim_or_answer(request, key: str):
    """Claim the key for this request (returns None), or what to answer instead of running."""
    staff, fingerprint = request.staff, _fingerprint(request)
    mine = IdempotencyKey.objects.filter(staff=staff, key=key)
    mine.filter(created_at__lte=timezone.now() - IDEMPOTENCY_WINDOW).delete()
    try:
        with transaction.atomic():
            request._idempotency_claim = IdempotencyKey.objects.create(
                staff=staff, key=key, request_hash=fingerprint
            )
        return None
    except IntegrityError:
        stored = mine.first()
    if stored is None:  # deleted meanwhile (expired): the client may simply send it again
        return _conflict(f"A request with this {HEADER} is still being processed. Try again")
    if stored.request_hash != fingerprint:
        return _conflict(
            f"This {HEADER} was used for a different request. Send a new key for a new request"
        )
    if stored.response_status is None:
        return _conflict(f"A request with this {HEADER} is still being processed. Try again")
    return _replay(stored)


def _run_in_one_transaction(run):
    """Around ninja's whole operation: the answer is stored in the write's transaction."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        if HEADER not in request.headers:
            return run(request, *args, **kwargs)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            claim = getattr(request, "_idempotency_claim", None)
            if claim is None:
                return response  # a replay, a conflict, or refused before the key was read
            if 200 <= response.status_code < 300:
                claim.response_status = response.status_code
                claim.response_body = response.content.decode("utf-8")
                claim.save(update_fields=["response_status", "response_body"])
            else:
                # Errors are not kept, so a corrected retry with the same key works. Only the
                # claim goes: a refusal may have written on purpose (a refused referral
                # leaves the duty team a check, people.services.create_referral). If the
                # error left the transaction unusable, all of it is undone instead.
                _forget(claim)
        return response

    return wrapper


def _forget(claim) -> None:
    if transaction.get_rollback():
        return  # the whole transaction is undone already, the claim with it
    try:
        with transaction.atomic():
            claim.delete()
    except DatabaseError:
        transaction.set_rollback(True)


def _declare_conflict(operation) -> None:
    operation.response_models[409] = operation._create_response_model(ErrorOut)


def idempotent(view):
    """Accept an optional ``Idempotency-Key`` header on a creating operation (see above)."""

    @wraps(view)
    def wrapper(request, *args, idempotency_key: str | None = None, **kwargs):
        if idempotency_key is not None:
            answer = _claim_or_answer(request, idempotency_key)
            if answer is not None:
                return answer
        return view(request, *args, **kwargs)

    # Declared as a plain string (the default None is never validated) so the document says
    # "string" for a header, not "string or null".
    contribute_operation_args(
        wrapper, "idempotency_key", Key, Header(None, alias=HEADER, description=_DESCRIPTION)
    )
    contribute_operation_callback(wrapper, _declare_conflict)
    return decorate_view(_run_in_one_transaction)(wrapper)
