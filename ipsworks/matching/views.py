"""Pages for vacancies, job search and matching: scope, call, present, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipsworks.access.audit import log_access
from ipsworks.access.decorators import staff_required
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission, may
from ipsworks.core.dates import local_today
from ipsworks.core.formatting import plural
from ipsworks.core.money import plain_pounds
from ipsworks.employers.models import Employer
from ipsworks.matching import csv_import, presenters, queries, rules, services
from ipsworks.matching.forms import (
    ApplicationForm,
    ApplicationMoveForm,
    TargetForm,
    VacancyForm,
    VacancyImportForm,
    VacancyStatusForm,
)
from ipsworks.matching.models import ApplicationStatus, Vacancy
from ipsworks.matching.weights import match_settings
from ipsworks.people.pages import ask_for_reason, person_page
from ipsworks.people.queries import people_i_work_with

_GET_POST = require_http_methods(["GET", "POST"])


@require_GET
@staff_required(Permission.VIEW_EMPLOYERS)
def vacancy_list(request):
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", Vacancy.Status.OPEN)
    status = status if status in Vacancy.Status.values or status == "all" else "open"
    vacancies = queries.vacancy_list_for(
        request.staff, status="" if status == "all" else status, search=search
    )
    page = Paginator(vacancies, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/vacancy_list.jinja",
        {
            "page": page,
            "search": search,
            "status": status,
            "status_items": [
                {"value": value, "text": text, "selected": value == status}
                for value, text in [*Vacancy.Status.choices, ("all", "All")]
            ],
            "tags": presenters.VACANCY_TAGS,
            "hours_text": presenters.hours_text,
            "pay_text": presenters.pay_text,
            "can_add": has_role_permission(request.staff, Permission.WORK_WITH_EMPLOYERS),
        },
    )


@_GET_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def vacancy_new(request):
    staff = request.staff
    form = VacancyForm(
        request.POST or None,
        employers=Employer.objects.visible_to(staff).order_by("name"),
        initial={"employer": request.GET.get("employer"), "source": "employer_contact"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.create_vacancy(details=form.details(), by=staff)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"Vacancy added: {vacancy.title}")
            return redirect("vacancy_detail", pk=vacancy.pk)
    return render(request, "matching/vacancy_new.jinja", {"form": form})


@_GET_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def vacancy_edit(request, pk: int):
    staff = request.staff
    vacancy = queries.vacancy_for(staff, pk)  # the service's vacancies only: 404 otherwise
    form = VacancyForm(
        request.POST or None,
        employers=Employer.objects.visible_to(staff).order_by("name"),
        initial=VacancyForm.initial_for(vacancy),
        closing_date_was=vacancy.closing_date,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_vacancy(vacancy=vacancy, details=form.details(), by=staff)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"Vacancy updated: {vacancy.title}")
            return redirect("vacancy_detail", pk=vacancy.pk)
    return render(request, "matching/vacancy_edit.jinja", {"form": form, "vacancy": vacancy})


@_GET_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def vacancy_import(request):
    staff = request.staff
    form = VacancyImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        parsed = csv_import.parse_vacancies(
            form.cleaned_data["file"].read(), by=staff, today=local_today()
        )
        problems = parsed.problems
        if not problems:
            try:
                outcome = services.import_vacancies(rows=parsed.rows, by=staff)
            except ValidationError as error:
                problems = [csv_import.RowProblem(0, "", m) for m in error.messages]
            else:
                skipped = len(parsed.already_recorded)
                messages.success(
                    request,
                    plural(len(outcome.created), "vacancy", "vacancies")
                    + " imported"
                    + (f"; {skipped} already recorded, so skipped" if skipped else ""),
                )
                return redirect("vacancy_list")
        if problems:
            form.add_error(
                "file",
                f"{len(problems)} problems found: nothing was imported. Correct the file "
                "and upload it again",
            )
    return render(
        request,
        "matching/vacancy_import.jinja",
        {"form": form, "problems": problems, "columns": csv_import.COLUMNS},
    )


@require_GET
@staff_required(Permission.VIEW_EMPLOYERS)
def vacancy_detail(request, pk: int):
    staff = request.staff
    vacancy = queries.vacancy_for(staff, pk)
    full_record = has_role_permission(staff, Permission.VIEW_PERSON_RECORD)
    matches = queries.matched_people(staff, vacancy, full_record=full_record)
    log_access(request, AccessLogEntry.Action.SEARCH, obj=vacancy, reason="people matched")
    s = match_settings()
    rows = [
        {
            "match": row,
            "band": presenters.BANDS[row.fit.band],
            "reasons": None
            if matches.band_only
            else presenters.reasons(row.fit, row.prefs, vacancy, s),
            "can_apply": may(staff, Permission.EDIT_PERSON_RECORD, row.person),
        }
        for row in matches.rows
    ]
    return render(
        request,
        "matching/vacancy_detail.jinja",
        {
            "vacancy": vacancy,
            "matches": matches,
            "rows": rows,
            "applications": queries.applications_to(staff, vacancy),
            "hours_text": presenters.hours_text,
            "pay_text": presenters.pay_text,
            "tags": presenters.VACANCY_TAGS,
            "application_tags": presenters.APPLICATION_TAGS,
            "can_edit": may(staff, Permission.WORK_WITH_EMPLOYERS, vacancy),
            "status_form": VacancyStatusForm(initial={"status": vacancy.status}),
        },
    )


@require_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def vacancy_status(request, pk: int):
    vacancy = queries.vacancy_for(request.staff, pk)
    form = VacancyStatusForm(request.POST)
    if form.is_valid():
        services.set_vacancy_status(
            vacancy=vacancy, status=form.cleaned_data["status"], by=request.staff
        )
        messages.success(request, f"Vacancy marked as {vacancy.get_status_display().lower()}")
    else:
        messages.info(request, "Select the status")
    return redirect("vacancy_detail", pk=vacancy.pk)


@_GET_POST
@staff_required(Permission.EDIT_PERSON_RECORD)
def application_new(request, pk: int):
    staff = request.staff
    vacancy = queries.vacancy_for(staff, pk)
    form = ApplicationForm(
        request.POST or None,
        people=people_i_work_with(staff),
        initial={"person": request.GET.get("person")},
    )
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        # As on the person's own pages: a manager outside their teams says why first.
        # Nothing is written; the reason page comes back to this form for that person.
        back = reverse("application_new", args=[vacancy.pk])
        asked = ask_for_reason(request, person, then=f"{back}?{urlencode({'person': person.pk})}")
        if asked is not None:
            return asked
        try:
            application = services.record_application(
                person=person,
                vacancy=vacancy,
                applied_on=form.cleaned_data["applied_on"],
                note=form.cleaned_data["note"],
                by=staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"Application by {application.person.full_name} recorded")
            return redirect("application_detail", pk=application.pk)
    return render(request, "matching/application_new.jinja", {"form": form, "vacancy": vacancy})


def _job_start_url(application) -> str:
    """Recording the job start, with what the vacancy already says filled in."""
    vacancy = application.vacancy
    query = {
        "application": application.pk,  # links the job to the offer (checked on saving)
        "employer": vacancy.employer_id,
        "title": vacancy.title,
        "soc": vacancy.soc_major_group,
        "hours": presenters.number_text(vacancy.hours_max),
    }
    if vacancy.hourly_pay_pence:
        query["pay"] = plain_pounds(vacancy.hourly_pay_pence)
    return reverse("job_new", args=[application.person_id]) + "?" + urlencode(query)


@_GET_POST
@person_page(
    Permission.VIEW_PERSON_RECORD,
    via=queries.application_for,
    post=Permission.EDIT_PERSON_RECORD,
)
def application_detail(request, application):
    staff = request.staff
    can_edit = may(staff, Permission.EDIT_PERSON_RECORD, application.person)
    statuses = rules.next_statuses(application.status)
    form = ApplicationMoveForm(request.POST or None, statuses=statuses) if statuses else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.move_application(application=application, by=staff, **form.cleaned_data)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            if application.status == ApplicationStatus.ACCEPTED:
                messages.success(request, "Offer accepted. Now record the job start")
                return redirect(_job_start_url(application))
            messages.success(request, f"Application: {application.get_status_display()}")
            return redirect("application_detail", pk=application.pk)
    job = queries.job_from_application(staff, application)
    return render(
        request,
        "matching/application_detail.jinja",
        {
            "application": application,
            "history": queries.application_history(application),
            "form": form if can_edit else None,
            "can_edit": can_edit,
            "job": job,
            "job_start_url": _job_start_url(application)
            if application.status == ApplicationStatus.ACCEPTED and can_edit and job is None
            else None,
            "tags": presenters.APPLICATION_TAGS,
        },
    )


@require_GET
@person_page(Permission.VIEW_PERSON_RECORD)
def job_search(request, person):
    staff = request.staff
    can_edit = may(staff, Permission.EDIT_PERSON_RECORD, person)
    matches = queries.matched_vacancies(staff, person)
    s = match_settings()
    return render(
        request,
        "matching/job_search.jinja",
        {
            "person": person,
            "can_edit": can_edit,
            "applications": queries.applications_of(staff, person),
            "targets": queries.targets_of(staff, person),
            "matches": matches,
            "rows": [
                {
                    "match": row,
                    "band": presenters.BANDS[row.fit.band],
                    "reasons": presenters.reasons(row.fit, matches.prefs, row.vacancy, s),
                }
                for row in matches.rows
            ],
            "profile": presenters.profile_summary(matches.prefs, s),
            "target_form": TargetForm(employers=Employer.objects.visible_to(staff).order_by("name"))
            if can_edit
            else None,
            "hours_text": presenters.hours_text,
            "pay_text": presenters.pay_text,
            "application_tags": presenters.APPLICATION_TAGS,
        },
    )


@require_POST
@person_page(Permission.EDIT_PERSON_RECORD)
def target_add(request, person):
    staff = request.staff
    vacancy = None
    if request.POST.get("vacancy"):
        vacancy = queries.vacancy_for(staff, _int(request.POST["vacancy"]))
        employer = vacancy.employer
    else:
        form = TargetForm(request.POST, employers=Employer.objects.visible_to(staff))
        if not form.is_valid():
            messages.info(request, "Select an employer to add")
            return redirect("job_search", pk=person.pk)
        employer = form.cleaned_data["employer"]
    try:
        services.add_target(
            person=person,
            employer=employer,
            vacancy=vacancy,
            note=request.POST.get("note", ""),
            by=staff,
        )
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, f"{vacancy or employer} added to their job search")
    return redirect("job_search", pk=person.pk)


def _int(value: str) -> int:
    from django.http import Http404

    try:
        return int(value)
    except ValueError:
        raise Http404 from None


@require_POST
@person_page(Permission.EDIT_PERSON_RECORD)
def target_remove(request, person, target_pk: int):
    target = queries.target_for(request.staff, person, target_pk)
    services.remove_target(target=target, by=request.staff)
    messages.success(request, f"{target.vacancy or target.employer} taken off their job search")
    return redirect("job_search", pk=person.pk)
