"""Coded values from the NHS Data Dictionary and the MHSDS, kept as the standards spell them.

Codes are stored as the standard's own values so returns and extracts need no translation.
"""

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
