"""The second sign-in factor: TOTP from an authenticator app, with single-use recovery codes.

Built on django-otp (TOTPDevice and StaticDevice). A device is confirmed only once its owner
has typed a code from it, so a half-finished set-up never counts.
"""

import secrets

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator (made on first visit to the set-up page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The provisioning address as an SVG QR code (no script, no inline style)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#212b32", light="#ffffff"
    )


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for people who cannot scan the code."""
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device if the code is right; return new recovery codes, or None."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    codes = new_recovery_codes(device.user)
    otp_login(request, device)
    return codes


def new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def verify(request, user, token: str) -> bool:
    """Accept a code from the authenticator app or an unused recovery code (used up).

    Six digits go to the app's device, eight to the recovery codes, so a mistyped code of
    one kind never adds to the throttling of the other.
    """
    token = token.replace(" ", "")
    model = TOTPDevice if len(token) == 6 else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            otp_login(request, device)
            return True
    return False


def reset(user) -> None:
    """Remove every device, so the user sets the second factor up again at next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
