"""Build one service's MHSDS extract for a reporting month: one CSV per IDB table, in a ZIP.

What goes in follows how NHS England reads a month's submission for its IPS dashboard
(nhsengland/MHSDS ``IPS Dashboard/IPS Dashboard``): the referrals to the IPS team open at
some time in the month, their people, the contacts and indirect activity dated in the month,
and the employment statuses recorded in it. Nothing that the IDB does not ask for is
written (no names, address lines, telephone numbers or notes), and identifiers are IPS
Works' own numbers, which mean nothing outside the service. The NHS number is written
because the MHSDS asks for it to link records; NHS England's Data Processing Service
replaces it with a pseudonym on receipt.

Six queries, whatever the size; rows are streamed from the database, not held as models.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from ipsworks.activity.models import Contact
from ipsworks.organisations.models import Service
from ipsworks.outcomes.mhsds import idb
from ipsworks.outcomes.periods import Period
from ipsworks.people.codes import REFERRAL_CLOSURE_REASON
from ipsworks.people.models import Person, Referral

#: MHSDS version whose IDB names are written (``DatSetVer``).
DATA_SET_VERSION = "5.0"
SYSTEM = "IPS Works"

Rows = dict[str, list[dict[str, str]]]


class ExtractRefused(Exception):
    """The extract could not be offered; ``str()`` says why, for the person who asked."""


@dataclass(frozen=True)
class Extract:
    month: Period
    tables: Rows

    def count(self, table: str) -> int:
        return len(self.tables[table])

    def to_zip(self) -> bytes:
        """One CSV per table, named as the IDB names the table, with its field names."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in idb.TABLES:
                text = io.StringIO()
                writer = csv.DictWriter(text, fieldnames=table.header, lineterminator="\r\n")
                writer.writeheader()
                writer.writerows(self.tables[table.name])
                archive.writestr(f"{table.name}.csv", text.getvalue())
        return buffer.getvalue()


def team_id(service_id: int) -> str:
    return f"IPS{service_id}"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def is_one_month(period: Period) -> bool:
    start, end = period.start, period.end
    next_month = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start.day == 1 and (next_month - end).days == 1


