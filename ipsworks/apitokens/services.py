"""Making, checking and revoking API tokens.

A token looks like ``ipsw_<prefix>_<secret>``: ``prefix`` is 8 random characters kept in
clear to find the row, ``secret`` is 32 random bytes (256 bits) in URL-safe base64. The
database keeps only SHA-256 of the whole token. A fast hash is right here, unlike for
passwords: the secret is random and 256 bits long, so it cannot be guessed or brute-forced,
and every API request checks it.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.apitokens.models import IDEMPOTENCY_WINDOW, ApiToken, IdempotencyKey
from ipsworks.organisations.models import StaffMember

SCHEME = "ipsw"
# Writing last_used_at on every request would make each API call a write; once a minute
# is enough to see whether a token is still in use.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 10


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str  # shown once, never stored


@transaction.atomic
def create_token(*, staff: StaffMember, name: str, valid_days: int | None) -> NewToken:
    """Make a token for the staff member themself (nobody makes tokens for anyone else)."""
    StaffMember.objects.select_for_update().filter(pk=staff.pk).first()
    active = ApiToken.objects.filter(staff=staff, revoked_at__isnull=True).filter(_unexpired())
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {"name": f"You have {MAX_ACTIVE_TOKENS} tokens already. Revoke one you do not use"}
        )
    prefix = secrets.token_hex(4)
    raw = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        staff=staff,
        name=name.strip(),
        prefix=prefix,
        secret_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=valid_days) if valid_days else None,
    )
    token.full_clean()
    token.save()
    record_event(by=staff, action=AccessLogEntry.Action.CREATE, obj=token)
    return NewToken(token=token, raw=raw)


def _unexpired():
    from django.db.models import Q

    return Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())


def may_revoke(staff: StaffMember, token: ApiToken) -> bool:
    """Their own token, or (an administrator) any token of a colleague in their service."""
    if token.staff_id == staff.pk:
        return True
    return (
        has_role_permission(staff, Permission.MANAGE_STAFF)
        and staff.service_id is not None
        and token.staff.service_id == staff.service_id
    )


@transaction.atomic
def revoke_token(*, token: ApiToken, by: StaffMember) -> ApiToken:
    token = ApiToken.objects.select_for_update().select_related("staff").get(pk=token.pk)
    if not may_revoke(by, token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
        record_event(by=by, action=AccessLogEntry.Action.CHANGE, obj=token, reason="revoked")
    return token


def staff_for_token(raw: str) -> StaffMember | None:
    """The staff member a presented token acts as, or None for any bad, revoked or expired one.

    The comparison is constant-time; a staff member who has left or whose account is switched
    off gets nothing.
    """
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != SCHEME or not parts[1] or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("staff__user", "staff__service")
        .filter(prefix=parts[1])
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(raw.strip())):
        return None
    now = timezone.now()
    staff = token.staff
    if not token.is_active(now) or staff.left_on is not None or not staff.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return staff


def purge_idempotency_keys(now=None) -> int:
    """Delete the API's remembered Idempotency-Keys older than the window; how many."""
    cutoff = (now or timezone.now()) - IDEMPOTENCY_WINDOW
    deleted, _ = IdempotencyKey.objects.filter(created_at__lte=cutoff).delete()
    return deleted
