"""Export files built in the background, and outcome-based funding contracts and claims."""

from django.db import models
from django.db.models import Q

from ipsworks.core.money import format_pence
from ipsworks.jobs.models import Job
from ipsworks.organisations.models import Service, StaffMember
from ipsworks.people.models import Referral


class ExportFile(models.Model):
    """A return or report built by a background task, held until downloaded.

    The file is kept in the database, so it is backed up with the data, never sits in a
    public folder, and is served only to staff who may see it.
    """

    class Kind(models.TextChoices):
        IPS_GROW_CSV = "ips_grow_csv", "IPS Grow client-level return (CSV)"
        IPS_GROW_XLSX = "ips_grow_xlsx", "IPS Grow client-level return (Excel)"
        COMMISSIONER_CSV = "commissioner_csv", "Commissioner aggregate return (CSV)"
        COMMISSIONER_XLSX = "commissioner_xlsx", "Commissioner aggregate return (Excel)"
        STEERING_PDF = "steering_pdf", "Steering group report (PDF)"
        MHSDS_ZIP = "mhsds_zip", "MHSDS extract for one month (a ZIP of CSV tables)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", null=True)
    requested_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, editable=False)
    error = models.CharField(max_length=300, blank=True)
    refusal = models.CharField(
        max_length=600,
        blank=True,
        help_text="Why the file was not offered, said on the exports page (an MHSDS extract "
        "that does not meet the IDB's formats, say).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.period_label}"

    @property
    def status_note(self) -> str:
        """What the exports page says beside the status (the reasons kept in ``error``
        for a failed build are for the administrator and the logs, not the page)."""
        if self.status == self.Status.FAILED:
            if self.refusal:
                return self.refusal
            if self.error == WORKER_STOPPED:
                return WORKER_STOPPED
            return "Try again, or tell your administrator"
        if self.status != self.Status.READY and self.error == WORKER_STOPPED_RETRYING:
            return WORKER_STOPPED_RETRYING
        return ""


# Said on the exports page when the worker building a file died (operations/reaper.py).
WORKER_STOPPED_RETRYING = "The worker building the file stopped. It is being built again."
WORKER_STOPPED = "The file could not be built because the worker stopped. Build it again."


class Contract(models.Model):
    """An outcome-based funding contract (for example a social outcomes contract)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="contracts")
    name = models.CharField(max_length=200)
    funder = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="contract_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PaymentEvent(models.TextChoices):
    """Outcomes a contract can pay for (MHEP social outcomes contracts, IPS Grow KPIs)."""

    ENGAGEMENT = "engagement", "Engagement with a completed vocational profile"
    JOB_START = "job_start", "Job start"
    SUSTAINED_13_UNDER_16 = "sustained_13_under_16", "Sustained 13 weeks, under 16 hours a week"
    SUSTAINED_13_16_PLUS = "sustained_13_16_plus", "Sustained 13 weeks, 16 hours a week or more"
    SUSTAINED_26 = "sustained_26", "Sustained 26 weeks"


class PaymentRule(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="rules")
    event = models.CharField(max_length=30, choices=PaymentEvent.choices)
    amount_pence = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "event"], name="one_rate_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()}: {format_pence(self.amount_pence)}"


class Claim(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="claims")
    created_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    total_pence = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Claim {self.pk} on {self.contract}"


# Payment events that are one outcome: 13 weeks' sustainment is paid at one rate or the
# other by the hours worked then, never both (a backdated hours change must not open the
# other one to a claim).
EVENT_FAMILY: dict[str, str] = {
    PaymentEvent.SUSTAINED_13_UNDER_16: "sustained_13",
    PaymentEvent.SUSTAINED_13_16_PLUS: "sustained_13",
}


def claim_key(event: str, referral_id: int, job_id: int | None) -> str:
    """What makes an outcome one outcome: its event family and the job (or, for an outcome
    with no job, the referral). The contract is not part of it: an outcome is paid once,
    whichever of a service's contracts claims it."""
    family = EVENT_FAMILY.get(event, event)
    return f"{family}:job:{job_id}" if job_id is not None else f"{family}:referral:{referral_id}"


class ClaimItem(models.Model):
    """One outcome claimed. The unique ``claim_key`` is what stops a second claim for it, on
    any contract, even when two managers build claims at the same moment."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="items")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=30, choices=PaymentEvent.choices)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="+", null=True)
    event_date = models.DateField()
    amount_pence = models.PositiveIntegerField()
    evidence = models.TextField()
    # claim_key(event, referral, job); see that function.
    claim_key = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["event_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(claim_key=""), name="claim_key_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} on {self.event_date:%d/%m/%Y}"


class OutcomeEvidence(models.Model):
    """Whether the evidence for one outcome is held, kept between visits to the claim page.

    One row per outcome, keyed like ``ClaimItem.claim_key`` (event family and the job or
    referral, not the contract), so a mark made from one contract's page holds on every
    contract of the service and both 13-week bands share it. Only outcomes whose evidence is
    held go into a claim file (MHEP contracts pay on evidence: a dated vocational profile,
    proof of job start, hours band, sustainment date; ips-reference.md section 5). Each
    change is written to the audit log by ``funding.set_evidence``.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="+", null=True)
    # claim_key(event, referral, job); see that function.
    claim_key = models.CharField(max_length=80, unique=True)
    held = models.BooleanField(default=False)
    note = models.CharField("where the evidence is kept", max_length=200, blank=True)
    updated_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(claim_key=""), name="outcome_evidence_key_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return f"Evidence {'held' if self.held else 'not held'} for {self.claim_key}"


