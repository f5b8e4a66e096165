"""Pages for caseloads, people and referrals. Thin: scope, call, present, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipsworks.access import reasons
from ipsworks.access.audit import log_access
from ipsworks.access.decorators import staff_required
from ipsworks.access.forms import ReasonForm
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_own_caseload, may, refers_from_own_team
from ipsworks.core import page_cache
from ipsworks.core.dates import local_today
from ipsworks.organisations.queries import referral_teams_for, teams_for
from ipsworks.people import presenters, privacy, progress, queries, search, services, timeline
from ipsworks.people.codes import SourceOfReferral
from ipsworks.people.forms import (
    AcceptReferralForm,
    ActionPlanForm,
    CloseReferralForm,
    DisclosurePlanForm,
    PersonDetailsForm,
    ReferralForm,
    VocationalProfileForm,
)
from ipsworks.people.pages import ask_for_reason, person_page, safe_next

_GET_POST = require_http_methods(["GET", "POST"])
_REFER_AGAIN_FIELDS = ("given_name", "family_name", "nhs_number", "date_of_birth", "postcode")


@require_GET
@staff_required(Permission.VIEW_CASELOAD)
def caseload(request):
    return _render_caseload(request, owner=request.staff)


@require_GET
@staff_required(Permission.VIEW_SERVICE_OVERVIEW)
def specialist_caseload(request, staff_pk: int):
    """A manager's view of one specialist's caseload, for supervision."""
    owner = get_object_or_404(queries.specialists_in_service(request.staff), pk=staff_pk)
    return _render_caseload(request, owner=owner)


def _render_caseload(request, *, owner):
    def context():
        today = local_today()
        rows = presenters.caseload_rows(queries.caseload_for(request.staff, owner), today)
        counts = queries.caseload_counts(request.staff, today).get(owner.pk, {})
        size = presenters.CaseloadSize(
            open=counts.get("open", 0), active=counts.get("active", 0), fte=owner.fte
        )
        return {"rows": rows, "size": size, "owner": owner, "is_own": owner == request.staff}

    return page_cache.render_page(request, "people/caseload.jinja", context, vary=[owner.pk])


@require_GET
@staff_required(Permission.VIEW_PERSON_SUMMARY)
def person_detail(request, pk: int):
    staff = request.staff
    if not queries.person_in_scope(staff, pk):
        return _referral_only(request, pk)
    person = queries.person_for(staff, pk)
    if (refused := ask_for_reason(request, person)) is not None:
        return refused
    full_record = may(staff, Permission.VIEW_PERSON_RECORD, person)
    log_access(
        request,
        AccessLogEntry.Action.VIEW_PERSON
        if full_record
        else AccessLogEntry.Action.VIEW_PERSON_SUMMARY,
        obj=person,
        person_id=person.pk,
    )

    def page():
        record = presenters.person_record(
            staff, person, full_record=full_record, today=local_today()
        )
        return record.context()

    return page_cache.render_page(
        request, "people/person_detail.jinja", page, vary=[full_record], person_id=person.pk
    )


def _referral_only(request, pk: int):
    """A person whose record is not open to this staff member, with a referral they see:
    that referral and the details the referrer gave, nothing earlier (see access.scoping)."""
    staff = request.staff
    person, referrals = queries.referral_only_for(staff, pk)
    log_access(request, AccessLogEntry.Action.VIEW_PERSON_SUMMARY, obj=person, person_id=person.pk)
    rows = [
        {"referral": r, "can_decide": r.is_open and may(staff, Permission.DECIDE_REFERRAL, r)}
        for r in referrals
    ]
    return render(
        request,
        "people/referral_only.jinja",
        {
            "person": person,
            "rows": rows,
            "age": presenters.age_text(person.date_of_birth, local_today()),
        },
    )


@_GET_POST
@staff_required(Permission.CREATE_REFERRAL)
def referral_new(request):
    staff = request.staff
    own_teams = staff.team_ids()
    # A clinician in one clinical team is almost always referring from it.
    from_own_team = refers_from_own_team(staff)
    initial = {"team": own_teams[0]} if from_own_team and len(own_teams) == 1 else {}
    if from_own_team:
        initial["source"] = SourceOfReferral.INTERNAL  # from their clinical team in the trust
    if request.method == "GET" and request.GET.get("person", "").isdigit():
        # "Refer again" from a person page: their details as the service knows them.
        known = queries.person_for(staff, int(request.GET["person"]))
        initial.update({name: getattr(known, name) for name in _REFER_AGAIN_FIELDS})
    form = ReferralForm(request.POST or None, teams=referral_teams_for(staff), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.create_referral(
                service=staff.service,
                person_details=form.person_details(),
                referral=form.new_referral(),
                by=staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            name = referral.person.full_name
            # Only to the person page if that page will open for them: the same scope as
            # person_detail, not the service-wide permission (a clinician or ES referring
            # with no team, or another team, cannot open it and would get a 404). Until the
            # referral is allocated that page shows the referral only.
            if queries.person_page_opens(staff, referral.person_id):
                messages.success(request, f"Referral for {name} received")
                return redirect("person_detail", pk=referral.person_id)
            return redirect("referral_sent", pk=referral.pk)
    return render(request, "people/referral_new.jinja", {"form": form})


@require_GET
@staff_required(Permission.CREATE_REFERRAL)
def referral_sent(request, pk: int):
    """What happens next, and by when, for someone who made a referral they cannot follow on
    the person's page (a clinician, usually). Only the referral's own referrer sees it."""
    referral = queries.referral_sent_by(request.staff, pk)
    return render(
        request,
        "people/referral_sent.jinja",
        {"referral": referral, "steps": presenters.next_steps(referral)},
    )


@require_GET
@staff_required(Permission.VIEW_REFERRALS)
def referral_list(request):
    staff = request.staff

    def context():
        today = local_today()
        referrals = list(queries.referral_queue_for(staff)[:200])
        rows = [
            {
                "referral": r,
                "wait": presenters.wait_days(r, today),
                "can_decide": may(staff, Permission.DECIDE_REFERRAL, r),
            }
            for r in referrals
        ]
        return {"rows": rows, "checks_waiting": checks_waiting}

    # Refused referrals are not referrals: the count is part of the page's key instead.
    checks_waiting = queries.referral_checks_for(staff).count()
    return page_cache.render_page(
        request, "people/referral_list.jinja", context, vary=[checks_waiting]
    )


@_GET_POST
@person_page(Permission.DECIDE_REFERRAL, via=queries.referral_for)
def referral_accept(request, referral):
    staff = request.staff
    form = AcceptReferralForm(
        request.POST or None,
        specialists=queries.specialists_in_service(staff),
        received_on=referral.received_on,
        initial={
            "allocate_to": referral.allocated_to_id
            or (staff.pk if has_own_caseload(staff) else None)
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_referral(
                referral=referral,
                allocate_to=form.cleaned_data["allocate_to"],
                on=form.cleaned_data["accepted_on"],
                by=staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Referral accepted")
            return redirect("person_detail", pk=referral.person_id)
    return render(request, "people/referral_accept.jinja", {"form": form, "referral": referral})


@_GET_POST
@person_page(Permission.DECIDE_REFERRAL, via=queries.referral_for)
def referral_close(request, referral):
    # What their jobs say today, for the specialist to confirm (MHSDS MHS004 at discharge).
    asking = request.method == "GET" and hasattr(referral, "episode")
    hours_now = progress.hours_worked_on(referral.person, local_today()) if asking else None
    page = presenters.close_referral_page(referral, hours_now=hours_now)
    form = CloseReferralForm(
        request.POST or None,
        received_on=referral.received_on,
        has_episode=page.has_episode,
        initial=page.initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.close_referral(referral=referral, by=request.staff, **form.closing())
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Referral closed")
            return redirect("person_detail", pk=referral.person_id)
    return render(
        request,
        "people/referral_close.jinja",
        {"form": form, "referral": referral, "excluded": page.excluded},
    )


@_GET_POST
@person_page(Permission.EDIT_PERSON_RECORD)
def profile_edit(request, person):
    staff = request.staff
    current = queries.profile_versions(person, limit=1)
    initial = (
        {name: getattr(current[0], name) for name in VocationalProfileForm.profile_fields}
        if current
        else {}
    )
    form = VocationalProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_vocational_profile(
                person=person,
                fields=form.profile(),
                change_reason=form.cleaned_data["change_reason"],
                by=staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Vocational profile saved")
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "people/profile_edit.jinja",
        {"form": form, "person": person, "is_new": not current},
    )


@_GET_POST
@person_page(Permission.EDIT_PERSON_RECORD)
def disclosure_edit(request, person):
    staff = request.staff
    current = queries.latest_disclosure_plan(person)
    initial = (
        {name: getattr(current, name) for name in DisclosurePlanForm.plan_fields} if current else {}
    )
    form = DisclosurePlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_disclosure_plan(
                person=person,
                fields=form.plan(),
                change_reason=form.cleaned_data["change_reason"],
                by=staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Disclosure plan saved")
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "people/disclosure_edit.jinja",
        {"form": form, "person": person, "is_new": not current},
    )


@require_GET
@person_page(Permission.VIEW_PERSON_RECORD)
def profile_history(request, person):
    """Every version of the vocational profile, with what each one changed."""
    versions = queries.profile_versions(person, limit=None)
    return _render_history(request, person, versions, timeline.PROFILE_FIELDS, "profile")


@require_GET
@person_page(Permission.VIEW_PERSON_RECORD)
def disclosure_history(request, person):
    """Every version of the disclosure plan, with what each one changed."""
    versions = queries.disclosure_versions(person)
    return _render_history(request, person, versions, timeline.DISCLOSURE_FIELDS, "disclosure")


@require_GET
@person_page(Permission.VIEW_PERSON_RECORD)
def action_plan_history(request, person):
    """Every version of the employment action plan, with what each one changed."""
    versions = queries.action_plan_versions(person)
    return _render_history(request, person, versions, timeline.ACTION_PLAN_FIELDS, "action-plan")


_HISTORY_TITLES = {
    "profile": "Vocational profile",
    "disclosure": "Disclosure plan",
    "action-plan": "Employment action plan",
}


def _render_history(request, person, versions, fields, kind):
    return render(
        request,
        "people/version_history.jinja",
        {
            "person": person,
            "kind": kind,
            "title": _HISTORY_TITLES[kind],
            "entries": presenters.version_history(versions, fields),
        },
    )


@require_GET
@person_page(Permission.VIEW_PERSON_RECORD)
def action_plan(request, person):
    """The current plan as the person is given it: plain, and printed from the browser."""
    page = presenters.action_plan_page(
        person,
        queries.current_action_plan(person),
        can_edit=may(request.staff, Permission.EDIT_PERSON_RECORD, person),
    )
    return render(request, "people/action_plan.jinja", {"page": page, "person": person})


@_GET_POST
@person_page(Permission.EDIT_PERSON_RECORD)
def action_plan_edit(request, person):
    current = queries.current_action_plan(person)
    form = ActionPlanForm(request.POST or None, initial=ActionPlanForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_action_plan(
                person=person,
                goals=form.cleaned_data["goals"],
                steps=form.steps(),
                review_on=form.cleaned_data["review_on"],
                change_reason=form.cleaned_data["change_reason"],
                by=request.staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Employment action plan saved")
            return redirect("action_plan", pk=person.pk)
    return render(
        request,
        "people/action_plan_edit.jinja",
        {"form": form, "person": person, "is_new": current is None},
    )


@require_GET
@staff_required(Permission.VIEW_TEAM_PEOPLE)
def team_people(request):
    staff = request.staff
    today = local_today()
    rows = [
        {
            "referral": r,
            "stage": presenters.stage_of(r),
            "days": (today - r.last_contact_on).days if r.last_contact_on else None,
        }
        for r in queries.team_people_for(staff)[:500]
    ]
    return render(
        request,
        "people/team_people.jinja",
        {"rows": rows, "teams": teams_for(staff).filter(pk__in=staff.team_ids())},
    )


@_GET_POST
@person_page(Permission.EDIT_PERSON_RECORD)
def person_edit(request, person):
    """Correct a person's details (rectification); the change is logged with who made it."""
    staff = request.staff
    initial = {name: getattr(person, name) for name in PersonDetailsForm.person_fields}
    form = PersonDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person_details(person=person, fields=form.person_details(), by=staff)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Personal details saved")
            return redirect("person_detail", pk=person.pk)
    return render(request, "people/person_edit.jinja", {"form": form, "person": person})


