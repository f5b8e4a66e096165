"""Privacy tools: a subject access archive, and anonymisation under the retention policy.

Subject access (UK GDPR article 15): everything held about one person, as a ZIP holding a
readable PDF and machine-readable JSON. Retention: people whose referrals all closed more
than ``IPS_RETENTION_YEARS`` years ago are anonymised; counts, dates and outcome flags stay,
so every outcome metric is unchanged. Self-referred people who never started are anonymised
after ``IPS_NOT_STARTED_RETENTION_YEARS``, and employer enquiries are deleted
``IPS_EMPLOYER_ENQUIRY_RETENTION_YEARS`` after the last contact, as the public privacy notice
promises. Every action is written to the access log.
"""

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.people.models import Person, Referral, ReferralStatus

ANONYMISED_NAME = "Anonymised"


def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(queryset, exclude=("service",)) -> list[dict]:
    rows = []
    for obj in queryset:
        row = {}
        for field in obj._meta.concrete_fields:
            if field.name in exclude or field.name == "content":
                continue
            row[field.attname] = _plain(getattr(obj, field.attname))
        rows.append(row)
    return rows


# Where everything held about a person lives: (section of the export, model, path from the
# model to the person). The PDF template lists every section, so adding a row here adds it to
# both files. tests/people/test_privacy_coverage.py fails when a model with a foreign-key path
# to Person is missing here and from its commented list of deliberate exclusions.
SUBJECT_ACCESS_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("person", "people.Person", "pk"),
    ("corrections", "people.PersonChange", "person"),
    ("referrals", "people.Referral", "person"),
    ("referral_status_history", "people.ReferralStatusChange", "referral__person"),
    ("team_moves", "people.ReferralTeamMove", "referral__person"),
    ("self_referrals_sent_again", "people.SelfReferralRepeat", "referral__person"),
    ("episodes", "people.Episode", "person"),
    ("contacts", "activity.Contact", "person"),
    ("appointments", "diary.Appointment", "person"),
    ("vocational_profiles", "people.VocationalProfile", "person"),
    ("disclosure_plans", "people.DisclosurePlan", "person"),
    ("jobs", "jobs.Job", "person"),
    ("pay_changes", "jobs.PayChange", "job__person"),
    ("job_corrections", "jobs.JobCorrection", "job__person"),
    ("in_work_support", "jobs.SupportCheckIn", "person"),
    ("return_to_work_plans", "jobs.ReturnToWorkPlan", "referral__person"),
    ("education_and_training", "jobs.EducationOrTraining", "person"),
    ("employer_contacts_about_them", "employers.EmployerContact", "person"),
    ("employer_support_about_them", "employers.EmployerSupport", "person"),
    ("access_to_work", "employers.AccessToWorkApplication", "person"),
    ("job_applications", "matching.Application", "person"),
    ("job_application_history", "matching.ApplicationStatusChange", "application__person"),
    ("employers_to_approach", "matching.JobSearchTarget", "person"),
    ("better_off_calculations", "benefits.BetterOffCalculation", "person"),
    ("outcome_payment_claims", "outcomes.ClaimItem", "referral__person"),
    ("outcome_payment_evidence", "outcomes.OutcomeEvidence", "referral__person"),
    ("imported_from_other_systems", "imports.ImportedReferral", "referral__person"),
)


def subject_access_data(person: Person) -> dict:
    """Everything held about one person, grouped by record type (``SUBJECT_ACCESS_SOURCES``)."""
    data = {}
    for section, label, path in SUBJECT_ACCESS_SOURCES:
        app_label = label.split(".")[0]
        if not apps.is_installed(f"ipsworks.{app_label}"):  # optional apps, such as benefits
            continue
        model = apps.get_model(label)
        data[section] = _rows(model._base_manager.filter(**{path: person.pk}))
    data["who_has_looked_at_the_record"] = _rows(
        AccessLogEntry.objects.filter(person_id=person.pk).order_by("at"),
        exclude=("service_id", "path"),
    )
    return data


