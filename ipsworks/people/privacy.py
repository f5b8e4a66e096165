"""Privacy tools: a subject access archive, and anonymisation under the retention policy.

Subject access (UK GDPR article 15): everything held about one person, as a ZIP holding a
readable PDF and machine-readable JSON. Retention: people whose referrals all closed more
than ``IPS_RETENTION_YEARS`` years ago are anonymised; counts, dates and outcome flags stay,
so every outcome metric is unchanged. Both actions are written to the access log.
"""

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
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


def subject_access_data(person: Person) -> dict:
    """Everything held about one person, grouped by record type."""
    from ipsworks.activity.models import Contact
    from ipsworks.employers.models import AccessToWorkApplication, EmployerContact
    from ipsworks.jobs.models import Job, PayChange, ReturnToWorkPlan, SupportCheckIn
    from ipsworks.people.models import (
        DisclosurePlan,
        Episode,
        PersonChange,
        ReferralStatusChange,
        ReferralTeamMove,
        VocationalProfile,
    )

    data = {
        "person": _rows([person]),
        "corrections": _rows(PersonChange.objects.filter(person=person)),
        "referrals": _rows(Referral.objects.filter(person=person)),
        "referral_status_history": _rows(
            ReferralStatusChange.objects.filter(referral__person=person)
        ),
        "team_moves": _rows(ReferralTeamMove.objects.filter(referral__person=person)),
        "episodes": _rows(Episode.objects.filter(person=person)),
        "contacts": _rows(Contact.objects.filter(person=person)),
        "vocational_profiles": _rows(VocationalProfile.objects.filter(person=person)),
        "disclosure_plans": _rows(DisclosurePlan.objects.filter(person=person)),
        "jobs": _rows(Job.objects.filter(person=person)),
        "pay_changes": _rows(PayChange.objects.filter(job__person=person)),
        "in_work_support": _rows(SupportCheckIn.objects.filter(person=person)),
        "return_to_work_plans": _rows(ReturnToWorkPlan.objects.filter(referral__person=person)),
        "employer_contacts_about_them": _rows(EmployerContact.objects.filter(person=person)),
        "access_to_work": _rows(AccessToWorkApplication.objects.filter(person=person)),
        "who_has_looked_at_the_record": _rows(
            AccessLogEntry.objects.filter(person_id=person.pk).order_by("at"),
            exclude=("service_id", "path"),
        ),
    }
    try:
        from ipsworks.benefits.models import BetterOffCalculation

        data["better_off_calculations"] = _rows(BetterOffCalculation.objects.filter(person=person))
    except ImportError:  # the benefits app is optional
        pass
    return data


def subject_access_archive(person: Person, *, by) -> bytes:
    """A ZIP with record.pdf (readable) and record.json (machine-readable)."""
    from weasyprint import HTML

    data = subject_access_data(person)
    produced = timezone.localtime()
    html = render_to_string(
        "people/subject_access.jinja", {"person": person, "data": data, "produced": produced}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("record.pdf", HTML(string=html).write_pdf())
    record_event(
        by=by, action=AccessLogEntry.Action.SUBJECT_ACCESS, obj=person, person_id=person.pk
    )
    return buffer.getvalue()


def due_for_anonymisation(today: date, years: int | None = None):
    """People not yet anonymised whose every referral closed more than ``years`` ago."""
    years = settings.IPS_RETENTION_YEARS if years is None else years
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    recent_or_open = Referral.objects.filter(person_id=OuterRef("pk")).filter(
        ~Q(status=ReferralStatus.CLOSED) | Q(closed_on__gte=cutoff)
    )
    return (
        Person.objects.filter(anonymised_on__isnull=True, referrals__isnull=False)
        .exclude(Exists(recent_or_open))
        .distinct()
    )


@transaction.atomic
def anonymise(person: Person, *, today: date, by=None) -> None:
    """Remove what identifies the person; keep dates, codes and outcomes for the figures.

    History rows are append-only to the application; this is the one sanctioned path that
    blanks their free text, through the base manager.
    """
    from ipsworks.activity.models import Contact
    from ipsworks.employers.models import AccessToWorkApplication, EmployerContact
    from ipsworks.jobs.models import ReturnToWorkPlan
    from ipsworks.people.models import (
        DisclosurePlan,
        PersonChange,
        ReferralStatusChange,
        VocationalProfile,
    )

    Person.objects.filter(pk=person.pk).update(
        given_name=ANONYMISED_NAME,
        family_name=f"person {person.pk}",
        preferred_name="",
        nhs_number=None,
        date_of_birth=None,
        postcode="",
        phone="",
        email="",
        contact_preferences="",
        anonymised_on=today,
    )
    Referral.objects.filter(person=person).update(
        referrer_name="", work_interests="", next_action=""
    )
    Contact.objects.filter(person=person).update(note="")
    EmployerContact.objects.filter(person=person).update(outcome="")
    AccessToWorkApplication.objects.filter(person=person).update(note="")
    ReturnToWorkPlan.objects.filter(referral__person=person).update(adjustments="", notes="")
    VocationalProfile._base_manager.filter(person=person).update(
        work_history="",
        education_and_training="",
        skills_and_strengths="",
        kinds_of_work="",
        jobs_not_to_repeat="",
        unsuitable_times_reason="",
        places="",
        goals="",
        change_reason="",
    )
    DisclosurePlan._base_manager.filter(person=person).update(who_to_tell="", what_to_say="")
    PersonChange._base_manager.filter(person=person).update(old_value="", new_value="")
    ReferralStatusChange._base_manager.filter(referral__person=person).update(note="")
    record_event(by=by, action=AccessLogEntry.Action.ANONYMISE, obj=person, person_id=person.pk)
