"""Outcome-based funding: which events a contract can be paid for, and claiming them once.

Events follow the payment points of mental health social outcomes contracts (MHEP), which
align with the IPS Grow KPIs (ips-reference.md section 5): engagement with a completed
vocational profile; job start; sustainment at 13 weeks under 16 hours or 16 hours and
more; sustainment at 26 weeks.

Each outcome is paid once (``models.claim_key``): once per job (per referral for
engagement) and event family, whichever of the service's contracts claims it, and 13 weeks'
sustainment once whether it was claimed at under 16 hours or at 16 or more.

Engagement is paid for a referral once the person has had their first direct contact
(access) and has a *completed* vocational profile for that referral. The sources say the
profile is started at the first meeting and built over 2-3 sessions (ips-reference.md
section 4, step 3) and that the funder needs a dated profile (section 5), but not what
"completed" means, so IPS Works settles it (``profile_missing``): a profile version is
complete when it records the kinds of work the person wants, the hours a week they want
(fewest and most) and their work history (an ES writes "no previous work" when there is
none, so a blank history means not yet asked). Only versions of this referral count: those
saved for it, or, for versions saved before profiles were linked to referrals, saved while
it was open; a profile from an earlier referral is not reused by a re-referral. The
engagement date is the later of the access date and the day of the first complete version.

A claim file lists only outcomes whose evidence a manager has marked as held
(``OutcomeEvidence``); the others are shown as "evidence not yet held".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.core.dates import local_today
from ipsworks.core.formatting import uk_date
from ipsworks.jobs import rules as job_rules
from ipsworks.jobs.models import Job
from ipsworks.organisations.models import Service, StaffMember
from ipsworks.outcomes import metrics
from ipsworks.outcomes.models import (
    Claim,
    ClaimItem,
    Contract,
    OutcomeEvidence,
    PaymentEvent,
    claim_key,
)
from ipsworks.outcomes.returns import hours_band
from ipsworks.people.models import Referral

if TYPE_CHECKING:
    from ipsworks.people.models import VocationalProfile


@dataclass(frozen=True)
class ClaimableEvent:
    event: str
    referral_id: int
    job_id: int | None
    event_date: date
    amount_pence: int
    evidence: str
    person_name: str

    @property
    def key(self) -> str:
        return f"{self.event}:{self.referral_id}:{self.job_id or ''}"

    @property
    def claim_key(self) -> str:
        return claim_key(self.event, self.referral_id, self.job_id)

    @property
    def label(self) -> str:
        return PaymentEvent(self.event).label


def _hours_on(job: Job, day: date) -> Decimal:
    """Contracted hours on a day: the latest pay change by then, else the hours at the start."""
    changes = [c for c in job.pay_changes.all() if c.effective_on <= day]
    return (
        max(changes, key=lambda c: c.effective_on).hours_per_week if changes else job.hours_per_week
    )


# The sections of a vocational profile that make it complete, with how the claim page
# names each one when it is missing (see the module docstring for why these).
PROFILE_SECTIONS = {
    "kinds_of_work": "kinds of work they want",
    "hours": "hours a week they want (fewest and most)",
    "work_history": 'work history (or "no previous work")',
}


def profile_missing(profile: "VocationalProfile") -> list[str]:
    """The core sections a vocational profile version lacks; none means it is complete."""
    missing = []
    if not (profile.kinds_of_work or "").strip():
        missing.append(PROFILE_SECTIONS["kinds_of_work"])
    if profile.hours_min is None or profile.hours_max is None:
        missing.append(PROFILE_SECTIONS["hours"])
    if not (profile.work_history or "").strip():
        missing.append(PROFILE_SECTIONS["work_history"])
    return missing


@dataclass(frozen=True)
class Engagement:
    """What a referral's vocational profile shows about its engagement outcome."""

    referral: Referral
    started_on: date | None
    completed_on: date | None
    version: int | None
    missing: list[str]

    @property
    def evidence(self) -> str:
        return (
            f"First contact {self.referral.episode.access_date:%d/%m/%Y}; vocational profile "
            f"started {self.started_on:%d/%m/%Y}, complete {self.completed_on:%d/%m/%Y} "
            f"(version {self.version})"
        )

    @property
    def reason(self) -> str:
        if self.started_on is None:
            return "No vocational profile saved for this referral yet"
        return (
            f"Vocational profile started {self.started_on:%d/%m/%Y} but not complete: "
            f"missing {', '.join(self.missing)}"
        )