def subject_access_archive(person: Person, *, by) -> bytes:
    """A ZIP with record.pdf (readable, tagged PDF/UA) and record.json (machine-readable)."""
    from ipsworks.core import documents

    data = subject_access_data(person)
    produced = timezone.localtime()
    html = render_to_string(
        "people/subject_access.jinja", {"person": person, "data": data, "produced": produced}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("record.pdf", documents.pdf(html))
    record_event(
        by=by, action=AccessLogEntry.Action.SUBJECT_ACCESS, obj=person, person_id=person.pk
    )
    return buffer.getvalue()


def years_before(today: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def due_for_anonymisation(today: date, years: int | None = None):
    """People not yet anonymised whose every referral closed more than ``years`` ago."""
    years = settings.IPS_RETENTION_YEARS if years is None else years
    cutoff = years_before(today, years)
    recent_or_open = Referral.objects.filter(person_id=OuterRef("pk")).filter(
        ~Q(status=ReferralStatus.CLOSED) | Q(closed_on__gte=cutoff)
    )
    return (
        Person.objects.filter(anonymised_on__isnull=True, referrals__isnull=False)
        .exclude(Exists(recent_or_open))
        .distinct()
    )


def due_as_never_started(today: date, years: int | None = None):
    """Self-referred people who never started with the service, whose form is ``years`` old.

    The public privacy notice promises: "If you do not start working with us, we keep your
    form for 2 years, then delete it" (``IPS_NOT_STARTED_RETENTION_YEARS``). Someone counts as
    never having started when every one of their referrals is a self-referral received more
    than ``years`` ago, none reached first contact (no episode, no "in contact" status in its
    history), and each one is either closed or still waiting, never accepted. A referral a
    member of staff accepted and is still working on is kept: the person is being helped, and
    the longer ``IPS_RETENTION_YEARS`` policy takes over once they start. Anyone also referred
    by another route (a clinical team, a GP) is kept under that longer policy too.

    Such people are anonymised, not deleted, like everyone else: their referrals stay as
    counts (referrals received, closed without access), so the outcome figures do not change,
    and nothing left identifies them.
    """
    from ipsworks.people.models import Episode, ReferralStatusChange

    years = settings.IPS_NOT_STARTED_RETENTION_YEARS if years is None else years
    cutoff = years_before(today, years)
    keeps_them = Referral.objects.filter(person_id=OuterRef("pk")).filter(
        ~Q(source=Referral.Source.SELF)
        | Q(received_on__gte=cutoff)
        | Q(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.FIRST_CONTACT])
    )
    started = Episode.objects.filter(person_id=OuterRef("pk"))
    first_contact = ReferralStatusChange.objects.filter(
        referral__person_id=OuterRef("pk"), status=ReferralStatus.FIRST_CONTACT
    )
    return (
        Person.objects.filter(anonymised_on__isnull=True, referrals__isnull=False)
        .exclude(Exists(keeps_them))
        .exclude(Exists(started))
        .exclude(Exists(first_contact))
        .distinct()
    )


# What people.services.anonymise() blanks, beyond the person row itself: model, path to the
# person, and the free-text fields with the value each is left holding. Dates, codes, numbers
# and links stay, so every outcome and fidelity figure is unchanged.
# tests/people/test_privacy_coverage.py fails when a free-text field of a model with a
# foreign-key path to Person is neither here nor in its commented allow-list.
ANONYMISED_TEXT: tuple[tuple[str, str, dict], ...] = (
    ("people.Referral", "person", {"referrer_name": "", "work_interests": "", "next_action": ""}),
    ("people.ReferralStatusChange", "referral__person", {"note": ""}),
    ("people.PersonChange", "person", {"old_value": "", "new_value": ""}),
    (
        "people.VocationalProfile",
        "person",
        {
            "work_history": "",
            "education_and_training": "",
            "skills_and_strengths": "",
            "kinds_of_work": "",
            "jobs_not_to_repeat": "",
            "unsuitable_times_reason": "",
            "places": "",
            "goals": "",
            "change_reason": "",
        },
    ),
    (
        "people.DisclosurePlan",
        "person",
        {"who_to_tell": "", "what_to_say": "", "change_reason": ""},
    ),
    ("people.SelfReferralRepeat", "referral__person", {"work_interests": ""}),
    ("activity.Contact", "person", {"note": ""}),
    ("diary.Appointment", "person", {"title": "", "with_whom": "", "notes": ""}),
    ("employers.EmployerContact", "person", {"outcome": ""}),
    ("employers.EmployerSupport", "person", {"note": ""}),
    ("employers.AccessToWorkApplication", "person", {"note": ""}),
    ("jobs.ReturnToWorkPlan", "referral__person", {"adjustments": "", "notes": ""}),
    # The kind, level, dates and outcome stay for the education figures; where and what
    # they studied could point at one person.
    ("jobs.EducationOrTraining", "person", {"provider_name": "", "course_title": ""}),
    # The reason is free text (and may never be blank); what changed stays, as the job does.
    ("jobs.JobCorrection", "job__person", {"reason": "Removed when the record was anonymised"}),
    ("matching.Application", "person", {"note": ""}),
    ("matching.ApplicationStatusChange", "application__person", {"note": ""}),
    ("matching.JobSearchTarget", "person", {"note": ""}),
    # The claim's event, date and amount stay for the contract's accounts; the evidence
    # names the job, the employer and dates, which together can point at one person.
    ("outcomes.ClaimItem", "referral__person", {"evidence": ""}),
    # Where the evidence is kept: meant to hold no personal details, cleared in case it does.
    ("outcomes.OutcomeEvidence", "referral__person", {"note": ""}),
)

# The person row: names are replaced so lists still read sensibly, the rest is blanked.
ANONYMISED_PERSON_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "nhs_number",
    "date_of_birth",
    "postcode",
    "phone",
    "email",
    "contact_preferences",
)

# Equality answers go back to "not known": special category data that, beside the dates
# that stay, could single a person out. The one figure this moves is the equality breakdown
# by sexual orientation and disability for periods before anonymisation (gender and ethnic
# group stay, as before, for the longer-standing equality figures).
ANONYMISED_EQUALITY = {
    "sexual_orientation": Person._meta.get_field("sexual_orientation").default,
    "disability": Person._meta.get_field("disability").default,
    "religion_or_belief": Person._meta.get_field("religion_or_belief").default,
}

# What other apps clear when a person is anonymised, beyond ANONYMISED_TEXT: each registers
# a function of the person from its AppConfig.ready (benefits cuts down the saved
# calculations' inputs, imports clears the import keys), so this module imports neither.
ANONYMISERS: list = []


def add_anonymiser(clear) -> None:
    """``clear(person)`` runs inside ``people.services.anonymise``'s transaction."""
    if clear not in ANONYMISERS:
        ANONYMISERS.append(clear)


# What other apps remove under the retention policy, run by ``manage.py apply_retention``
# after the people: each registers a step from its AppConfig.ready (public: employer
# enquiries), so this module imports none of them.
@dataclass(frozen=True)
class RetentionStep:
    what: str  # plural, as the command reports it: "employer enquiries"
    verb: str  # "deleted"
    due: Callable[[date], list]  # what is due on a day
    apply: Callable[[object], None]  # removes one of them, with its access-log entry


RETENTION_STEPS: list[RetentionStep] = []


def add_retention_step(step: RetentionStep) -> None:
    if step not in RETENTION_STEPS:
        RETENTION_STEPS.append(step)
