"""The site header, rendered once per distinct content and then reused.

The NHS.UK header macro is the most expensive part of every page (about 4 ms), yet it
depends only on the navigation, who is signed in and whether they can search. Its HTML is
cached in-process by exactly those inputs; the request's CSRF field is put in afterwards.
"""

from functools import lru_cache

from markupsafe import Markup

_CSRF_PLACEHOLDER = "<!--ips-csrf-->"


def site_header(environment, navigation, staff, can_search: bool, csrf_input) -> Markup:
    key = (
        tuple((item["text"], item["href"], bool(item.get("current"))) for item in navigation),
        f"{staff.display_name} ({staff.role_label})" if staff else "",
        bool(can_search),
    )
    html = _render(environment, key)
    # Both parts are autoescaped template output: the cached header and Django's CSRF field.
    return Markup(html.replace(_CSRF_PLACEHOLDER, str(csrf_input)))  # noqa: S704


@lru_cache(maxsize=2048)
def _render_cached(environment, key) -> str:
    navigation, staff_name, can_search = key
    template = environment.get_template("includes/header.jinja")
    return template.render(
        navigation=[{"text": t, "href": h, "current": c} for t, h, c in navigation],
        staff_name=staff_name,
        can_search=can_search,
        csrf_placeholder=_CSRF_PLACEHOLDER,
    )


def _render(environment, key) -> str:
    if environment.auto_reload:  # development: templates may change under us
        _render_cached.cache_clear()
    return _render_cached(environment, key)
