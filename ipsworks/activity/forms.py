"""Forms for recording contacts and team meetings."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError

from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.activity.services import ContactDetails
from ipsworks.core import form_messages
from ipsworks.core.dates import local_today
from ipsworks.core.forms import NHSForm, UKDateField, radio_field

# A longer meeting is possible but never one contact; 10 hours flags a typing slip.
MAX_CONTACT_MINUTES = 600


class ContactForm(NHSForm):
    contact_date = UKDateField(subject="The contact date", label="Date of contact", past_only=True)
    with_whom = radio_field(
        Contact.With.choices,
        "Who was the contact with?",
        "Select who the contact was with",
        initial=Contact.With.PERSON,
    )
    mode = radio_field(Contact.Mode.choices, "How?", "Select how the contact happened")
    outcome = radio_field(
        Contact.Outcome.choices,
        "Did it happen?",
        "Select whether the contact happened",
        initial=Contact.Outcome.COMPLETED,
    )
    place = forms.ChoiceField(
        label="Where? (not needed for texts and emails)",
        choices=Contact.Place.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    duration_minutes = forms.IntegerField(
        label="How long, in minutes?",
        required=False,
        min_value=1,
        max_value=MAX_CONTACT_MINUTES,
        error_messages={
            "min_value": "The length must be at least 1 minute",
            "max_value": f"The length must be {MAX_CONTACT_MINUTES} minutes (10 hours) or less",
            "invalid": form_messages.MINUTES,
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="Keep it short and factual; the person may ask to read it",
    )
    next_action = forms.CharField(
        label="What happens next? (optional)",
        required=False,
        max_length=200,
        help_text="It becomes a task in My tasks and on the person's Tasks tab",
    )
    next_action_on = UKDateField(
        subject="The date of the next action", label="By when? (optional)", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("contact_date", local_today())

    def clean_next_action_on(self):
        when = self.cleaned_data["next_action_on"]
        today = local_today()
        if when is not None and not today <= when <= today + timedelta(days=366):
            raise ValidationError("The next action date must be between today and a year from now")
        return when

    def clean(self):
        data = super().clean()
        if data.get("next_action_on") and not data.get("next_action"):
            self.add_error("next_action", "Enter what happens next, or remove the date")
        return data

    def details(self) -> ContactDetails:
        data = self.cleaned_data
        return ContactDetails(
            contact_date=data["contact_date"],
            with_whom=data["with_whom"],
            mode=data["mode"],
            outcome=data["outcome"],
            place=data["place"] or "",
            duration_minutes=data["duration_minutes"],
            note=data["note"],
        )


class TeamMeetingForm(NHSForm):
    team = forms.ModelChoiceField(
        label="Team", queryset=None, error_messages={"required": "Select the team"}
    )
    meeting_date = UKDateField(subject="The meeting date", label="Date of meeting", past_only=True)
    kind = radio_field(
        TeamMeeting.Kind.choices,
        "What kind of meeting?",
        "Select the kind of meeting",
        initial=TeamMeeting.Kind.MDT,
    )
    people_discussed = forms.IntegerField(
        label="How many people on your caseload were discussed?",
        min_value=0,
        max_value=200,
        initial=0,
        error_messages={
            "required": "Enter how many people were discussed (0 if none)",
            "min_value": "The number must be 0 or more",
            "max_value": "The number must be 200 or fewer",
            "invalid": form_messages.whole_number(3),
        },
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if not self.is_bound:
            self.initial.setdefault("meeting_date", local_today())


# What a quick note assumes about how a contact went: a spoken contact lasted this long
# (Contact.clean needs a length for it), and took place here.
QUICK_NOTE_MINUTES = 30
_QUICK_NOTE_PLACE = {
    Contact.Mode.FACE_TO_FACE: Contact.Place.COMMUNITY,
    Contact.Mode.PHONE: Contact.Place.REMOTE,
    Contact.Mode.VIDEO: Contact.Place.REMOTE,
    Contact.Mode.TEXT_OR_EMAIL: "",
}


class QuickNoteForm(NHSForm):
    """A contact in three answers (what, when, how), the rest assumed.

    Specialists record many short contacts a day; the full form's seven questions are
    why some go unrecorded. A quick note is a contact with the person that took place:
    face to face in the community, a phone or video call from a base, or a text or email,
    and a spoken one counted as 30 minutes (:data:`QUICK_NOTE_MINUTES`), because the
    NHS England measures need a place and a length for every spoken contact. Anything else
    (a family member, a missed meeting, a home visit) is the full form's.
    """

    note = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="Keep it short and factual; the person may ask to read it",
        error_messages={
            "required": "Enter what happened",
            "max_length": "The note must be 4,000 characters or fewer",
        },
    )
    contact_date = UKDateField(subject="The contact date", label="When?", past_only=True)
    mode = radio_field(
        Contact.Mode.choices,
        "How?",
        "Select how the contact happened",
        help_text=f"A call or meeting is recorded as {QUICK_NOTE_MINUTES} minutes: a meeting "
        "in the community, a call from a base. Use the full form for anything else",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("contact_date", local_today())

    def details(self) -> ContactDetails:
        """The contact with the assumed answers filled in (see the class notes)."""
        data = self.cleaned_data
        mode = Contact.Mode(data["mode"])
        return ContactDetails(
            contact_date=data["contact_date"],
            with_whom=Contact.With.PERSON,
            mode=mode,
            outcome=Contact.Outcome.COMPLETED,
            place=_QUICK_NOTE_PLACE[mode],
            duration_minutes=QUICK_NOTE_MINUTES if mode in Contact.DIRECT_MODES else None,
            note=data["note"],
        )
