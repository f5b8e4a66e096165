"""The Jinja2 environment: Django's loader plus the NHS.UK frontend macros."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from ipsworks.core import formatting
from ipsworks.core.components import render_component
from ipsworks.core.forms import field_params
from ipsworks.core.header import site_header
from ipsworks.core.money import format_pence


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    options["loader"] = ChoiceLoader(
        [options["loader"], PackageLoader("nhsuk_frontend_jinja", "templates")]
    )
    # The NHS.UK macros read optional parameters through chains such as
    # params.hint.text, which ChainableUndefined allows (Django's DEBUG undefined does not).
    options["undefined"] = ChainableUndefined
    # Django's backend already asks for autoescaping; say so explicitly, and never let it off.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.globals.update(
        {
            "static": static,
            "url": url,
            "STATIC_URL": settings.STATIC_URL,
            "field_params": field_params,
            "site_header": lambda *args: site_header(env, *args),
            "render_component": lambda spec: render_component(env, spec),
        }
    )
    env.filters.update(
        {
            "uk_date": formatting.uk_date,
            "uk_short_date": formatting.uk_short_date,
            "uk_datetime": formatting.uk_datetime,
            "days_ago": formatting.days_ago,
            "minutes": formatting.minutes,
            "hours": formatting.hours,
            "nhs_number": formatting.nhs_number,
            "plural": formatting.plural,
            "pounds": format_pence,
        }
    )
    return env