def _engagements(contract: Contract, end: date) -> list[Engagement]:
    """Each accessed referral of the service with the profile versions of that referral
    (two queries). A version saved for a referral counts for it; one saved before profiles
    were linked to referrals counts for the referral open on the day it was saved."""
    from ipsworks.people.models import VocationalProfile

    referrals = list(
        Referral.objects.in_services([contract.service_id])
        .filter(episode__isnull=False, episode__access_date__lte=end)
        .select_related("person", "episode")
        .order_by("pk")
    )
    by_person: dict[int, list[Referral]] = {}
    for referral in referrals:
        by_person.setdefault(referral.person_id, []).append(referral)
    versions: dict[int, list[tuple[date, VocationalProfile]]] = {
        referral.pk: [] for referral in referrals
    }
    for profile in (
        VocationalProfile.objects.filter(person_id__in=list(by_person))
        .only(
            "person_id",
            "referral_id",
            "version",
            "recorded_at",
            "kinds_of_work",
            "hours_min",
            "hours_max",
            "work_history",
        )
        .order_by("recorded_at", "pk")
    ):
        day = timezone.localtime(profile.recorded_at).date()
        for referral in by_person[profile.person_id]:
            if profile.referral_id == referral.pk or (
                profile.referral_id is None
                and referral.received_on <= day
                and (referral.closed_on is None or day <= referral.closed_on)
            ):
                versions[referral.pk].append((day, profile))
    found = []
    for referral in referrals:
        own = versions[referral.pk]
        complete = next(((d, p) for d, p in own if not profile_missing(p)), None)
        found.append(
            Engagement(
                referral=referral,
                started_on=own[0][0] if own else None,
                completed_on=complete[0] if complete else None,
                version=complete[1].version if complete else None,
                missing=profile_missing(own[-1][1]) if own and not complete else [],
            )
        )
    return found


@dataclass(frozen=True)
class WaitingEvent:
    """An outcome not claimable yet, with the reason, for the claim page."""

    event: str
    referral_id: int
    person_name: str
    reason: str

    @property
    def label(self) -> str:
        return PaymentEvent(self.event).label


def engagements_waiting(contract: Contract) -> list[WaitingEvent]:
    """Open referrals whose engagement the contract pays for but which have no completed
    vocational profile yet, each with what is missing."""
    if PaymentEvent.ENGAGEMENT not in {rule.event for rule in contract.rules.all()}:
        return []
    claimed = set(
        ClaimItem.objects.filter(
            contract__service_id=contract.service_id, event=PaymentEvent.ENGAGEMENT
        ).values_list("referral_id", flat=True)
    )
    end = min(contract.ends_on, local_today())
    return [
        WaitingEvent(
            PaymentEvent.ENGAGEMENT,
            found.referral.pk,
            found.referral.person.full_name,
            found.reason,
        )
        for found in _engagements(contract, end)
        if found.completed_on is None
        and found.referral.closed_on is None
        and found.referral.pk not in claimed
    ]


def claimable_events(contract: Contract) -> list[ClaimableEvent]:
    """Events in the contract's dates that its payment rules pay for and that have not been
    claimed on any contract (in either 13-week band)."""
    rates = {rule.event: rule.amount_pence for rule in contract.rules.all()}
    claimed = set(
        ClaimItem.objects.filter(contract__service_id=contract.service_id).values_list(
            "claim_key", flat=True
        )
    )
    today = local_today()
    start, end = contract.starts_on, min(contract.ends_on, today)
    events: list[ClaimableEvent] = []

    def add(event: str, referral: Referral, job: Job | None, day: date, evidence: str) -> None:
        if (
            event in rates
            and start <= day <= end
            and claim_key(event, referral.pk, job.pk if job else None) not in claimed
        ):
            events.append(
                ClaimableEvent(
                    event,
                    referral.pk,
                    job.pk if job else None,
                    day,
                    rates[event],
                    evidence,
                    referral.person.full_name,
                )
            )

    service = [contract.service_id]
    if PaymentEvent.ENGAGEMENT in rates:
        for found in _engagements(contract, end):
            if found.completed_on is not None:
                add(
                    PaymentEvent.ENGAGEMENT,
                    found.referral,
                    None,
                    max(found.referral.episode.access_date, found.completed_on),
                    found.evidence,
                )
    jobs = (
        metrics.qualifying_job_starts(service)
        .filter(start_date__lte=end, start_date__gte=start - timedelta(days=182))
        .select_related("referral__person", "employer")
        .prefetch_related("pay_changes")
    )
    for job in jobs:
        employer = job.employer.name if job.employer else "self-employed"
        base = f"{job.job_title}, {employer}, started {job.start_date:%d/%m/%Y}"
        add(
            PaymentEvent.JOB_START,
            job.referral,
            job,
            job.start_date,
            f"{base}; {hours_band(job.hours_per_week)}",
        )
        if job_rules.is_sustained(job.start_date, job.end_date, 13, today):
            day = job_rules.sustained_on(job.start_date, 13)
            hours = _hours_on(job, day)
            event = (
                PaymentEvent.SUSTAINED_13_16_PLUS
                if hours >= 16
                else PaymentEvent.SUSTAINED_13_UNDER_16
            )
            add(
                event,
                job.referral,
                job,
                day,
                f"{base}; still working on {day:%d/%m/%Y} at {hours} hours a week",
            )
        if job_rules.is_sustained(job.start_date, job.end_date, 26, today):
            day = job_rules.sustained_on(job.start_date, 26)
            add(
                PaymentEvent.SUSTAINED_26,
                job.referral,
                job,
                day,
                f"{base}; still working on {day:%d/%m/%Y}",
            )
    return sorted(events, key=lambda e: (e.event_date, e.key))


