"""Welsh, where a service switches it on; English everywhere else, staff pages included."""

import ast
import gettext
import re
from html import unescape

import pytest
from django.urls import reverse

from ipsworks.public import i18n
from ipsworks.public.presenters import WELSH
from tests.public.conftest import referral_data

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = (
    "public_service",
    "public_self_referral",
    "public_self_referral_sent",
    "public_employer_enquiry",
    "public_employer_enquiry_sent",
    "public_privacy",
)


@pytest.fixture
def welsh_page(page):
    page.welsh_enabled = True
    page.save()
    return page


def _get(client, name, **query):
    return client.get(reverse(name, kwargs={"short_name": "north-county"}), query)


def _html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_public_page_is_in_welsh_when_asked_and_the_service_offers_it(
    welsh_page, public, name
):
    response = _get(public, name, lang=WELSH)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert _html_lang(response) == "cy"
    assert response["Content-Language"] == "cy"
    assert "Neidio i'r prif gynnwys" in html  # the skip link
    assert 'href="/ips/north-county/privacy/?lang=cy"' in html  # links keep the language
    assert ">English</a>" in html
    assert 'lang="en"' in html


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_welsh_is_not_shown_where_the_service_has_not_switched_it_on(page, public, name):
    response = _get(public, name, lang=WELSH)
    html = response.content.decode()
    assert _html_lang(response) == "en-GB"
    assert response["Content-Language"] == "en-GB"
    assert "Cymraeg" not in html  # no language switch either
    assert "Skip to main content" in html


def test_english_pages_offer_welsh_where_it_is_switched_on(welsh_page, public):
    html = _get(public, "public_service").content.decode()
    assert '<a href="/ips/north-county/?lang=cy" lang="cy" hreflang="cy">Cymraeg</a>' in html


def test_the_welsh_service_page_reads_in_welsh(welsh_page, public):
    html = unescape(_get(public, "public_service", lang=WELSH).content.decode())
    assert "Help i gael swydd a'i chadw" in html
    assert "Atgyfeirio eich hun" in html
    assert "Byddwn yn cysylltu â chi o fewn 5 diwrnod gwaith." in html
    assert "Help to find and keep a job" not in html


def test_welsh_error_messages_and_date_labels(welsh_page, public, world):
    url = reverse("public_self_referral", kwargs={"short_name": "north-county"}) + "?lang=cy"
    response = public.post(url, referral_data(given_name="", **{"date_of_birth[month]": ""}))
    html = unescape(response.content.decode())
    assert response["Content-Language"] == "cy"
    assert "<title>Gwall: Atgyfeirio eich hun" in html
    assert "Mae problem" in html
    assert "Rhowch eich enw cyntaf" in html
    assert "Rhaid i'r dyddiad geni gynnwys mis" in html
    assert "Diwrnod" in html
    assert "Blwyddyn" in html
    assert "Gwall:" in html  # the error message's hidden prefix


def test_a_welsh_submission_confirms_in_welsh(welsh_page, public, world):
    url = reverse("public_self_referral", kwargs={"short_name": "north-county"}) + "?lang=cy"
    response = public.post(url, referral_data(), follow=True)
    html = unescape(response.content.decode())
    assert response.redirect_chain[-1][0].endswith("/refer/sent/?lang=cy")
    assert "Mae eich manylion gyda ni" in html


def test_the_administrators_own_words_are_marked_english_on_a_welsh_page(welsh_page, public):
    welsh_page.about_text = "We are the North County IPS team."
    welsh_page.save()
    html = _get(public, "public_service", lang=WELSH).content.decode()
    assert '<div lang="en"><p>We are the North County IPS team.</p></div>' in html

    welsh_page.about_text_cy = "Ni yw tîm IPS Gogledd y Sir."
    welsh_page.save()
    html = _get(public, "public_service", lang=WELSH).content.decode()
    assert "<p>Ni yw tîm IPS Gogledd y Sir.</p>" in html
    assert "We are the North County IPS team." not in html


def test_staff_pages_stay_in_english_after_a_welsh_public_page(welsh_page, world, as_staff):
    client = as_staff(world.manager)
    client.get(reverse("public_service", kwargs={"short_name": "north-county"}), {"lang": "cy"})
    response = client.get(reverse("referral_list"))
    assert 'lang="en-GB"' in response.content.decode()
    assert "Referrals waiting" in response.content.decode()


# --- The catalogue is complete, and the committed .mo is the compiled .po ----------------------


def _parse_po(text: str) -> dict[str, list[str]]:
    """msgid -> msgstr(s), for the simple catalogue this app keeps (no contexts)."""
    entries: dict[str, list[str]] = {}
    msgid, strs, key = None, [], None
    for line in [*text.splitlines(), ""]:
        if line.startswith("msgid "):
            msgid, strs, key = ast.literal_eval(line[6:]), [], "id"
        elif line.startswith("msgid_plural "):
            key = "plural"
        elif line.startswith("msgstr"):
            strs.append(ast.literal_eval(line.split(" ", 1)[1]))
            key = "str"
        elif line.startswith('"') and key == "str":
            strs[-1] += ast.literal_eval(line)
        elif line.startswith('"') and key == "id":
            msgid += ast.literal_eval(line)
        elif not line.strip() and msgid is not None:
            entries[msgid] = strs
            msgid = None
    return entries


def test_every_public_string_has_a_welsh_translation():
    catalogue = _parse_po(i18n.PO_FILE.read_text(encoding="utf-8"))
    used = {m.msgid for m in i18n.messages()}
    assert len(used) > 100
    assert sorted(used - set(catalogue)) == []
    untranslated = [k for k, v in catalogue.items() if k and not all(v)]
    assert untranslated == []
    assert "#, fuzzy" not in i18n.PO_FILE.read_text(encoding="utf-8")


def test_the_committed_mo_file_is_the_compiled_po_file():
    catalogue = _parse_po(i18n.PO_FILE.read_text(encoding="utf-8"))
    with i18n.MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, strs in catalogue.items():
        if not msgid:
            continue
        assert compiled.gettext(msgid) == strs[0], f"recompile the .mo: {msgid!r}"


def test_the_extractor_finds_strings_in_python_and_templates():
    places = {place.split(":")[0] for m in i18n.messages() for place in m.places}
    assert "ipsworks/public/forms.py" in places
    assert "ipsworks/templates/public/layout.jinja" in places
    assert not any("page_settings" in place for place in places)
