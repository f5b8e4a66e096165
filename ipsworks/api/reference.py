"""The API reference page: the OpenAPI document, drawn as an NHS.UK page.

It replaces django-ninja's Swagger UI, which failed axe (colour contrast, buttons inside
buttons, no ``lang``, no title) and needed script to show anything. This page is plain HTML
read by a screen reader like any other, and it is drawn from the same OpenAPI document the
API serves at ``/api/v1/openapi.json``, so it cannot drift from the API.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

API_PREFIX = "/api/v1/"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str
    link: str = ""  # the anchor of the schema the type names, if it is one


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    schema: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    needs_token: bool
    parameters: tuple[Field, ...]
    body: str
    responses: tuple[Response, ...]


@dataclass(frozen=True)
class Schema:
    name: str
    anchor: str
    description: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Reference:
    title: str
    description: str
    operations: tuple[Operation, ...]
    schemas: tuple[Schema, ...]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def schema_anchor(name: str) -> str:
    return f"schema-{name}"


def type_of(spec: dict[str, Any]) -> tuple[str, str]:
    """(type in words, the schema it names if any) for one OpenAPI schema object."""
    if "$ref" in spec:
        name = _ref_name(spec["$ref"])
        return name, name
    if "anyOf" in spec or "oneOf" in spec:
        options = [type_of(s) for s in spec.get("anyOf", spec.get("oneOf", []))]
        named = [t for t in options if t[0] != "null"]
        words = " or ".join(t[0] for t in named) or "null"
        if len(named) < len(options):
            words += " (or null)"
        return words, next((t[1] for t in named if t[1]), "")
    if "allOf" in spec and len(spec["allOf"]) == 1:
        return type_of(spec["allOf"][0])
    if "enum" in spec:
        return "one of: " + ", ".join(str(v) for v in spec["enum"]), ""
    kind = spec.get("type", "any")
    if kind == "array":
        item, link = type_of(spec.get("items", {}))
        return f"list of {item}", link
    if spec.get("format"):
        kind = f"{kind} ({spec['format']})"
    limits = []
    for key, words in (
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
        ("minimum", "from {}"),
        ("maximum", "up to {}"),
    ):
        if key in spec:
            limits.append(words.format(spec[key]))
    return (f"{kind}, {', '.join(limits)}" if limits else kind), ""


def _field(name: str, spec: dict[str, Any], required: bool, description: str = "") -> Field:
    words, link = type_of(spec)
    text = description or spec.get("description", "")
    if "default" in spec and spec["default"] is not None:
        text = f"{text} Default: {spec['default']}.".strip()
    return Field(name, words, required, text, schema_anchor(link) if link else "")


def _body_schema(content: dict[str, Any]) -> str:
    spec = next(iter(content.values()), {}).get("schema", {}) if content else {}
    return _ref_name(spec["$ref"]) if "$ref" in spec else ""


def build(document: dict[str, Any], public: frozenset[str]) -> Reference:
    """The reference from an OpenAPI document. ``public``: paths (without the prefix) that
    need no token."""
    operations = []
    for path, methods in document.get("paths", {}).items():
        for method, op in methods.items():
            operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    anchor=op.get("operationId", f"{method}-{path}"),
                    needs_token=path.removeprefix(API_PREFIX) not in public,
                    parameters=tuple(
                        _field(
                            f"{p['name']} ({p['in']})",
                            p.get("schema", {}),
                            p.get("required", False),
                            p.get("description", ""),
                        )
                        for p in op.get("parameters", [])
                    ),
                    body=_body_schema(op.get("requestBody", {}).get("content", {})),
                    responses=tuple(
                        Response(
                            code,
                            answer.get("description", ""),
                            _body_schema(answer.get("content", {})),
                        )
                        for code, answer in op.get("responses", {}).items()
                    ),
                )
            )
    schemas = []
    for name, spec in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(spec.get("required", []))
        schemas.append(
            Schema(
                name=name,
                anchor=schema_anchor(name),
                description=spec.get("description", ""),
                fields=tuple(
                    _field(field, sub, field in required)
                    for field, sub in spec.get("properties", {}).items()
                ),
            )
        )
    info = document.get("info", {})
    return Reference(
        title=info.get("title", "API"),
        description=info.get("description", ""),
        operations=tuple(operations),
        schemas=tuple(schemas),
    )


# Operations open without a token, by path: the better-off calculator reads no personal data.
PUBLIC_PATHS = frozenset({"better-off"})


@lru_cache(maxsize=1)
def _reference() -> Reference:
    from ipsworks.api.api import api

    return build(api.get_openapi_schema(path_prefix=API_PREFIX), PUBLIC_PATHS)


@login_not_required
@require_GET
def api_reference(request):
    """The API reference: every operation, what it takes and answers, and every schema."""
    return render(request, "api/reference.jinja", {"reference": _reference()})
