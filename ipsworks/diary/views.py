"""The diary pages: the specialist's week and day, a colleague's and a team's week,
booking, changing and closing appointments, the calendar feed, and tasks."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipsworks.access.decorators import staff_required
from ipsworks.access.roles import Permission
from ipsworks.access.rules import require
from ipsworks.core.dates import local_today
from ipsworks.diary import ical, presenters, queries, services, worklist
from ipsworks.diary.forms import AppointmentForm, OutcomeForm, TaskForm
from ipsworks.employers.models import Employer
from ipsworks.organisations.models import StaffMember
from ipsworks.people import queries as people_queries
from ipsworks.people.pages import person_page, safe_next


def _day_asked(request, name: str) -> date:
    """The date in ``?week=`` or ``?day=`` (YYYY-MM-DD), or today; a bad one is today."""
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return local_today()


def _week_page(request, *, owners: list[StaffMember], heading: str, extra: dict):
    today = local_today()
    start = presenters.week_start(_day_asked(request, "week"))
    found = queries.appointments(request.staff, [o.pk for o in owners], start, 7)
    week = presenters.week(request.staff, found, start, today)
    context = {"week": week, "heading": heading, "today": today, **extra}
    return render(request, "diary/week.jinja", context)


@require_GET
@staff_required(Permission.KEEP_DIARY)
def my_diary(request):
    teams = list(queries.teams_to_show(request.staff))
    extra = {"is_own": True, "teams": teams}
    return _week_page(request, owners=[request.staff], heading="My diary", extra=extra)


@require_GET
@staff_required(Permission.KEEP_DIARY)
def my_day(request):
    today = local_today()
    day = _day_asked(request, "day")
    found = queries.appointments(request.staff, [request.staff.pk], day, 1)
    context = {
        "day": presenters.Day(
            day=day, is_today=day == today, entries=presenters.entries(request.staff, found)
        ),
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
    }
    return render(request, "diary/day.jinja", context)


@require_GET
@staff_required(Permission.VIEW_SERVICE_OVERVIEW)
def specialist_diary(request, staff_pk: int):
    """A manager's read of one specialist's week, as they read their caseload."""
    owner = get_object_or_404(people_queries.specialists_in_service(request.staff), pk=staff_pk)
    return _week_page(
        request,
        owners=[owner],
        heading=f"{owner.display_name}'s diary",
        extra={"owner": owner},
    )


@require_GET
@staff_required(Permission.VIEW_TEAM_DIARY)
def team_diary(request, team_pk: int):
    team = get_object_or_404(queries.teams_to_show(request.staff), pk=team_pk)
    members = list(queries.team_members(request.staff, team))
    return _week_page(
        request,
        owners=members,
        heading=f"{team.name} diary",
        extra={"team": team, "members": members, "is_team": True},
    )


def _form(request, *, data=None, initial=None):
    staff = request.staff
    return AppointmentForm(
        data,
        initial=initial,
        people=people_queries.people_i_work_with(staff),
        employers=Employer.objects.visible_to(staff).order_by("name"),
        teams=queries.teams_to_show(staff),
    )


def _say_clashes(request, appointment) -> None:
    clashing = services.clashes(appointment)
    if clashing:
        times = ", ".join(
            f"{timezone.localtime(a.starts_at):%H:%M} to {timezone.localtime(a.ends_at):%H:%M}"
            for a in clashing
        )
        messages.warning(request, f"This overlaps another appointment in the diary ({times})")


@require_http_methods(["GET", "POST"])
@staff_required(Permission.KEEP_DIARY)
def appointment_new(request):
    initial = {}
    if (person := request.GET.get("person", "")).isdigit():
        initial = {"kind": "person", "person": int(person)}
    form = _form(request, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.book_appointment(details=form.details(), by=request.staff)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Appointment booked")
            _say_clashes(request, appointment)
            return redirect(_week_url(appointment))
    return render(request, "diary/appointment_form.jinja", {"form": form, "appointment": None})


def _week_url(appointment) -> str:
    day = timezone.localtime(appointment.starts_at).date()
    return f"{reverse('my_diary')}?week={presenters.week_start(day).isoformat()}"


def _appointment(request, pk: int):
    """The appointment, if the viewer may open it: their own, or a manager's read. A team
    colleague sees it in the team diary but not its notes."""
    appointment = queries.appointment_for(request.staff, pk)
    if appointment is None:
        raise Http404
    require(request.staff, Permission.KEEP_DIARY, appointment)
    return appointment


@require_http_methods(["GET", "POST"])
@staff_required(Permission.KEEP_DIARY)
def appointment_detail(request, pk: int):
    appointment = _appointment(request, pk)
    form = OutcomeForm(request.POST or None, appointment=appointment)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome(
                appointment=appointment,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=request.staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "What happened is recorded")
            return redirect("appointment_detail", pk=appointment.pk)
    entry = presenters.entries(request.staff, [appointment])[0]
    context = {
        "appointment": appointment,
        "entry": entry,
        "form": form,
        "clashes": services.clashes(appointment) if appointment.is_booked else [],
        "week_url": _week_url(appointment),
    }
    return render(request, "diary/appointment_detail.jinja", context)


@require_http_methods(["GET", "POST"])
@staff_required(Permission.KEEP_DIARY)
def appointment_edit(request, pk: int):
    appointment = _appointment(request, pk)
    if not appointment.is_booked:
        messages.info(request, "What happened is recorded, so the appointment cannot change")
        return redirect("appointment_detail", pk=appointment.pk)
    form = _form(
        request, data=request.POST or None, initial=AppointmentForm.initial_from(appointment)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_appointment(
                appointment=appointment, details=form.details(), by=request.staff
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Appointment changed")
            _say_clashes(request, appointment)
            return redirect("appointment_detail", pk=appointment.pk)
    context = {"form": form, "appointment": appointment}
    return render(request, "diary/appointment_form.jinja", context)


@require_http_methods(["GET", "POST"])
@staff_required(Permission.KEEP_DIARY)
def diary_feed(request):
    """Set up, replace or stop the calendar feed. The address is shown once, when made."""
    address = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "revoke":
        services.revoke_feed(staff=request.staff)
        messages.success(request, "The feed is switched off. Its address no longer works")
        return redirect("diary_feed")
    if action == "new":
        token = services.new_feed(staff=request.staff)
        address = request.build_absolute_uri(reverse("diary_feed_ics", args=[token]))
    feed = queries.feed_for(request.staff) if address is None else None
    return render(request, "diary/feed.jinja", {"address": address, "feed": feed})


@login_not_required
@require_GET
def diary_feed_ics(request, token: str):
    """The calendar feed at its secret address: no session, the address is the key."""
    owner = services.feed_owner(token)
    if owner is None:
        raise Http404
    now = timezone.now()
    found, referral_ids = queries.feed_appointments(owner, now)
    response = HttpResponse(ical.feed(found, referral_ids, now), content_type="text/calendar")
    response["Cache-Control"] = "private, no-store"
    return response


# --- tasks ------------------------------------------------------------------------------------


@require_GET
@staff_required(Permission.KEEP_DIARY)
def my_tasks(request):
    """The staff member's tasks and what is worked out for them, overdue first."""
    today = local_today()
    context = {
        "entries": worklist.my_tasks(request.staff, today),
        "done_today": queries.done_today(request.staff),
        "today": today,
    }
    return render(request, "diary/my_tasks.jinja", context)


