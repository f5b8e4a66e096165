"""Pages for recording contacts and team meetings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ipsworks.access.decorators import staff_required
from ipsworks.access.roles import Permission
from ipsworks.activity import queries as activity_queries
from ipsworks.activity import services
from ipsworks.activity.forms import ContactForm, QuickNoteForm, TeamMeetingForm
from ipsworks.organisations.queries import teams_for
from ipsworks.people import queries
from ipsworks.people.pages import person_page


@require_http_methods(["GET", "POST"])
@person_page(Permission.RECORD_CONTACT)
def contact_new(request, person):
    staff = request.staff
    referral = queries.current_referral(person)
    if referral is None or not referral.is_open:
        messages.info(request, "This person has no open referral. Re-refer them to record contacts")
        return redirect("person_detail", pk=person.pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_contact(
                referral=referral,
                details=form.details(),
                next_action=form.cleaned_data["next_action"] or None,
                next_action_on=form.cleaned_data["next_action_on"],
                by=staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Contact recorded")
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "activity/contact_new.jinja",
        {"form": form, "person": person, "referral": referral},
    )


@require_http_methods(["GET", "POST"])
@person_page(Permission.RECORD_CONTACT)
def quick_note(request, person):
    """A contact in three answers; the full form is a link away for anything else.

    Opened from the caseload (``?from=caseload``), it returns there, so a specialist can
    note several contacts in a row.
    """
    from_caseload = request.GET.get("from") == "caseload"
    back = reverse("caseload") if from_caseload else reverse("person_detail", args=[person.pk])
    referral = queries.current_referral(person)
    if referral is None or not referral.is_open:
        messages.info(request, "This person has no open referral. Re-refer them to record contacts")
        return redirect("person_detail", pk=person.pk)
    form = QuickNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_contact(referral=referral, details=form.details(), by=request.staff)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Contact recorded")
            return redirect(back)
    return render(
        request,
        "activity/quick_note.jinja",
        {"form": form, "person": person, "back": back, "from_caseload": from_caseload},
    )


@require_http_methods(["GET", "POST"])
@staff_required(Permission.RECORD_TEAM_MEETING)
def team_meetings(request):
    staff = request.staff
    teams = teams_for(staff)
    form = TeamMeetingForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_team_meeting(
                team=form.cleaned_data["team"],
                meeting_date=form.cleaned_data["meeting_date"],
                kind=form.cleaned_data["kind"],
                people_discussed=form.cleaned_data["people_discussed"],
                note=form.cleaned_data["note"],
                by=staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Team meeting recorded")
            return redirect("team_meetings")
    meetings = activity_queries.recent_team_meetings(staff)
    return render(request, "activity/team_meetings.jinja", {"form": form, "meetings": meetings})