@_GET_POST
@staff_required(Permission.VIEW_PERSON_RECORD)
def person_reason(request, pk: int):
    """Ask a manager why they are opening a record outside their own teams.

    Afterwards they go back to the page they asked for (``next``, kept in the address the
    form posts to), if it is on this site; otherwise to the person's record.
    """
    person = queries.person_for(request.staff, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reasons.record(request, person, form.as_text())
        return redirect(safe_next(request, reverse("person_detail", args=[person.pk])))
    return render(request, "people/person_reason.jinja", {"form": form, "person_pk": person.pk})


@require_POST
# action=None: the export logs SUBJECT_ACCESS itself (people/privacy.py).
@person_page(Permission.SUBJECT_ACCESS_EXPORT, action=None)
def subject_access(request, person):
    """Everything held about the person, as a ZIP (readable PDF and JSON), for a request."""
    archive = privacy.subject_access_archive(person, by=request.staff)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{person.pk}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_required(Permission.VIEW_PERSON_SUMMARY)
def person_search(request):
    """Find a person by name, NHS number or date of birth, among the people one may see.

    Every search is logged; text too short to search for reads nothing and says so.
    """
    text = request.GET.get("q", "").strip()[:100]
    query = search.parse(text) if text else None
    results = None
    if query is not None and not query.problem:
        results = search.find_people(request.staff, query)
        # Never the text itself: the access log is read by administrators, who may not see
        # case data, and a searched name or NHS number is case data.
        log_access(
            request,
            AccessLogEntry.Action.SEARCH,
            reason=presenters.search_log_reason(text, results),
        )
    context = {"q": text, "results": results, "problem": query.problem if query else ""}
    return render(request, "people/person_search.jinja", context)


@_GET_POST
@staff_required(Permission.SORT_REFERRAL_CHECKS)
def referral_checks(request):
    """Referrals refused with the neutral message, for the duty team to sort out.

    The referrer was told only that the referral needs a check; this page says why and
    links the person already held, so the team can contact the referrer and put it right.
    """
    staff = request.staff
    waiting = queries.referral_checks_for(staff)
    error, error_for = "", None
    if request.method == "POST":
        check_id = request.POST.get("check", "")
        check = get_object_or_404(waiting, pk=int(check_id) if check_id.isdigit() else 0)
        try:
            services.sort_referral_check(check=check, note=request.POST.get("note", ""), by=staff)
        except ValidationError as refused:
            error, error_for = refused.messages[0], check.pk
        else:
            messages.success(request, "Check marked as sorted")
            return redirect("referral_checks")
    checks = list(waiting)
    if checks:
        log_access(request, AccessLogEntry.Action.SEARCH, reason="referral checks")
    return render(
        request,
        "people/referral_checks.jinja",
        {"checks": checks, "error": error, "error_for": error_for},
        status=400 if error else 200,
    )
