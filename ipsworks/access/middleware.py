"""Attach the signed-in user's StaffMember (or None) to the request once."""

from django.utils.functional import SimpleLazyObject

from ipsworks.organisations.models import StaffMember


def _staff_for(request) -> StaffMember | None:
    user = request.user
    if not user.is_authenticated:
        return None
    return StaffMember.objects.select_related("service", "user").filter(user=user).first()


class StaffMemberMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.staff = SimpleLazyObject(lambda: _staff_for(request))
        return self.get_response(request)
