"""Types shared by the API's operations: safe text, ids, pages and the error shape."""

from datetime import date
from typing import Annotated, Generic, TypeVar

from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints

from ipsworks.benefits.schema import ErrorOut

# Ids fit a signed 64-bit column on every database.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _plain_text(value: str) -> str:
    # PostgreSQL refuses NUL in text; refuse it here with a 422 rather than fail on save.
    if "\x00" in value:
        raise ValueError("Text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode") from None
    return value.strip()


def Text(max_length: int, min_length: int = 0):
    return Annotated[
        str,
        StringConstraints(max_length=max_length, min_length=min_length),
        AfterValidator(_plain_text),
    ]


# Dates the records can hold: nothing before IPS records begin is plausible, and nothing
# far in the future (date arithmetic near year 1 or 9999 would overflow).
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]

# Every operation that needs a token can answer these.
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 503: ErrorOut}

T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int = Field(description="How many items there are in all")
    page: int
    page_size: int
    results: list[T]


PageNumber = Annotated[int, Field(ge=1, le=1_000_000, description="Page number, from 1")]
PageSize = Annotated[int, Field(ge=1, le=200, description="Items a page (at most 200)")]


def paginate(queryset, page: int, page_size: int) -> tuple[int, list]:
    """The total and one page of a queryset (already ordered)."""
    total = queryset.count()
    start = (page - 1) * page_size
    return total, list(queryset[start : start + page_size])


__all__ = ["ERRORS", "Day", "ErrorOut", "Id", "Page", "Text", "paginate"]


def known_query(request, *schemas_or_names) -> None:
    """422 for a query parameter the operation does not take (a typo would else be ignored)."""
    from ipsworks.benefits.schema import InputError

    allowed: set[str] = set()
    for item in schemas_or_names:
        allowed |= {item} if isinstance(item, str) else set(item.model_fields)
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise InputError(
            [{"field": name or "query", "message": "Unknown query parameter"} for name in unknown]
        )
