"""Writes for staff and teams: accounts, roles, team membership, invitations, unlocking and
second factors. Each is in the access log; the records are ``ipsworks.organisations``'."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.core.dates import local_today
from ipsworks.organisations.models import Service, StaffMember, Team


def _check_teams(service: Service, teams) -> None:
    if any(team.service_id != service.pk for team in teams):
        raise ValidationError({"teams": "Choose teams from this service"})


@transaction.atomic
def create_staff_member(
    *, service: Service, user_fields: dict[str, Any], staff_fields: dict[str, Any], teams, by
) -> StaffMember:
    """Create the account with no usable password; the person sets one from the invitation."""
    _check_teams(service, teams)
    user = get_user_model()(**user_fields)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    staff = StaffMember(user=user, service=service, **staff_fields)
    staff.full_clean()
    staff.save()
    staff.teams.set(teams)
    record_event(by=by, action=AccessLogEntry.Action.CREATE, obj=staff)
    return staff


@transaction.atomic
def update_staff_member(
    *, staff: StaffMember, user_fields: dict[str, Any], staff_fields: dict[str, Any], teams, by
) -> StaffMember:
    if staff.pk == by.pk and staff_fields.get("role", staff.role) != staff.role:
        raise ValidationError({"role": "You cannot change your own role"})
    _check_teams(staff.service, teams)
    user = staff.user
    for name, value in user_fields.items():
        setattr(user, name, value)
    left_on = staff_fields.get("left_on")
    # Someone who has left cannot sign in; the account is kept for the record.
    user.is_active = left_on is None or left_on > local_today()
    user.save()
    for name, value in staff_fields.items():
        setattr(staff, name, value)
    staff.full_clean()
    staff.save()
    staff.teams.set(teams)
    record_event(by=by, action=AccessLogEntry.Action.CHANGE, obj=staff)
    return staff


@transaction.atomic
def create_team(*, service: Service, name: str, kind: str, by) -> Team:
    if Team.objects.filter(service=service, name__iexact=name).exists():
        raise ValidationError({"name": "This service already has a team with that name"})
    team = Team(service=service, name=name, kind=kind)
    team.full_clean()
    team.save()
    record_event(by=by, action=AccessLogEntry.Action.CREATE, obj=team)
    return team


def send_invitation(*, staff: StaffMember, site_url: str) -> None:
    """Email a one-time link to set a password (Django's password-reset token)."""
    user = staff.user
    link = site_url.rstrip("/") + reverse(
        "set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    send_mail(
        subject="Your IPS Works account",
        message=(
            f"Hello {user.first_name},\n\n"
            f"An account has been made for you on IPS Works for {staff.service.name}.\n"
            f"Your username is {user.username}. Set your password here (the link works once):\n\n"
            f"{link}\n\nIf you were not expecting this, ignore this email.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def is_locked_out(staff: StaffMember) -> bool:
    from axes.models import AccessAttempt
    from django.conf import settings

    return AccessAttempt.objects.filter(
        username=staff.user.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


def locked_out_usernames(usernames) -> set[str]:
    """Which of these accounts are locked by failed sign-ins (django-axes), in one query."""
    from axes.models import AccessAttempt
    from django.conf import settings

    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).values_list("username", flat=True)
    )


def unlock(*, staff: StaffMember, by: StaffMember) -> None:
    """Clear the failed sign-ins that locked the account (django-axes)."""
    from axes.utils import reset

    reset(username=staff.user.username)
    record_event(by=by, action=AccessLogEntry.Action.UNLOCK, obj=staff)


def reset_two_factor(*, staff: StaffMember, by: StaffMember) -> None:
    """For a lost phone: the person sets up the second factor again at their next sign-in."""
    from ipsworks.access import two_factor

    two_factor.reset(staff.user)
    staff.session_generation += 1  # and any session they still have ends
    staff.save(update_fields=["session_generation"])
    record_event(by=by, action=AccessLogEntry.Action.RESET_TWO_FACTOR, obj=staff)


@transaction.atomic
def sign_out_everywhere(*, staff: StaffMember) -> None:
    """End every session of this account, on every device (the middleware compares each
    session's generation with the account's), and record that it was asked for."""
    current = (
        StaffMember.objects.select_for_update()
        .values_list("session_generation", flat=True)
        .get(pk=staff.pk)
    )
    staff.session_generation = current + 1
    staff.save(update_fields=["session_generation"])
    record_event(by=staff, action=AccessLogEntry.Action.SIGN_OUT_EVERYWHERE)
