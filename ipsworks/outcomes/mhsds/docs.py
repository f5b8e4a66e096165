"""docs/mhsds.md's tables, from :mod:`.idb` and the code lists (``manage.py mhsds_docs``)."""

from pathlib import Path

from django.conf import settings

from ipsworks.core.generated_docs import replace_between
from ipsworks.outcomes.mhsds import idb
from ipsworks.people.codes import REFERRAL_CLOSURE_REASON, SourceOfReferral
from ipsworks.people.models import ClosureReason

BEGIN = "<!-- mhsds tables: written by manage.py mhsds_docs -->"
END = "<!-- end of mhsds tables -->"
PATH = Path(settings.BASE_DIR) / "docs" / "mhsds.md"

_MANDATION = {"M": "mandatory", "R": "required when known", "O": "optional"}


def _codes(spec: idb.Field) -> str:
    if not spec.codes:
        return ""
    if spec.name == "SourceOfReferralMH":
        return "the code list below"
    return ", ".join(spec.codes)


def body() -> str:
    lines: list[str] = []
    for table in idb.TABLES:
        lines += [f"### {table.name}", "", f"{table.meaning}. Rows: {table.rows_are}.", ""]
        lines += ["| field | NHS Data Dictionary element | format | mandation | codes |"]
        lines += ["|---|---|---|---|---|"]
        for spec in table.fields:
            element = spec.element + (f" ({spec.meaning})" if spec.meaning else "")
            lines.append(
                f"| `{spec.name}` | {element} | {spec.format} | "
                f"{_MANDATION[spec.mandation]} | {_codes(spec)} |"
            )
        if table.not_written:
            lines += ["", "Not written:", ""]
            lines += [f"- {item}" for item in table.not_written]
        lines.append("")
    lines += ["### SOURCE OF REFERRAL FOR MENTAL HEALTH (`SourceOfReferralMH`)", ""]
    lines += ["| code | description | NHS England IPS dashboard group |", "|---|---|---|"]
    for code, label in sorted(SourceOfReferral.choices):
        lines.append(f"| {code} | {label} | {SourceOfReferral.dashboard_group(code)} |")
    lines += ["", "### REFERRAL CLOSURE REASON (`ReferClosReason`)", ""]
    lines += ["| IPS Works closure reason | code written |", "|---|---|"]
    for value, label in ClosureReason.choices:
        lines.append(f"| {label} | {REFERRAL_CLOSURE_REASON[value]} |")
    return "\n".join(lines).rstrip()


def rewritten(text: str) -> str:
    return replace_between(text, BEGIN, END, body())
