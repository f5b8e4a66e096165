"""Outcome-based funding: which events a contract can be paid for, and claiming them once.

Events follow the payment points of mental health social outcomes contracts (MHEP), which
align with the IPS Grow KPIs (ips-reference.md section 5): engagement with a completed
vocational profile; job start; sustainment at 13 weeks under 16 hours or 16 hours and
more; sustainment at 26 weeks.

Each outcome is paid once (``models.claim_key``): once per job (per referral for
engagement) and event family, whichever of the service's contracts claims it, and 13 weeks'
sustainment once whether it was claimed at under 16 hours or at 16 or more.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from ipsworks.access import scoping
from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.core.dates import local_today
from ipsworks.jobs import rules as job_rules
from ipsworks.outcomes import metrics
from ipsworks.outcomes.models import Claim, ClaimItem, Contract, PaymentEvent, claim_key
from ipsworks.outcomes.returns import hours_band


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


def _hours_on(job, day: date) -> Decimal:
    """Contracted hours on a day: the latest pay change by then, else the hours at the start."""
    changes = [c for c in job.pay_changes.all() if c.effective_on <= day]
    return (
        max(changes, key=lambda c: c.effective_on).hours_per_week if changes else job.hours_per_week
    )


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

    def add(event, referral, job, day, evidence):
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
        engaged = (
            scoping.referrals_in_services(service)
            .filter(episode__isnull=False, episode__access_date__lte=end)
            .annotate(profile_at=Min("person__profiles__recorded_at"))
            .filter(profile_at__isnull=False)
            .select_related("person", "episode")
        )
        for referral in engaged:
            profile_day = timezone.localtime(referral.profile_at).date()
            day = max(referral.episode.access_date, profile_day)
            add(
                PaymentEvent.ENGAGEMENT,
                referral,
                None,
                day,
                f"First contact {referral.episode.access_date:%d/%m/%Y}; "
                f"vocational profile started {profile_day:%d/%m/%Y}",
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


class AlreadyClaimed(ValidationError):
    pass


def build_claim(*, contract: Contract, keys: list[str], by) -> Claim:
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
def create_contract(*, service, name, funder, starts_on, ends_on, rates: dict, by) -> Contract:
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
