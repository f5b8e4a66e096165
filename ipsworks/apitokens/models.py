"""Personal API tokens: a staff member's key for the JSON API (/api/v1/).

Only a SHA-256 hash of the token is stored. The token is a 256-bit random secret, shown
once when it is made; its first characters (``prefix``) are not secret and find the row.
A token acts exactly as its staff member: the same role, scope and audit entries.
"""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ipsworks.organisations.models import StaffMember


class ApiToken(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("what it is for", max_length=100)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="api_token_revoked_after_created",
            )
        ]
        indexes = [models.Index(fields=["staff", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "Expired"
        return "Active"


# How long an Idempotency-Key is remembered (retries come within minutes; a day is ample).
IDEMPOTENCY_WINDOW = timedelta(hours=24)


class IdempotencyKey(models.Model):
    """A creating API request sent with an ``Idempotency-Key`` header, and what it answered.

    Clinical systems retry a POST whose answer was lost; the same key and request from the
    same staff member within ``IDEMPOTENCY_WINDOW`` gets this stored answer back instead of
    making a second record. Only successful answers are kept, so a corrected retry works.
    The body is stored as the exact text sent (not re-encoded JSON) so a replay is byte for
    byte the original answer. ``response_status`` is null only while the first request is
    still running (its row is written in the same transaction as the record it makes).
    """

    staff = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of method, path and body")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "key"], name="idempotency_key_per_staff")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.staff_id})"