# The weeks of sustainment each sustainment payment event is for.
_SUSTAINED_WEEKS: dict[str, int] = {
    PaymentEvent.SUSTAINED_13_UNDER_16: 13,
    PaymentEvent.SUSTAINED_13_16_PLUS: 13,
    PaymentEvent.SUSTAINED_26: 26,
}


@dataclass(frozen=True)
class ClaimMismatch:
    """An outcome claimed on a job that the job's records, as corrected since, no longer
    show as claimed: it is no longer a job start, or the event's date has moved."""

    item: ClaimItem
    problem: str


def claim_mismatches(items: Iterable[ClaimItem]) -> list[ClaimMismatch]:
    """Claimed job outcomes that the jobs, as recorded now, no longer bear out.

    A claim once made stays as made (the funder has it); a job corrected afterwards (see
    ``jobs.services.correct_job``) can take away what it was paid for. ``items``: claim items
    with their jobs; three queries, whatever their number.
    """
    items = [i for i in items if i.job_id is not None]
    if not items:
        return []
    jobs = {
        job.pk: job
        for job in Job.objects.filter(pk__in={i.job_id for i in items}).only(
            "pk", "start_date", "end_date", "service_id"
        )
    }
    services = {job.service_id for job in jobs.values()}
    qualifying = set(
        metrics.qualifying_job_starts(services).filter(pk__in=jobs).values_list("pk", flat=True)
    )
    today = local_today()
    found = []
    for item in items:
        # Items without a job were left out above; the list does not carry that in its type.
        job = jobs[cast(int, item.job_id)]
        weeks = _SUSTAINED_WEEKS.get(item.event)
        if job.pk not in qualifying:
            problem = "the job no longer counts as a job start"
        elif weeks is None:
            problem = (
                ""
                if job.start_date == item.event_date
                else f"the job now starts on {uk_date(job.start_date)}"
            )
        elif not job_rules.is_sustained(job.start_date, job.end_date, weeks, today):
            problem = f"the job is no longer sustained {weeks} weeks"
        else:
            day = job_rules.sustained_on(job.start_date, weeks)
            problem = (
                "" if day == item.event_date else f"{weeks} weeks are now reached on {uk_date(day)}"
            )
        if problem:
            found.append(ClaimMismatch(item, problem))
    return found


def job_notices(job: Job) -> list[str]:
    """For the job's page: the outcomes claimed on it, and any the job no longer bears out."""
    items = list(ClaimItem.objects.filter(job=job).select_related("claim", "contract"))
    wrong = {m.item.pk: m.problem for m in claim_mismatches(items)}
    notices = []
    for item in items:
        claimed = (
            f"{item.get_event_display()} was claimed on {item.contract.name} "
            f"(claim {item.claim_id}, {uk_date(item.claim.created_at)})"
        )
        if item.pk in wrong:
            notices.append(
                f"{claimed}, but {wrong[item.pk]}. Tell the funder: the claim stays as it was "
                "made, and the contract's page lists it for the manager"
            )
        else:
            notices.append(f"{claimed}.")
    return notices


class AlreadyClaimed(ValidationError):
    pass


