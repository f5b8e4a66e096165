"""Returns: the IPS Grow client-level return, the commissioner's aggregate return, the PDF.

The client-level return follows the shape of the IPS Grow reporting tool: one row per
referral open at any time in the period, with referral, access and vocational profile
dates, and each job start with its date, hours band and sustainment dates.
"""

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Min, Q
from django.utils import timezone

from ipsworks.access import scoping
from ipsworks.core.dates import local_today
from ipsworks.jobs import rules as job_rules
from ipsworks.outcomes import metrics, presenters
from ipsworks.outcomes.periods import Period

MAX_JOBS_IN_RETURN = 3


def hours_band(hours: Decimal) -> str:
    """MHSDS WeekHoursWorked band for contracted hours a week."""
    if hours >= 30:
        return "30+ hours"
    if hours >= 16:
        return "16-29 hours"
    if hours >= 5:
        return "5-15 hours"
    return "1-4 hours"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def client_level_rows(
    service_id: int, period: Period, progress=None
) -> tuple[list[str], list[list]]:
    """Header and rows of the client-level return (3 queries whatever the size)."""
    referrals = (
        scoping.referrals_in_services([service_id])
        .filter(received_on__lte=period.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        .select_related("episode", "team")
        .annotate(
            profile_at=Min("person__profiles__recorded_at"),
        )
        .order_by("received_on", "pk")
    )
    referral_list = list(referrals)
    starts = defaultdict(list)
    for job in (
        metrics.qualifying_job_starts([service_id])
        .filter(referral__in=[r.pk for r in referral_list], start_date__lte=period.end)
        .order_by("start_date", "pk")
    ):
        starts[job.referral_id].append(job)
    header = [
        "Client reference",
        "Team",
        "Referral source",
        "Referral date",
        "Employment status at referral",
        "Job retention",
        "Access date (first direct contact)",
        "Vocational profile date",
    ]
    for n in range(1, MAX_JOBS_IN_RETURN + 1):
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
        profile_date = (
            timezone.localtime(referral.profile_at).date() if referral.profile_at else None
        )
        row = [
            f"IPS-{referral.service_id}-{referral.pk}",
            referral.team.name if referral.team else "",
            referral.get_source_display(),
            _iso(referral.received_on),
            referral.employment_status_at_referral,
            "Y" if referral.is_job_retention else "N",
            _iso(episode.access_date if episode else None),
            _iso(profile_date),
        ]
        jobs = starts.get(referral.pk, [])[:MAX_JOBS_IN_RETURN]
        for job in jobs:
            row += [
                _iso(job.start_date),
                hours_band(job.hours_per_week),
                *[
                    _iso(job_rules.sustained_on(job.start_date, weeks))
                    if job_rules.is_sustained(job.start_date, job.end_date, weeks, today)
                    else ""
                    for weeks in job_rules.SUSTAINMENT_WEEKS
                ],
                _iso(job.end_date),
            ]
        row += [""] * (6 * (MAX_JOBS_IN_RETURN - len(jobs)))
        row += [
            _iso(
                referral.closed_on
                if referral.closed_on and referral.closed_on <= period.end
                else None
            ),
            referral.get_closure_reason_display()
            if referral.closed_on and referral.closed_on <= period.end
            else "",
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
        writer.writerow([_safe_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(header: list[str], rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe_cell(value):
    """Stop a spreadsheet treating text as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
