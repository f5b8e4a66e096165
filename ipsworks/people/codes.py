"""Coded values from the NHS Data Dictionary and the MHSDS, kept as the standards spell them.

Codes are stored as the standard's own values so returns and extracts need no translation.
"""

from decimal import Decimal

from django.db import models


class EmploymentStatus(models.TextChoices):
    """MHSDS ``EmployStatus`` (NHS Data Dictionary EMPLOYMENT STATUS), table MHS004."""

    EMPLOYED = "01", "Employed"
    UNEMPLOYED_SEEKING = "02", "Unemployed and seeking work"
    STUDENT = "03", "Student"
    LONG_TERM_SICK = "04", "Long-term sick or disabled"
    HOMEMAKER = "05", "Looking after the family or home"
    NOT_SEEKING = "06", "Not receiving benefits and not seeking work"
    VOLUNTARY = "07", "Unpaid voluntary work only"
    RETIRED = "08", "Retired"
    # ZZ is an answer: the person was asked and declined to give one. Not knowing yet is
    # held as blank (no MHS004 record), never as ZZ (NHS Data Dictionary EMPLOYMENT STATUS).
    NOT_STATED = "ZZ", "Not stated (asked, and they preferred not to say)"

    @classmethod
    def out_of_work(cls) -> frozenset[str]:
        """Codes 02–08: out of work, for the IPS Grow employment rate (metric-definitions.md)."""
        return frozenset(c.value for c in cls if c.value not in {"01", "ZZ"})


class WeeklyHoursWorked(models.TextChoices):
    """MHSDS ``WeekHoursWorked`` (NHS Data Dictionary WEEKLY HOURS WORKED)."""

    HOURS_30_PLUS = "01", "30 hours or more"
    HOURS_16_29 = "02", "16 to 29 hours"
    HOURS_5_15 = "03", "5 to 15 hours"
    HOURS_1_4 = "04", "1 to 4 hours"
    NOT_STATED = "97", "Not stated"
    NOT_APPLICABLE = "98", "Not applicable (not in work)"
    NOT_KNOWN = "99", "Not known"

    @classmethod
    def for_hours(cls, hours: Decimal) -> "WeeklyHoursWorked":
        """The band for hours worked a week, in all jobs together: 30 or more is 01, 16 up
        to 30 is 02, 5 up to 16 is 03, anything less 04. Part hours count towards the band
        below (15.5 is 5 to 15), as the bands are whole hours and a threshold is reached
        only when it is worked. This is the one place the bands are worked out."""
        if hours >= 30:
            return cls.HOURS_30_PLUS
        if hours >= 16:
            return cls.HOURS_16_29
        if hours >= 5:
            return cls.HOURS_5_15
        return cls.HOURS_1_4


class GenderIdentity(models.TextChoices):
    """NHS Data Dictionary GENDER IDENTITY CODE."""

    MALE = "1", "Male (including trans man)"
    FEMALE = "2", "Female (including trans woman)"
    NON_BINARY = "3", "Non-binary"
    OTHER = "4", "Other (not listed)"
    NOT_KNOWN = "X", "Not known"
    NOT_STATED = "Z", "Not stated (person asked but declined to say)"


class EthnicCategory(models.TextChoices):
    """NHS Data Dictionary ETHNIC CATEGORY (2001 census categories)."""

    WHITE_BRITISH = "A", "White: British"
    WHITE_IRISH = "B", "White: Irish"
    WHITE_OTHER = "C", "White: any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "D", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "E", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "F", "Mixed: White and Asian"
    MIXED_OTHER = "G", "Mixed: any other mixed background"
    ASIAN_INDIAN = "H", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "J", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "K", "Asian or Asian British: Bangladeshi"
    ASIAN_OTHER = "L", "Asian or Asian British: any other Asian background"
    BLACK_CARIBBEAN = "M", "Black or Black British: Caribbean"
    BLACK_AFRICAN = "N", "Black or Black British: African"
    BLACK_OTHER = "P", "Black or Black British: any other Black background"
    CHINESE = "R", "Other ethnic groups: Chinese"
    OTHER = "S", "Other ethnic groups: any other ethnic group"
    NOT_STATED = "Z", "Not stated"
    NOT_KNOWN = "99", "Not known"


# --- equality monitoring -------------------------------------------------------------------
# Each is asked of the person and recorded as they answer; nobody is refused help for an
# answer or for declining one. "Not known" (never asked, or not recorded) is the default.


