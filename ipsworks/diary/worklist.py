"""The "My tasks" page: what a specialist has to do, overdue first.

Two kinds of entry share the list. A **task** is stored (``Task``): someone typed it, on
the person's page or as a contact's "What happens next?", and it is ticked off here. The
others are **worked out** each time from the records they follow and are never stored,
so they cannot drift from them: an in-work support check-in due or overdue (jobs), a job
seeker 30 days or more past their first contact with no face-to-face employer contact
yet (IPS fidelity item 15, ``jobs.queries.job_seekers_awaiting_employer_contact``), and an
appointment with someone that has passed with its outcome not recorded. Each of those is
done by doing the thing it points at, so it has a link instead of a "Mark done" button.

The list is a fixed number of queries however long it is (asserted in the tests). A
person is named only where their record is in the viewer's scope: a task outlives the
person's move to another team.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from ipsworks.diary.models import Appointment, Task
from ipsworks.jobs import queries as jobs_queries
from ipsworks.jobs.week import FIRST_EMPLOYER_CONTACT_DAYS
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person

# A dated task this close is "due soon" rather than merely dated.
DUE_SOON_DAYS = 7


# --- what the caseload and the person's page read (people.progress) --------------------------


def open_tasks_overdue(today: date) -> Exists:
    """An open task for the referral's person, whoever owns it, was due before today."""
    return Exists(_open_for_person().filter(due_on__lt=today))


def next_task(today: date) -> Subquery:
    """What the referral's person's next open task is (the soonest due; undated last)."""
    return Subquery(_next().values("title")[:1])


def next_task_on(today: date) -> Subquery:
    return Subquery(_next().values("due_on")[:1])


def _open_for_person():
    return Task.objects.filter(person_id=OuterRef("person_id"), done_at__isnull=True)


def _next():
    return _open_for_person().order_by(F("due_on").asc(nulls_last=True), "pk")


# --- My tasks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    title: str
    source: str  # "Task", or what a worked-out entry follows
    due_on: date | None
    status: tuple[str, str]  # the tag: text and NHS.UK colour
    person_id: int | None = None
    person_name: str = ""  # blank: no person, or one the viewer may not read
    task_pk: int | None = None  # a stored task: it has a "Mark done" button
    link: str = ""  # a worked-out entry: where it is done

    @property
    def is_overdue(self) -> bool:
        return self.status[1] == "red"


def _status(due_on: date | None, today: date) -> tuple[str, str]:
    if due_on is None:
        return ("No date", "grey")
    days = (due_on - today).days
    if days < 0:
        return (f"{-days} {'day' if days == -1 else 'days'} overdue", "red")
    if days == 0:
        return ("Due today", "orange")
    if days <= DUE_SOON_DAYS:
        return (f"Due in {days} {'day' if days == 1 else 'days'}", "yellow")
    return ("Due later", "blue")


def order_key(entry: Entry, today: date) -> tuple:
    """Overdue first (the longest overdue at the top), then by due date, then undated."""
    if entry.due_on is None:
        return (2, date.max, entry.title)
    return (0 if entry.due_on < today else 1, entry.due_on, entry.title)


def my_tasks(staff: StaffMember, today: date) -> list[Entry]:
    """The staff member's open tasks and the entries worked out for them, in order."""
    tasks = list(Task.objects.visible_to(staff).open().filter(owner=staff).select_related("person"))
    check_ins = list(jobs_queries.support_due_for(staff, staff, today))
    seekers = [
        r
        for r in jobs_queries.job_seekers_awaiting_employer_contact(staff, staff, today)
        if r.first_employer_contact_on is None
        and (today - r.access_date).days >= FIRST_EMPLOYER_CONTACT_DAYS
    ]
    unrecorded = list(
        Appointment.objects.visible_to(staff)
        .filter(staff=staff, status=Appointment.Status.BOOKED, ends_at__lt=timezone.now())
        .exclude(kind=Appointment.Kind.OWN_TIME)  # time of one's own leaves nothing to record
        .order_by("starts_at", "pk")
    )
    person_ids = (
        {t.person_id for t in tasks}
        | {c.person_id for c in check_ins}
        | {r.person_id for r in seekers}
        | {a.person_id for a in unrecorded if a.person_id}
    )
    names = {
        pk: f"{given} {family}"
        for pk, given, family in Person.objects.visible_to(staff)
        .filter(pk__in=person_ids)
        .values_list("pk", "given_name", "family_name")
    }
    entries = [
        Entry(
            title=t.title,
            source="Task",
            due_on=t.due_on,
            status=_status(t.due_on, today),
            person_id=t.person_id,
            person_name=names.get(t.person_id, ""),
            task_pk=t.pk,
        )
        for t in tasks
    ]
    entries += [
        Entry(
            title=f"{c.get_kind_display()} for {c.job.job_title}",
            source="In-work support",
            due_on=c.due_on,
            status=_status(c.due_on, today),
            person_id=c.person_id,
            person_name=names.get(c.person_id, ""),
            link=reverse("my_week"),
        )
        for c in check_ins
    ]
    entries += [
        Entry(
            title="First face-to-face contact with an employer for them",
            source="30-day employer contact",
            due_on=(due := r.access_date + timedelta(days=FIRST_EMPLOYER_CONTACT_DAYS)),
            status=_status(due, today),
            person_id=r.person_id,
            person_name=names.get(r.person_id, ""),
            link=reverse("my_week"),
        )
        for r in seekers
    ]
    entries += [
        Entry(
            title=f"Record what happened: {a.title or a.get_kind_display()}",
            source="Appointment outcome",
            due_on=(day := timezone.localtime(a.starts_at).date()),
            status=("Outcome not recorded", "red" if day < today else "orange"),
            person_id=a.person_id,
            person_name=names.get(a.person_id, "") if a.person_id else "",
            link=reverse("appointment_detail", args=[a.pk]),
        )
        for a in unrecorded
    ]
    entries.sort(key=lambda e: order_key(e, today))
    return entries
