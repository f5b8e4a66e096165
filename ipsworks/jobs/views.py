"""Pages for job starts, job endings, pay changes, return-to-work plans and education."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipsworks.access.decorators import staff_required
from ipsworks.access.roles import Permission
from ipsworks.access.rules import may
from ipsworks.core import page_cache
from ipsworks.core.dates import local_today
from ipsworks.employers import queries as employer_queries
from ipsworks.employers.models import Employer
from ipsworks.jobs import notices, presenters, queries, services, week
from ipsworks.jobs.forms import (
    EducationForm,
    EndEducationForm,
    EndJobForm,
    JobCorrectionForm,
    JobForm,
    PayChangeForm,
    ReturnToWorkPlanForm,
)
from ipsworks.people import queries as people_queries
from ipsworks.people.pages import person_page

_GET_POST = require_http_methods(["GET", "POST"])


@_GET_POST
@person_page(Permission.EDIT_PERSON_RECORD)
def job_new(request, person):
    referral = people_queries.current_referral(person)
    if referral is None or not referral.is_open:
        messages.info(request, "This person has no open referral. Re-refer them to record a job")
        return redirect("person_detail", pk=person.pk)
    page = presenters.new_job_page(request.staff, person, referral, request.GET)
    if request.method == "GET" and page.offer_already_recorded is not None:
        messages.info(request, services.APPLICATION_ALREADY_RECORDED)
        return redirect("job_detail", pk=page.offer_already_recorded)
    form = JobForm(
        request.POST or None,
        employers=page.employers,
        person=person,
        applications=page.applications,
        initial=page.initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.record_job(
                referral=referral,
                details=form.details(),
                application=form.cleaned_data["application"],
                by=request.staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, presenters.job_saved_message(job))
            return redirect("job_detail", pk=job.pk)
    return render(
        request,
        "jobs/job_new.jinja",
        {"form": form, "person": person, "referral": referral, "offer": page.offer},
    )


@require_GET
@person_page(Permission.VIEW_PERSON_RECORD, via=queries.job_for)
def job_detail(request, job):
    staff = request.staff
    can_edit = may(staff, Permission.EDIT_PERSON_RECORD, job.person)
    return _job_page(
        request,
        job,
        can_edit=can_edit,
        end_form=EndJobForm() if can_edit and job.is_current else None,
        pay_form=PayChangeForm() if can_edit and job.is_current else None,
    )


@require_POST
@person_page(Permission.EDIT_PERSON_RECORD, via=queries.job_for)
def job_end(request, job):
    form = EndJobForm(request.POST)
    if form.is_valid():
        try:
            services.end_job(job=job, by=request.staff, **form.cleaned_data)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Job ended. A contact within 3 days has been scheduled")
            return redirect("job_detail", pk=job.pk)
    return _job_form_errors(request, job, end_form=form)


@require_POST
@person_page(Permission.EDIT_PERSON_RECORD, via=queries.job_for)
def job_pay_change(request, job):
    form = PayChangeForm(request.POST)
    if form.is_valid():
        try:
            services.record_pay_change(
                job=job,
                effective_on=form.cleaned_data["effective_on"],
                hourly_pay_pence=form.cleaned_data["hourly_pay"],
                hours_per_week=form.cleaned_data["hours_per_week"],
                by=request.staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Pay change recorded")
            return redirect("job_detail", pk=job.pk)
    return _job_form_errors(request, job, pay_form=form)


@require_POST
@person_page(Permission.EDIT_PERSON_RECORD, via=queries.job_for)
def job_confirm_hours(request, job):
    try:
        services.confirm_four_hours(job=job, by=request.staff)
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, "Confirmed: the job now counts as a job start")
    return redirect("job_detail", pk=job.pk)


def _job_form_errors(request, job, *, end_form=None, pay_form=None):
    return _job_page(
        request,
        job,
        can_edit=True,
        end_form=end_form or EndJobForm(),
        pay_form=pay_form or PayChangeForm(),
    )


def _job_page(request, job, *, can_edit: bool, end_form, pay_form):
    return render(
        request,
        "jobs/job_detail.jinja",
        {
            "job": job,
            "view": presenters.JobView.of(job),
            "check_ins": list(job.check_ins.order_by("due_on")),
            "pay_changes": list(job.pay_changes.all()),
            "corrections": list(job.corrections.select_related("recorded_by__user")),
            "notices": notices.for_job(job),
            "can_edit": can_edit,
            "end_form": end_form,
            "pay_form": pay_form,
        },
    )


@_GET_POST
@person_page(Permission.EDIT_PERSON_RECORD, via=queries.job_for)
def job_correct(request, job):
    """Correct details recorded wrongly, with the reason (kept with the job's history)."""
    form = JobCorrectionForm(
        request.POST or None,
        job=job,
        employers=Employer.objects.visible_to(request.staff).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.correct_job(
                job=job,
                details=form.details(),
                reason=form.cleaned_data["reason"],
                by=request.staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, presenters.correction_message(correction))
            return redirect("job_detail", pk=job.pk)
    return render(request, "jobs/job_correct.jinja", {"form": form, "job": job})


@_GET_POST
@person_page(Permission.EDIT_PERSON_RECORD)
def return_to_work(request, person):
    referral = people_queries.current_referral(person)
    job = presenters.held_job(person, referral)
    if job is None:
        messages.info(
            request, "Record the job they had when referred before making a return-to-work plan"
        )
        return redirect("person_detail", pk=person.pk)
    initial = presenters.return_to_work_initial(queries.latest_return_to_work_plan(person))
    form = ReturnToWorkPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_return_to_work_plan(
                referral=referral, job=job, by=request.staff, **form.cleaned_data
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Return-to-work plan saved")
            return redirect("person_detail", pk=person.pk)
    page = presenters.return_to_work_page(request.staff, person, job)
    return render(
        request,
        "jobs/return_to_work.jinja",
        {
            "form": form,
            "person": person,
            "job": page.job,
            "access_to_work": page.access_to_work,
            "access_to_work_employer_id": page.access_to_work_employer_id,
            "can_update_access_to_work": page.can_update_access_to_work,
        },
    )


@_GET_POST
@person_page(Permission.EDIT_PERSON_RECORD)
def education_new(request, person):
    """Record a course or training starting: its own outcome, never a job start."""
    referral = people_queries.current_referral(person)
    if referral is None or not referral.is_open:
        messages.info(
            request, "This person has no open referral. Re-refer them to record education"
        )
        return redirect("person_detail", pk=person.pk)
    form = EducationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.record_education_start(
                referral=referral, details=form.details(), by=request.staff
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"Education or training recorded: {course}")
            return redirect(presenters.work_tab(person))
    return render(request, "jobs/education_new.jinja", {"form": form, "person": person})


@_GET_POST
@person_page(Permission.EDIT_PERSON_RECORD, via=queries.education_for)
def education_end(request, course):
    """Record that a course was completed or left early."""
    if not course.is_ongoing:
        messages.info(request, "This course has already ended")
        return redirect(presenters.work_tab(course.person))
    form = EndEducationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_education_end(course=course, by=request.staff, **form.cleaned_data)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"{course.get_outcome_display()}: {course}")
            return redirect(presenters.work_tab(course.person))
    return render(request, "jobs/education_end.jinja", {"form": form, "course": course})


@require_GET
@staff_required(Permission.VIEW_CASELOAD)
def my_week(request):
    """The specialist's week: employer contacts against target, job seekers, in-work support."""
    staff = request.staff

    def context():
        today = local_today()
        start, end = employer_queries.week_of(today)
        seekers = [
            week.SeekerRow.of(referral, today)
            for referral in queries.job_seekers_awaiting_employer_contact(staff, staff, today)
        ]
        seekers = [row for row in seekers if row.first_contact_on is None]
        seekers.sort(key=lambda row: -row.days_since_access)
        due = [week.CheckInRow.of(c, today) for c in queries.support_due_for(staff, staff, today)]
        return {
            "week_start": start,
            "week_end": end,
            "target": week.employer_contact_target(staff.fte),
            "face_to_face": employer_queries.face_to_face_contacts(staff, staff, start, end),
            "seekers": seekers,
            "due": due,
            "today": today,
        }

    return page_cache.render_page(request, "activity/my_week.jinja", context)
