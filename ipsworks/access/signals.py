"""Remember, in each new session, the staff member's session generation."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from ipsworks.access.middleware import SESSION_GENERATION_KEY


@receiver(user_logged_in)
def remember_session_generation(sender, request, user, **kwargs):
    staff = getattr(user, "staff", None)
    if request is not None and hasattr(request, "session") and staff is not None:
        request.session[SESSION_GENERATION_KEY] = staff.session_generation
