"""Validating API input with the same Django forms the pages use, so the API and the pages
accept and refuse exactly the same things with the same messages."""

from datetime import date
from typing import Any

from ipsworks.benefits.schema import InputError
from ipsworks.core.forms import NHSDateWidget


def as_form_data(values: dict[str, Any]) -> dict[str, str]:
    """JSON values as a browser would post them (dates as day, month and year boxes)."""
    data: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            data[name] = ""
        elif isinstance(value, date):
            for part, text in NHSDateWidget.parts_of(value).items():
                data[f"{name}[{part}]"] = text
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


def checked(form_class, values: dict[str, Any], *, names: dict[str, str] | None = None, **kw):
    """The bound, valid form; or InputError naming each field as the API calls it."""
    form = form_class(as_form_data(values), **kw)
    if not form.is_valid():
        raise InputError(form_errors(form, names))
    return form


def form_errors(form, names: dict[str, str] | None = None) -> list[dict[str, str]]:
    names = names or {}
    return [
        {"field": names.get(field, field) if field != "__all__" else "input", "message": str(m)}
        for field, messages in form.errors.items()
        for m in messages
    ]
