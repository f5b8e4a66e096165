"""Form fields rendered as NHS.UK components, with their HTML cached by their parameters.

The NHS.UK macros are pure functions of their parameters but slow (a date input takes a
few milliseconds), and the same field with the same value, hint and error is drawn over
and over. The cache key is the whole parameter structure, so a different value, error or
choice list is a different entry; nothing from one request can appear in another's field
unless every parameter is identical.
"""

import json
from functools import lru_cache

from markupsafe import Markup


def _key(spec: dict) -> str:
    # Markup and plain strings must not collide: record the type of every leaf.
    def typed(value):
        if isinstance(value, dict):
            return {k: typed(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [typed(v) for v in value]
        return [
            type(value).__name__,
            value if isinstance(value, int | float | bool) or value is None else str(value),
        ]

    return json.dumps(typed(spec), sort_keys=True)


def render_component(environment, spec: dict) -> Markup:
    if environment.auto_reload:  # development: templates may change under us
        _cached.cache_clear()
    # The cached string is the output of an autoescaped template, so it is already safe.
    return Markup(_cached(environment, _key(spec), _Frozen(spec)))  # noqa: S704


class _Frozen:
    """Carries the spec into the cache call without taking part in the key."""

    def __init__(self, spec):
        self.spec = spec

    def __hash__(self):
        return 0

    def __eq__(self, other):
        return isinstance(other, _Frozen)


@lru_cache(maxsize=4096)
def _cached(environment, key: str, frozen: _Frozen) -> str:
    macro = environment.get_template("includes/form.jinja").module.component
    return str(macro(frozen.spec))
