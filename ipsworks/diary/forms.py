"""Booking an appointment and recording what happened."""

import re
from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipsworks.core.dates import local_today
from ipsworks.core.forms import SEARCHABLE, NHSForm, UKDateField, radio_field
from ipsworks.diary.models import Appointment
from ipsworks.diary.services import MAX_MINUTES, AppointmentDetails
from ipsworks.employers.models import EmployerContact

_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")


class TimeOfDayField(forms.Field):
    """A time typed as 9:30, 09:30, 14.15 or 2pm (the NHS.UK design system has no time
    component; a text input with a hint is what its guidance suggests)."""

    def __init__(self, *, subject: str, **kwargs):
        self.subject = subject
        kwargs.setdefault("error_messages", {"required": f"Enter {subject.lower()}"})
        kwargs.setdefault("widget", forms.TextInput)
        kwargs.setdefault("help_text", "Use the 24-hour clock, like 09:30 or 14:00")
        super().__init__(**kwargs)

    def to_python(self, value) -> time | None:
        if isinstance(value, time):
            return value
        text = str(value or "").strip().lower().replace(" ", "")[:12]
        if not text:
            return None
        match = _TIME.match(text)
        if match is None:
            raise ValidationError(f"Enter {self.subject.lower()} like 09:30 or 14:00")
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if match["half"]:
            if not 1 <= hour <= 12:
                raise ValidationError(f"{self.subject} must be a real time, like 2pm or 14:00")
            hour = hour % 12 + (12 if match["half"] == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValidationError(f"{self.subject} must be a real time, like 09:30 or 14:00")
        return time(hour, minute)


class AppointmentForm(NHSForm):
    kind = radio_field(Appointment.Kind.choices, "Who or what is it with?", "Select who it is with")
    person = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Person",
        widget=SEARCHABLE,
        empty_label="Select a person",
        error_messages={"invalid_choice": "Select someone on the caseload"},
    )
    employer = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Employer",
        widget=SEARCHABLE,
        empty_label="Select an employer",
        error_messages={"invalid_choice": "Select an employer your service works with"},
    )
    employer_purpose = forms.ChoiceField(
        label="What is the meeting with the employer for?",
        choices=EmployerContact.Purpose.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    team = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Clinical team",
        empty_label="Select a team",
        error_messages={"invalid_choice": "Select one of your service's teams"},
    )
    title = forms.CharField(
        label="What is it for? (optional, except for your own time)",
        required=False,
        max_length=120,
        help_text="For example 'Interview practice' or 'Annual leave'. It shows in the diary",
    )
    day = UKDateField(subject="The date", label="Date")
    starts = TimeOfDayField(subject="The start time", label="Start time")
    ends = TimeOfDayField(subject="The end time", label="End time")
    place = radio_field(Appointment.Place.choices, "Where?", "Select where it will be")
    with_whom = forms.CharField(
        label="Who else is coming? (optional)",
        required=False,
        max_length=200,
        help_text="For example their care coordinator, or the manager at the employer",
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you plan to do. They never go into the calendar feed",
    )

    def __init__(self, *args, people, employers, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["employer"].queryset = employers
        self.fields["team"].queryset = teams
        self.fields["person"].label_from_instance = lambda p: p.full_name
        if not self.is_bound:
            self.initial.setdefault("day", local_today())

    def clean_day(self):
        day = self.cleaned_data["day"]
        today = local_today()
        if day is not None and not (today.replace(year=today.year - 1) <= day):
            raise ValidationError("The date must be within the last year")
        if day is not None and day > today.replace(year=today.year + 2):
            raise ValidationError("The date must be within the next two years")
        return day

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needs = {
            Appointment.Kind.PERSON: ("person", "Select who the appointment is with"),
            Appointment.Kind.EMPLOYER: ("employer", "Select the employer"),
            Appointment.Kind.TEAM_MEETING: ("team", "Select the clinical team"),
        }
        if kind in needs:
            name, message = needs[kind]
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends:
            minutes = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
            if minutes <= 0:
                self.add_error("ends", "The end time must be after the start time")
            elif minutes > MAX_MINUTES:
                self.add_error("ends", "An appointment must be 12 hours or shorter")
        return data

    def details(self) -> AppointmentDetails:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        return AppointmentDetails(
            kind=data["kind"],
            starts_at=datetime.combine(data["day"], data["starts"], tzinfo=zone),
            ends_at=datetime.combine(data["day"], data["ends"], tzinfo=zone),
            place=data["place"],
            person=data.get("person"),
            employer=data.get("employer"),
            employer_purpose=data.get("employer_purpose") or "",
            team=data.get("team"),
            title=data["title"].strip(),
            with_whom=data["with_whom"].strip(),
            notes=data["notes"].strip(),
        )

    @classmethod
    def initial_from(cls, appointment: Appointment) -> dict:
        starts = timezone.localtime(appointment.starts_at)
        ends = timezone.localtime(appointment.ends_at)
        return {
            "kind": appointment.kind,
            "person": appointment.person_id,
            "employer": appointment.employer_id,
            "employer_purpose": appointment.employer_purpose,
            "team": appointment.team_id,
            "title": appointment.title,
            "day": starts.date(),
            "starts": f"{starts:%H:%M}",
            "ends": f"{ends:%H:%M}",
            "place": appointment.place,
            "with_whom": appointment.with_whom,
            "notes": appointment.notes,
        }


OUTCOME_CHOICES = [
    (Appointment.Status.TOOK_PLACE, "It took place"),
    (Appointment.Status.DID_NOT_ATTEND, "They did not attend"),
    (Appointment.Status.CANCELLED_BY_PERSON, "They cancelled"),
    (Appointment.Status.CANCELLED_BY_SERVICE, "We cancelled"),
]


class OutcomeForm(NHSForm):
    status = radio_field(OUTCOME_CHOICES, "What happened?", "Select what happened")
    note = forms.CharField(
        label="Note for the record (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Keep it short and factual; the person may ask to read it",
    )

    def __init__(self, *args, appointment: Appointment, **kwargs):
        super().__init__(*args, **kwargs)
        if appointment.kind != Appointment.Kind.PERSON:
            self.fields["status"].choices = [
                c for c in OUTCOME_CHOICES if c[0] != Appointment.Status.DID_NOT_ATTEND
            ]


class TaskForm(NHSForm):
    """A task for a person. The rules (a date within a year, an owner who holds a caseload
    in the person's service) are the service's (``services.add_task``), so a task planned
    from a contact is held to them too; this form adds only what typing needs."""

    title = forms.CharField(
        label="What needs doing",
        max_length=200,
        error_messages={
            "required": "Enter what needs doing",
            "max_length": "What needs doing must be 200 characters or fewer",
        },
    )
    due_on = UKDateField(
        subject="The due date", label="Due by (optional)", required=False, earliest=None
    )
    owner = forms.ModelChoiceField(
        label="Who will do it",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Select a specialist in this person's service"},
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