class SexualOrientation(models.TextChoices):
    """NHS Data Dictionary SEXUAL ORIENTATION CODE (Sexual Orientation Monitoring standard).

    The MHSDS carries sexual orientation as a SNOMED CT code; these are the Data
    Dictionary's own code values instead, which are simpler to ask and to report.
    """

    HETEROSEXUAL = "1", "Heterosexual or straight"
    GAY_OR_LESBIAN = "2", "Gay or lesbian"
    BISEXUAL = "3", "Bisexual"
    OTHER = "4", "Other sexual orientation not listed"
    NOT_SURE = "U", "Asked and does not know or is not sure"
    NOT_STATED = "Z", "Not stated (person asked but declined to say)"
    NOT_KNOWN = "9", "Not known (not recorded)"


class Disability(models.TextChoices):
    """Whether the person says they have a disability or long-term condition.

    Not a Data Dictionary item: a self-declared yes or no (the Equality Act 2010 sense of a
    physical or mental impairment with a long-term effect on day-to-day life), with the
    Data Dictionary's usual Z and 9 for declined and not recorded. The MHSDS lists types of
    impairment instead; that reads like a diagnosis and is deliberately not asked here.
    """

    YES = "Y", "Yes"
    NO = "N", "No"
    NOT_STATED = "Z", "Not stated (person asked but declined to say)"
    NOT_KNOWN = "9", "Not known (not recorded)"


class ReligionOrBelief(models.TextChoices):
    """NHS Data Dictionary RELIGIOUS OR OTHER BELIEF SYSTEM AFFILIATION GROUP CODE (an1).

    The Data Dictionary's group codes, A to N, aligned with the SNOMED CT "religious or other
    belief system affiliation groups" reference set (999002601000000106). The detailed
    affiliation list (denominations) is not asked; a return that needs it cannot recover it.
    """

    BAHAI = "A", "Baha'i"
    BUDDHIST = "B", "Buddhist"
    CHRISTIAN = "C", "Christian (all denominations)"
    HINDU = "D", "Hindu"
    JAIN = "E", "Jain"
    JEWISH = "F", "Jewish"
    MUSLIM = "G", "Muslim"
    PAGAN = "H", "Pagan"
    SIKH = "I", "Sikh"
    ZOROASTRIAN = "J", "Zoroastrian"
    OTHER = "K", "Any other religion or belief"
    NO_RELIGION = "L", "No religion"
    NOT_STATED = "M", "Declined to say (person asked but declined to disclose)"
    NOT_KNOWN = "N", "Not known (not recorded)"


# --- referral ---------------------------------------------------------------------------------


