"""Attach the signed-in user's StaffMember (or None) to the request once."""

from ipsworks.organisations.models import StaffMember


class StaffMemberMiddleware:
    """Every signed-in page needs the staff member, so it is read once, up front.

    Anonymous requests (the sign-in page, the health check) cost no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.staff = None
        if request.user.is_authenticated:
            request.staff = (
                StaffMember.objects.select_related("service", "user")
                .filter(user=request.user, left_on__isnull=True)
                .first()
            )
        return self.get_response(request)
