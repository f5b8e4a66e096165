"""Returns: the IPS Grow client-level return, the commissioner's aggregate return, the PDF.

The client-level return follows the shape of the IPS Grow reporting tool: client-level rows
with "referral date, vocational-profile date, job starts" (ips-reference.md §6), each job
start with its date, hours band and sustainment dates.

One row per referral episode, not one per person, on purpose: IPS Grow counts by episode
(a person re-referred after closure is accessed again and can come into work again through
the new referral, metric-definitions.md "people into work"), and each row's referral,
access and vocational profile dates must belong together. A person with two referrals open
in the period therefore has two rows; the "Person reference" column (pseudonymous, like
the client reference) links them, so people can still be counted.

The vocational profile date is that of the first profile version saved for the referral;
versions saved before the profile was linked to referrals count for the referral they were
saved during. Every job start is included: each row has columns for at least
``MIN_JOBS_IN_RETURN`` jobs, and the file gets more job columns when someone has more.
Dates are real dates (Excel date cells in the XLSX, ISO 8601 text in the CSV).
"""

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from ipsworks.core import documents
from ipsworks.core.dates import local_today
from ipsworks.core.documents import spreadsheet_safe
from ipsworks.jobs import rules as job_rules
from ipsworks.outcomes import metrics, presenters
from ipsworks.outcomes.periods import Period
from ipsworks.people.codes import WeeklyHoursWorked
from ipsworks.people.models import Referral

MIN_JOBS_IN_RETURN = 3
JOB_COLUMNS = 6


_BAND_LABELS = {
    WeeklyHoursWorked.HOURS_30_PLUS: "30+ hours",
    WeeklyHoursWorked.HOURS_16_29: "16-29 hours",
    WeeklyHoursWorked.HOURS_5_15: "5-15 hours",
    WeeklyHoursWorked.HOURS_1_4: "1-4 hours",
}


def hours_band(hours: Decimal) -> str:
    """The return's words for the MHSDS WeekHoursWorked band of contracted hours a week."""
    return _BAND_LABELS[WeeklyHoursWorked.for_hours(hours)]


def _profile_dates(referrals) -> dict[int, date]:
    """{referral id: date of its first vocational profile version} (one query).

    A version linked to the referral counts for it; an unlinked version counts for the
    referral open on the day it was saved.
    """
    from ipsworks.people.models import VocationalProfile

    by_person = defaultdict(list)
    for referral in referrals:
        by_person[referral.person_id].append(referral)
    found: dict[int, date] = {}
    unlinked = []
    for referral_id, person_id, recorded_at in (
        VocationalProfile.objects.filter(person_id__in=list(by_person))
        .order_by("recorded_at", "pk")
        .values_list("referral_id", "person_id", "recorded_at")
    ):
        day = timezone.localtime(recorded_at).date()
        if referral_id is None:
            unlinked.append((person_id, day))
        else:
            found.setdefault(referral_id, day)
    for person_id, day in unlinked:
        for referral in by_person[person_id]:
            during = referral.received_on <= day and (
                referral.closed_on is None or day <= referral.closed_on
            )
            if during and (referral.pk not in found or day < found[referral.pk]):
                found[referral.pk] = day
    return found


def client_level_rows(
    service_id: int, period: Period, progress=None
) -> tuple[list[str], list[list]]:
    """Header and rows of the client-level return (4 queries whatever the size)."""
    referrals = (
        Referral.objects.in_services([service_id])
        .filter(received_on__lte=period.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        .select_related("episode", "team")
        .order_by("received_on", "pk")
    )
    referral_list = list(referrals)
    profiles = _profile_dates(referral_list)
    starts = defaultdict(list)
    for job in (
        metrics.qualifying_job_starts([service_id])
        .filter(referral__in=[r.pk for r in referral_list], start_date__lte=period.end)
        .order_by("start_date", "pk")
    ):
        starts[job.referral_id].append(job)
    job_slots = max([MIN_JOBS_IN_RETURN, *(len(jobs) for jobs in starts.values())])
    header = [
        "Client reference",
        "Person reference",
        "Team",
        "Referral source",
        "Referral date",
        "Employment status at referral",
        "Job retention",
        "Access date (first direct contact)",
        "Vocational profile date",
        "Job starts",
    ]
    for n in range(1, job_slots + 1):
        header += [
            f"Job {n} start date",
            f"Job {n} hours band",
            f"Job {n} sustained 13 weeks",
            f"Job {n} sustained 26 weeks",
            f"Job {n} sustained 52 weeks",
            f"Job {n} end date",
        ]
    header += ["Discharge date", "Discharge reason"]
    today = min(period.end, local_today())
    rows = []
    total = len(referral_list) or 1
    for index, referral in enumerate(referral_list):
        episode = getattr(referral, "episode", None)
        jobs = starts.get(referral.pk, [])
        row = [
            f"IPS-{referral.service_id}-{referral.pk}",
            f"IPS-P-{referral.service_id}-{referral.person_id}",
            referral.team.name if referral.team else "",
            referral.get_source_display(),
            referral.received_on,
            referral.employment_status_at_referral,
            "Y" if referral.is_job_retention else "N",
            episode.access_date if episode else None,
            profiles.get(referral.pk),
            len(jobs),
        ]
        for job in jobs:
            row += [
                job.start_date,
                hours_band(job.hours_per_week),
                *[
                    job_rules.sustained_on(job.start_date, weeks)
                    if job_rules.is_sustained(job.start_date, job.end_date, weeks, today)
                    else None
                    for weeks in job_rules.SUSTAINMENT_WEEKS
                ],
                job.end_date,
            ]
        row += [None] * (JOB_COLUMNS * (job_slots - len(jobs)))
        discharged = referral.closed_on and referral.closed_on <= period.end
        row += [
            referral.closed_on if discharged else None,
            referral.get_closure_reason_display() if discharged else "",
        ]
        rows.append(row)
        if progress and index % 500 == 0:
            progress(int(100 * index / total))
    return header, rows


def commissioner_rows(services, period: Period) -> tuple[list[str], list[list]]:
    table, total = presenters.commissioner_table(services, period)
    header = (
        ["Service"] + [label for _, label in presenters.COMMISSIONER_COLUMNS] + ["Employment rate"]
    )
    rows = [[r.label] + [c.shown for c in r.cells] + [r.employment_rate] for r in table]
    rows.append([total.label] + [c.shown for c in total.cells] + [total.employment_rate])
    return header, rows


def to_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value):
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return spreadsheet_safe(value)


def to_xlsx(header: list[str], rows: list[list], title: str) -> bytes:
    """One sheet: header frozen in view, filters, widths to fit, dates as dates."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    documents.table(sheet, header, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
