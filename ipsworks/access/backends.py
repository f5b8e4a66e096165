"""Signing in and finding who is signed in."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class StaffModelBackend(ModelBackend):
    """Django's username-and-password backend, which reads the signed-in user's staff
    membership (and its service) in the same query as the user.

    Every request asks for both: ``AuthenticationMiddleware`` for the user, then
    ``StaffMemberMiddleware`` for their role and service. One query instead of two.
    """

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("staff__service")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
