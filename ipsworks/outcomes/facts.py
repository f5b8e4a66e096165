"""Keep ``ReferralFacts`` equal to the records it summarises (docs/adr/0008).

A referral's facts row holds its own dates and flags plus three values worked out from other
records: the episode's access date, the earliest direct contact and the earliest qualifying
job start. Each save or delete of a referral, episode, contact or job recomputes the row of
the referral concerned, in the same transaction, by the same set-based SQL that rebuilds the
table from scratch (:func:`rebuild`). Saves through any path (services, the admin, the test
factories) are covered by the model signals; the two writers that bypass ``save()`` (the
referral import's ``bulk_create`` and the synthetic generator's ``COPY``) call
:func:`refresh` or :func:`rebuild` themselves.

``manage.py outcome_facts --check`` compares the table with a fresh computation and says
which referrals differ; ``--rebuild`` rewrites it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete, post_save

from ipsworks.jobs import rules as job_rules
from ipsworks.people.codes import EmploymentStatus

# The facts table's columns, in the order the SELECT below produces them.
COLUMNS = (
    "referral_id",
    "service_id",
    "person_id",
    "team_id",
    "allocated_to_id",
    "received_on",
    "closed_on",
    "out_of_work",
    "job_retention",
    "access_date",
    "first_direct_contact",
    "first_job_start",
)

# Referrals refreshed per statement: keeps the IN list well under SQLite's variable limit.
_BATCH = 500


def source(referrals: QuerySet, *, contact_model, job_model) -> QuerySet:
    """The facts of ``referrals``, computed from the records, as rows in ``COLUMNS`` order.

    Takes the models as arguments so that the migration that fills the table can pass the
    historical ones.
    """
    job_seeking, job_retention = "job_seeking", "job_retention"
    first_contact = (
        contact_model.objects.filter(referral_id=OuterRef("pk"), is_direct=True)
        .order_by("contact_date")
        .values("contact_date")[:1]
    )
    first_start = (
        job_model.objects.filter(
            job_rules.job_start_q(),
            job_rules.started_on_or_after_access(OuterRef("episode__access_date")),
            referral_id=OuterRef("pk"),
        )
        .order_by("start_date")
        .values("start_date")[:1]
    )

    def flag(condition: Q) -> Case:
        return Case(
            When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
        )

    values = {
        "c_referral": F("pk"),
        "c_service": F("service_id"),
        "c_person": F("person_id"),
        "c_team": F("team_id"),
        "c_allocated": F("allocated_to_id"),
        "c_received": F("received_on"),
        "c_closed": F("closed_on"),
        "c_out_of_work": flag(
            Q(
                employment_status_at_referral__in=EmploymentStatus.out_of_work(),
                pathway=job_seeking,
            )
        ),
        "c_retention": flag(Q(pathway=job_retention)),
        "c_access": F("episode__access_date"),
        "c_contact": Subquery(first_contact),
        "c_start": Subquery(first_start),
    }
    return referrals.order_by().annotate(**values).values_list(*values)


def _insert(referrals: QuerySet) -> None:
    from ipsworks.activity.models import Contact
    from ipsworks.jobs.models import Job
    from ipsworks.outcomes.models import ReferralFacts

    insert_from(referrals, facts_model=ReferralFacts, contact_model=Contact, job_model=Job)


def insert_from(referrals: QuerySet, *, facts_model, contact_model, job_model) -> None:
    """INSERT INTO the facts table the facts of ``referrals`` (which have no row yet)."""
    select, params = source(
        referrals, contact_model=contact_model, job_model=job_model
    ).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(facts_model._meta.db_table)} ({columns}) {select}", params
        )


# ReferralYearAccess's columns, in the order year_source's SELECT produces them.
YEAR_COLUMNS = ("referral_id", "service_id", "financial_year", "first_direct_contact")


def year_source(contacts: QuerySet) -> QuerySet:
    """Each referral's first direct contact in each financial year, from ``contacts``, as rows
    in ``YEAR_COLUMNS`` order. A contact from April on belongs to the financial year of its
    calendar year; from January to March, to the one before."""
    year = ExtractYear("contact_date")
    return (
        contacts.filter(is_direct=True)
        .annotate(
            fy=Case(
                When(Q(contact_date__month__gte=4), then=year),
                default=year - 1,
                output_field=IntegerField(),
            )
        )
        .values("referral_id", "service_id", "fy")
        .annotate(first=Min("contact_date"))
        .order_by()
    )


def _insert_years(contacts: QuerySet) -> None:
    from ipsworks.outcomes.models import ReferralYearAccess

    insert_years_from(contacts, table_model=ReferralYearAccess)


def insert_years_from(contacts: QuerySet, *, table_model) -> None:
    """INSERT INTO ReferralYearAccess the first direct contacts by year of ``contacts``'
    referrals (which have no rows yet). Takes the model so the migration can pass its own."""
    select, params = year_source(contacts).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in YEAR_COLUMNS)
    table = quote(table_model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)


def refresh(referral_ids: Iterable[int]) -> None:
    """Recompute the facts rows of these referrals (a referral that is gone loses its row),
    and their rows of first direct contacts by financial year."""
    from ipsworks.activity.models import Contact
    from ipsworks.outcomes.models import ReferralFacts, ReferralYearAccess
    from ipsworks.people.models import Referral

    ids = sorted({i for i in referral_ids if i is not None})
    with transaction.atomic():
        for start in range(0, len(ids), _BATCH):
            batch = ids[start : start + _BATCH]
            ReferralFacts.objects.filter(referral_id__in=batch).delete()
            _insert(Referral.objects.filter(pk__in=batch))
            ReferralYearAccess.objects.filter(referral_id__in=batch).delete()
            _insert_years(Contact.objects.filter(referral_id__in=batch))


def rebuild(service_ids: Iterable[int] | None = None) -> int:
    """Rewrite the facts of these services' referrals (of every service with None).

    One INSERT ... SELECT; returns the rows written.
    """
    from ipsworks.activity.models import Contact
    from ipsworks.outcomes.models import ReferralFacts, ReferralYearAccess
    from ipsworks.people.models import Referral

    facts, referrals = ReferralFacts.objects.all(), Referral.objects.all()
    years, contacts = ReferralYearAccess.objects.all(), Contact.objects.all()
    if service_ids is not None:
        ids = list(service_ids)
        facts, referrals = facts.filter(service_id__in=ids), referrals.filter(service_id__in=ids)
        years, contacts = years.filter(service_id__in=ids), contacts.filter(service_id__in=ids)
    with transaction.atomic():
        facts.delete()
        _insert(referrals)
        years.delete()
        _insert_years(contacts)
        return facts.count()


def differences(service_ids: Iterable[int] | None = None, *, limit: int = 20) -> list[str]:
    """Referrals whose stored facts differ from a fresh computation (at most ``limit``)."""
    from ipsworks.activity.models import Contact
    from ipsworks.jobs.models import Job
    from ipsworks.outcomes.models import ReferralFacts
    from ipsworks.people.models import Referral

    referrals = Referral.objects.all()
    stored = ReferralFacts.objects.all()
    if service_ids is not None:
        ids = list(service_ids)
        referrals = referrals.filter(service_id__in=ids)
        stored = stored.filter(service_id__in=ids)
    expected = {
        row[0]: row
        for row in source(referrals, contact_model=Contact, job_model=Job).iterator(chunk_size=5000)
    }
    found = {row[0]: row for row in stored.values_list(*COLUMNS).iterator(chunk_size=5000)}
    problems = []
    for referral_id in sorted(expected.keys() | found.keys()):
        want, have = expected.get(referral_id), found.get(referral_id)
        if want is None:
            problems.append(f"referral {referral_id}: facts kept for a referral that is gone")
        elif have is None:
            problems.append(f"referral {referral_id}: no facts row")
        elif tuple(_normal(v) for v in want) != tuple(_normal(v) for v in have):
            changed = [
                f"{name} {h!r} should be {w!r}"
                for name, w, h in zip(COLUMNS, want, have, strict=True)
                if _normal(w) != _normal(h)
            ]
            problems.append(f"referral {referral_id}: " + "; ".join(changed))
        if len(problems) >= limit:
            break
    return problems + _year_differences(service_ids, limit=max(limit - len(problems), 0))


def _year_differences(service_ids, *, limit: int) -> list[str]:
    """ReferralYearAccess rows that differ from a fresh computation over the contacts."""
    from ipsworks.activity.models import Contact
    from ipsworks.outcomes.models import ReferralYearAccess

    contacts, stored = Contact.objects.all(), ReferralYearAccess.objects.all()
    if service_ids is not None:
        ids = list(service_ids)
        contacts, stored = contacts.filter(service_id__in=ids), stored.filter(service_id__in=ids)
    expected = {
        (r["referral_id"], r["fy"]): r["first"] for r in year_source(contacts).iterator(5000)
    }
    found = {
        (referral, year): day
        for referral, year, day in stored.values_list(
            "referral_id", "financial_year", "first_direct_contact"
        ).iterator(chunk_size=5000)
    }
    problems = []
    for key in sorted(expected.keys() | found.keys()):
        if expected.get(key) != found.get(key):
            referral, year = key
            problems.append(
                f"referral {referral}, financial year {year}: first direct contact "
                f"{found.get(key)!r} should be {expected.get(key)!r}"
            )
        if len(problems) >= limit:
            break
    return problems


def _normal(value):
    # SQLite hands back the computed flags as 0 and 1.
    return bool(value) if isinstance(value, int) and value in (0, 1) else value


# --- keeping the table up to date ----------------------------------------------------------


def _referral_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        refresh([instance.pk])


def _referral_deleted(sender, instance, **kwargs) -> None:
    from ipsworks.outcomes.models import ReferralFacts, ReferralYearAccess

    ReferralFacts.objects.filter(referral_id=instance.pk).delete()
    ReferralYearAccess.objects.filter(referral_id=instance.pk).delete()


def _record_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw and getattr(instance, "referral_id", None) is not None:
        refresh([instance.referral_id])


def _referrals_created_in_bulk(sender, referral_ids, **kwargs) -> None:
    refresh(referral_ids)


def connect() -> None:
    """Called once from ``OutcomesConfig.ready``."""
    from ipsworks.activity.models import Contact
    from ipsworks.jobs.models import Job
    from ipsworks.people.models import Episode, Referral
    from ipsworks.people.signals import referrals_created_in_bulk

    post_save.connect(_referral_saved, sender=Referral, dispatch_uid="facts-referral-saved")
    referrals_created_in_bulk.connect(
        _referrals_created_in_bulk, sender=Referral, dispatch_uid="facts-referrals-bulk"
    )
    post_delete.connect(_referral_deleted, sender=Referral, dispatch_uid="facts-referral-gone")
    for model in (Episode, Contact, Job):
        name = model._meta.label_lower
        post_save.connect(_record_changed, sender=model, dispatch_uid=f"facts-{name}-saved")
        post_delete.connect(_record_changed, sender=model, dispatch_uid=f"facts-{name}-gone")
