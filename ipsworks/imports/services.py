"""Imports: asking for one, saving a service's columns, and running an import.

``run_import`` checks every row, then saves every referral in one transaction or none. It
writes with bulk inserts (a few statements per thousand rows, not one per row), through
``people.services.create_referrals_in_bulk`` (the one writer of people and referrals), and
keeps the rules ``people.services.create_referral`` keeps for one referral: a person known by
NHS number is re-referred, never duplicated, unless the row's family name or date of birth
do not match theirs (``people.rules.matches_known_person``: the row is refused on its NHS
number, as the referral form refuses it); nobody gets a second open referral; every new
referral gets its "received" status row and a "create" entry in the access log; nothing
closes or declines a referral (zero exclusion: the file has no such columns).

Importing the same rows again creates nothing twice: a row whose key (NHS number, date
received, source reference) an earlier import created, or whose person already has a
referral received that day, is skipped and counted.
"""

import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipsworks.access.models import AccessLogEntry
from ipsworks.imports import rules
from ipsworks.imports.checking import (
    FileProblem,
    Problem,
    check_file,
)
from ipsworks.imports.mapping import TARGETS, columns_for
from ipsworks.imports.models import ImportedReferral, ImportMapping, ImportRun
from ipsworks.organisations.models import Service, StaffMember, Team
from ipsworks.people.models import Person, Referral, ReferralStatus
from ipsworks.people.rules import NHS_NUMBER_BELONGS_TO_SOMEONE_ELSE, matches_known_person
from ipsworks.people.services import CheckedReferral, NewPerson, create_referrals_in_bulk

logger = logging.getLogger("ipsworks.imports")

MAX_ATTEMPTS = 3
BATCH = 1000
CHUNK = 2000  # ids a lookup sends at once (well inside SQLite's and PostgreSQL's limits)


class Rejected(Exception):
    """Rows that cannot be saved as they are; nothing was saved."""

    def __init__(self, problems: list[Problem], count: int | None = None):
        self.problems = problems
        self.count = len(problems) if count is None else count
        super().__init__(f"{self.count} problems")


# --- asking for an import and the column mapping ---------------------------------------------


@transaction.atomic
def request_import(*, filename: str, data: bytes, by: StaffMember) -> ImportRun:
    if not rules.may_import(by):
        raise PermissionDenied
    kind = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    run = ImportRun.objects.create(
        service_id=by.service_id,
        uploaded_by=by,
        filename=filename[:200],
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )
    from ipsworks.imports.tasks import run_import_task

    transaction.on_commit(lambda: run_import_task.enqueue(run.pk))
    return run


@transaction.atomic
def save_mapping(*, columns: dict[str, str], by: StaffMember) -> ImportMapping:
    if not rules.may_edit_mapping(by):
        raise PermissionDenied
    known = {t.name for t in TARGETS}
    cleaned = {k: v.strip() for k, v in columns.items() if k in known and v and v.strip() != k}
    mapping, _ = ImportMapping.objects.select_for_update().get_or_create(service_id=by.service_id)
    mapping.columns = cleaned
    mapping.updated_by = by
    mapping.save()
    from ipsworks.access.audit import record_event

    record_event(by=by, action=AccessLogEntry.Action.CHANGE, obj=mapping, reason="import columns")
    return mapping


# --- running an import -------------------------------------------------------------------------


def _update(run_id: int, **fields) -> None:
    ImportRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now(), **fields)