def build_claim(*, contract: Contract, keys: list[str], by: StaffMember) -> Claim:
    """Claim the chosen events in one transaction. An event claimed already is refused.

    The database's unique constraints decide, so two managers claiming the same event at
    the same moment cannot both succeed: the second gets AlreadyClaimed and nothing saved.
    """
    available = {event.key: event for event in claimable_events(contract)}
    chosen = [available[key] for key in keys if key in available]
    if len(chosen) != len(set(keys)):
        raise AlreadyClaimed(_why_not_claimable([k for k in keys if k not in available]))
    if len({e.claim_key for e in chosen}) != len(chosen):
        raise AlreadyClaimed("Two of the ticked outcomes are the same outcome. Tick one of them")
    if not chosen:
        raise ValidationError("Select at least one outcome with evidence held")
    try:
        with transaction.atomic():
            held = set(
                OutcomeEvidence.objects.select_for_update()
                .filter(claim_key__in=[e.claim_key for e in chosen], held=True)
                .values_list("claim_key", flat=True)
            )
            lacking = [e for e in chosen if e.claim_key not in held]
            if lacking:
                raise ValidationError(
                    f"Evidence is not yet held for {lacking[0].label.lower()} "
                    f"({lacking[0].person_name}). Only outcomes whose evidence is held "
                    "can go in a claim file"
                )
            claim = Claim.objects.create(
                contract=contract, created_by=by, total_pence=sum(e.amount_pence for e in chosen)
            )
            ClaimItem.objects.bulk_create(
                [
                    ClaimItem(
                        claim=claim,
                        contract=contract,
                        event=e.event,
                        referral_id=e.referral_id,
                        job_id=e.job_id,
                        event_date=e.event_date,
                        amount_pence=e.amount_pence,
                        evidence=e.evidence,
                        claim_key=e.claim_key,
                    )
                    for e in chosen
                ]
            )
            record_event(by=by, action=AccessLogEntry.Action.CREATE, obj=claim)
    except IntegrityError:
        raise AlreadyClaimed(
            "Someone else has just claimed some of those outcomes. Refresh the list and try again"
        ) from None
    return claim


def evidence_for(events: list[ClaimableEvent]) -> dict[str, OutcomeEvidence]:
    """{claim key: its evidence record} for the events listed (one query)."""
    return {
        evidence.claim_key: evidence
        for evidence in OutcomeEvidence.objects.filter(
            claim_key__in=[e.claim_key for e in events]
        ).select_related("updated_by__user")
    }


def set_evidence(
    *, contract: Contract, key: str, held: bool, note: str = "", by: StaffMember
) -> OutcomeEvidence:
    """Mark the evidence for one of the contract's claimable outcomes as held, or not.

    Only outcomes claimable on the contract can be marked, so the contract (already in the
    manager's scope) vouches for the referral and job. The note says where the evidence is
    kept; it is cleared when the evidence is marked as not held.
    """
    event = next((e for e in claimable_events(contract) if e.key == key), None)
    if event is None:
        raise ValidationError(
            "That outcome is no longer claimable: it may have just been claimed. "
            "Refresh the list and try again"
        )
    with transaction.atomic():
        evidence, _ = OutcomeEvidence.objects.update_or_create(
            claim_key=event.claim_key,
            defaults={
                "service_id": contract.service_id,
                "referral_id": event.referral_id,
                "job_id": event.job_id,
                "held": held,
                "note": note.strip() if held else "",
                "updated_by": by,
                "updated_at": timezone.now(),
            },
        )
        record_event(
            by=by,
            action=AccessLogEntry.Action.CHANGE,
            obj=evidence,
            reason=f"{event.label}: evidence {'held' if held else 'not held'}",
        )
    return evidence


def _why_not_claimable(keys: list[str]) -> str:
    """The message for outcomes ticked that are not claimable: where one was claimed already,
    say on which contract, since it may be a different contract from this one."""
    wanted = []
    for key in keys:
        event, _, rest = key.partition(":")
        referral, _, job = rest.partition(":")
        if event in PaymentEvent.values and referral.isdigit() and (job.isdigit() or not job):
            wanted.append(claim_key(event, int(referral), int(job) if job else None))
    earlier = (
        ClaimItem.objects.filter(claim_key__in=wanted)
        .select_related("contract")
        .order_by("pk")
        .first()
    )
    if earlier is None:
        return (
            "Some of those outcomes have already been claimed or are no longer claimable. "
            "Refresh the list and try again"
        )
    return (
        f"{earlier.get_event_display()} has already been claimed on "
        f"{earlier.contract.name} (claim {earlier.claim_id}). An outcome is paid once only, "
        "whichever contract claims it. Refresh the list and try again"
    )


@transaction.atomic
def create_contract(
    *,
    service: Service,
    name: str,
    funder: str,
    starts_on: date,
    ends_on: date,
    rates: dict[str, int],
    by: StaffMember,
) -> Contract:
    from ipsworks.outcomes.models import PaymentRule

    contract = Contract(
        service=service, name=name, funder=funder, starts_on=starts_on, ends_on=ends_on
    )
    contract.full_clean()
    contract.save()
    PaymentRule.objects.bulk_create(
        [
            PaymentRule(contract=contract, event=event, amount_pence=amount)
            for event, amount in rates.items()
        ]
    )
    record_event(by=by, action=AccessLogEntry.Action.CREATE, obj=contract)
    return contract