class SourceOfReferral(models.TextChoices):
    """SOURCE OF REFERRAL FOR MENTAL HEALTH (MHSDS ``SourceOfReferralMH``, table MHS101Referral).

    The national codes of MHSDS version 5 and 6, grouped by the letter as the NHS Data
    Dictionary groups them. Sources, as docs/mhsds.md sets out:

    - which codes are valid: NHSDigital/mental-health-monthly-statistics,
      ``menh_dq/notebooks/00.common_objects/00_version_change_tables.py`` (A1 to P1 from
      April 2019; M9 and Q1 from October 2021; Q2 from April 2024);
    - the descriptions: NHS England's analysts' labels for the same codes,
      nhsengland/Talking-Therapies ``Long Term Conditions (LTC) Dashboard/
      LTC_monthly_update_script_Denominators.sql`` (the Data Dictionary page itself could
      not be read from here; a trust's information team should confirm the wording);
    - how NHS England groups them on its IPS dashboard: nhsengland/MHSDS ``IPS Dashboard/
      IPS Dashboard`` (``SourceCat``), reproduced by :meth:`dashboard_group`.

    M9 and Q2 are valid codes whose descriptions could not be confirmed, so they are not
    offered. A referral from the person's own clinical team in the trust that hosts the IPS
    service is an internal referral (P1), which the dashboard counts as secondary mental
    health care. The order is the form's: the sources an IPS service hears from most first.
    """

    INTERNAL = "P1", "Internal referral (a team in this trust, such as their clinical team)"
    GP_PRACTICE = "A1", "Primary health care: general medical practitioner practice"
    SELF = "B1", "Self referral: self"
    CARER = "B2", "Self referral: carer or relative"
    JOBCENTRE_PLUS = "M5", "Other: Jobcentre Plus"
    OTHER_SERVICE = "M6", "Other service or agency"
    HEALTH_VISITOR = "A2", "Primary health care: health visitor"
    OTHER_PRIMARY_CARE = "A3", "Other primary health care"
    MATERNITY = "A4", "Primary health care: maternity service"
    SOCIAL_SERVICES = "C1", "Local authority and other public services: social services"
    EDUCATION = (
        "C2",
        (
            "Local authority and other public services: education service or educational "
            "establishment"
        ),
    )
    HOUSING = "C3", "Local authority and other public services: housing service"
    EMPLOYER = "D1", "Employer"
    OCCUPATIONAL_HEALTH = "D2", "Employer: occupational health"
    POLICE = "E1", "Justice system: police"
    COURTS = "E2", "Justice system: courts"
    PROBATION = "E3", "Justice system: probation service"
    PRISON = "E4", "Justice system: prison"
    LIAISON_DIVERSION = "E5", "Justice system: court liaison and diversion service"
    YOUTH_OFFENDING = "E6", "Justice system: youth offending team"
    SCHOOL_NURSE = "F1", "Child health: school nurse"
    HOSPITAL_PAEDIATRICS = "F2", "Child health: hospital-based paediatrics"
    COMMUNITY_PAEDIATRICS = "F3", "Child health: community-based paediatrics"
    INDEPENDENT_MEDIUM_SECURE = "G1", "Independent sector: medium secure inpatients"
    INDEPENDENT_LOW_SECURE = "G2", "Independent sector: low secure inpatients"
    INDEPENDENT_MENTAL_HEALTH = "G3", "Other independent sector mental health services"
    VOLUNTARY_SECTOR = "G4", "Voluntary sector"
    EMERGENCY_DEPARTMENT = "H1", "Acute secondary care: emergency care department"
    OTHER_SECONDARY_CARE = "H2", "Other secondary care specialty"
    TRANSFER_TEMPORARY = "I1", "Temporary transfer from another mental health NHS trust"
    TRANSFER_PERMANENT = "I2", "Permanent transfer from another mental health NHS trust"
    ASYLUM_SERVICES = "M1", "Other: asylum services"
    TELEPHONE_ACCESS = "M2", "Other: telephone or electronic access service"
    OUT_OF_AREA = "M3", "Other: out of area agency"
    DRUG_MISUSE = "M4", "Other: drug action team or drug misuse agency"
    SINGLE_POINT_OF_ACCESS = "M7", "Other: single point of access service"
    TALKING_THERAPIES = "N3", "Improving access to psychological therapies"
    DROP_IN = "Q1", "Mental health drop in service"

    @classmethod
    def self_referral(cls) -> frozenset[str]:
        """B1 and B2: the dashboard's "Self Referral" group."""
        return frozenset({cls.SELF, cls.CARER})

    @classmethod
    def dashboard_group(cls, code: str) -> str:
        """NHS England's IPS dashboard grouping (``SourceCat``) of a code."""
        if code in {"A1", "A2", "A3", "A4"}:
            return "Primary Health Care"
        if code in cls.self_referral():
            return "Self Referral"
        if code in {"I1", "I2", "P1", "Q1", "M9", "Q2"}:
            return "Secondary Mental Health Care"
        return "Other" if code in cls.values else "Missing/Invalid"


#: The local values held before the MHSDS codes, and the code each one became (migration
#: people 0010). Kept so imports and API clients that still send them are understood.
LEGACY_SOURCES: dict[str, str] = {
    "clinical_team": SourceOfReferral.INTERNAL,
    "cmht": SourceOfReferral.INTERNAL,
    "self": SourceOfReferral.SELF,
    "self_referral": SourceOfReferral.SELF,
    "gp": SourceOfReferral.GP_PRACTICE,
    "other": SourceOfReferral.OTHER_SERVICE,
}


#: REFERRAL CLOSURE REASON (MHSDS ``ReferClosReason``) for each reason IPS Works allows.
#:
#: IPS Works keeps its own reasons, because zero exclusion (fidelity item 9) allows only
#: these; the MHSDS code is derived from them, one way. What is verified: NHSDigital's data
#: quality rules accept 01 to 09 (mental-health-monthly-statistics ``menh_dq/notebooks/
#: 2.aggregate/validity.sql``), and NHS England's CMH dashboard groups 02 and 04 as
#: "treatment complete / further treatment not appropriate", 03 and 07 as "person moved /
#: requested discharge", 05 and 09 as "DNA / refused to be seen" and 08 as "referred to
#: another service" (nhsengland/MHSDS ``CMH Dashboard/CMH Dashboard``). The description of
#: each code within those groups, and 06 as "patient died", are from the Data Dictionary
#: as remembered, not read here: docs/mhsds.md asks for them to be confirmed.
REFERRAL_CLOSURE_REASON: dict[str, str] = {
    "settled_in_work": "02",  # treatment (support) completed
    "moved_away": "03",  # moved out of area
    "not_in_secondary_mh": "04",  # further treatment (by this service) not appropriate
    "not_contactable": "05",  # did not attend
    "died": "06",
    "does_not_want_work": "07",  # the person asked to be discharged
}
