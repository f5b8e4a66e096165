"""The MHSDS Intermediate Database (IDB) tables IPS Works writes, and the formats they must meet.

Table and field names are the IDB's (MHSDS version 5), as NHS Digital's own MHSDS v5 test
data names them and as NHS England's pre-processing reads them (nhsengland/MHSDS
``PreProcessing``). Each field says which NHS Data Dictionary element it carries, its
format in the Data Dictionary's notation (``an10 CCYY-MM-DD`` for a date, ``max an20`` for
up to 20 characters), whether IDB submission marks it mandatory (M), required when known (R)
or optional (O), and the codes it may hold. ``docs/mhsds.md`` is generated from this module
(``manage.py mhsds_docs``), so the documentation cannot drift from what is written.

:func:`problems` checks rows against these rules before an extract is offered: a file that
fails is refused with the first problems found, never handed over to be rejected later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import nhs_number

from ipsworks.activity.codes import AttendedOrDidNotAttend, ConsultationMedium
from ipsworks.people.codes import (
    REFERRAL_CLOSURE_REASON,
    EmploymentStatus,
    EthnicCategory,
    GenderIdentity,
    SourceOfReferral,
    WeeklyHoursWorked,
)

#: Individual Placement and Support Service, SERVICE OR TEAM TYPE FOR MENTAL HEALTH
#: (NHSDigital/mental-health-monthly-statistics ``menh_bbrb/schemas/00_create_common_objects/
#: 01_create_common_tables.py``); NHS England's IPS dashboard keeps referrals to it only.
IPS_TEAM_TYPE = "D05"

#: NHS NUMBER STATUS INDICATOR CODE: 02 present but not traced (IPS Works does not trace
#: against the Personal Demographics Service), 03 trace required (no number held).
NHS_NUMBER_PRESENT_NOT_TRACED = "02"
NHS_NUMBER_TRACE_REQUIRED = "03"

_FORMAT = re.compile(r"^(?:(?:min an(?P<low>\d+) )?max an(?P<high>\d+)|an(?P<exact>\d+))$")


@dataclass(frozen=True)
class Field:
    name: str
    element: str
    format: str  # an2, max an20, min an3 max an6, date, datetime, n10, max n5
    mandation: str  # M, R or O
    codes: tuple[str, ...] = ()
    meaning: str = ""

    def problem(self, value: str) -> str | None:
        """What is wrong with ``value`` for this field, or None."""
        if value == "":
            return "is missing" if self.mandation == "M" else None
        if self.codes and value not in self.codes:
            return f"{value!r} is not one of its codes"
        if self.format == "date":
            return None if _is_date(value) else f"{value!r} is not a date as CCYY-MM-DD"
        if self.format == "datetime":
            return None if _is_datetime(value) else f"{value!r} is not CCYY-MM-DDThh:mm:ss"
        if self.format == "n10 (NHS number)":
            return None if nhs_number.is_valid(value) else "is not a valid NHS number"
        if self.format.startswith("max n"):
            top = int(self.format.removeprefix("max n"))
            ok = value.isdigit() and len(value) <= top
            return None if ok else f"{value!r} is not a whole number of at most {top} digits"
        length = _FORMAT.match(self.format)
        assert length, f"unknown IDB format {self.format}"
        if length["exact"]:
            exact = int(length["exact"])
            return None if len(value) == exact else f"must be {exact} characters"
        low, high = int(length["low"] or 1), int(length["high"])
        if not low <= len(value) <= high:
            return f"must be {low} to {high} characters"
        return None


@dataclass(frozen=True)
class Table:
    name: str
    meaning: str
    fields: tuple[Field, ...]
    rows_are: str
    not_written: tuple[str, ...] = field(default=())

    @property
    def header(self) -> list[str]:
        return [f.name for f in self.fields]


def _is_date(value: str) -> bool:
    try:
        return len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _is_datetime(value: str) -> bool:
    try:
        return len(value) == 19 and datetime.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _codes(choices) -> tuple[str, ...]:
    return tuple(str(c) for c in choices.values)


_ORG = "min an3 max an6"
_LOCAL_ID = "max an20"
_PATIENT = Field("LocalPatientId", "LOCAL PATIENT IDENTIFIER (EXTENDED)", _LOCAL_ID, "M")
_REQUEST = Field("ServiceRequestId", "SERVICE REQUEST IDENTIFIER", _LOCAL_ID, "M")
_TEAM = Field(
    "CareProfTeamLocalId",
    "CARE PROFESSIONAL TEAM LOCAL IDENTIFIER",
    _LOCAL_ID,
    "M",
    meaning="The IPS service as one team: IPS followed by the service's number in IPS Works",
)

HEADER = Table(
    "MHS000Header",
    "One row: who is submitting, for which month",
    (
        Field("DatSetVer", "DATA SET VERSION NUMBER", "max an10", "M"),
        Field("OrgIDProvider", "ORGANISATION IDENTIFIER (CODE OF PROVIDER)", _ORG, "M"),
        Field(
            "OrgIDSubmit", "ORGANISATION IDENTIFIER (CODE OF SUBMITTING ORGANISATION)", _ORG, "M"
        ),
        Field("PrimSystemInUse", "PRIMARY DATA COLLECTION SYSTEM IN USE", "max an50", "R"),
        Field("ReportingPeriodStartDate", "REPORTING PERIOD START DATE", "date", "M"),
        Field("ReportingPeriodEndDate", "REPORTING PERIOD END DATE", "date", "M"),
        Field("DateTimeDatSetCreate", "DATE AND TIME DATA SET CREATED", "datetime", "M"),
    ),
    rows_are="one",
)

PATIENTS = Table(
    "MHS001MPI",
    "Master patient index: each person with a referral in the extract",
    (
        _PATIENT,
        Field(
            "OrgIDLocalPatientId", "ORGANISATION IDENTIFIER (LOCAL PATIENT IDENTIFIER)", _ORG, "M"
        ),
        Field("NHSNumber", "NHS NUMBER", "n10 (NHS number)", "R"),
        Field(
            "NHSNumberStatus",
            "NHS NUMBER STATUS INDICATOR CODE",
            "an2",
            "M",
            (NHS_NUMBER_PRESENT_NOT_TRACED, NHS_NUMBER_TRACE_REQUIRED),
        ),
        Field("PersonBirthDate", "PERSON BIRTH DATE", "date", "R"),
        Field("Postcode", "POSTCODE OF USUAL ADDRESS", "max an8", "R"),
        Field("GenderIDCode", "GENDER IDENTITY CODE", "an1", "R", _codes(GenderIdentity)),
        Field("EthnicCategory", "ETHNIC CATEGORY", "max an2", "R", _codes(EthnicCategory)),
    ),
    rows_are="each person with a referral open at some time in the month",
    not_written=(
        "Gender (PERSON STATED GENDER CODE), superseded by GenderIDCode",
        "GenderSameAtBirth, MaritalStatus, LanguageCodePreferred, OrgIDEduEstab, "
        "PersDeathDate: not asked by IPS Works",
        "Names, address lines, telephone and email: never in the MHSDS",
    ),
)

EMPLOYMENT = Table(
    "MHS004EmpStatus",
    "Employment status, each time it was recorded in the month",
    (
        _PATIENT,
        Field("EmployStatus", "EMPLOYMENT STATUS", "an2", "M", _codes(EmploymentStatus)),
        Field("EmployStatusRecDate", "EMPLOYMENT STATUS RECORDED DATE", "date", "M"),
        Field("WeekHoursWorked", "WEEKLY HOURS WORKED", "an2", "O", _codes(WeeklyHoursWorked)),
    ),
    rows_are=(
        "the status at referral (dated the day the referral was received) and the status "
        "at discharge (dated the day it closed), when either falls in the month and was "
        "recorded; a status not known yet is no row, never ZZ"
    ),
    not_written=("EmployStatusStartDate, EmployStatusEndDate: not held",),
)

REFERRALS = Table(
    "MHS101Referral",
    "Each referral to the IPS service open at some time in the month",
    (
        _REQUEST,
        _PATIENT,
        Field("ReferralRequestReceivedDate", "REFERRAL REQUEST RECEIVED DATE", "date", "M"),
        Field(
            "SourceOfReferralMH",
            "SOURCE OF REFERRAL FOR MENTAL HEALTH",
            "an2",
            "R",
            _codes(SourceOfReferral),
        ),
        Field("ServDischDate", "SERVICE DISCHARGE DATE", "date", "O"),
    ),
    rows_are="each referral received by the month's end and not discharged before it began",
    not_written=(
        "OrgIDComm (commissioner): not held; the trust's submission adds it",
        "ReferralRequestReceivedTime, ServDischTime: IPS Works records dates only",
        "PrimReasonReferralMH, ClinRespPriorityType and the clinical fields: not IPS's",
    ),
)

SERVICE_TYPES = Table(
    "MHS102ServiceTypeReferredTo",
    "The team each referral is to: the IPS service (team type D05)",
    (
        _REQUEST,
        _TEAM,
        Field(
            "ServTeamTypeRefToMH",
            "SERVICE OR TEAM TYPE REFERRED TO (MENTAL HEALTH)",
            "an3",
            "M",
            (IPS_TEAM_TYPE,),
        ),
        Field("ReferClosureDate", "REFERRAL CLOSURE DATE", "date", "O"),
        Field(
            "ReferClosReason",
            "REFERRAL CLOSURE REASON",
            "an2",
            "O",
            tuple(sorted(set(REFERRAL_CLOSURE_REASON.values()))),
        ),
    ),
    rows_are="one for each referral in MHS101Referral",
    not_written=(
        "ReferRejectionDate, ReferRejectReason: zero exclusion, so IPS Works never rejects",
    ),
)

CARE_CONTACTS = Table(
    "MHS201CareContact",
    "Each contact with the person in the month, attended or not",
    (
        Field("CareContactId", "CARE CONTACT IDENTIFIER", _LOCAL_ID, "M"),
        _REQUEST,
        _TEAM,
        Field("CareContDate", "CARE CONTACT DATE", "date", "M"),
        Field(
            "ClinContDurOfCareCont",
            "CLINICAL CONTACT DURATION OF CARE CONTACT (minutes)",
            "max n4",
            "O",
        ),
        Field(
            "ConsMechanismMH",
            "CONSULTATION MECHANISM",
            "an2",
            "M",
            _codes(ConsultationMedium),
        ),
        Field(
            "AttendOrDNACode",
            "ATTENDED OR DID NOT ATTEND",
            "an1",
            "M",
            _codes(AttendedOrDidNotAttend),
        ),
    ),
    rows_are="each contact with the person (or an attempt at one) dated in the month",
    not_written=(
        "CareContTime, ActLocTypeCode, CareContSubj, ConsType and the rest: not recorded",
    ),
)

INDIRECT = Table(
    "MHS204IndirectActivity",
    "Work on the person's behalf without them: with their family or clinical team",
    (
        _REQUEST,
        _TEAM,
        Field("IndirectActDate", "INDIRECT ACTIVITY DATE", "date", "M"),
        Field("DurationIndirectAct", "DURATION OF INDIRECT ACTIVITY (minutes)", "max n4", "O"),
    ),
    rows_are="each such conversation dated in the month",
    not_written=("IndirectActTime, CodeIndActProcAndProcStatus: not recorded",),
)

#: In the order the IDB lists them.
TABLES: tuple[Table, ...] = (
    HEADER,
    PATIENTS,
    EMPLOYMENT,
    REFERRALS,
    SERVICE_TYPES,
    CARE_CONTACTS,
    INDIRECT,
)


@dataclass(frozen=True)
class Problem:
    table: str
    row: int  # 1 is the first row after the header
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.table} row {self.row}, {self.field}: {self.message}"


def problems(tables: Mapping[str, Iterable[Mapping[str, str]]], limit: int = 20) -> list[Problem]:
    """The first ``limit`` rows and fields that do not meet the IDB's formats."""
    found: list[Problem] = []
    for table in TABLES:
        for number, row in enumerate(tables.get(table.name, ()), start=1):
            for spec in table.fields:
                message = spec.problem(row.get(spec.name, ""))
                if message:
                    found.append(Problem(table.name, number, spec.name, message))
                    if len(found) >= limit:
                        return found
    return found