def build(
    service: Service,
    month: Period,
    *,
    progress: Callable[[int], None] | None = None,
    now: datetime | None = None,
) -> Extract:
    """Every table for ``service`` and ``month``; :class:`ExtractRefused` if it cannot be."""
    if not is_one_month(month):
        raise ExtractRefused("An MHSDS extract is for one calendar month")
    if not service.ods_code:
        raise ExtractRefused(
            "The provider's ODS code is not recorded for this service: ask your "
            "administrator to add it, then build the extract again"
        )
    tell = progress or (lambda percent: None)
    start, end = month.start, month.end
    team = team_id(service.pk)
    created = timezone.localtime(now or timezone.now()).replace(microsecond=0, tzinfo=None)
    tables: Rows = {table.name: [] for table in idb.TABLES}
    tables["MHS000Header"].append(
        {
            "DatSetVer": DATA_SET_VERSION,
            "OrgIDProvider": service.ods_code,
            "OrgIDSubmit": service.ods_code,
            "PrimSystemInUse": SYSTEM,
            "ReportingPeriodStartDate": start.isoformat(),
            "ReportingPeriodEndDate": end.isoformat(),
            "DateTimeDatSetCreate": created.isoformat(),
        }
    )

    open_in_month = (
        Referral.objects.in_services([service.pk])
        .filter(received_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    )
    referrals = list(
        open_in_month.order_by("received_on", "pk").values(
            "pk",
            "person_id",
            "received_on",
            "source",
            "closed_on",
            "closure_reason",
            "employment_status_at_referral",
            "weekly_hours_at_referral",
            "episode__employment_status_at_discharge",
            "episode__weekly_hours_at_discharge",
        )
    )
    tell(20)
    for r in referrals:
        request = str(r["pk"])
        # As the month's submission would have said: a discharge after the month is not yet.
        closed = r["closed_on"] if r["closed_on"] and r["closed_on"] <= end else None
        reason = REFERRAL_CLOSURE_REASON.get(r["closure_reason"], "") if closed else ""
        tables["MHS101Referral"].append(
            {
                "ServiceRequestId": request,
                "LocalPatientId": str(r["person_id"]),
                "ReferralRequestReceivedDate": r["received_on"].isoformat(),
                "SourceOfReferralMH": r["source"],
                "ServDischDate": _day(closed),
            }
        )
        tables["MHS102ServiceTypeReferredTo"].append(
            {
                "ServiceRequestId": request,
                "CareProfTeamLocalId": team,
                "ServTeamTypeRefToMH": idb.IPS_TEAM_TYPE,
                "ReferClosureDate": _day(closed),
                "ReferClosReason": reason,
            }
        )
        tables["MHS004EmpStatus"].extend(_statuses(r, start, end))

    people = (
        Person.objects.filter(pk__in=open_in_month.values("person_id"))
        .order_by("pk")
        .values(
            "pk", "nhs_number", "date_of_birth", "postcode", "gender_identity", "ethnic_category"
        )
    )
    for p in people.iterator(chunk_size=2000):
        number = p["nhs_number"] or ""
        tables["MHS001MPI"].append(
            {
                "LocalPatientId": str(p["pk"]),
                "OrgIDLocalPatientId": service.ods_code,
                "NHSNumber": number,
                "NHSNumberStatus": idb.NHS_NUMBER_PRESENT_NOT_TRACED
                if number
                else idb.NHS_NUMBER_TRACE_REQUIRED,
                "PersonBirthDate": _day(p["date_of_birth"]),
                "Postcode": p["postcode"],
                "GenderIDCode": p["gender_identity"],
                "EthnicCategory": p["ethnic_category"],
            }
        )
    tell(40)

    contacts = (
        Contact.objects.in_services([service.pk])
        .filter(contact_date__gte=start, contact_date__lte=end)
        .filter(referral__in=open_in_month.values("pk"))
        .order_by("contact_date", "pk")
        .values(
            "pk",
            "referral_id",
            "contact_date",
            "duration_minutes",
            "consultation_medium",
            "attended_or_dna",
            "with_whom",
        )
    )
    for c in contacts.iterator(chunk_size=2000):
        minutes = "" if c["duration_minutes"] is None else str(c["duration_minutes"])
        if c["with_whom"] == Contact.With.PERSON:
            tables["MHS201CareContact"].append(
                {
                    "CareContactId": str(c["pk"]),
                    "ServiceRequestId": str(c["referral_id"]),
                    "CareProfTeamLocalId": team,
                    "CareContDate": c["contact_date"].isoformat(),
                    "ClinContDurOfCareCont": minutes,
                    "ConsMechanismMH": c["consultation_medium"],
                    "AttendOrDNACode": c["attended_or_dna"],
                }
            )
        else:
            tables["MHS204IndirectActivity"].append(
                {
                    "ServiceRequestId": str(c["referral_id"]),
                    "CareProfTeamLocalId": team,
                    "IndirectActDate": c["contact_date"].isoformat(),
                    "DurationIndirectAct": minutes,
                }
            )
    tell(80)

    found = idb.problems(tables)
    if found:
        listed = "; ".join(str(p) for p in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        raise ExtractRefused(
            f"The extract does not meet the MHSDS formats, so it was not offered: {listed}{more}"
        )
    tell(90)
    return Extract(month, tables)


def _statuses(referral: dict, start: date, end: date) -> list[dict[str, str]]:
    """MHS004 rows for a referral: its status at referral and at discharge, when recorded
    and dated in the month. The referral's row comes first, so on a day both are recorded
    the one at discharge is the later (NHS England takes the first of a month for "at
    referral" and the last for "at discharge")."""
    rows = []
    person = str(referral["person_id"])
    received, closed = referral["received_on"], referral["closed_on"]
    at_referral = referral["employment_status_at_referral"]
    if at_referral and start <= received <= end:
        rows.append(
            {
                "LocalPatientId": person,
                "EmployStatus": at_referral,
                "EmployStatusRecDate": received.isoformat(),
                "WeekHoursWorked": referral["weekly_hours_at_referral"],
            }
        )
    at_discharge = referral["episode__employment_status_at_discharge"]
    if at_discharge and closed is not None and start <= closed <= end:
        rows.append(
            {
                "LocalPatientId": person,
                "EmployStatus": at_discharge,
                "EmployStatusRecDate": closed.isoformat(),
                "WeekHoursWorked": referral["episode__weekly_hours_at_discharge"] or "",
            }
        )
    return rows
