"""Jobs in words: whether a job counts, and why."""

from dataclasses import dataclass
from datetime import date

from ipsworks.core.dates import local_today
from ipsworks.core.formatting import uk_date
from ipsworks.jobs import rules
from ipsworks.jobs.models import Job, JobCorrection


def pounds(pence: int | None) -> str:
    return "Not recorded" if pence is None else f"£{pence / 100:,.2f}"


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
                f"{pounds(job.minimum_wage_pence)} an hour at the start"
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
            amount=f"{pounds(a.amount_pence)} a year" if a.amount_pence else "None",
            status={
                "text": a.get_status_display(),
                "colour": _ACCESS_TO_WORK_COLOURS.get(a.status, "grey"),
            },
        )
        for a in applications
    ]
