"""The measures of NHS England's IPS dashboard, computed by IPS Works for a month or a
financial year, so a service sees the figures NHS England will publish for it.

Source: nhsengland/MHSDS, ``IPS Dashboard/IPS Dashboard`` (the ``Temp_IPS_Agg`` step). Each
month NHS England reads the referrals open at some time in the month and counts:

* new referrals (received in the month), closed referrals (discharged in the month), open
  referrals (not discharged by its end) and the caseload (not discharged, first direct
  contact on or before its end);
* referrals accessed for the first time ever, and accessed in the financial year, in the
  month; first-time accesses seen within 7, 8 to 30 and over 30 days of referral;
* direct contacts in the month, and those face to face, by telephone and by video;
* for referrals closed in the month: employed (EMPLOYMENT STATUS 01), not employed (02 to
  08) or unknown at discharge; those employed by WEEKLY HOURS WORKED (01: 30 or more,
  02: 16 to 29, 03 and 04: 15 or fewer, anything else missing); length of referral and time
  in the caseload (from first direct contact), 0 to 90, 91 to 180 and over 180 days;
* for referrals received in the month: employed, not employed or unknown at referral.

A financial year adds up its months (flows) and takes the caseload and open referrals at
its last month (snapshots).

Employment status is read as NHS England reads the month's MHS004EmpStatus rows: "at
referral" is the first status recorded in the month, "at discharge" the last (the
``EmployStatusFirst`` and ``EmployStatusLast`` of ``Temp_IPS_Outcomes``). IPS Works records
a status at referral and one at discharge (``Episode.employment_status_at_discharge``), and
its MHSDS extract dates them on those days (:mod:`ipsworks.outcomes.mhsds.extract`); so a
referral received and closed in one month with only one of the two recorded counts that one
both ways, as it would nationally. The differential test checks these figures against the
same measures computed from the extract.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, Value, When
from django.db.models.expressions import CombinedExpression

from ipsworks.activity.codes import ConsultationMedium
from ipsworks.activity.models import Contact
from ipsworks.outcomes.metrics.conditions import ServiceIds
from ipsworks.outcomes.metrics.financial_year import accessed_in_financial_year
from ipsworks.outcomes.periods import Period, month
from ipsworks.people.codes import EmploymentStatus, WeeklyHoursWorked
from ipsworks.people.models import Episode, Referral

#: (id as NHS England names it, what the page calls it), in the dashboard's order.
MEASURES: tuple[tuple[str, str], ...] = (
    ("NewReferrals", "New referrals"),
    ("OpenReferrals", "Open referrals at the end"),
    ("ClosedReferrals", "Closed referrals"),
    ("Caseload", "Caseload at the end"),
    ("AccessedFirstTimeEver", "Accessed for the first time ever"),
    ("AccessedInFinancialYear", "Accessed in the financial year"),
    ("SeenIn7", "First seen within 7 days of referral"),
    ("SeenIn8To30", "First seen 8 to 30 days after referral"),
    ("SeenInOver30", "First seen over 30 days after referral"),
    ("TotalContacts", "Direct contacts"),
    ("TotalContactsF2F", "Direct contacts face to face"),
    ("TotalContactsTelephone", "Direct contacts by telephone"),
    ("TotalContactsVideo", "Direct contacts by video"),
    ("EmployedAtReferral", "Employed at referral"),
    ("NotEmployedAtReferral", "Not employed at referral"),
    ("UnknownEmployedAtReferral", "Employment unknown at referral"),
    ("EmployedAtDischarge", "Employed at discharge"),
    ("NotEmployedAtDischarge", "Not employed at discharge"),
    ("UnknownEmployedAtDischarge", "Employment unknown at discharge"),
    ("EmployedAtDischarge30Hours", "Employed at discharge, 30 hours or more"),
    ("EmployedAtDischarge16to29Hours", "Employed at discharge, 16 to 29 hours"),
    ("EmployedAtDischarge15OrLess", "Employed at discharge, 15 hours or fewer"),
    ("EmployedAtDischargeHoursMissing", "Employed at discharge, hours missing"),
    ("LengthOfReferral0To90", "Closed: referral lasted 0 to 90 days"),
    ("LengthOfReferral91To180", "Closed: referral lasted 91 to 180 days"),
    ("LengthOfReferralOver180", "Closed: referral lasted over 180 days"),
    ("TimeInCaseload0To90", "Closed: in the caseload 0 to 90 days"),
    ("TimeInCaseload91To180", "Closed: in the caseload 91 to 180 days"),
    ("TimeInCaseloadOver180", "Closed: in the caseload over 180 days"),
)
#: Measures taken at the end of the period, not added up over its months.
SNAPSHOTS = frozenset({"OpenReferrals", "Caseload"})

_NOT_EMPLOYED = sorted(EmploymentStatus.out_of_work())
_HOURS = {
    "EmployedAtDischarge30Hours": [WeeklyHoursWorked.HOURS_30_PLUS],
    "EmployedAtDischarge16to29Hours": [WeeklyHoursWorked.HOURS_16_29],
    "EmployedAtDischarge15OrLess": [WeeklyHoursWorked.HOURS_5_15, WeeklyHoursWorked.HOURS_1_4],
}


@dataclass(frozen=True)
class Measures:
    period: Period
    values: dict[str, int]

    def rows(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.values[key]) for key, label in MEASURES]


# Quoted: ExpressionWrapper takes a type argument at run time only once django-stubs-ext
# has patched it, and these annotations must not depend on that.
def _days(later: str, earlier: str) -> "ExpressionWrapper[CombinedExpression]":
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def _bands(prefix: str, among: Q) -> dict[str, Count]:
    """0 to 90, 91 to 180 and over 180 days, on a row annotated with ``prefix`` days."""
    low, high = timedelta(days=90), timedelta(days=180)
    return {
        f"{prefix}0To90": Count("pk", filter=among & Q(**{f"{prefix}__lte": low})),
        f"{prefix}91To180": Count(
            "pk", filter=among & Q(**{f"{prefix}__gt": low, f"{prefix}__lte": high})
        ),
        f"{prefix}Over180": Count("pk", filter=among & Q(**{f"{prefix}__gt": high})),
    }


def month_measures(service_ids: ServiceIds, period: Period) -> Measures:
    """Every measure for one calendar month, over ``service_ids`` together. Four queries."""
    start, end = period.start, period.end
    received = Q(received_on__gte=start, received_on__lte=end)
    closed = Q(closed_on__gte=start, closed_on__lte=end)
    open_at_end = Q(closed_on__isnull=True) | Q(closed_on__gt=end)
    at_discharge, hours, first_status = "last_status", "last_hours", "first_status"
    employed_out = closed & Q(**{at_discharge: EmploymentStatus.EMPLOYED})
    recorded_at_referral = received & ~Q(employment_status_at_referral="")
    recorded_at_discharge = (
        closed & Q(episode__isnull=False) & ~Q(episode__employment_status_at_discharge="")
    )
    referrals = (
        Referral.objects.in_services(service_ids)
        .filter(Q(received_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start)))
        .annotate(
            LengthOfReferral=_days("closed_on", "received_on"),
            TimeInCaseload=_days("closed_on", "episode__access_date"),
            # The month's first and last recorded status (MHS004), as the docstring says.
            first_status=Case(
                When(recorded_at_referral, then=F("employment_status_at_referral")),
                When(recorded_at_discharge, then=F("episode__employment_status_at_discharge")),
                default=Value(""),
            ),
            last_status=Case(
                When(recorded_at_discharge, then=F("episode__employment_status_at_discharge")),
                When(recorded_at_referral, then=F("employment_status_at_referral")),
                default=Value(""),
            ),
            last_hours=Case(
                When(recorded_at_discharge, then=F("episode__weekly_hours_at_discharge")),
                When(recorded_at_referral, then=F("weekly_hours_at_referral")),
                default=Value(""),
            ),
        )
        .aggregate(
            NewReferrals=Count("pk", filter=received),
            ClosedReferrals=Count("pk", filter=closed),
            OpenReferrals=Count("pk", filter=open_at_end),
            Caseload=Count("pk", filter=open_at_end & Q(episode__access_date__lte=end)),
            EmployedAtReferral=Count(
                "pk", filter=received & Q(**{first_status: EmploymentStatus.EMPLOYED})
            ),
            NotEmployedAtReferral=Count(
                "pk", filter=received & Q(**{f"{first_status}__in": _NOT_EMPLOYED})
            ),
            UnknownEmployedAtReferral=Count(
                "pk",
                filter=received & Q(**{f"{first_status}__in": ["", EmploymentStatus.NOT_STATED]}),
            ),
            EmployedAtDischarge=Count("pk", filter=employed_out),
            NotEmployedAtDischarge=Count(
                "pk", filter=closed & Q(**{f"{at_discharge}__in": _NOT_EMPLOYED})
            ),
            # No status recorded in the month, or ZZ: NHS England's '0' and 'ZZ'.
            UnknownEmployedAtDischarge=Count(
                "pk",
                filter=closed & Q(**{f"{at_discharge}__in": ["", EmploymentStatus.NOT_STATED]}),
            ),
            **{
                name: Count("pk", filter=employed_out & Q(**{f"{hours}__in": codes}))
                for name, codes in _HOURS.items()
            },
            EmployedAtDischargeHoursMissing=Count(
                "pk",
                filter=employed_out
                & ~Q(**{f"{hours}__in": [c for codes in _HOURS.values() for c in codes]}),
            ),
            **_bands("LengthOfReferral", closed),
            **_bands("TimeInCaseload", closed & Q(episode__isnull=False)),
        )
    )
    waits = (
        Episode.objects.in_services(service_ids)
        .filter(access_date__gte=start, access_date__lte=end)
        .annotate(wait=_days("access_date", "referral__received_on"))
        .aggregate(
            AccessedFirstTimeEver=Count("pk"),
            SeenIn7=Count("pk", filter=Q(wait__lte=timedelta(days=7))),
            SeenIn8To30=Count(
                "pk", filter=Q(wait__gte=timedelta(days=8), wait__lte=timedelta(days=30))
            ),
            SeenInOver30=Count("pk", filter=Q(wait__gt=timedelta(days=30))),
        )
    )
    contacts = (
        Contact.objects.in_services(service_ids)
        .filter(is_direct=True, contact_date__gte=start, contact_date__lte=end)
        .aggregate(
            TotalContacts=Count("pk"),
            TotalContactsF2F=Count(
                "pk", filter=Q(consultation_medium=ConsultationMedium.FACE_TO_FACE)
            ),
            TotalContactsTelephone=Count(
                "pk", filter=Q(consultation_medium=ConsultationMedium.TELEPHONE)
            ),
            TotalContactsVideo=Count("pk", filter=Q(consultation_medium=ConsultationMedium.VIDEO)),
        )
    )
    accessed_fy = accessed_in_financial_year(service_ids, period, "service")
    values = {
        **referrals,
        **waits,
        **contacts,
        "AccessedInFinancialYear": sum(accessed_fy.values()),
    }
    return Measures(period, {key: values[key] for key, _ in MEASURES})


def months_of(period: Period) -> list[Period]:
    """The calendar months of a period that starts on a 1st (a financial year, a quarter)."""
    months, start = [], period.start
    while start <= period.end:
        this = month(start)
        months.append(this)
        start = this.end + timedelta(days=1)
    return months


def year_measures(months: list[Measures], period: Period) -> Measures:
    """A financial year (or the part of it so far) from its months: flows added up,
    snapshots from the last month."""
    values = {}
    for key, _ in MEASURES:
        if key in SNAPSHOTS:
            values[key] = months[-1].values[key] if months else 0
        else:
            values[key] = sum(m.values[key] for m in months)
    return Measures(period, values)
