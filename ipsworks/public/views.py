"""The public front door of each service, and the staff pages that look after it.

Public views need no sign-in. Each is shown in the service's chosen language (English, or
Welsh on request where the service offers it) by ``translation.override``, so staff pages
are never affected. Submissions are rate-limited per address, carry a honeypot field and
CSRF protection, and store nothing unless the whole form is valid.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ipsworks.access.decorators import staff_required
from ipsworks.access.roles import Permission
from ipsworks.core.dates import add_working_days, local_today
from ipsworks.public import content, presenters, queries, ratelimit, services
from ipsworks.public.forms import (
    AnswerEnquiryForm,
    EmployerEnquiryForm,
    PublicPageForm,
    SelfReferralForm,
)
from ipsworks.public.presenters import WELSH, public_url

_GET_POST = require_http_methods(["GET", "POST"])


def _posted(request):
    """The submitted data, even when empty (an empty POST must show its errors)."""
    return request.POST if request.method == "POST" else None


def public_view(view):
    """No sign-in; find the service's published page (else 404); pick the language."""

    @login_not_required
    @wraps(view)
    def wrapper(request, short_name: str):
        page = queries.published_page(short_name)
        language = presenters.language_for(request, page)
        with translation.override(language):
            response = view(request, page, language)
        response["Content-Language"] = "cy" if language == WELSH else "en-GB"
        return response

    return wrapper


def _render(request, page, language, template, context=None, status=200):
    full = presenters.layout_context(request, page, language)
    full.update(context or {})
    return render(request, template, full, status=status)


def _too_many(request, page, language):
    return _render(request, page, language, "public/rate_limited.jinja", status=429)


@public_view
@require_GET
def service_page(request, page, language):
    return _render(
        request,
        page,
        language,
        "public/service.jinja",
        {
            "about": presenters.about(page, language),
            "next_steps": presenters.next_steps(page, language),
            "contact": presenters.contact(page, language),
            "phone_href": presenters.phone_href(page.contact_phone),
            "refer_href": public_url("public_self_referral", page, language),
            "employer_href": public_url("public_employer_enquiry", page, language),
        },
    )


def _submission(request, page, language, form, submit, done_name, template):
    """The shared shape of a public form: limit, honeypot, validate, store, confirm."""
    done = public_url(done_name, page, language)
    if request.method == "POST":
        if not ratelimit.allow_submission(request):
            return _too_many(request, page, language)
        if form.is_spam():
            return redirect(done)  # a calm reply; nothing is stored
        if form.is_valid():
            try:
                submit(form)
            except ValidationError as error:
                form.apply_errors(error)
            else:
                return redirect(done)
    action = public_url(request.resolver_match.url_name, page, language)
    return _render(request, page, language, template, {"form": form, "action": action})


@public_view
@never_cache
@_GET_POST
def self_referral(request, page, language):
    form = SelfReferralForm(_posted(request), teams=queries.public_teams(page.service))

    def submit(form):
        services.submit_self_referral(
            service=page.service,
            person_details=form.person_details(),
            team=form.chosen_team(),
            work_interests=form.cleaned_data["work_interests"],
        )

    return _submission(
        request, page, language, form, submit, "public_self_referral_sent", "public/refer.jinja"
    )


@public_view
@require_GET
def self_referral_sent(request, page, language):
    reply_by = add_working_days(local_today(), page.reply_within_days)
    return _render(
        request,
        page,
        language,
        "public/refer_sent.jinja",
        {
            "next_steps": presenters.next_steps(page, language),
            "reply_by": presenters.long_date(reply_by, language),
            "phone_href": presenters.phone_href(page.contact_phone),
        },
    )


@public_view
@never_cache
@_GET_POST
def employer_enquiry(request, page, language):
    form = EmployerEnquiryForm(_posted(request))

    def submit(form):
        services.submit_employer_enquiry(
            service=page.service,
            employer_details=form.employer_details(),
            enquiry_details=form.enquiry_details(),
        )

    return _submission(
        request,
        page,
        language,
        form,
        submit,
        "public_employer_enquiry_sent",
        "public/employer_enquiry.jinja",
    )


@public_view
@require_GET
def employer_enquiry_sent(request, page, language):
    reply_by = add_working_days(local_today(), page.reply_within_days)
    return _render(
        request,
        page,
        language,
        "public/employer_enquiry_sent.jinja",
        {
            "reply_by": presenters.long_date(reply_by, language),
            "phone_href": presenters.phone_href(page.contact_phone),
        },
    )


@public_view
@require_GET
def privacy(request, page, language):
    return _render(
        request,
        page,
        language,
        "public/privacy.jinja",
        {
            "retention": content.retention_lines(),
            "phone_href": presenters.phone_href(page.contact_phone),
        },
    )


# --- Staff pages ------------------------------------------------------------------------------


@require_GET
@staff_required(Permission.MANAGE_STAFF)
def page_settings_home(request):
    return redirect("public_page_settings", short_name=request.staff.service.short_name)


@_GET_POST
@staff_required(Permission.MANAGE_STAFF)
def page_settings(request, short_name: str):
    staff = request.staff
    page = queries.page_settings_for(staff, short_name)
    initial = {name: getattr(page, name) for name in PublicPageForm.page_fields}
    form = PublicPageForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_public_page(service=staff.service, fields=form.fields_to_save(), by=staff)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Public page saved")
            return redirect("public_page_settings", short_name=short_name)
    return render(
        request,
        "public/page_settings.jinja",
        {
            "form": form,
            "page": page,
            "default_about": [str(line) for line in content.DEFAULT_ABOUT],
            "default_next_steps": content.default_next_steps(page.reply_within_days),
        },
    )


@require_GET
@staff_required(queries.ANSWERS_ENQUIRIES)
def enquiry_list(request):
    staff = request.staff
    return render(
        request,
        "public/enquiry_list.jinja",
        {
            "unanswered": list(queries.unanswered_enquiries_for(staff)[:200]),
            "answered": list(queries.recently_answered_enquiries_for(staff)),
        },
    )


@_GET_POST
@staff_required(queries.ANSWERS_ENQUIRIES)
def enquiry_answer(request, pk: int):
    staff = request.staff
    enquiry = queries.enquiry_for(staff, pk)
    form = AnswerEnquiryForm(_posted(request))
    if request.method == "POST" and not enquiry.is_answered and form.is_valid():
        try:
            services.answer_enquiry(enquiry=enquiry, note=form.cleaned_data["note"], by=staff)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"Enquiry from {enquiry.employer.name} marked as answered")
            return redirect("enquiry_list")
    return render(request, "public/enquiry_answer.jinja", {"enquiry": enquiry, "form": form})
