"""A person's contacts on their timeline (registered in ``ActivityConfig``)."""

from ipsworks.activity.models import Contact
from ipsworks.core.formatting import minutes
from ipsworks.people.models import Person
from ipsworks.people.timeline import Event


def _title(contact: Contact) -> str:
    if contact.outcome == Contact.Outcome.ATTEMPTED:
        return f"Tried to contact them ({contact.get_mode_display().lower()})"
    if contact.outcome == Contact.Outcome.DID_NOT_ATTEND:
        return "Did not attend"
    who = (
        ""
        if contact.with_whom == Contact.With.PERSON
        else f" with {contact.get_with_whom_display().lower()}"
    )
    return f"{contact.get_mode_display()} contact{who}"


def contacts(person: Person, limit: int) -> list[Event]:
    """The newest ``limit`` contacts, with where, how long and the note (one query)."""
    events = []
    rows = (
        Contact.objects.filter(person=person)
        .select_related("staff__user")
        .order_by("-contact_date", "-pk")[:limit]
    )
    for c in rows:
        parts = [
            p
            for p in (
                c.get_place_display() if c.place else "",
                minutes(c.duration_minutes) if c.duration_minutes else "",
            )
            if p
        ]
        detail = " · ".join(parts)
        events.append(
            Event(
                on=c.contact_date,
                sort_key=(c.contact_date, 1, c.pk),
                title=_title(c),
                detail=(detail + ("\n" if detail and c.note else "") + c.note),
                by=c.staff.display_name,
                kind="contact",
            )
        )
    return events
