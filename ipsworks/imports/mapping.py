"""The fields an import reads, their standard column names, and a service's own names.

docs/import.md documents this table; keep the two in step.
"""

import re
from dataclasses import dataclass

from ipsworks.imports.models import ImportMapping


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    required: bool
    help: str


TARGETS: tuple[Target, ...] = (
    Target("nhs_number", "NHS number", True, "10 digits; spaces allowed"),
    Target("given_name", "First name", True, "100 characters or fewer"),
    Target("family_name", "Last name", True, "100 characters or fewer"),
    Target("date_of_birth", "Date of birth", False, "Like 31/03/1990 or 1990-03-31"),
    Target("postcode", "Postcode", False, "A real UK postcode, or ZZ99 for no fixed abode"),
    Target("phone", "Phone number", False, "20 characters or fewer"),
    Target("email", "Email address", False, "An email address"),
    Target("gender_identity", "Gender", False, "NHS Data Dictionary code (1, 2, 3, 4, X, Z)"),
    Target("ethnic_category", "Ethnic group", False, "NHS Data Dictionary code (A to Z, 99)"),
    Target(
        "sexual_orientation",
        "Sexual orientation",
        False,
        "NHS Data Dictionary code (1, 2, 3, 4, U, Z, 9)",
    ),
    Target("disability", "Disability or long-term condition", False, "Y, N, Z or 9"),
    Target(
        "religion_or_belief",
        "Religion or belief",
        False,
        "A broad group (none, christian, buddhist, hindu, jewish, muslim, sikh, other), Z or 9",
    ),
    Target("received_on", "Date referral received", True, "Today or earlier, from 2016"),
    Target(
        "source",
        "Referral source",
        False,
        "An MHSDS source of referral code (P1 internal, the default; A1 GP; B1 self; M6 "
        "other) or clinical_team, self, gp or other",
    ),
    Target("referrer_name", "Referrer", False, "200 characters or fewer"),
    Target("team", "Clinical team", False, "A team's name in IPS Works, in any case"),
    Target("pathway", "Pathway", False, "job_seeking (default) or job_retention"),
    Target(
        "employment_status_at_referral",
        "Employment status",
        False,
        "MHSDS code 01 to 08, or ZZ (declined to say); blank if not known",
    ),
    Target("weekly_hours_at_referral", "Weekly hours worked", False, "MHSDS code 01 to 04, 97-99"),
    Target("work_interests", "Work interests", False, "2,000 characters or fewer"),
    Target(
        "source_reference",
        "Source reference",
        False,
        "The clinical system's own id for the referral; part of what makes a row the same",
    ),
)
BY_NAME = {t.name: t for t in TARGETS}


def header_key(text: str) -> str:
    """Column names match in any case, with spaces, dashes or underscores."""
    return re.sub(r"[^a-z0-9]+", "_", str(text or "").strip().lower()).strip("_")


def columns_for(service_id: int) -> dict[str, str]:
    """{field: column name in the file} for a service: its own names over the standard ones."""
    mapping = ImportMapping.objects.filter(service_id=service_id).first()
    own = mapping.columns if mapping else {}
    return {t.name: (own.get(t.name) or t.name) for t in TARGETS}
