"""The matching weights and tolerances: read from settings through one function, checked.

The numbers live in ``settings.IPS_MATCH_WEIGHTS`` and ``settings.IPS_MATCH_RULES``
(ipsworks/config/settings.py, with a comment on each). A service that wants, say, distance to
count for more changes the setting; no rule function holds a number of its own.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The parts of a fit, in the order reasons are listed.
COMPONENTS = (
    "kind_of_work",
    "job_title",
    "hours",
    "times_of_day",
    "distance",
    "pay",
    "not_to_repeat",
)
RULES = (
    "unknown_credit",
    "title_fits_from",
    "kind_inferred_from",
    "not_to_repeat_from",
    "hours_tolerance",
    "default_travel_miles",
    "distance_tolerance_miles",
    "same_area_credit",
    "pay_full_credit_above_minimum_pence",
    "target_employer_bonus",
    "good_fit_from",
    "possible_fit_from",
)
_FRACTIONS = {
    "unknown_credit",
    "title_fits_from",
    "kind_inferred_from",
    "not_to_repeat_from",
    "same_area_credit",
    "target_employer_bonus",
}
_POSITIVE = {"hours_tolerance", "default_travel_miles", "distance_tolerance_miles"}


@dataclass(frozen=True)
class MatchSettings:
    weights: dict[str, float]
    unknown_credit: float
    title_fits_from: float
    kind_inferred_from: float
    not_to_repeat_from: float
    hours_tolerance: float
    default_travel_miles: float
    distance_tolerance_miles: float
    same_area_credit: float
    pay_full_credit_above_minimum_pence: float
    target_employer_bonus: float
    good_fit_from: float
    possible_fit_from: float

    @property
    def total_weight(self) -> float:
        return sum(self.weights.values())

    def band(self, score: float, *, conflict: bool = False) -> str:
        """The words for a score. Something that rules the job out for the person (times of
        day that do not suit them, a job they do not want to repeat, pay under the legal
        minimum) stops it being called a good fit, however high the rest scores: it is at
        best a possible fit, and the reasons name the conflict."""
        if score >= self.good_fit_from and not conflict:
            return "good"
        if score >= self.possible_fit_from:
            return "possible"
        return "poor"


def _number(section: str, key: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ImproperlyConfigured(f"{section}[{key!r}] must be a number, not {value!r}.")
    if value < 0:
        raise ImproperlyConfigured(f"{section}[{key!r}] cannot be negative.")
    return float(value)


def _exact_keys(section: str, given: dict, expected: tuple[str, ...]) -> None:
    missing = set(expected) - set(given)
    unknown = set(given) - set(expected)
    if missing or unknown:
        raise ImproperlyConfigured(
            f"{section} must have exactly the keys {list(expected)}; "
            f"missing {sorted(missing)}, unknown {sorted(unknown)}."
        )


def match_settings() -> MatchSettings:
    """The weights and rules in force, checked. Cheap: call it per ranking."""
    weights = getattr(settings, "IPS_MATCH_WEIGHTS", None)
    rules = getattr(settings, "IPS_MATCH_RULES", None)
    if not isinstance(weights, dict) or not isinstance(rules, dict):
        raise ImproperlyConfigured("IPS_MATCH_WEIGHTS and IPS_MATCH_RULES must be dicts.")
    _exact_keys("IPS_MATCH_WEIGHTS", weights, COMPONENTS)
    _exact_keys("IPS_MATCH_RULES", rules, RULES)
    checked_weights = {k: _number("IPS_MATCH_WEIGHTS", k, weights[k]) for k in COMPONENTS}
    if sum(checked_weights.values()) <= 0:
        raise ImproperlyConfigured("At least one IPS_MATCH_WEIGHTS weight must be above 0.")
    checked = {k: _number("IPS_MATCH_RULES", k, rules[k]) for k in RULES}
    for key in _FRACTIONS:
        if checked[key] > 1:
            raise ImproperlyConfigured(f"IPS_MATCH_RULES[{key!r}] must be between 0 and 1.")
    for key in _POSITIVE:
        if checked[key] <= 0:
            raise ImproperlyConfigured(f"IPS_MATCH_RULES[{key!r}] must be above 0.")
    return MatchSettings(weights=checked_weights, **checked)