class ReferralFacts(models.Model):
    """What the outcome figures need to know about one referral, in one narrow row.

    Every value here is a copy of, or a minimum over, records kept elsewhere: the referral
    itself, its episode (the access date), its direct contacts and its qualifying job starts.
    ``outcomes.facts`` keeps the row up to date in the same transaction as any save or
    delete of those records, and can rebuild it from them; nothing else writes it. The
    national figures then read a million of these rows in one pass instead of joining
    referrals to their episodes, contacts and jobs (docs/adr/0008).

    The referral is referenced without a database constraint so that deleting a referral and
    its records (privacy erasure) never trips over the order the rows go in; ``facts``
    removes the row when the referral goes.
    """

    referral = models.OneToOneField(
        Referral,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    service = models.ForeignKey(
        Service, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    person_id = models.BigIntegerField()
    # The referral's team and specialist now (figures by team find the team on a date from
    # the team moves, as metrics.conditions._team_on does for the referrals themselves).
    team_id = models.BigIntegerField(null=True)
    allocated_to_id = models.BigIntegerField(null=True)
    received_on = models.DateField()
    closed_on = models.DateField(null=True)
    # Out of work at referral (MHSDS 02 to 08) on the job-seeking pathway: the employment
    # rate's population (metrics.conditions._out_of_work).
    out_of_work = models.BooleanField()
    job_retention = models.BooleanField()
    # The episode's access date: the first direct contact, as the episode records it.
    access_date = models.DateField(null=True)
    # The earliest direct contact of the referral (open caseload asks for one by a date).
    first_direct_contact = models.DateField(null=True)
    # The earliest qualifying job start on or after the access (metric-definitions.md).
    first_job_start = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["service", "received_on"], name="facts_service_received")]

    def __str__(self) -> str:
        return f"Outcome facts of referral {self.referral_id}"


class ReferralYearAccess(models.Model):
    """A referral's first direct contact in each financial year in which it has one.

    NHS England's "accessed in the financial year" (``metrics.financial_year``) counts these
    rows by their date. Like :class:`ReferralFacts` they are a minimum over the contacts,
    kept in the same transaction as any save or delete of a contact or referral by
    ``outcomes.facts``, and rebuilt from them by ``manage.py outcome_facts --rebuild``: the
    figures read one row per referral and year instead of a year of contacts.
    """

    referral = models.ForeignKey(
        Referral, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    service = models.ForeignKey(
        Service, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    # The calendar year in which the financial year starts (2026 for 2026-27).
    financial_year = models.PositiveSmallIntegerField()
    first_direct_contact = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "financial_year"], name="one_access_row_per_referral_year"
            )
        ]
        indexes = [
            models.Index(fields=["service", "first_direct_contact"], name="year_access_service_day")
        ]

    def __str__(self) -> str:
        year = self.financial_year
        return f"Referral {self.referral_id}, first contact of {year}: {self.first_direct_contact}"


class Area(models.Model):
    """A sub-ICB location or integrated care board, by its ONS code, with the population its
    rates are per 100,000 of. Public reference data, loaded by ``manage.py load_areas``."""

    class Level(models.TextChoices):
        SUB_ICB = "sub_icb", "Sub-ICB location"
        ICB = "icb", "Integrated care board"

    code = models.CharField(max_length=9, primary_key=True)
    level = models.CharField(max_length=10, choices=Level.choices)
    name = models.CharField(max_length=200)
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(
        max_length=200, blank=True, help_text="For example: ONS mid-2023 estimates, aged 18 to 64"
    )

    class Meta:
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """Where the residents of a postcode are counted nationally: the sub-ICB location and ICB
    (ONS codes, as the ONS Postcode Directory's ``sicbl`` and ``icb`` give them) and the
    Index of Multiple Deprivation 2019 decile of its LSOA (1 most deprived), as NHS England's
    IPS dashboard breaks its figures down. Public reference data, ``manage.py load_areas``."""

    postcode = models.CharField(max_length=8, primary_key=True)
    sub_icb = models.CharField(max_length=9, blank=True)
    icb = models.CharField(max_length=9, blank=True)
    imd_decile = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(imd_decile__isnull=True) | Q(imd_decile__gte=1, imd_decile__lte=10),
                name="imd_decile_1_to_10",
            )
        ]

    def __str__(self) -> str:
        return self.postcode
