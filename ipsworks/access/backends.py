"""Signing in and finding who is signed in."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from ipsworks.access import identity


class StaffModelBackend(ModelBackend):
    """Django's username-and-password backend, which reads the signed-in user's staff
    membership (with its service and teams) together with the user, and keeps them in the
    process until any of them could have changed (``ipsworks.access.identity``).

    Every request asks for all of them: ``AuthenticationMiddleware`` for the user,
    ``StaffMemberMiddleware`` for their role and service, and the scoping functions for
    their teams.
    """

    def get_user(self, user_id):
        user = identity.remembered("user", user_id, lambda: _read_user(user_id))
        return user if user is not None and self.user_can_authenticate(user) else None


def _read_user(user_id):
    users = get_user_model()._default_manager.select_related("staff__service")
    try:
        user = users.get(pk=user_id)
    except get_user_model().DoesNotExist:
        return None
    staff = getattr(user, "staff", None)  # a user with no staff membership has none
    if staff is not None:
        staff.team_ids()  # read now, so the kept copy carries them
    return user