@require_POST
@staff_required(Permission.KEEP_DIARY)
def task_done(request, pk: int):
    return _change_task(request, pk, services.complete_task, "Done")


@require_POST
@staff_required(Permission.KEEP_DIARY)
def task_reopen(request, pk: int):
    return _change_task(request, pk, services.reopen_task, "Open again")


def _change_task(request, pk: int, change, said: str):
    task = get_object_or_404(queries.tasks_for(request.staff), pk=pk)
    try:
        change(task=task, by=request.staff)
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, f"{said}: {task.title}")
    return redirect(safe_next(request, "my_tasks"))


@require_http_methods(["GET", "POST"])
@person_page(Permission.EDIT_PERSON_RECORD)
def person_task_new(request, person):
    referral = people_queries.current_referral(person)
    owners = queries.task_owners(request.staff)
    initial = {"owner": referral.allocated_to_id if referral and referral.allocated_to_id else None}
    if initial["owner"] is None and owners.filter(pk=request.staff.pk).exists():
        initial["owner"] = request.staff.pk
    form = TaskForm(request.POST or None, owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_task(
                person=person,
                referral=referral if referral and referral.is_open else None,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                owner=form.cleaned_data["owner"],
                by=request.staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Task added")
            return redirect(reverse("person_detail", args=[person.pk]) + "#tasks")
    return render(request, "diary/task_form.jinja", {"form": form, "person": person})
