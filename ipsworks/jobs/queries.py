"""Scoped reads for jobs and in-work support."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from ipsworks.employers.queries import first_face_to_face_contact_from
from ipsworks.jobs.models import EducationOrTraining, Job, ReturnToWorkPlan, SupportCheckIn
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person, Referral, ReferralStatus


def job_for(staff: StaffMember, pk: int) -> Job:
    return get_object_or_404(
        Job.objects.visible_to(staff).select_related("person", "employer", "referral"), pk=pk
    )


def jobs_of(person: Person) -> list[Job]:
    """A person's jobs, newest first, with employers (person already in scope)."""
    return list(
        Job.objects.filter(person=person)
        .select_related("employer")
        .prefetch_related("pay_changes")
        .order_by("-start_date", "-pk")
    )


def education_for(staff: StaffMember, pk: int) -> EducationOrTraining:
    return get_object_or_404(
        EducationOrTraining.objects.visible_to(staff).select_related("person", "referral"),
        pk=pk,
    )


def education_of(person: Person) -> list[EducationOrTraining]:
    """A person's education and training, newest first (person already in scope)."""
    return list(EducationOrTraining.objects.filter(person=person).order_by("-started_on", "-pk"))


def open_check_ins_of(person: Person) -> list[SupportCheckIn]:
    return list(
        SupportCheckIn.objects.filter(person=person, met_on__isnull=True, cancelled=False)
        .select_related("job")
        .order_by("due_on")
    )


def latest_return_to_work_plan(person: Person) -> ReturnToWorkPlan | None:
    return (
        ReturnToWorkPlan.objects.filter(referral__person=person)
        .select_related("job", "recorded_by__user")
        .order_by("-recorded_at")
        .first()
    )


# The caseload flags in-work support check-ins due within the coming week, to plan for them.
SUPPORT_DUE_SOON_DAYS = 7


def in_work(today: date) -> Exists:
    """The referral's person has a job that has started and not ended (``people.progress``:
    ``in_work``, the caseload's "In work" stage)."""
    return Exists(
        Job.objects.filter(
            person_id=OuterRef("person_id"), start_date__lte=today, end_date__isnull=True
        )
    )


def support_overdue(today: date) -> Exists:
    """An open in-work support check-in for the referral's person was due before today."""
    return _open_check_in(due_on__lt=today)


def support_due_soon(today: date) -> Exists:
    """An open in-work support check-in due from today to SUPPORT_DUE_SOON_DAYS ahead."""
    return _open_check_in(
        due_on__gte=today, due_on__lte=today + timedelta(days=SUPPORT_DUE_SOON_DAYS)
    )


def _open_check_in(**due) -> Exists:
    return Exists(
        SupportCheckIn.objects.filter(
            person_id=OuterRef("person_id"), met_on__isnull=True, cancelled=False, **due
        )
    )


def support_due_for(
    staff: StaffMember, owner: StaffMember, today: date, *, ahead_days: int = 7
) -> QuerySet[SupportCheckIn]:
    """Open check-ins for people on ``owner``'s caseload that are overdue or due soon."""
    caseload_people = (
        Referral.objects.visible_to(staff)
        .filter(allocated_to=owner)
        .exclude(status=ReferralStatus.CLOSED)
        .values("person_id")
    )
    return (
        SupportCheckIn.objects.visible_to(staff)
        .filter(
            person_id__in=caseload_people,
            met_on__isnull=True,
            cancelled=False,
            due_on__lte=today + timedelta(days=ahead_days),
        )
        .select_related("person", "job", "job__employer")
        .order_by("due_on", "pk")
    )


def hours_worked_on(person: Person, on: date) -> Decimal | None:
    """Hours a week in all the person's jobs on ``on`` (a job ending that day included, pay
    changes applied), or None when they have no job then: WEEKLY HOURS WORKED's question."""
    from ipsworks.jobs.services import pay_and_hours_on

    live = Job.objects.filter(person=person, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    jobs = list(live)
    if not jobs:
        return None
    return sum((pay_and_hours_on(job, on)[1] for job in jobs), Decimal(0))


def job_seekers_awaiting_employer_contact(staff: StaffMember, owner: StaffMember, today: date):
    """Job seekers on the caseload: days since access, first face-to-face employer contact.

    IPS fidelity item 15 (rapid job search): the first face-to-face employer contact on the
    person's behalf should come within 30 days of access.
    """
    first_contact = first_face_to_face_contact_from("episode__access_date")
    return (
        Referral.objects.visible_to(staff)
        .filter(allocated_to=owner, pathway=Referral.Pathway.JOB_SEEKING, episode__isnull=False)
        .exclude(status=ReferralStatus.CLOSED)
        .annotate(
            access_date=F("episode__access_date"),
            first_employer_contact_on=first_contact,
            in_work=in_work(today),
        )
        .filter(in_work=False)
        .select_related("person")
        .order_by("access_date")
    )
