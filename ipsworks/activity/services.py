"""Recording contacts and team meetings."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from ipsworks.access.audit import record_event
from ipsworks.access.models import AccessLogEntry
from ipsworks.activity import next_steps
from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.core import page_cache
from ipsworks.core.dates import local_today
from ipsworks.organisations.models import StaffMember, Team
from ipsworks.people.models import Referral
from ipsworks.people.services import note_direct_contact
from ipsworks.people.signals import support_contact


@dataclass(frozen=True)
class ContactDetails:
    contact_date: date
    with_whom: str
    mode: str
    outcome: str
    place: str = ""
    duration_minutes: int | None = None
    note: str = ""


@transaction.atomic
def record_contact(
    *,
    referral: Referral,
    details: ContactDetails,
    by: StaffMember,
    next_action: str | None = None,
    next_action_on: date | None = None,
) -> Contact:
    """Record a contact on an open referral; a direct one may start the episode (access).

    ``next_action`` (the form's "What happens next?") becomes a task for the person
    recording it (``activity.next_steps``, kept by diary); the referral's own
    ``next_action`` fields are no longer written."""
    # Everything written here is the person's own (their contact, referral, episode,
    # check-ins): other people's kept records stay in use (ADR 0009).
    with page_cache.about_person(referral.service_id, referral.person_id):
        return _record_contact(referral, details, by, next_action, next_action_on)


def _record_contact(referral, details, by, next_action, next_action_on) -> Contact:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_open:
        raise ValidationError("This referral is closed. Re-refer the person to record contacts")
    if details.contact_date < referral.received_on:
        raise ValidationError(
            {
                "contact_date": "The contact cannot be before the referral was received on "
                f"{referral.received_on:%-d %B %Y}"
            }
        )
    if details.contact_date > local_today():
        raise ValidationError({"contact_date": "The contact date must be today or in the past"})

    contact = Contact(
        service_id=referral.service_id,
        person_id=referral.person_id,
        referral=referral,
        staff=by,
        **details.__dict__,
    )
    contact.full_clean()
    contact.save()
    if contact.is_direct:
        note_direct_contact(referral=referral, contact_date=contact.contact_date, by=by)
        support_contact.send(sender=Contact, person_id=referral.person_id, on=contact.contact_date)
    if next_action is not None:
        next_steps.plan(referral=referral, title=next_action, due_on=next_action_on, by=by)
    record_event(
        by=by, action=AccessLogEntry.Action.CREATE, obj=contact, person_id=referral.person_id
    )
    return contact


@transaction.atomic
def record_team_meeting(
    *,
    team: Team,
    meeting_date: date,
    kind: str,
    by: StaffMember,
    people_discussed: int = 0,
    note: str = "",
) -> TeamMeeting:
    if team.service_id != by.service_id:
        raise ValidationError({"team": "Choose one of your service's teams"})
    meeting = TeamMeeting(
        service_id=by.service_id,
        team=team,
        staff=by,
        meeting_date=meeting_date,
        kind=kind,
        people_discussed=people_discussed,
        note=note,
    )
    meeting.full_clean()
    meeting.save()
    record_event(by=by, action=AccessLogEntry.Action.CREATE, obj=meeting)
    return meeting
