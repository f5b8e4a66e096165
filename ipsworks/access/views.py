"""The signed-in home page; the second sign-in factor, signing out everywhere, and the
access log's search."""

from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipsworks.access import queries, rules, two_factor
from ipsworks.access import staff as access_staff
from ipsworks.access.audit import log_access
from ipsworks.access.decorators import staff_required
from ipsworks.access.forms import AuditSearchForm, CodeForm
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import HOME_PAGE, Permission, Role


@require_GET
def home(request):
    """The signed-in home: each role's own first page; a user with no role is told so."""
    staff = request.staff
    if staff is None:
        return render(request, "core/no_role.jinja", status=403)
    return redirect(HOME_PAGE[Role(staff.role)])


def _exempt(view):
    """The second-factor pages are reachable before the second factor is passed."""
    view.two_factor_exempt = True
    view.required_permission = None
    return view


@_exempt
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if request.user.is_verified():
        return redirect("home")
    device = two_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(request, "access/recovery_codes.jinja", {"codes": codes})
        form.add_error("code", "That code is not right. Check the time on your phone and try again")
    return render(
        request,
        "access/two_factor_setup.jinja",
        {
            "form": form,
            "qr_svg": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_for_typing(device),
        },
    )


@_exempt
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if request.user.is_verified():
        return redirect("home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, request.user, form.cleaned_data["code"]):
            target = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                return redirect(target)
            return redirect("home")
        form.add_error("code", "That code is not right, or it has been used already")
    return render(request, "access/two_factor_verify.jinja", {"form": form})


@require_GET
def account(request):
    return render(request, "access/account.jinja")


account.required_permission = None


@_exempt
@require_POST
def sign_out_everywhere(request):
    """End every session of this account, on every device, then sign out here."""
    staff = request.staff
    if staff is not None:
        access_staff.sign_out_everywhere(staff=staff)
    logout(request)
    messages.info(request, "You have been signed out on every device")
    return redirect("login")


@require_GET
@staff_required(Permission.SEARCH_ACCESS_LOG)
def access_log(request):
    """Who looked at what: searchable by person, staff member and dates, in one's own service."""
    staff = request.staff
    form = AuditSearchForm(request.GET or None)
    entries = queries.no_entries()
    searched = False
    if request.GET and form.is_valid():
        searched = True
        entries = queries.search_access_log(
            staff,
            person=form.cleaned_data["person"].strip(),
            username=form.cleaned_data["username"].strip(),
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
            allow_nhs_number=rules.sees_people(staff),
        )
        log_access(request, AccessLogEntry.Action.SEARCH, reason="access log")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "access/access_log.jinja",
        {
            "form": form,
            "page": page,
            "searched": searched,
            "show_names": rules.sees_people(staff),
        },
    )
