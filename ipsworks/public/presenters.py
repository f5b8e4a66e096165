"""What the public templates show: the page's language, its sections and links.

Administrators write plain text. A blank line starts a new paragraph and lines starting
with "- " or "* " make a bulleted list; nothing they type is treated as HTML.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext as _

from ipsworks.core.forms import field_params
from ipsworks.public import content
from ipsworks.public.models import PublicPage

WELSH = "cy"
ENGLISH = "en-gb"


def language_for(request, page: PublicPage) -> str:
    """Welsh when the service offers it and the visitor asked for it (?lang=cy)."""
    if page.welsh_enabled and request.GET.get("lang") == WELSH:
        return WELSH
    return ENGLISH


def public_url(name: str, page: PublicPage, language: str, **query) -> str:
    url = reverse(name, kwargs={"short_name": page.service.short_name})
    if language == WELSH:
        query["lang"] = WELSH
    return f"{url}?{urlencode(query)}" if query else url


@dataclass
class Block:
    kind: str  # "p" or "ul"
    text: str = ""
    items: list[str] = field(default_factory=list)


@dataclass
class Section:
    blocks: list[Block]
    # The language of the words when it differs from the page's: an administrator's English
    # text shown on a Welsh page is marked lang="en" (WCAG 3.1.2, language of parts).
    lang: str | None = None


def text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line[:2] in ("- ", "* ") for line in lines):
            blocks.append(Block("ul", items=[line[2:].strip() for line in lines]))
        else:
            blocks.append(Block("p", text=" ".join(lines)))
    return blocks


def _section(english: str, welsh: str, default: list[str], language: str) -> Section:
    if language == WELSH and welsh.strip():
        return Section(text_blocks(welsh))
    if english.strip():
        return Section(text_blocks(english), lang="en" if language == WELSH else None)
    return Section([Block("p", text=str(line)) for line in default])


def about(page: PublicPage, language: str) -> Section:
    return _section(page.about_text, page.about_text_cy, list(content.DEFAULT_ABOUT), language)


def next_steps(page: PublicPage, language: str) -> Section:
    default = content.default_next_steps(page.reply_within_days)
    return _section(page.next_steps_text, page.next_steps_text_cy, default, language)


def contact(page: PublicPage, language: str) -> Section:
    return _section(page.contact_text, page.contact_text_cy, [], language)


def long_date(day, language: str) -> str:
    """'Friday 27 November 2026'; in Welsh 'dydd Gwener 27 Tachwedd 2026' (lower-case dydd)."""
    text = dateformat.format(day, "l j F Y")
    return text[0].lower() + text[1:] if language == WELSH and text.startswith("Dydd") else text


def phone_href(phone: str) -> str:
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def layout_context(request, page: PublicPage, language: str) -> dict:
    """What the public layout needs: language, the switch link, the footer links."""
    here = request.path
    switch = None
    if page.welsh_enabled:
        if language == WELSH:
            switch = {"href": here, "text": "English", "lang": "en"}
        else:
            switch = {"href": f"{here}?lang={WELSH}", "text": "Cymraeg", "lang": WELSH}
    return {
        "_": _,
        "localised_field": localised_field,
        "page": page,
        "service": page.service,
        "language": language,
        "html_lang": "cy" if language == WELSH else "en-GB",
        "language_switch": switch,
        "home_href": public_url("public_service", page, language),
        "privacy_href": public_url("public_privacy", page, language),
        "urgent_help": [str(line) for line in content.URGENT_HELP],
    }


def localised_field(bound, **overrides) -> dict:
    """``field_params`` for a public page: the NHS.UK macros' own words, translated."""
    autocomplete = overrides.pop("date_autocomplete", None)
    spec = field_params(bound, **overrides)
    params = spec["params"]
    if isinstance(params.get("errorMessage"), dict):
        params["errorMessage"]["visuallyHiddenText"] = _("Error")
    if spec["component"] == "dateInput":
        labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
        for item in params["items"]:
            item["label"] = labels[item["name"]]
            if autocomplete:
                item["autocomplete"] = f"{autocomplete}-{item['name']}"
    elif spec["component"] == "select":
        params["items"][0]["text"] = _("Select an option")
    return spec
