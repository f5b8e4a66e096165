"""Which SOC 2020 major groups a description of wanted work points to.

A vocational profile says what work someone wants in their own words ("warehouse or delivery
work"); a vacancy carries a SOC 2020 major group. To compare the two, each phrase of the
profile is matched (character trigrams, :mod:`ipsworks.matching.text`) against a short list
of everyday job words for each major group, drawn from the ONS SOC 2020 Volume 1 unit group
titles and their example job titles. The list is a heuristic, not a coder: it only has to
agree with an employment specialist on the common entry-level jobs IPS clients look for.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ipsworks.matching.text import PhraseIndex, phrases

EXAMPLES: dict[str, tuple[str, ...]] = {
    "1": ("manager", "management", "director", "business owner"),
    "2": (
        "nurse",
        "nursing",
        "teacher",
        "teaching",
        "engineer",
        "doctor",
        "accountant",
        "pharmacist",
        "social worker",
        "solicitor",
        "architect",
        "scientist",
        "software developer",
        "programmer",
        "librarian",
        "psychologist",
        "physiotherapist",
        "lecturer",
    ),
    "3": (
        "technician",
        "it support",
        "computer",
        "web designer",
        "graphic design",
        "photographer",
        "fitness instructor",
        "sports coach",
        "youth worker",
        "paralegal",
        "estate agent",
        "musician",
        "artist",
        "media",
        "digital",
    ),
    "4": (
        "office",
        "admin",
        "administration",
        "administrator",
        "receptionist",
        "reception",
        "secretary",
        "clerk",
        "data entry",
        "book keeping",
        "bookkeeper",
        "payroll",
        "filing",
        "library",
        "museum",
    ),
    "5": (
        "builder",
        "building trades",
        "electrician",
        "plumber",
        "carpenter",
        "joiner",
        "bricklayer",
        "painter decorator",
        "decorating",
        "mechanic",
        "bike repair",
        "cycle mechanic",
        "chef",
        "cook",
        "baker",
        "butcher",
        "gardener",
        "gardening",
        "landscaping",
        "grounds maintenance",
        "groundskeeper",
        "welder",
        "tailor",
    ),
    "6": (
        "care worker",
        "care assistant",
        "carer",
        "care",
        "support worker",
        "childcare",
        "nursery",
        "teaching assistant",
        "hairdresser",
        "hairdressing",
        "barber",
        "beauty",
        "animal care",
        "animals",
        "dog walker",
        "kennel",
        "pet groomer",
        "caretaker",
        "housekeeper",
        "leisure assistant",
        "library assistant",
        "museum attendant",
    ),
    "7": (
        "retail",
        "shop",
        "sales assistant",
        "sales",
        "cashier",
        "checkout",
        "tills",
        "customer service",
        "customer adviser",
        "call centre",
        "telesales",
        "merchandiser",
        "market trader",
    ),
    "8": (
        "driver",
        "driving",
        "delivery driver",
        "delivery",
        "van driver",
        "courier",
        "forklift",
        "machine operator",
        "factory",
        "production line",
        "assembler",
        "bus driver",
        "hgv",
        "lorry",
        "taxi",
    ),
    "9": (
        "warehouse",
        "warehouse operative",
        "picker",
        "packer",
        "logistics",
        "labourer",
        "cleaner",
        "cleaning",
        "kitchen porter",
        "kitchen assistant",
        "catering",
        "catering assistant",
        "hospitality",
        "waiter",
        "waiting staff",
        "bar staff",
        "security",
        "porter",
        "shelf filler",
        "refuse collector",
        "farm worker",
        "car wash",
        "postal worker",
        "delivery",
        "cafe",
        "kitchen",
    ),
}

_GROUPS = [group for group, examples in EXAMPLES.items() for _ in examples]
_TEXTS = [example for examples in EXAMPLES.values() for example in examples]


@lru_cache(maxsize=1)
def _index() -> tuple[PhraseIndex, np.ndarray]:
    return PhraseIndex(_TEXTS), np.array([int(g) for g in _GROUPS], dtype=np.int8)


@lru_cache(maxsize=50_000)
def groups_for_phrase(phrase: str, threshold: float) -> frozenset[str]:
    """SOC major groups with an example whose words are (nearly) all in the phrase.

    "warehouse and logistics" contains the example "warehouse"; "childcare" contains
    "care". Only this direction counts: "office" is nearly all inside "senior officer",
    which says nothing about wanting to manage.
    """
    index, groups = _index()
    hits = index.similarity_within(phrase) >= threshold
    return frozenset(str(g) for g in np.unique(groups[hits]))


def groups_for(text: str, threshold: float) -> frozenset[str]:
    """SOC major groups any phrase of the text points to."""
    found: set[str] = set()
    for phrase in phrases(text):
        found |= groups_for_phrase(phrase, threshold)
    return frozenset(found)
