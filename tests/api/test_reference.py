"""The API reference page: every operation of the OpenAPI document, readable without script."""

import pytest
from django.urls import reverse

from ipsworks.api.api import api
from ipsworks.api.reference import API_PREFIX, type_of

pytestmark = pytest.mark.django_db


def test_the_reference_lists_every_operation_and_schema_of_the_openapi_document(client):
    document = api.get_openapi_schema(path_prefix=API_PREFIX)
    page = client.get(reverse("api_reference")).content.decode()
    for path, methods in document["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in page
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert '<html lang="en-GB"' in page
    assert "<title>API reference" in page


def test_the_reference_says_which_operations_need_a_token(client):
    page = client.get(reverse("api_reference")).content.decode()
    better_off = page.split("<code>POST /api/v1/better-off</code></h3>")[1].split("</section>")[0]
    assert "No token needed" in better_off
    referrals = page.split("<code>POST /api/v1/referrals</code></h3>")[1].split("</section>")[0]
    assert "Needs a token" in referrals
    assert '<a href="#schema-ReferralIn">ReferralIn</a>' in referrals


def test_swagger_ui_is_gone(client):
    assert client.get("/api/v1/docs/").status_code == 404 or b"swagger" not in (
        client.get("/api/v1/docs/").content.lower()
    )
    assert b"swagger" not in client.get(reverse("api_reference")).content.lower()


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"type": "string", "maxLength": 14}, "string, at most 14 characters"),
        (
            {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
            "string (date) (or null)",
        ),
        ({"type": "array", "items": {"$ref": "#/components/schemas/JobOut"}}, "list of JobOut"),
        ({"enum": ["P1", "B1"]}, "one of: P1, B1"),
        ({"type": "integer", "minimum": 1, "maximum": 200}, "integer, from 1, up to 200"),
    ],
)
def test_types_in_words(spec, words):
    assert type_of(spec)[0] == words
