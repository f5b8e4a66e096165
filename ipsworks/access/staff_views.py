"""The administrator's pages: staff, their roles and teams, locked accounts, second factors.

Who may sign in and what they may see is access; the staff and team records themselves
belong to ``ipsworks.organisations`` (its services write them).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipsworks.access import scoping
from ipsworks.access import staff as services
from ipsworks.access.decorators import staff_required
from ipsworks.access.roles import Permission
from ipsworks.organisations.forms import StaffMemberForm, TeamForm
from ipsworks.organisations.queries import teams_for


@require_GET
@staff_required(Permission.MANAGE_STAFF)
def staff_list(request):
    staff = request.staff
    members = scoping.staff_for(staff).select_related("user").prefetch_related("teams")
    return render(
        request,
        "organisations/staff_list.jinja",
        {
            "members": members,
            "teams": teams_for(staff),
            "locked": services.locked_out_usernames(m.user.username for m in members),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required(Permission.MANAGE_STAFF)
def staff_new(request):
    admin = request.staff
    form = StaffMemberForm(request.POST or None, teams=teams_for(admin))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_staff_member(
                service=admin.service,
                user_fields=form.user_fields(),
                staff_fields=form.staff_fields(),
                teams=form.cleaned_data["teams"],
                by=admin,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            services.send_invitation(staff=member, site_url=request.build_absolute_uri("/"))
            messages.success(
                request,
                f"{member.display_name} added. We have emailed them a link to set a password",
            )
            return redirect("staff_list")
    return render(request, "organisations/staff_form.jinja", {"form": form, "member": None})


@require_http_methods(["GET", "POST"])
@staff_required(Permission.MANAGE_STAFF)
def staff_edit(request, pk: int):
    admin = request.staff
    member = get_object_or_404(scoping.staff_for(admin).select_related("user"), pk=pk)
    initial = {
        "first_name": member.user.first_name,
        "last_name": member.user.last_name,
        "email": member.user.email,
        "role": member.role,
        "teams": member.team_ids(),
        "fte": member.fte,
        "job_title": member.job_title,
        "started_on": member.started_on,
        "left_on": member.left_on,
    }
    form = StaffMemberForm(
        request.POST or None, teams=teams_for(admin), editing=member, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_staff_member(
                staff=member,
                user_fields=form.user_fields(),
                staff_fields=form.staff_fields(),
                teams=form.cleaned_data["teams"],
                by=admin,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"{member.display_name} updated")
            return redirect("staff_list")
    return render(
        request,
        "organisations/staff_form.jinja",
        {"form": form, "member": member, "locked": services.is_locked_out(member)},
    )


@require_POST
@staff_required(Permission.MANAGE_STAFF)
def staff_unlock(request, pk: int):
    member = get_object_or_404(scoping.staff_for(request.staff).select_related("user"), pk=pk)
    services.unlock(staff=member, by=request.staff)
    messages.success(request, f"{member.display_name}'s account is unlocked")
    return redirect("staff_edit", pk=member.pk)


@require_POST
@staff_required(Permission.MANAGE_STAFF)
def staff_reset_two_factor(request, pk: int):
    member = get_object_or_404(scoping.staff_for(request.staff).select_related("user"), pk=pk)
    services.reset_two_factor(staff=member, by=request.staff)
    messages.success(
        request, f"{member.display_name} will set up their second sign-in step again next time"
    )
    return redirect("staff_edit", pk=member.pk)


@require_http_methods(["GET", "POST"])
@staff_required(Permission.MANAGE_STAFF)
def team_new(request):
    admin = request.staff
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.create_team(service=admin.service, by=admin, **form.cleaned_data)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"{team.name} added")
            return redirect("staff_list")
    return render(request, "organisations/team_form.jinja", {"form": form})
