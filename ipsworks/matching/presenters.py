"""Matching in words: every score explained ("Fits: hours, kind of work. Check: ...")."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ipsworks.core.money import format_pence
from ipsworks.matching.geo import area_of, district_of
from ipsworks.matching.models import ApplicationStatus, Vacancy
from ipsworks.matching.ranking import Fit, PersonPrefs, time_mask, times_in
from ipsworks.matching.weights import MatchSettings

BANDS = {
    "good": {"text": "Good fit", "colour": "green"},
    "possible": {"text": "Possible fit", "colour": "yellow"},
    "poor": {"text": "Poor fit", "colour": "grey"},
}
APPLICATION_TAGS = {
    ApplicationStatus.APPLIED: "blue",
    ApplicationStatus.INTERVIEW: "purple",
    ApplicationStatus.OFFER: "aqua-green",
    ApplicationStatus.ACCEPTED: "green",
    ApplicationStatus.REJECTED: "grey",
    ApplicationStatus.WITHDRAWN: "grey",
}
VACANCY_TAGS = {
    Vacancy.Status.OPEN: "green",
    Vacancy.Status.FILLED: "blue",
    Vacancy.Status.CLOSED: "grey",
}


def number_text(value) -> str:
    value = Decimal(str(value)).normalize()
    return f"{value:f}"


def hours_text(hours_min, hours_max) -> str:
    if hours_max is None or hours_min == hours_max:
        return f"{number_text(hours_min)} hours a week"
    return f"{number_text(hours_min)} to {number_text(hours_max)} hours a week"


def pay_text(pence: int | None, annual_pence: int | None = None) -> str:
    """Pay as the advert gave it: an hourly rate, or a yearly salary with the hourly rate
    IPS Works worked out from it."""
    if pence is None:
        return "Not stated"
    if annual_pence is not None:
        yearly = format_pence(annual_pence, whole=True)
        return f"{yearly} a year (about {format_pence(pence)} an hour)"
    return f"{format_pence(pence)} an hour"


def wanted_hours_text(prefs: PersonPrefs) -> str:
    if prefs.hours_min is not None and prefs.hours_max is not None:
        return hours_text(prefs.hours_min, prefs.hours_max)
    if prefs.hours_min is not None:
        return f"at least {number_text(prefs.hours_min)} hours a week"
    if prefs.hours_max is not None:
        return f"up to {number_text(prefs.hours_max)} hours a week"
    return "not recorded"


def _times(mask: int) -> str:
    labels = [t.label[0].lower() + t.label[1:] for t in times_in(mask)]
    return " and ".join(labels)


@dataclass
class Reasons:
    fits: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        parts = []
        if self.fits:
            parts.append("Fits: " + ", ".join(self.fits) + ".")
        if self.checks:
            parts.append("Check: " + "; ".join(self.checks) + ".")
        return " ".join(parts)


def reasons(fit: Fit, prefs: PersonPrefs, vacancy: Vacancy, s: MatchSettings) -> Reasons:
    """What fits and what to check, in the words a specialist would use."""
    r = Reasons()
    if not prefs.has_profile:
        r.checks.append("no vocational profile yet, so only distance and pay are compared")
    title_fits = fit.title_similarity >= s.title_fits_from and fit.title_phrase
    if fit.parts["kind_of_work"] == 1.0 and fit.known["kind_of_work"]:
        r.fits.append(f"kind of work (like ‘{fit.title_phrase}’)" if title_fits else "kind of work")
    elif title_fits:
        r.fits.append(f"job title (like ‘{fit.title_phrase}’)")
    elif prefs.has_profile and prefs.kinds:
        r.checks.append("not a kind of work they have mentioned")
    elif prefs.has_profile:
        r.checks.append("the kinds of work they want are not recorded")

    hours = hours_text(vacancy.hours_min, vacancy.hours_max)
    if fit.known["hours"]:
        if fit.parts["hours"] == 1.0:
            r.fits.append(f"hours ({hours})")
        else:
            r.checks.append(f"{hours}; they want {wanted_hours_text(prefs)}")
    elif prefs.has_profile:
        r.checks.append(f"{hours}; the hours they want are not recorded")

    if fit.clashing_times:
        clashing = time_mask(t.value for t in fit.clashing_times)
        verb = "does" if len(fit.clashing_times) == 1 else "do"
        r.checks.append(f"works {_times(clashing)}, which {verb} not suit them")
    elif prefs.unsuitable and fit.known["times_of_day"]:
        r.fits.append("times of day")
    elif prefs.unsuitable:
        verb = "does" if len(times_in(prefs.unsuitable)) == 1 else "do"
        r.checks.append(f"times of day not given; {_times(prefs.unsuitable)} {verb} not suit them")

    r_distance(r, fit, prefs, vacancy, s)

    if fit.below_minimum_wage:
        r.checks.append(f"{pay_text(vacancy.hourly_pay_pence)} is below the minimum wage")
    elif vacancy.hourly_pay_pence is None:
        r.checks.append("pay not stated")
    elif fit.parts["pay"] >= 1.0:
        r.fits.append(f"pay ({pay_text(vacancy.hourly_pay_pence)})")

    if fit.avoid_phrase:
        r.checks.append(f"looks like ‘{fit.avoid_phrase}’, which they do not want to repeat")
    if fit.target_employer:
        r.fits.append("an employer they are aiming for")
    return r


def r_distance(r: Reasons, fit: Fit, prefs: PersonPrefs, vacancy: Vacancy, s: MatchSettings):
    limit = prefs.travel_miles if prefs.travel_miles is not None else s.default_travel_miles
    assumed = "" if prefs.travel_miles is not None else " (not recorded, so assumed)"
    if fit.distance_basis == "centroids" and fit.miles is not None:
        if fit.parts["distance"] == 1.0:
            r.fits.append(f"distance ({fit.miles:.1f} miles)")
        elif fit.beyond_travel:
            r.checks.append(
                f"{fit.miles:.1f} miles away, further than the {number_text(limit)} miles they "
                "said they will travel"
            )
        else:
            r.checks.append(
                f"{fit.miles:.1f} miles away; they will travel up to {number_text(limit)}{assumed}"
            )
    elif fit.distance_basis == "district":
        r.fits.append(f"same postcode district ({district_of(vacancy.postcode)})")
    elif fit.distance_basis == "area":
        r.checks.append(
            f"same postcode area ({area_of(vacancy.postcode)}) but another district; "
            "distance not known"
        )
    elif fit.distance_basis == "other_area":
        r.checks.append(f"in another postcode area ({district_of(vacancy.postcode)})")
    else:
        r.checks.append("distance not known: no postcode to compare")


def band(fit: Fit) -> dict:
    return BANDS[fit.band]


def profile_summary(prefs: PersonPrefs, s: MatchSettings) -> list[tuple[str, str]]:
    """What matching reads from the profile, as rows for a summary list."""
    if not prefs.has_profile:
        return []
    travel = (
        f"up to {number_text(prefs.travel_miles)} miles"
        if prefs.travel_miles is not None
        else f"not recorded (matching assumes {number_text(s.default_travel_miles)} miles)"
    )
    return [
        ("Kinds of work", ", ".join(prefs.kinds) or "Not recorded"),
        ("Hours", wanted_hours_text(prefs).capitalize()),
        ("Times that do not suit", _times(prefs.unsuitable).capitalize() or "None recorded"),
        ("Travel", travel.capitalize()),
        ("Jobs not to repeat", ", ".join(prefs.avoid) or "None recorded"),
    ]
