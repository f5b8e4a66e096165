"""Scoped reads of activity."""

from ipsworks.activity.models import TeamMeeting
from ipsworks.organisations.models import StaffMember


def recent_team_meetings(staff: StaffMember, limit: int = 20) -> list[TeamMeeting]:
    return list(
        TeamMeeting.objects.visible_to(staff)
        .select_related("team", "staff__user")
        .order_by("-meeting_date", "-pk")[:limit]
    )
