"""NHS England's IPS dashboard measures computed from MHSDS extracts, and from nothing else.

A second, deliberately plain implementation for the differential test: it reads only the CSV
files the app wrote, one ZIP per month, and follows nhsengland/MHSDS ``IPS Dashboard/IPS
Dashboard`` step by step (``Temp_IPSReferrals``, ``Temp_IPS_Activities``,
``Temp_IPS_Outcomes``, ``Temp_IPS_Agg``). It shares no code with ``ipsworks.outcomes``.
"""

import csv
import io
import zipfile
from collections import defaultdict
from datetime import date

DIRECT_MEDIA = {"01", "02", "04", "11"}
ATTENDED = {"5", "6"}
NOT_EMPLOYED = {"02", "03", "04", "05", "06", "07", "08"}
HOURS_BANDS = {"01": "30Hours", "02": "16to29Hours", "03": "15OrLess", "04": "15OrLess"}


def read(zip_bytes: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return {
            name.removesuffix(".csv"): list(
                csv.DictReader(io.StringIO(archive.read(name).decode("utf-8")))
            )
            for name in archive.namelist()
        }


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _fy_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def measures(months: list[dict]) -> list[dict[str, int]]:
    """The measures of every month, from that month's extract and the ones before it.

    ``months`` is the read extracts in month order, as NHS England holds every submission.
    """
    # Direct contacts of every referral in every submission (``Der_DirectContact``).
    direct: dict[str, list[date]] = defaultdict(list)
    for extract in months:
        for row in extract["MHS201CareContact"]:
            if row["AttendOrDNACode"] in ATTENDED and row["ConsMechanismMH"] in DIRECT_MEDIA:
                direct[row["ServiceRequestId"]].append(date.fromisoformat(row["CareContDate"]))
    first_ever = {request: min(days) for request, days in direct.items()}

    results = []
    for extract in months:
        header = extract["MHS000Header"][0]
        start = date.fromisoformat(header["ReportingPeriodStartDate"])
        end = date.fromisoformat(header["ReportingPeriodEndDate"])
        fy_start = _fy_start(start)
        ips = {
            row["ServiceRequestId"]
            for row in extract["MHS102ServiceTypeReferredTo"]
            if row["ServTeamTypeRefToMH"] == "D05"
        }
        referrals = [r for r in extract["MHS101Referral"] if r["ServiceRequestId"] in ips]

        # Employment: the first and last status of each person in this month's submission.
        statuses = defaultdict(list)
        for order, row in enumerate(extract["MHS004EmpStatus"]):
            statuses[row["LocalPatientId"]].append(
                (row["EmployStatusRecDate"], order, row["EmployStatus"], row["WeekHoursWorked"])
            )
        first_status, last_status, last_hours = {}, {}, {}
        for person, rows in statuses.items():
            rows.sort()
            first_status[person] = rows[0][2]
            last_status[person], last_hours[person] = rows[-1][2], rows[-1][3]

        m = defaultdict(int)
        for r in referrals:
            request, person = r["ServiceRequestId"], r["LocalPatientId"]
            received = date.fromisoformat(r["ReferralRequestReceivedDate"])
            discharged = _day(r["ServDischDate"])
            access = first_ever.get(request)
            in_fy = [d for d in direct.get(request, []) if fy_start <= d]
            first_in_fy = min((d for d in in_fy if d <= end), default=None)

            if start <= received <= end:
                m["NewReferrals"] += 1
                status = first_status.get(person, "0")
                if status == "01":
                    m["EmployedAtReferral"] += 1
                elif status in NOT_EMPLOYED:
                    m["NotEmployedAtReferral"] += 1
                elif status in ("0", "ZZ"):
                    m["UnknownEmployedAtReferral"] += 1
            if discharged is None or discharged > end:
                m["OpenReferrals"] += 1
                if access is not None and access <= end:
                    m["Caseload"] += 1
            if access is not None and start <= access <= end:
                m["AccessedFirstTimeEver"] += 1
                wait = (access - received).days
                if wait <= 7:
                    m["SeenIn7"] += 1
                elif wait <= 30:
                    m["SeenIn8To30"] += 1
                else:
                    m["SeenInOver30"] += 1
            if first_in_fy is not None and start <= first_in_fy <= end:
                m["AccessedInFinancialYear"] += 1
            if discharged is not None and start <= discharged <= end:
                m["ClosedReferrals"] += 1
                status = last_status.get(person, "0")
                hours = last_hours.get(person, "0")
                if status == "01":
                    m["EmployedAtDischarge"] += 1
                    band = {
                        "01": "30Hours",
                        "02": "16to29Hours",
                        "03": "15OrLess",
                        "04": "15OrLess",
                    }
                    name = band.get(hours)
                    if name == "15OrLess":
                        m["EmployedAtDischarge15OrLess"] += 1
                    elif name:
                        m[f"EmployedAtDischarge{name}"] += 1
                    else:
                        m["EmployedAtDischargeHoursMissing"] += 1
                elif status in NOT_EMPLOYED:
                    m["NotEmployedAtDischarge"] += 1
                elif status in ("0", "ZZ"):
                    m["UnknownEmployedAtDischarge"] += 1
                _band(m, "LengthOfReferral", (discharged - received).days)
                if access is not None:
                    _band(m, "TimeInCaseload", (discharged - access).days)

        for row in extract["MHS201CareContact"]:
            if row["ServiceRequestId"] not in ips:
                continue
            if row["AttendOrDNACode"] in ATTENDED and row["ConsMechanismMH"] in DIRECT_MEDIA:
                m["TotalContacts"] += 1
                medium = row["ConsMechanismMH"]
                if medium == "01":
                    m["TotalContactsF2F"] += 1
                elif medium == "02":
                    m["TotalContactsTelephone"] += 1
                elif medium == "11":
                    m["TotalContactsVideo"] += 1
        results.append(dict(m))
    return results


def _band(m, prefix: str, days: int) -> None:
    if days <= 90:
        m[f"{prefix}0To90"] += 1
    elif days <= 180:
        m[f"{prefix}91To180"] += 1
    else:
        m[f"{prefix}Over180"] += 1
