"""Pages for employers: the list, the relationship timeline, contacts and employer services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipsworks.access.audit import log_access
from ipsworks.access.decorators import staff_required
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.core.money import plain_pounds
from ipsworks.employers import queries, services
from ipsworks.employers.forms import (
    AccessToWorkForm,
    ContactPersonForm,
    EmployerContactForm,
    EmployerDetailsForm,
    EmployerForm,
    EmployerPickForm,
    EmployerSupportForm,
    RemoveContactPersonForm,
)
from ipsworks.people.queries import people_i_work_with

_GET_POST = require_http_methods(["GET", "POST"])


def _posted(request):
    """The form data on a POST, even an empty one (an empty POST shows the errors)."""
    return request.POST if request.method == "POST" else None


@require_GET
@staff_required(Permission.VIEW_EMPLOYERS)
def employer_list(request):
    search = request.GET.get("q", "").strip()[:100]
    if search:
        # Not the text: it may be a person's name (a contact at the employer).
        log_access(
            request,
            AccessLogEntry.Action.SEARCH,
            reason=f"employers: search ({len(search)} characters)",
        )
    page = Paginator(queries.employer_list_for(request.staff, search), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "employers/employer_list.jinja",
        {
            "page": page,
            "search": search,
            "can_add": has_role_permission(request.staff, Permission.WORK_WITH_EMPLOYERS),
        },
    )


@_GET_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def employer_new(request):
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.create_employer(
                fields=form.employer(), contact_people=form.contact_people(), by=request.staff
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"{employer.name} added")
            return redirect("employer_detail", pk=employer.pk)
    return render(request, "employers/employer_new.jinja", {"form": form})


@require_GET
@staff_required(Permission.VIEW_EMPLOYERS)
def employer_detail(request, pk: int):
    staff = request.staff
    employer = queries.employer_for(staff, pk)
    history = queries.employer_history(staff, employer)
    return render(
        request,
        "employers/employer_detail.jinja",
        {
            "employer": employer,
            **history,
            "can_add": has_role_permission(staff, Permission.WORK_WITH_EMPLOYERS),
        },
    )


@_GET_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def employer_edit(request, pk: int):
    employer = queries.employer_for(request.staff, pk)
    form = EmployerDetailsForm(_posted(request), initial=EmployerDetailsForm.initial_for(employer))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_employer(employer=employer, fields=form.employer(), by=request.staff)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Employer details saved")
            return redirect("employer_detail", pk=employer.pk)
    return render(request, "employers/employer_edit.jinja", {"form": form, "employer": employer})


@_GET_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def contact_person(request, pk: int, contact_pk: int | None = None):
    """Add someone the service deals with at an employer, or change their details."""
    employer = queries.employer_for(request.staff, pk)
    contact = None if contact_pk is None else queries.contact_person_for(employer, contact_pk)
    initial = ContactPersonForm.initial_for(contact) if contact else None
    form = ContactPersonForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if contact is None:
                services.add_contact_person(
                    employer=employer, fields=form.cleaned_data, by=request.staff
                )
            else:
                services.update_contact_person(
                    contact=contact, fields=form.cleaned_data, by=request.staff
                )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"{form.cleaned_data['name']} saved")
            return redirect("employer_detail", pk=employer.pk)
    return render(
        request,
        "employers/contact_person.jinja",
        {"form": form, "employer": employer, "contact": contact},
    )


@require_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def contact_person_restore(request, pk: int, contact_pk: int):
    """Make someone no longer a contact (kept because an enquiry names them) one again."""
    employer = queries.employer_for(request.staff, pk)
    contact = queries.former_contact_for(employer, contact_pk)
    try:
        services.restore_contact_person(contact=contact, by=request.staff)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{contact.name} is a contact again")
    return redirect("employer_detail", pk=employer.pk)


@_GET_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def contact_person_remove(request, pk: int, contact_pk: int):
    employer = queries.employer_for(request.staff, pk)
    contact = queries.contact_person_for(employer, contact_pk)
    form = RemoveContactPersonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_contact_person(contact=contact, by=request.staff)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"{contact.name} is no longer a contact")
            return redirect("employer_detail", pk=employer.pk)
    return render(
        request,
        "employers/contact_person_remove.jinja",
        {"form": form, "employer": employer, "contact": contact},
    )


@_GET_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def employer_contact_new(request, pk: int):
    staff = request.staff
    employer = queries.employer_for(staff, pk)
    people = people_i_work_with(staff)
    chosen = request.GET.get("person", "")
    form = EmployerContactForm(request.POST or None, people=people, initial={"person": chosen})
    # Said before the form is filled in, not only when it is refused (fidelity item 13).
    not_agreed = _not_agreed(people, chosen)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_employer_contact(
                employer=employer,
                details=form.details(),
                person=form.cleaned_data["person"],
                by=staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Employer contact recorded")
            return redirect("employer_detail", pk=employer.pk)
    return render(
        request,
        "employers/contact_new.jinja",
        {"form": form, "employer": employer, "not_agreed": not_agreed},
    )


def _not_agreed(people, person_id: str):
    """The person chosen in advance, if their disclosure plan does not let the specialist
    speak to employers for them; else None."""
    if not person_id.isdigit():
        return None
    person = people.filter(pk=int(person_id)).first()
    if person is None or services.may_contact_employers_for(person):
        return None
    return person


@require_GET
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def employer_contact_for(request, person_pk: int):
    """Record an employer contact for someone on the caseload: choose the employer (a
    searchable list), then the contact form with them chosen. Someone who has not agreed to
    employer contact is told so here, with the way to their disclosure plan."""
    staff = request.staff
    person = get_object_or_404(people_i_work_with(staff), pk=person_pk)
    agreed = services.may_contact_employers_for(person)
    form = EmployerPickForm(
        request.GET if "employer" in request.GET else None,
        employers=queries.employers_for(staff),
    )
    if agreed and form.is_bound and form.is_valid():
        target = reverse("employer_contact_new", args=[form.cleaned_data["employer"].pk])
        return redirect(f"{target}?person={person.pk}")
    return render(
        request,
        "employers/contact_for.jinja",
        {"form": form, "person": person, "agreed": agreed},
    )


@_GET_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def employer_support_new(request, pk: int):
    staff = request.staff
    employer = queries.employer_for(staff, pk)
    form = EmployerSupportForm(request.POST or None, people=people_i_work_with(staff))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_employer_support(employer=employer, by=staff, **form.cleaned_data)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Recorded")
            return redirect("employer_detail", pk=employer.pk)
    return render(request, "employers/support_new.jinja", {"form": form, "employer": employer})


@_GET_POST
@staff_required(Permission.WORK_WITH_EMPLOYERS)
def access_to_work(request, pk: int, application_pk: int | None = None):
    """Add an Access to Work application, or update one as it moves through DWP."""
    staff = request.staff
    employer = queries.employer_for(staff, pk)
    application = None
    if application_pk is not None:
        application = queries.access_to_work_for(staff, employer, application_pk)
    # From a person's return-to-work plan: ?person= picks them (only if on the list).
    initial = {"person": request.GET.get("person")}
    if application:
        initial = {
            "person": application.person_id,
            "support_type": application.support_type,
            "status": application.status,
            "submitted_on": application.submitted_on,
            "decided_on": application.decided_on,
            "note": application.note,
            "amount": plain_pounds(application.amount_pence or None),
        }
    form = AccessToWorkForm(request.POST or None, people=people_i_work_with(staff), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_access_to_work(
                employer=employer, application=application, data=form.cleaned_data, by=staff
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Access to Work application saved")
            return redirect("employer_detail", pk=employer.pk)
    return render(
        request,
        "employers/access_to_work.jinja",
        {"form": form, "employer": employer, "application": application},
    )