def run_import(run_id: int) -> ImportRun:
    """Check and save one import. Safe to run again after a crash: it saves all or nothing."""
    run = ImportRun.objects.select_related("uploaded_by__user", "uploaded_by__service").get(
        pk=run_id
    )
    if run.status in (ImportRun.Status.DONE, ImportRun.Status.REJECTED):
        return run  # already finished (a retried task after a lost worker)
    if run.attempts >= MAX_ATTEMPTS or run.content is None:
        _update(
            run_id,
            status=ImportRun.Status.FAILED,
            error="The import stopped several times. Nothing was saved. Upload the file again",
            finished_at=timezone.now(),
        )
        return ImportRun.objects.get(pk=run_id)
    started = time.monotonic()
    _update(
        run_id,
        status=ImportRun.Status.CHECKING,
        progress=1,
        attempts=run.attempts + 1,
        error="",
        problems=[],
        problem_count=0,
    )
    staff = run.uploaded_by
    teams = dict(Team.objects.filter(service_id=run.service_id).values_list("name", "pk"))

    def checking(done: int, total: int) -> None:
        _update(run_id, rows_checked=done, rows_total=total, progress=1 + 59 * done // total)

    try:
        rows, problems, count = check_file(
            bytes(run.content), run.kind, columns_for(run.service_id), teams, checking
        )
        if count:
            raise Rejected(problems, count)
        _update(
            run_id,
            status=ImportRun.Status.SAVING,
            progress=60,
            rows_checked=len(rows),
            rows_total=len(rows),
        )
        counts = _save(run, staff, rows)
    except (FileProblem, Rejected) as refused:
        total = getattr(refused, "count", len(refused.problems))  # a FileProblem has none
        _update(
            run_id,
            status=ImportRun.Status.REJECTED,
            problems=[p.as_dict() for p in refused.problems],
            problem_count=total,
            content=None,
            finished_at=timezone.now(),
            seconds=time.monotonic() - started,
        )
        return ImportRun.objects.get(pk=run_id)
    _update(
        run_id,
        status=ImportRun.Status.DONE,
        progress=100,
        content=None,
        finished_at=timezone.now(),
        seconds=time.monotonic() - started,
        **counts,
    )
    return ImportRun.objects.get(pk=run_id)


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def _save(run: ImportRun, staff: StaffMember, rows: list[tuple]) -> dict:
    """Check the rows against what the service holds, then save them in one transaction, or
    raise Rejected and save nothing. The people, referrals, status rows and access log are
    written by ``people.services.create_referrals_in_bulk``; only the ImportedReferral
    rows (what each import brought in) are written here."""
    service_id = run.service_id
    # One import at a time per service: a second waits here until the first commits.
    Service.objects.select_for_update().filter(pk=service_id).first()
    numbers = sorted({row[1] for row in rows})
    people: dict[str, int] = {}
    known: dict[str, tuple[str, date | None]] = {}  # NHS number: (family name, date of birth)
    for chunk in _chunks(numbers):
        for nhs, pk, family_name, born in Person.objects.filter(
            service_id=service_id, nhs_number__in=chunk
        ).values_list("nhs_number", "pk", "family_name", "date_of_birth"):
            people[nhs] = pk
            known[nhs] = (family_name, born)
    imported: set[tuple] = set()
    for chunk in _chunks(numbers):
        imported.update(
            ImportedReferral.objects.filter(
                service_id=service_id, nhs_number__in=chunk
            ).values_list("nhs_number", "received_on", "source_reference")
        )
    received_days: dict[int, set] = defaultdict(set)
    open_since: dict[int, object] = {}
    for chunk in _chunks(list(people.values())):
        for person_id, received_on, status in Referral.objects.filter(
            person_id__in=chunk
        ).values_list("person_id", "received_on", "status"):
            received_days[person_id].add(received_on)
            if status != ReferralStatus.CLOSED:
                open_since[person_id] = received_on

    nhs_column = columns_for(service_id)["nhs_number"]
    problems: list[Problem] = []
    to_create: list[tuple] = []
    seen: dict[str, tuple] = {}
    first_row: dict[str, int] = {}
    skipped = 0
    for row in rows:
        number, nhs, received, reference = row[0], row[1], row[10], row[18]
        key = (nhs, received, reference)
        person_id = people.get(nhs)
        if key in imported:
            skipped += 1  # this referral came in an earlier import
            continue
        if person_id and not matches_known_person(
            known_family_name=known[nhs][0],
            known_date_of_birth=known[nhs][1],
            family_name=row[3],
            date_of_birth=row[4],
        ):
            problems.append(Problem(number, nhs_column, NHS_NUMBER_BELONGS_TO_SOMEONE_ELSE))
            continue
        if person_id and received in received_days[person_id]:
            skipped += 1
            continue
        if nhs in seen:
            if seen[nhs] == key:
                skipped += 1  # the same referral twice in one file: imported once
                continue
            problems.append(
                Problem(
                    number,
                    nhs_column,
                    f"This NHS number is also on row {first_row[nhs]} with a different referral. "
                    "A person can have only one open referral: keep one row",
                )
            )
            continue
        seen[nhs] = key
        first_row[nhs] = number
        if person_id and person_id in open_since:
            problems.append(
                Problem(
                    number,
                    nhs_column,
                    "This person already has an open referral, received on "
                    f"{open_since[person_id]:%-d %B %Y}. Remove the row, or close that one first",
                )
            )
            continue
        to_create.append(row)
    if problems:
        raise Rejected(problems[:500], len(problems))

    written = create_referrals_in_bulk(
        service_id=service_id,
        rows=[_checked(row, people.get(row[1])) for row in to_create],
        by=staff,
        status_note="Imported",
        log_path=f"import:{run.pk}",
        log_reason=f"imported from {run.filename}",
    )
    created = written.referrals
    for batch in _chunks(list(zip(created, to_create, strict=True)), BATCH):
        ImportedReferral.objects.bulk_create(
            [
                ImportedReferral(
                    service_id=service_id,
                    run_id=run.pk,
                    referral_id=r.pk,
                    nhs_number=row[1],
                    received_on=row[10],
                    source_reference=row[18],
                )
                for r, row in batch
            ]
        )
    return {
        "referrals_created": len(created),
        "people_created": written.people_created,
        "rows_skipped": skipped,
    }


def _checked(row: tuple, person_id: int | None) -> CheckedReferral:
    """A checked row (``checking.ROW_FIELDS``) as the people app's bulk writer takes it."""
    return CheckedReferral(
        received_on=row[10],
        source=row[11],
        referrer_name=row[12],
        team_id=row[13],
        pathway=row[14],
        employment_status_at_referral=row[15],
        weekly_hours_at_referral=row[16],
        work_interests=row[17],
        person_id=person_id,
        new_person=None
        if person_id is not None
        else NewPerson(
            nhs_number=row[1],
            given_name=row[2],
            family_name=row[3],
            date_of_birth=row[4],
            postcode=row[5],
            phone=row[6],
            email=row[7],
            gender_identity=row[8],
            ethnic_category=row[9],
            sexual_orientation=row[19],
            disability=row[20],
            religion_or_belief=row[21],
        ),
    )


def worker_lost(run_id: int, *, retried: bool) -> None:
    """The worker running this import died. Nothing was saved (one transaction)."""
    ImportRun.objects.filter(pk=run_id, status__in=ImportRun.ACTIVE).update(
        status=ImportRun.Status.QUEUED if retried else ImportRun.Status.FAILED,
        progress=0,
        error=(
            "The import was interrupted and is being tried again. Nothing was saved"
            if retried
            else "The import was interrupted. Nothing was saved. Upload the file again"
        ),
        finished_at=None if retried else timezone.now(),
    )
