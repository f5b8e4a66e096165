"""Forms rendered as NHS.UK components from one shared helper.

Templates call ``{{ field(form["name"]) }}`` (templates/includes/form.jinja); this module
turns a bound Django field into the parameters of the matching NHS.UK macro, so no
template builds a form field by hand and every field shows its error the same way.
"""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import ValidationError

from ipsworks.core import form_messages
from ipsworks.core.dates import local_today
from ipsworks.core.validators import normalise_postcode


class NHSDateWidget(forms.Widget):
    """Three boxes (day, month, year) posted as ``name[day]``, ``name[month]``, ``name[year]``."""

    PARTS = ("day", "month", "year")

    def value_from_datadict(self, data, files, name):
        return {part: (data.get(f"{name}[{part}]") or "").strip() for part in self.PARTS}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}[{part}]" in data for part in self.PARTS)

    @classmethod
    def parts_of(cls, value: Any) -> dict[str, str]:
        if isinstance(value, date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, dict):
            return {part: value.get(part, "") for part in cls.PARTS}
        return dict.fromkeys(cls.PARTS, "")


# No IPS service kept records before this (IPS came to the NHS in the 2000s): an earlier
# event date is a typo such as 1901 for 2001. Dates that can be earlier (date of birth,
# a staff member's start date) pass ``earliest=None`` and keep their own rules.
EARLIEST_EVENT_DATE = date(2000, 1, 1)


class PostcodeField(forms.CharField):
    """An optional UK postcode, checked and written the standard way (``LS1 4AP``).

    Too long is a postcode problem, not "Ensure this value has at most 10 characters (it has
    14)": the same message as any other postcode that is not real. NHS pseudo-postcodes
    (ZZ99 3VZ, no fixed abode) are accepted (``core.validators``).
    """

    MESSAGE = form_messages.POSTCODE

    def __init__(self, *, label="Postcode (optional)", message=MESSAGE, **kwargs):
        """``message``: what any postcode that is not real is told; the shared one is
        translated, so the public pages say it in Welsh too."""
        self.message = message
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("error_messages", {"max_length": message})
        super().__init__(label=label, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            return normalise_postcode(value)
        except ValidationError:
            raise ValidationError(self.message, code="invalid") from None


class UKDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK pattern's error messages.

    ``subject`` names the date in messages: "Date of birth must include a month".
    ``earliest`` refuses earlier dates (by default :data:`EARLIEST_EVENT_DATE`; ``None``
    for none); ``past_only`` refuses dates after today.
    """

    widget = NHSDateWidget

    def __init__(
        self,
        *,
        subject: str,
        past_only: bool = False,
        earliest: date | None = EARLIEST_EVENT_DATE,
        **kwargs,
    ):
        self.subject = subject
        self.past_only = past_only
        self.earliest = earliest
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter {subject.lower()}")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date) or value is None:
            return value
        parts = NHSDateWidget.parts_of(value)
        if not any(parts.values()):
            return None
        missing = [part for part in NHSDateWidget.PARTS if not parts[part]]
        if missing:
            raise ValidationError(
                f"{self.subject} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not all(parts[p].isdigit() for p in NHSDateWidget.PARTS) or len(parts["year"]) != 4:
            raise ValidationError(form_messages.real_date(self.subject), code="invalid")
        try:
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise ValidationError(form_messages.real_date(self.subject), code="invalid") from None

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is None:
            return
        if self.past_only and value > local_today():
            raise ValidationError(f"{self.subject} must be today or in the past", code="future")
        if self.earliest and value < self.earliest:
            raise ValidationError(
                f"{self.subject} must be on or after {self.earliest.day} {self.earliest:%B %Y}",
                code="too_early",
            )


class NHSForm(forms.Form):
    """Base form: adds the error summary the NHS.UK error-summary component needs."""

    def error_list(self) -> list[dict[str, str]]:
        """The error summary's items in the order the fields are on the page (the form's
        field order), whichever check found them; errors about the whole form first."""
        position = {name: i for i, name in enumerate(self.fields)}
        ordered = sorted(self.errors.items(), key=lambda item: position.get(item[0], -1))
        items = []
        for name, errors in ordered:
            anchor = "#" + self.anchor_for(name) if name != "__all__" else "#main-form"
            items.extend({"text": str(message), "href": anchor} for message in errors)
        return items

    def anchor_for(self, name: str) -> str:
        if name not in self.fields:
            return "main-form"
        field = self.fields[name]
        if isinstance(field.widget, NHSDateWidget):
            value = NHSDateWidget.parts_of(self[name].value())
            first_bad = next((p for p in NHSDateWidget.PARTS if not value[p]), "day")
            return f"{name}-{first_bad}"
        return name

    def apply_errors(self, error: ValidationError) -> None:
        """Show a ValidationError raised by a service on the right fields."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


def radio_field(choices, label: str, required_message: str, **kwargs: Any) -> forms.ChoiceField:
    """A required choice shown as NHS.UK radios, saying what to select when none is."""
    return forms.ChoiceField(
        choices=choices,
        widget=forms.RadioSelect,
        label=label,
        error_messages={"required": required_message},
        **kwargs,
    )


#: A select with a long list, made searchable in the browser (see :func:`field_params`).
SEARCHABLE = forms.Select(attrs={"data-autocomplete": "true"})


