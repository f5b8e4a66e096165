"""Jobs in words: whether a job counts, and why."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.core.dates import local_today
from ipsworks.core.formatting import hours, uk_date
from ipsworks.core.money import format_pence
from ipsworks.employers import queries as employer_queries
from ipsworks.employers.models import Employer
from ipsworks.jobs import offers, queries, rules
from ipsworks.jobs.models import Job, JobCorrection, ReturnToWorkPlan
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person, Referral


@dataclass(frozen=True)
class JobView:
    job: Job
    competitive_text: str
    counts_text: str
    milestones: list[tuple[int, date, bool]]

    @classmethod
    def of(cls, job: Job, today: date | None = None) -> "JobView":
        today = today or local_today()
        if job.competitive:
            minimum = (
                "self-employed, so no minimum wage applies"
                if job.minimum_wage_pence is None
                else "pays at least the legal minimum of "
                f"{format_pence(job.minimum_wage_pence)} an hour at the start"
            )
            competitive = (
                f"Competitive job: open to anyone, not set aside for disabled people, {minimum}."
            )
        else:
            check = rules.check_competitive(
                start_date=job.start_date,
                hourly_pay_pence=job.hourly_pay_pence,
                date_of_birth=job.person.date_of_birth,
                self_employed=job.contract_type == Job.ContractType.SELF_EMPLOYED,
                apprenticeship=job.contract_type == Job.ContractType.APPRENTICESHIP,
                open_labour_market=job.open_labour_market,
                reserved_for_disabled=job.reserved_for_disabled,
            )
            competitive = "Not a competitive job: " + "; ".join(check.reasons) + "."
        if job.held_at_referral:
            counts = "The job they had when referred (job retention): not a job start."
        elif not job.competitive:
            counts = "Does not count as a job start because it is not competitive."
        elif not job.four_hours_worked:
            counts = "Counts as a job start once they have done 4 hours of paid work."
        else:
            counts = "Counts as a job start."
        milestones = [
            (
                weeks,
                rules.sustained_on(job.start_date, weeks),
                rules.is_sustained(job.start_date, job.end_date, weeks, today),
            )
            for weeks in rules.SUSTAINMENT_WEEKS
        ]
        return cls(job, competitive, counts, milestones)


def correction_message(correction: JobCorrection) -> str:
    """What the correction changed that matters beyond the page: whether it is a job start."""
    job = correction.job
    said = "Job details corrected"
    if correction.competitive_after and not correction.competitive_before:
        return f"{said}. It is now a competitive job: {JobView.of(job).counts_text.lower()}"
    if correction.competitive_before and not correction.competitive_after:
        return f"{said}. It is no longer a competitive job, so it does not count as a job start"
    return said


def job_saved_message(job: Job) -> str:
    if job.held_at_referral:
        return "Job saved"
    return "Job start saved. In-work support check-ins are scheduled"


_ACCESS_TO_WORK_COLOURS = {
    "preparing": "grey",
    "submitted": "blue",
    "approved": "green",
    "declined": "red",
    "withdrawn": "grey",
}


@dataclass(frozen=True)
class AccessToWorkRow:
    """One Access to Work application as the return-to-work plan shows it."""

    pk: int
    employer_id: int
    employer: str
    support: str
    submitted: str
    decided: str
    amount: str
    status: dict[str, str]


def access_to_work_rows(applications) -> list[AccessToWorkRow]:
    """Applications (with their employers already loaded) in words, for a table."""
    return [
        AccessToWorkRow(
            pk=a.pk,
            employer_id=a.employer_id,
            employer=a.employer.name,
            support=a.get_support_type_display(),
            submitted=uk_date(a.submitted_on, "Not yet"),
            decided=uk_date(a.decided_on, "Not yet"),
            amount=f"{format_pence(a.amount_pence)} a year" if a.amount_pence else "None",
            status={
                "text": a.get_status_display(),
                "colour": _ACCESS_TO_WORK_COLOURS.get(a.status, "grey"),
            },
        )
        for a in applications
    ]


# The job start form's fields an accepted offer's link fills in, by query parameter.
_OFFER_PARAMETERS = {
    "employer": "employer",
    "job_title": "title",
    "soc_major_group": "soc",
    "hours_per_week": "hours",
    "hourly_pay": "pay",
    "application": "application",
}


@dataclass(frozen=True)
class NewJobPage:
    """What the job start form is built from: the employers and offers it may name, the
    offer its link came from, and what that link filled in."""

    employers: QuerySet[Employer]
    # Accepted offers the job may come from; None when matching is not installed.
    applications: QuerySet | None
    offer: Any | None
    initial: Mapping[str, str | None]

    @property
    def offer_already_recorded(self) -> int | None:
        """The job already recorded from the offer, so a second link does not record it twice."""
        return self.offer.recorded_job_id if self.offer is not None else None


def new_job_page(
    staff: StaffMember, person: Person, referral: Referral, params: Mapping[str, str]
) -> NewJobPage:
    """``params`` is the link's query string (an accepted offer's "record this job")."""
    source = offers.source()
    applications = source.for_person(staff, person) if source is not None else None
    initial: dict[str, str | None] = {
        field: params.get(name) for field, name in _OFFER_PARAMETERS.items()
    }
    offer = source.named(applications, initial["application"]) if source is not None else None
    # A job kept from before the referral is the usual case for job retention, unless the
    # job comes from an offer found since.
    if referral.is_job_retention and offer is None:
        initial["held_at_referral"] = "held"
    return NewJobPage(
        employers=Employer.objects.visible_to(staff).order_by("name"),
        applications=applications,
        offer=offer,
        initial=initial,
    )


def held_job(person: Person, referral: Referral | None) -> Job | None:
    """The job the person had when this referral came in, the one a return-to-work plan is
    about; None when the referral is not open for job retention or the job is not recorded."""
    if referral is None or not referral.is_open or not referral.is_job_retention:
        return None
    held = [
        j for j in queries.jobs_of(person) if j.held_at_referral and j.referral_id == referral.pk
    ]
    return held[0] if held else None


def return_to_work_initial(plan: ReturnToWorkPlan | None) -> dict[str, object]:
    """The latest plan as the form starts from it: a new plan is the old one revised."""
    if plan is None:
        return {}
    return {
        "planned_return_on": plan.planned_return_on,
        "phased_hours": ", ".join(hours(h) for h in plan.phased_hours),
        "adjustments": plan.adjustments,
        "notes": plan.notes,
        "review_on": plan.review_on,
    }


@dataclass(frozen=True)
class ReturnToWorkPage:
    """Beside the plan, Access to Work: it pays for the adjustments a plan relies on."""

    job: Job
    access_to_work: list[AccessToWorkRow]
    # Where "record an application" points: the employer they are returning to, for staff
    # who work with employers; None hides the link.
    access_to_work_employer_id: int | None
    can_update_access_to_work: bool


def return_to_work_page(staff: StaffMember, person: Person, job: Job) -> ReturnToWorkPage:
    works_with_employers = has_role_permission(staff, Permission.WORK_WITH_EMPLOYERS)
    return ReturnToWorkPage(
        job=job,
        access_to_work=access_to_work_rows(employer_queries.access_to_work_of(person)),
        access_to_work_employer_id=job.employer_id if works_with_employers else None,
        can_update_access_to_work=works_with_employers,
    )


def work_tab(person) -> str:
    """The person's record opened at the Work tab, where their education is listed."""
    return reverse("person_detail", args=[person.pk]) + "#work"
