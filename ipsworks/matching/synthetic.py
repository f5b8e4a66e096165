# ruff: noqa: S311 - seeded pseudo-random synthetic data, never security
"""Synthetic vacancies and matching preferences, for the demo, the benchmark and tests.

Everything is made up: employer names say "Example", postcodes are in the unused "AA" area
(as in :mod:`ipsworks.demo.synthetic`), and the jobs are the entry-level kinds IPS clients often
look for, each with a SOC 2020 major group and the times of day it usually works.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from ipsworks.matching.ranking import PersonPrefs, VacancyFacts, time_mask

# (title, SOC 2020 major group, times of day, shift pattern)
JOBS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("Warehouse operative", "9", ("morning", "afternoon"), "Monday to Friday, 8am to 4pm"),
    ("Picker packer", "9", ("afternoon", "evening"), "Afternoons and evenings, 2pm to 10pm"),
    ("Night shift picker", "9", ("night",), "Night shifts, 10pm to 6am"),
    ("Delivery driver", "8", ("morning", "afternoon"), "Weekdays, 9am to 5pm"),
    ("Van driver", "8", ("early_morning", "morning"), "Starts at 6am"),
    ("Forklift driver", "8", ("morning", "afternoon", "weekend"), "Rota including weekends"),
    ("Factory operative", "8", ("early_morning", "afternoon", "night"), "Rotating shifts"),
    ("Retail assistant", "7", ("morning", "afternoon", "weekend"), "Rota, some Saturdays"),
    ("Checkout operator", "7", ("afternoon", "evening", "weekend"), "Evenings and weekends"),
    ("Customer service adviser", "7", ("morning", "afternoon"), "Weekdays, 9am to 5pm"),
    ("Call centre adviser", "7", ("morning", "afternoon", "evening"), "Shifts until 8pm"),
    ("Care assistant", "6", ("early_morning", "evening", "weekend"), "Starts at 7am, rota"),
    ("Support worker", "6", ("morning", "afternoon", "weekend"), "Days, alternate weekends"),
    ("Nursery assistant", "6", ("morning", "afternoon"), "Weekdays, 8am to 2pm"),
    ("Kennel assistant", "6", ("early_morning", "morning", "weekend"), "Starts at 7am"),
    ("Dog walker", "6", ("morning", "afternoon"), "Late mornings and afternoons"),
    ("Hairdressing assistant", "6", ("morning", "afternoon", "weekend"), "Including Saturdays"),
    ("Office administrator", "4", ("morning", "afternoon"), "Weekdays, 10am to 3pm"),
    ("Receptionist", "4", ("morning", "afternoon"), "Weekdays, 9am to 1pm"),
    ("Data entry clerk", "4", ("morning", "afternoon"), "Flexible weekday hours"),
    ("Library assistant", "4", ("afternoon", "evening", "weekend"), "Some evenings"),
    ("Kitchen porter", "9", ("evening", "weekend"), "Evenings and weekends"),
    ("Catering assistant", "9", ("morning", "afternoon"), "Weekdays, 10am to 2pm"),
    ("Cafe assistant", "9", ("morning", "afternoon", "weekend"), "Daytime, some weekends"),
    ("Cleaner", "9", ("early_morning", "evening"), "Early mornings or evenings"),
    ("Office cleaner", "9", ("early_morning",), "Starts at 6am"),
    ("Security officer", "9", ("night", "weekend"), "Nights and weekends"),
    ("Shelf filler", "9", ("early_morning", "night"), "Starts at 5am"),
    ("Bar staff", "9", ("evening", "night", "weekend"), "Evenings until midnight"),
    ("Waiting staff", "9", ("afternoon", "evening", "weekend"), "Afternoons and evenings"),
    ("Postal worker", "9", ("early_morning", "morning"), "Starts at 6am"),
    ("Labourer", "9", ("morning", "afternoon"), "Weekdays on site"),
    ("Gardener", "5", ("morning", "afternoon"), "Weekdays, daytime"),
    ("Grounds maintenance operative", "5", ("morning", "afternoon"), "Weekdays, 8am to 4pm"),
    ("Bike mechanic", "5", ("morning", "afternoon", "weekend"), "Including Saturdays"),
    ("Painter and decorator", "5", ("morning", "afternoon"), "Weekdays"),
    ("Commis chef", "5", ("evening", "weekend"), "Evenings and weekends"),
    ("IT support technician", "3", ("morning", "afternoon"), "Weekdays, 9am to 5pm"),
)
_PREFIXES = ("", "", "", "", "Part-time ", "Temporary ", "Senior ", "Trainee ")
_HOURS = ((8, 8), (12, 16), (16, 16), (16, 20), (20, 25), (24, 30), (30, 37.5), (37.5, 37.5))
KINDS = (
    "Retail",
    "Warehouse and logistics",
    "Office and admin work",
    "Catering and hospitality",
    "Gardening and grounds maintenance",
    "Care work",
    "Driving and delivery",
    "Cleaning",
    "IT support",
    "Customer service",
    "Animal care",
    "Library or museum work",
    "Bike repair",
    "Hairdressing",
    "Security",
)
NOT_AGAIN = ("Night shifts", "Call centres", "Zero-hours agency work", "Working alone", "")
EMPLOYER_NAMES = (
    "Example Distribution",
    "Example Supermarkets",
    "Example Care Homes",
    "Example Café",
    "Example Garden Centre",
    "Example Offices",
    "Example Cleaning Services",
    "Example Kennels",
)
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def postcode(rng: random.Random, districts: int = 99) -> str:
    letters = rng.choice(_LETTERS) + rng.choice(_LETTERS)
    return f"AA{rng.randint(1, districts)} {rng.randint(0, 9)}{letters}"


def _coordinates(code: str) -> tuple[float, float]:
    from ipsworks.matching.centroids import synthetic_centroid

    return synthetic_centroid(code)


def vacancy_facts(count: int, *, seed: int = 1, employers: int = 500) -> list[VacancyFacts]:
    """In-memory vacancies with coordinates, as the benchmark ranks them."""
    rng = random.Random(seed)
    today = date.today().toordinal()
    facts = []
    for i in range(count):
        title, soc, times, shift = rng.choice(JOBS)
        low, high = rng.choice(_HOURS)
        code = postcode(rng)
        lat, lon = _coordinates(code)
        facts.append(
            VacancyFacts(
                vacancy_id=i + 1,
                employer_id=rng.randint(1, employers),
                title=rng.choice(_PREFIXES) + title,
                soc=soc,
                hours_min=float(low),
                hours_max=float(high),
                times=time_mask(times) if rng.random() < 0.9 else 0,
                pay_pence=rng.choice((None, 1221, 1250, 1271, 1300, 1350, 1420, 1500)),
                postcode=code,
                lat=lat,
                lon=lon,
                shift_pattern=shift,
                closing_ordinal=today + rng.randint(-10, 60) if rng.random() < 0.8 else None,
            )
        )
    return facts


def person_prefs(count: int, *, seed: int = 2, employers: int = 500) -> list[PersonPrefs]:
    """In-memory people with profiles, as the benchmark ranks them."""
    from ipsworks.matching import soc as soc_groups
    from ipsworks.matching.text import phrases
    from ipsworks.matching.weights import match_settings

    threshold = match_settings().kind_inferred_from
    rng = random.Random(seed)
    people = []
    for i in range(count):
        kinds = ", ".join(rng.sample(KINDS, rng.randint(0, 2)))
        low = rng.choice((4, 8, 10, 12, 16))
        high = rng.choice([h for h in (16, 20, 25, 30, 37) if h >= low])
        code = postcode(rng)
        lat, lon = _coordinates(code)
        unsuitable = rng.sample(("early_morning", "night", "weekend", "evening"), rng.randint(0, 2))
        people.append(
            PersonPrefs(
                person_id=i + 1,
                has_profile=rng.random() < 0.9,
                kinds=tuple(phrases(kinds)),
                soc_groups=soc_groups.groups_for(kinds, threshold),
                avoid=tuple(phrases(rng.choice(NOT_AGAIN))),
                hours_min=float(low),
                hours_max=float(high),
                unsuitable=time_mask(unsuitable),
                travel_miles=float(rng.choice((3, 5, 10, 15))) if rng.random() < 0.8 else None,
                postcode=code,
                lat=lat,
                lon=lon,
                minimum_wage_pence=1221,
                target_employers=frozenset(rng.sample(range(1, employers + 1), rng.randint(0, 2))),
            )
        )
    return people


@transaction.atomic
def create_vacancies(*, service, by, count: int, seed: int = 1) -> int:
    """Add synthetic employers (if the service has none) and open vacancies to a service."""
    from ipsworks.employers.models import Employer
    from ipsworks.matching import rules
    from ipsworks.matching.models import Vacancy

    rng = random.Random(f"{seed}-{service.pk}")
    employers = list(Employer.objects.filter(service=service))
    if not employers:
        employers = [
            Employer.objects.create(
                service=service,
                name=name,
                sector="other",
                size_band=rng.choice(("small", "medium", "large")),
                postcode=postcode(rng),
            )
            for name in EMPLOYER_NAMES
        ]
    existing = set(Vacancy.objects.filter(service=service).values_list("dedupe_key", flat=True))
    today = date.today()
    rows = []
    for _ in range(count):
        employer = rng.choice(employers)
        title, soc, times, shift = rng.choice(JOBS)
        low, high = rng.choice(_HOURS)
        code = employer.postcode if employer.postcode and rng.random() < 0.7 else postcode(rng)
        closing = today + timedelta(days=rng.randint(3, 60))
        key = rules.dedupe_key(
            employer_id=employer.pk, title=title, postcode=code, closing_date=closing, reference=""
        )
        if key in existing:
            continue
        existing.add(key)
        rows.append(
            Vacancy(
                service=service,
                employer=employer,
                title=title,
                soc_major_group=soc,
                hours_min=Decimal(str(low)),
                hours_max=Decimal(str(high)),
                shift_pattern=shift,
                times_of_day=list(times),
                hourly_pay_pence=rng.choice((None, 1271, 1300, 1350, 1420, 1500)),
                postcode=code,
                closing_date=closing,
                source=rng.choice(Vacancy.Source.values),
                status=Vacancy.Status.OPEN,
                dedupe_key=key,
                created_by=by,
            )
        )
    Vacancy.objects.bulk_create(rows, batch_size=500)
    return len(rows)
