"""The strings the public pages translate, found in their Python and Jinja templates.

Django's ``makemessages`` reads Django templates, not Jinja, so this module extracts the
messages itself: Python with :mod:`ast`, templates with Jinja's own parser. Updating the
Welsh translation::

    python -m ipsworks.public.i18n > /tmp/public.pot
    msgmerge --update --no-wrap ipsworks/public/locale/cy/LC_MESSAGES/django.po /tmp/public.pot
    # translate what is new or marked fuzzy, then compile and commit both files:
    msgfmt --check -o ipsworks/public/locale/cy/LC_MESSAGES/django.mo \\
        ipsworks/public/locale/cy/LC_MESSAGES/django.po

The compiled ``.mo`` is committed: it is what runs, and machines without gettext cannot
make it. ``tests/public/test_welsh.py`` fails if a string is missing or the two disagree.
"""

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from jinja2.ext import i18n

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE.parent / "templates" / "public"
PO_FILE = PACKAGE / "locale" / "cy" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")

# Staff pages are English only; their templates hold no translated strings.
STAFF_TEMPLATES = {"page_settings.jinja", "enquiry_list.jinja", "enquiry_answer.jinja"}
_SINGULAR = {"_", "gettext", "gettext_lazy"}
_PLURAL = {"ngettext", "ngettext_lazy"}


@dataclass
class Message:
    msgid: str
    plural: str | None = None
    places: list[str] = field(default_factory=list)


def _python_messages(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        if node.func.id in _SINGULAR and args and isinstance(args[0], str):
            yield node.lineno, args[0], None
        elif node.func.id in _PLURAL and len(args) >= 2 and isinstance(args[0], str):
            yield node.lineno, args[0], args[1]


def _template_messages(path: Path):
    env = Environment(extensions=[i18n], autoescape=True)  # parsed for messages, never rendered
    tree = env.parse(path.read_text(encoding="utf-8"))
    for lineno, _function, message in env.extract_translations(tree):
        if isinstance(message, str):
            yield lineno, message, None
        elif isinstance(message, tuple) and message and isinstance(message[0], str):
            yield lineno, message[0], message[1] if len(message) > 1 else None


def messages() -> list[Message]:
    """Every translatable string of the public pages, in the order first met."""
    found: dict[str, Message] = {}
    root = PACKAGE.parent.parent
    sources = [(p, _python_messages) for p in sorted(PACKAGE.glob("*.py"))]
    sources += [
        (p, _template_messages)
        for p in sorted(TEMPLATES.glob("*.jinja"))
        if p.name not in STAFF_TEMPLATES
    ]
    for path, extract in sources:
        for lineno, msgid, plural in extract(path):
            message = found.setdefault(msgid, Message(msgid, plural))
            message.places.append(f"{path.relative_to(root)}:{lineno}")
    return list(found.values())


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def pot() -> str:
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        "",
    ]
    for message in messages():
        lines.append("#: " + " ".join(message.places))
        if "%(" in message.msgid:
            lines.append("#, python-format")
        lines.append(f"msgid {_quote(message.msgid)}")
        if message.plural:
            lines += [f"msgid_plural {_quote(message.plural)}", 'msgstr[0] ""', 'msgstr[1] ""']
        else:
            lines.append('msgstr ""')
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(pot())
