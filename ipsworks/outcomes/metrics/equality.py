"""Equality of access and outcomes: accesses and job starts by age band, gender, ethnic group,
disability and sexual orientation (the person's answers, people/codes.py; NHS Data
Dictionary ETHNIC CATEGORY letters grouped as the 2001 census groups).
"""

from collections import defaultdict
from datetime import date

from ipsworks.outcomes.metrics.conditions import ServiceIds, _within
from ipsworks.outcomes.metrics.work import qualifying_job_starts
from ipsworks.outcomes.periods import Period
from ipsworks.people.models import Episode

AGE_BANDS = ((16, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, None))
ETHNIC_GROUPS = {
    "White": "ABC",
    "Mixed": "DEFG",
    "Asian or Asian British": "HJKL",
    "Black or Black British": "MNP",
    "Other ethnic group": "RS",
}


def age_band(date_of_birth: date | None, on: date) -> str:
    from ipsworks.core.dates import age_on

    if date_of_birth is None:
        return "Not known"
    age = age_on(date_of_birth, on)
    for low, high in AGE_BANDS:
        if high is None and age >= low:
            return f"{low} and over"
        if high is not None and low <= age <= high:
            return f"{low} to {high}"
    return "Under 16"


def ethnic_group(code: str) -> str:
    for group, letters in ETHNIC_GROUPS.items():
        if code in letters:
            return group
    return "Not stated or not known"


def equality_breakdown(
    service_ids: ServiceIds, period: Period
) -> dict[str, dict[str, dict[str, int]]]:
    """Accesses and job starts in the period by age band, gender, ethnic group, disability
    and sexual orientation.

    Ages are taken on the date of the event; the other groups are the person's answers as
    recorded now (people/codes.py). Returns {"age": {band: {"accesses": n, "job_starts": n}},
    "gender": {...}, "ethnicity": {...}, "disability": {...}, "sexual_orientation": {...}}.
    """
    from ipsworks.people.codes import Disability, GenderIdentity, SexualOrientation

    names = ("age", "gender", "ethnicity", "disability", "sexual_orientation")
    result: dict[str, defaultdict[str, dict[str, int]]] = {
        name: defaultdict(lambda: {"accesses": 0, "job_starts": 0}) for name in names
    }
    person_fields = (
        "person__date_of_birth",
        "person__gender_identity",
        "person__ethnic_category",
        "person__disability",
        "person__sexual_orientation",
    )
    accessed = (
        Episode.objects.in_services(service_ids)
        .filter(_within("access_date", period))
        .values_list("access_date", *person_fields)
    )
    started = (
        qualifying_job_starts(service_ids)
        .filter(_within("start_date", period))
        .values_list("start_date", *person_fields)
    )
    for key, rows in (("accesses", accessed), ("job_starts", started)):
        for day, born, gender, ethnicity, disability, orientation in rows:
            result["age"][age_band(born, day)][key] += 1
            result["gender"][GenderIdentity(gender).label][key] += 1
            result["ethnicity"][ethnic_group(ethnicity)][key] += 1
            result["disability"][Disability(disability).label][key] += 1
            result["sexual_orientation"][SexualOrientation(orientation).label][key] += 1
    return {name: dict(groups) for name, groups in result.items()}