def _error_message(bound: forms.BoundField) -> dict[str, str] | bool:
    if bound.errors:
        return {"text": str(bound.errors[0])}
    return False


def _choices(bound: forms.BoundField) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in bound.field.choices if value != ""]


def field_params(bound: forms.BoundField, **overrides: Any) -> dict[str, Any]:
    """Return ``{"component": name, "params": {...}}`` for the NHS.UK macro of a field."""
    field = bound.field
    widget = field.widget
    label_size = overrides.pop("label_size", None)
    hint = overrides.pop("hint", field.help_text or None)
    label_text = overrides.pop("label", bound.label)
    common: dict[str, Any] = {"errorMessage": _error_message(bound)}
    if hint:
        # A template may give the hint as the macro's own {"text": ...} or {"html": ...}.
        common["hint"] = dict(hint) if isinstance(hint, dict) else {"text": str(hint)}
    legend = {"text": str(label_text)}
    if label_size:
        legend.update({"size": label_size, "isPageHeading": label_size == "l"})

    if isinstance(widget, NHSDateWidget):
        parts = NHSDateWidget.parts_of(bound.value())
        error_class = " nhsuk-input--error" if bound.errors else ""
        params = {
            "id": bound.name,
            "namePrefix": bound.name,
            "fieldset": {"legend": legend},
            "items": [
                {"name": "day", "value": parts["day"], "width": 2, "classes": error_class},
                {"name": "month", "value": parts["month"], "width": 2, "classes": error_class},
                {"name": "year", "value": parts["year"], "width": 4, "classes": error_class},
            ],
            **common,
        }
        component = "dateInput"
    # CheckboxSelectMultiple is a subclass of RadioSelect, so it must be tested first.
    elif isinstance(widget, forms.CheckboxSelectMultiple):
        selected = {str(v) for v in (bound.value() or [])}
        params = {
            "name": bound.html_name,
            "idPrefix": bound.name,
            "fieldset": {"legend": legend},
            "items": [
                {"value": v, "text": t, "checked": v in selected} for v, t in _choices(bound)
            ],
            **common,
        }
        component = "checkboxes"
    elif isinstance(widget, forms.RadioSelect):
        value = bound.value()
        params = {
            "name": bound.html_name,
            "idPrefix": bound.name,
            "value": str(value) if value not in (None, "") else None,
            "fieldset": {"legend": legend},
            "items": [{"value": v, "text": t} for v, t in _choices(bound)],
            **common,
        }
        component = "radios"
    elif isinstance(widget, forms.CheckboxInput):
        params = {
            "name": bound.html_name,
            "idPrefix": bound.name,
            "items": [{"value": "on", "text": str(label_text), "checked": bool(bound.value())}],
            **common,
        }
        component = "checkboxes"
    elif isinstance(widget, forms.Select):
        value = bound.value()
        # A field may name its blank choice ("Not known yet"); otherwise it asks for one.
        blank = next((str(t) for v, t in bound.field.choices if v == ""), "Select an option")
        params = {
            "id": bound.name,
            "name": bound.html_name,
            "label": {"text": str(label_text), "size": label_size},
            "items": [{"value": "", "text": blank}]
            + [{"value": v, "text": t, "selected": str(value) == v} for v, t in _choices(bound)],
            **common,
        }
        # data-* attributes reach the page: data-autocomplete makes a long list searchable
        # (ipsworks/static/ipsworks/app.js), and without script it stays a plain select.
        data = {k: str(v) for k, v in widget.attrs.items() if k.startswith("data-")}
        if data:
            params["attributes"] = data
        component = "select"
    elif isinstance(widget, forms.Textarea):
        params = {
            "id": bound.name,
            "name": bound.html_name,
            "label": {"text": str(label_text), "size": label_size},
            "value": bound.value() or "",
            "rows": widget.attrs.get("rows", 4),
            **common,
        }
        component = "textarea"
    else:
        value = bound.value()
        params = {
            "id": bound.name,
            "name": bound.html_name,
            "label": {"text": str(label_text), "size": label_size},
            "value": "" if value is None else value,
            "type": "text",
            **common,
        }
        if isinstance(widget, forms.NumberInput):
            params["inputmode"] = "numeric"
            params["classes"] = "nhsuk-input--width-4"
        if isinstance(widget, forms.EmailInput):
            params["type"] = "email"
            params["autocomplete"] = "email"
            params["spellcheck"] = False
        if isinstance(widget, forms.PasswordInput):
            params["type"] = "password"
            params["value"] = ""
        component = "input"
    width = overrides.pop("width", None)
    if width:
        params["classes"] = f"nhsuk-input--width-{width}"
    params.update(overrides)
    return {"component": component, "params": params}


class SignInForm(AuthenticationForm):
    """Django's sign-in form with plain-English messages and the NHS.UK error summary."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive",
        "inactive": "This account has been switched off. Ask your service administrator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    error_list = NHSForm.error_list
    anchor_for = NHSForm.anchor_for


class NHSSetPasswordForm(SetPasswordForm):
    """Choose a password (Django's validators: at least 12 characters, not common)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = "At least 12 characters. A few unrelated words work well"
        self.fields["new_password2"].label = "Type the new password again"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Type the new password again"

    error_list = NHSForm.error_list
    anchor_for = NHSForm.anchor_for
