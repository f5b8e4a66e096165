"""Scoped reads of activity."""

from datetime import date

from django.db.models import OuterRef, Subquery

from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Referral


def recent_team_meetings(staff: StaffMember, limit: int = 20) -> list[TeamMeeting]:
    return list(
        TeamMeeting.objects.visible_to(staff)
        .select_related("team", "staff__user")
        .order_by("-meeting_date", "-pk")[:limit]
    )


def last_direct_contact(today: date) -> Subquery:
    """The date of the referral's latest direct contact (``people.progress``:
    ``last_contact_on`` on the caseload and the person's page)."""
    return Subquery(
        Contact.objects.filter(referral=OuterRef("pk"), is_direct=True)
        .order_by("-contact_date")
        .values("contact_date")[:1]
    )


def failed_contact_attempts(referral: Referral) -> int:
    """Contacts with the referral that were tried and did not happen (``people.progress``:
    the closure rule's attempts before "could not be contacted")."""
    return Contact.objects.filter(
        referral=referral, outcome__in=[Contact.Outcome.ATTEMPTED, Contact.Outcome.DID_NOT_ATTEND]
    ).count()
