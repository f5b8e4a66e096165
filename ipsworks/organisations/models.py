"""The tenant (an IPS service), its community mental health teams and its staff."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from ipsworks.organisations.roles import Role


class Service(models.Model):
    """An IPS service: the tenant. Every case record carries its ``service_id``."""

    name = models.CharField(max_length=200)
    short_name = models.SlugField(
        max_length=40,
        unique=True,
        help_text="Used in the service's public web address, for example 'north-county'.",
    )
    provider = models.CharField(
        max_length=200, blank=True, help_text="The NHS trust or organisation that runs it."
    )
    started_on = models.DateField(
        null=True, blank=True, help_text="When the service began taking referrals."
    )
    ods_code = models.CharField(
        "provider's ODS code",
        max_length=6,
        blank=True,
        db_default="",  # so rows written without it (older migrations' states) are valid
        help_text="ORGANISATION IDENTIFIER (CODE OF PROVIDER) of the organisation that runs "
        "it, as submitted to the MHSDS (OrgIDProvider). Needed for an MHSDS extract.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A clinical team (usually a community mental health team) that IPS is integrated into."""

    class Kind(models.TextChoices):
        CMHT = "cmht", "Community mental health team"
        EIP = "eip", "Early intervention in psychosis"
        PRIMARY_CARE = "primary", "Primary care mental health"
        OTHER = "other", "Other secondary mental health team"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CMHT)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="team_name_unique_in_service")
        ]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """A person who signs in to IPS Works, with one role in one service."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
        help_text="The service they work in. Commissioners and external reviewers have none.",
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    teams = models.ManyToManyField(Team, blank=True, related_name="staff")
    commissioned_services = models.ManyToManyField(
        Service,
        blank=True,
        related_name="commissioners",
        help_text="Commissioners only: the services whose outcomes they may see.",
    )
    fte = models.DecimalField(
        "full-time equivalent",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
    )
    job_title = models.CharField(max_length=120, blank=True)
    started_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    phone = models.CharField(
        max_length=20, blank=True, validators=[RegexValidator(r"^[0-9 +()]*$")]
    )
    session_generation = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised by 'sign out everywhere': sessions from an older generation end.",
    )

    class Meta:
        ordering = ["user__first_name", "user__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fte__gt=0) & models.Q(fte__lte=1),
                name="staff_fte_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(left_on__gte=models.F("started_on")),
                name="staff_leaves_after_starting",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["commissioner", "fidelity_reviewer"])
                | models.Q(service__isnull=False),
                name="staff_belongs_to_service_unless_external",
            ),
        ]
        indexes = [models.Index(fields=["service", "role"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def team_ids(self) -> list[int]:
        """Ids of the teams they work in, cached: a request asks this several times."""
        if not hasattr(self, "_team_ids"):
            self._team_ids = list(self.teams.values_list("pk", flat=True))
        return self._team_ids
