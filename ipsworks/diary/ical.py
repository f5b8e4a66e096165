"""The diary as an iCalendar feed (RFC 5545), for Outlook and phone calendars.

The feed travels outside IPS Works (into a mail server, onto a phone), so it names nobody:
an appointment with a person is shown by the referral's reference (IPS-<service>-<referral>),
an employer by its number in IPS Works, and it carries no notes. Each event links back to
the appointment, which opens only after signing in.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from ipsworks.diary.models import Appointment

# How far the feed reaches: calendars re-read it every few hours, so a short window is enough.
FEED_PAST = timedelta(days=28)
FEED_AHEAD = timedelta(days=183)


def summary(appointment: Appointment, referral_id: int | None) -> str:
    """What the calendar shows as the event's title: references only, never a name."""
    kind = appointment.kind
    if kind == Appointment.Kind.PERSON:
        reference = f"IPS-{appointment.service_id}-{referral_id}" if referral_id else "a person"
        text = f"IPS appointment with {reference}"
    elif kind == Appointment.Kind.EMPLOYER:
        text = f"IPS employer meeting (employer {appointment.employer_id})"
    elif kind == Appointment.Kind.TEAM_MEETING:
        text = "IPS clinical team meeting"
    else:
        text = "IPS own time"
    if appointment.is_cancelled:
        text = f"Cancelled: {text}"
    return text


def feed(appointments: list[Appointment], referral_ids: dict[int, int], now: datetime) -> bytes:
    """``referral_ids`` maps a person's id to their current referral's, for references."""
    calendar = Calendar()
    calendar.add("prodid", "-//IPS Works//Diary//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "IPS Works diary")
    base = settings.IPS_SITE_URL.rstrip("/")
    for appointment in appointments:
        event = Event()
        event.add("uid", f"appointment-{appointment.pk}@ipsworks")
        event.add("dtstamp", now)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("summary", summary(appointment, referral_ids.get(appointment.person_id)))
        event.add("location", appointment.get_place_display())
        event.add("url", base + reverse("appointment_detail", args=[appointment.pk]))
        event.add("status", "CANCELLED" if appointment.is_cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
