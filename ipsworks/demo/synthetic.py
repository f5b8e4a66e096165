"""Seeded synthetic IPS services, staff and people, from a demo of 400 people to a million.

The generator exists so that demos, tests and benchmarks show IPS Works with data shaped like
a real IPS service's, without a single real person in it. It writes whole services: clinical
teams, employment specialists integrated in them, managers, clinicians, administrators and
commissioners, then people with one to three years of history (referrals and their status
history, episodes, contacts, vocational profiles, disclosure plans, team meetings).

Invariants every row keeps, because pages, metrics and tests rely on them:

* a referral's cached ``status``, ``closed_on`` and ``closure_reason`` equal its latest
  :class:`~ipsworks.people.models.ReferralStatusChange`, and its history only makes the moves
  :data:`ipsworks.people.rules.TRANSITIONS` allows;
* an :class:`~ipsworks.people.models.Episode` exists exactly for referrals with a direct
  contact, and its access date is the first one (NHS England MHS116);
* nothing is dated after today or before the referral it belongs to;
* "could not be contacted" closures follow at least
  ``settings.IPS_MIN_CONTACT_ATTEMPTS_BEFORE_CLOSURE`` recorded attempts.

Synthetic identifiers only, so no record can be mistaken for, or matched to, a real one:

* NHS numbers from 999 000 0000 up, the range NHS England keeps for test patients (it is never
  issued), each with a valid modulus 11 check digit, unique within a service;
* telephone numbers from Ofcom's ranges for drama (07700 900000–900999, 01632 960000–960999);
* email addresses at example.com (reserved by RFC 2606);
* postcodes in the area "AA" ("AA12 3BD"): Royal Mail has no AA postcode area, so these cannot
  be anyone's address, yet they pass the UK postcode format check the forms use;
* names are random pairings from :mod:`ipsworks.demo.names`.

Speed: rows are built in memory a chunk of people at a time and written per table in one
statement per chunk and table, inside one transaction per chunk: ``COPY`` on PostgreSQL,
``executemany`` elsewhere (SQLite). The generator bypasses ``Model.save()`` and
``bulk_create`` on purpose: both would stamp ``auto_now_add`` fields (``recorded_at``,
``created_at``) with the moment of generation, and timelines built from a year of history
all dated today would not look like a service's record. Derived fields that ``save()`` would
set (``Contact.is_direct``) are set here explicitly. Staff, teams and services are few and go
through the ORM. On PostgreSQL, ``workers`` processes can write services side by side. The
run ends with ``ANALYZE`` so the first pages after a bulk load are planned on real statistics.

Determinism: every random choice comes from :class:`random.Random` instances seeded from the
seed and the service's position, consumed in a fixed order, so the same options (with the same
``today`` and ``now``) give the same data whatever the chunk size, the number of workers or
the database. Only primary keys differ.
"""

from __future__ import annotations

import heapq
import json
import math
import multiprocessing
import queue
import random
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from ipsworks.access.roles import Role
from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.core.dates import is_working_day
from ipsworks.demo import names
from ipsworks.organisations.models import Service, StaffMember, Team
from ipsworks.people.codes import EmploymentStatus, EthnicCategory, GenderIdentity
from ipsworks.people.models import (
    ClosureReason,
    DisclosurePlan,
    Episode,
    Person,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    TimeOfDay,
    VocationalProfile,
)

LONDON = ZoneInfo("Europe/London")

# --- Rates -----------------------------------------------------------------------------------
# Where a published IPS figure exists it is cited (keys as in shared/domain/ips-reference.md);
# the rest are planning assumptions for realistic-looking data, not claims about services.

#: About three in four referrals reach access (a first direct contact, MHS116 [S16, S17]).
#: The share is a planning assumption (75–80%); ips-reference.md has no published rate.
ACCESS_SHARE = 0.78

#: Waits from referral to access in the MHS116 bands (≤7, 8–30, >30 days) [S17]. The shares
#: (about a half, a third, the rest) are a planning assumption.
WAIT_BANDS: tuple[tuple[float, int, int], ...] = ((0.50, 0, 7), (0.33, 8, 30), (0.17, 31, 90))

#: People stay in IPS for about a year on average [S11]: days from access to closure follow a
#: gamma distribution with mean 2 × 182 = 364 days.
STAY_GAMMA_SHAPE, STAY_GAMMA_SCALE = 2.0, 182.0

#: Job-retention referrals (in work but off sick or at risk): about 10% of referrals, under
#: IPS Grow's "at most about 15% of caseload" [S9].
JOB_RETENTION_SHARE = 0.10

#: MHSDS EmployStatus at referral for people out of work [S19]; mostly unemployed (02) and
#: long-term sick or disabled (04), a few not stated. Shares are a planning assumption.
OUT_OF_WORK_STATUSES: tuple[tuple[str, float], ...] = (
    (EmploymentStatus.UNEMPLOYED_SEEKING, 0.46),
    (EmploymentStatus.LONG_TERM_SICK, 0.30),
    (EmploymentStatus.STUDENT, 0.04),
    (EmploymentStatus.HOMEMAKER, 0.04),
    (EmploymentStatus.NOT_SEEKING, 0.05),
    (EmploymentStatus.VOLUNTARY, 0.05),
    (EmploymentStatus.RETIRED, 0.01),
    (EmploymentStatus.NOT_STATED, 0.05),
)

#: Share of people out of work at referral who are in work at discharge: the IPS Grow
#: employment-rate benchmark of 40% [S8, S10].
INTO_WORK_SHARE = 0.40

#: Open referrals per full-time employment specialist: fidelity item 1 scores 5 at 20 or
#: fewer [S1, S4]; services run a little under it. A part-time specialist's capacity is
#: scaled by (1 + FTE) / 2, so caseloads run about 15 (0.6 FTE) to 19 (full time).
CASELOAD_TARGET = 19
#: Employment specialists attached to a second clinical team (fidelity item 4 allows at
#: most two [S6]).
SECOND_TEAM_SHARE = 0.3

#: Days between contacts while someone is on the caseload: every one to three weeks, inside
#: IPS Grow's "active = contact in the last four weeks" [S9]. Planning assumption.
CONTACT_GAP_DAYS = (7, 21)

#: Where face-to-face contacts happen: at least 65% of time in the community is fidelity
#: item 24's top score [S6]. Weights for (community, home, workplace, office).
FACE_TO_FACE_PLACES: tuple[tuple[str, float], ...] = (
    (Contact.Place.COMMUNITY, 0.55),
    (Contact.Place.HOME, 0.20),
    (Contact.Place.WORKPLACE, 0.08),
    (Contact.Place.OFFICE, 0.17),
)

#: Why referrals close (only the reasons zero exclusion allows, fidelity item 9). Shares are
#: a planning assumption; after access, most people finish because they no longer want help.
CLOSURE_AFTER_ACCESS: tuple[tuple[str, float], ...] = (
    (ClosureReason.DOES_NOT_WANT_WORK, 0.55),
    (ClosureReason.NOT_CONTACTABLE, 0.20),
    (ClosureReason.NOT_IN_SECONDARY_MH, 0.14),
    (ClosureReason.MOVED_AWAY, 0.10),
    (ClosureReason.DIED, 0.01),
)
CLOSURE_WITHOUT_ACCESS: tuple[tuple[str, float], ...] = (
    (ClosureReason.NOT_CONTACTABLE, 0.55),
    (ClosureReason.DOES_NOT_WANT_WORK, 0.30),
    (ClosureReason.NOT_IN_SECONDARY_MH, 0.10),
    (ClosureReason.MOVED_AWAY, 0.05),
)
#: Days from referral to closure when there is no access, by reason.
DAYS_TO_CLOSE_WITHOUT_ACCESS: dict[str, tuple[int, int]] = {
    ClosureReason.NOT_CONTACTABLE: (21, 60),
    ClosureReason.DOES_NOT_WANT_WORK: (3, 28),
    ClosureReason.NOT_IN_SECONDARY_MH: (3, 21),
    ClosureReason.MOVED_AWAY: (7, 40),
}

#: People re-referred after a closure, of those whose referral closed at least a month ago.
#: IPS offers help again after any job ends (fidelity item 9); "a few percent" overall.
RE_REFERRAL_SHARE = 0.06

#: Where referrals come from: mostly the clinical teams IPS is integrated with (fidelity item
#: 4 expects 90% of the caseload from the specialist's teams), some self-referrals and GPs.
REFERRAL_SOURCES: tuple[tuple[str, float], ...] = (
    (Referral.Source.CLINICAL_TEAM, 0.82),
    (Referral.Source.SELF, 0.09),
    (Referral.Source.GP, 0.06),
    (Referral.Source.OTHER, 0.03),
)

#: Ethnic category, roughly the shape of England's adult population; not a claim about IPS.
ETHNICITIES: tuple[tuple[str, float], ...] = (
    (EthnicCategory.WHITE_BRITISH, 0.72),
    (EthnicCategory.WHITE_IRISH, 0.01),
    (EthnicCategory.WHITE_OTHER, 0.05),
    (EthnicCategory.MIXED_WHITE_BLACK_CARIBBEAN, 0.01),
    (EthnicCategory.MIXED_WHITE_BLACK_AFRICAN, 0.005),
    (EthnicCategory.MIXED_WHITE_ASIAN, 0.01),
    (EthnicCategory.MIXED_OTHER, 0.01),
    (EthnicCategory.ASIAN_INDIAN, 0.025),
    (EthnicCategory.ASIAN_PAKISTANI, 0.02),
    (EthnicCategory.ASIAN_BANGLADESHI, 0.008),
    (EthnicCategory.ASIAN_OTHER, 0.015),
    (EthnicCategory.BLACK_CARIBBEAN, 0.012),
    (EthnicCategory.BLACK_AFRICAN, 0.025),
    (EthnicCategory.BLACK_OTHER, 0.005),
    (EthnicCategory.CHINESE, 0.005),
    (EthnicCategory.OTHER, 0.01),
    (EthnicCategory.NOT_STATED, 0.03),
    (EthnicCategory.NOT_KNOWN, 0.02),
)

# Test NHS numbers: "999" then six digits then the check digit: about 909,000 of them have a
# check digit other than 10. A service is kept well under that so drawing stays quick.
NHS_TEST_PREFIX = "999"
MAX_PEOPLE_PER_SERVICE = 600_000

# --- Demo accounts ---------------------------------------------------------------------------

DEMO_PASSWORD = "ips-demo-2026"  # noqa: S105 - a published demo password, synthetic data only
DEMO_SEED = 2026
DEMO_PEOPLE = 400
DEMO_YEARS = 2


@dataclass(frozen=True)
class DemoService:
    name: str
    short_name: str
    provider: str


DEMO_SERVICES = (
    DemoService("North County IPS", "north-county", "North County Mental Health NHS Trust"),
    DemoService("Riverside IPS", "riverside", "Riverside Health and Care NHS Trust"),
)


@dataclass(frozen=True)
class DemoAccount:
    """A fixed sign-in for the demo. ``team`` 0 is the service's team A, 1 team B."""

    username: str
    role: Role
    service: int | None
    team: int | None = None
    commissions: tuple[int, ...] = ()


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("es.demo", Role.EMPLOYMENT_SPECIALIST, service=0, team=0),
    DemoAccount("es2.demo", Role.EMPLOYMENT_SPECIALIST, service=0, team=1),
    DemoAccount("manager.demo", Role.MANAGER, service=0),
    DemoAccount("clinician.demo", Role.CLINICIAN, service=0, team=0),
    DemoAccount("commissioner.demo", Role.COMMISSIONER, service=None, commissions=(0,)),
    DemoAccount("admin.demo", Role.ADMINISTRATOR, service=0),
    DemoAccount("es.other", Role.EMPLOYMENT_SPECIALIST, service=1, team=0),
)
# es.demo gets a smaller share of new referrals so the curated ones below bring their open
# caseload to about 14: a believable, readable caseload for a first look.
_DEMO_ES_CAPACITY_FACTOR = 0.65


# --- Options and results ---------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    services: int = 2
    people: int = 400
    seed: int = 1
    years: int = 2
    chunk_people: int = 2000
    workers: int = 1  # processes writing services at once; PostgreSQL only
    demo: bool = False
    today: date | None = None
    now: datetime | None = None

    def check(self) -> None:
        if self.services < 1:
            raise ValueError("There must be at least one service.")
        if self.people < self.services:
            raise ValueError("There must be at least as many people as services.")
        if not 1 <= self.years <= 3:
            raise ValueError("Years of history must be 1, 2 or 3.")
        if self.people / self.services > MAX_PEOPLE_PER_SERVICE / 1.3:
            # 1.3: the largest share one service can get (see _people_per_service).
            raise ValueError(
                f"At most about {int(MAX_PEOPLE_PER_SERVICE / 1.3):,} people per service: "
                "a service's synthetic NHS numbers come from a range of about 900,000."
            )
        if self.demo and self.services != len(DEMO_SERVICES):
            raise ValueError(f"The demo has exactly {len(DEMO_SERVICES)} services.")
        if self.chunk_people < 1:
            raise ValueError("The chunk size must be at least one person.")
        if self.workers < 1:
            raise ValueError("There must be at least one worker.")


@dataclass
class Stats:
    """What was written: rows per table, and seconds spent writing each table."""

    rows: Counter = field(default_factory=Counter)
    write_seconds: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    analyse_seconds: float = 0.0
    services: int = 0
    people: int = 0
    specialists: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0

    def table_rates(self) -> dict[str, dict[str, float]]:
        """Per table: rows, seconds writing them, and rows per second of writing."""
        return {
            table: {
                "rows": count,
                "write_seconds": round(self.write_seconds[table], 3),
                "rows_per_second": round(count / self.write_seconds[table])
                if self.write_seconds[table]
                else None,
            }
            for table, count in sorted(self.rows.items())
        }


@dataclass(frozen=True)
class Progress:
    service: int
    services: int
    people_done: int
    people: int
    rows: int
    seconds: float


# --- Writing rows ----------------------------------------------------------------------------


class _Table:
    """The columns the generator fills for one model, in the order its row tuples use."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]):
        self.model = model
        self.name = model._meta.db_table
        self.columns = tuple(columns)
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = [c for c in self.columns if c not in fields]
        if unknown:
            raise RuntimeError(f"{model.__name__} has no columns {unknown}: update the generator.")
        # Fail loudly when the model gains a required column the generator does not fill.
        missing = [
            f.column
            for f in fields.values()
            if not f.primary_key
            and f.column not in self.columns
            and not f.null
            and f.db_default is models.NOT_PROVIDED
        ]
        if missing:
            raise RuntimeError(
                f"{model.__name__} has required columns the generator does not fill: {missing}"
            )
        self.fields = [fields[c] for c in self.columns]


def _sqlite_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return str(value.astimezone(UTC).replace(tzinfo=None))


class _Writer:
    """Writes row tuples per table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, stats: Stats):
        self.stats = stats
        self.db = connections[DEFAULT_DB_ALIAS]
        self.vendor = self.db.vendor
        self._converters: dict[str, list[tuple[int, Callable]]] = {}

    def _convert(self, table: _Table) -> list[tuple[int, Callable]]:
        """Converters for the columns this backend cannot take as Python values."""
        if table.name not in self._converters:
            converters = []
            for i, f in enumerate(table.fields):
                if self.vendor == "sqlite":
                    # sqlite3 already adapts dates (Django registers the adapter); datetimes
                    # are stored as naive UTC text, as the ORM writes them.
                    if isinstance(f, models.DateTimeField):
                        converters.append((i, _sqlite_datetime))
                elif isinstance(f, models.DateField):  # DateTimeField is a DateField too
                    converters.append((i, partial(f.get_db_prep_save, connection=self.db)))
            self._converters[table.name] = converters
        return self._converters[table.name]

    def write(self, table: _Table, rows: list[tuple]) -> None:
        if not rows:
            return
        started = time.perf_counter()
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in table.columns)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                sql = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                converters = self._convert(table)
                if converters:
                    converted = []
                    for row in rows:
                        values = list(row)
                        for i, convert in converters:
                            values[i] = convert(values[i])
                        converted.append(values)
                    rows = converted
                placeholders = ", ".join(["%s"] * len(table.columns))
                sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from model metadata
                cursor.executemany(sql, rows)
        self.stats.rows[table.name] += len(rows)
        self.stats.write_seconds[table.name] += time.perf_counter() - started


class _Ids:
    """Primary keys for rows other rows point at, taken before the rows are written.

    PostgreSQL: blocks of values from the table's own sequence, so concurrent writers never
    collide. SQLite: one writer holds the database lock for the whole transaction (IMMEDIATE
    mode), so the ids after the current maximum are free until it commits; ``reset`` is called
    at the start of each transaction.
    """

    BLOCK = 10_000

    def __init__(self, model: type[models.Model]):
        self.table = model._meta.db_table
        self.vendor = connection.vendor
        self._free: list[int] = []
        self._next: int | None = None

    def reset(self) -> None:
        if self.vendor != "postgresql":
            self._next = None

    def take(self) -> int:
        if self.vendor == "postgresql":
            if not self._free:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                        "FROM generate_series(1, %s)",
                        [self.table, self.BLOCK],
                    )
                    self._free = [row[0] for row in cursor.fetchall()]
                self._free.reverse()
            return self._free.pop()
        if self._next is None:
            self._next = self._first_free()
        value = self._next
        self._next += 1
        return value

    def _first_free(self) -> int:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {quote(self.table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            if self.vendor == "sqlite":
                # AUTOINCREMENT never reuses an id, even of a deleted row; neither do we.
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
                row = cursor.fetchone()
                highest = max(highest, row[0] if row else 0)
        return highest + 1


_PERSON = _Table(
    Person,
    [
        "id",
        "service_id",
        "nhs_number",
        "given_name",
        "family_name",
        "preferred_name",
        "date_of_birth",
        "postcode",
        "phone",
        "email",
        "contact_preferences",
        "gender_identity",
        "ethnic_category",
        "created_at",
    ],
)
_REFERRAL = _Table(
    Referral,
    [
        "id",
        "service_id",
        "person_id",
        "team_id",
        "source",
        "referrer_name",
        "referred_by_id",
        "received_on",
        "pathway",
        "employment_status_at_referral",
        "weekly_hours_at_referral",
        "work_interests",
        "allocated_to_id",
        "status",
        "closed_on",
        "closure_reason",
        "is_new",
        "next_action",
        "next_action_on",
        "created_at",
    ],
)
_STATUS_CHANGE = _Table(
    ReferralStatusChange,
    ["referral_id", "status", "effective_on", "recorded_at", "recorded_by_id", "reason", "note"],
)
_EPISODE = _Table(
    Episode,
    [
        "referral_id",
        "service_id",
        "person_id",
        "access_date",
        "employment_status_at_discharge",
        "weekly_hours_at_discharge",
    ],
)
_CONTACT = _Table(
    Contact,
    [
        "service_id",
        "person_id",
        "referral_id",
        "staff_id",
        "contact_date",
        "with_whom",
        "mode",
        "place",
        "outcome",
        "duration_minutes",
        "note",
        "is_direct",
        "recorded_at",
    ],
)
_PROFILE = _Table(
    VocationalProfile,
    [
        "person_id",
        "referral_id",
        "version",
        "recorded_at",
        "recorded_by_id",
        "change_reason",
        "work_history",
        "education_and_training",
        "skills_and_strengths",
        "kinds_of_work",
        "jobs_not_to_repeat",
        "hours_min",
        "hours_max",
        "unsuitable_times",
        "unsuitable_times_reason",
        "travel_max_miles",
        "places",
        "goals",
    ],
)
_DISCLOSURE = _Table(
    DisclosurePlan,
    [
        "person_id",
        "version",
        "recorded_at",
        "recorded_by_id",
        "decision",
        "who_to_tell",
        "what_to_say",
        "employer_contact_allowed",
        "pros_and_cons_discussed",
        "review_on",
    ],
)
_MEETING = _Table(
    TeamMeeting,
    [
        "service_id",
        "team_id",
        "staff_id",
        "meeting_date",
        "kind",
        "people_discussed",
        "note",
        "recorded_at",
    ],
)
# Parents before children, so foreign keys hold at every statement.
_CASE_TABLES = (_PERSON, _REFERRAL, _STATUS_CHANGE, _EPISODE, _CONTACT, _PROFILE, _DISCLOSURE)


# --- Small helpers ---------------------------------------------------------------------------


def _weighted(rng: random.Random, choices: Sequence[tuple[str, float]]) -> str:
    point = rng.random() * sum(w for _, w in choices)
    for value, weight in choices:
        point -= weight
        if point < 0:
            return value
    return choices[-1][0]


def nhs_check_digit(nine_digits: str) -> int | None:
    """The modulus 11 check digit (NHS Data Dictionary), or None when it would be 10."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(nine_digits))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def synthetic_nhs_number(rng: random.Random, used: set[str]) -> str:
    """A valid, unused NHS number in the 999 test range."""
    while True:
        body = f"{NHS_TEST_PREFIX}{rng.randrange(1_000_000):06d}"
        check = nhs_check_digit(body)
        if check is None:
            continue
        number = f"{body}{check}"
        if number not in used:
            used.add(number)
            return number


_INCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's inward code may use


def synthetic_postcode(rng: random.Random) -> str:
    """A postcode in the non-existent area AA (see the module docstring)."""
    letters = rng.choice(_INCODE_LETTERS) + rng.choice(_INCODE_LETTERS)
    return f"AA{rng.randint(1, 99)} {rng.randint(0, 9)}{letters}"


def synthetic_mobile(rng: random.Random) -> str:
    """A mobile number from Ofcom's drama range 07700 900000–900999."""
    return f"07700 900{rng.randrange(1000):03d}"


def synthetic_landline(rng: random.Random) -> str:
    """A landline number from Ofcom's drama range 01632 960000–960999."""
    return f"01632 960{rng.randrange(1000):03d}"


def _email(given: str, family: str, n: int) -> str:
    local = f"{given}.{family}{n}".lower().replace(" ", "").replace("'", "")
    return f"{local}@example.com"


# Canned text for profiles, plans, notes and next actions: generic, never about anyone.
_KINDS_OF_WORK = (
    "Retail",
    "Warehouse and logistics",
    "Office and admin work",
    "Catering and hospitality",
    "Gardening and grounds maintenance",
    "Care work",
    "Driving and delivery",
    "Cleaning",
    "IT support",
    "Building trades",
    "Customer service",
    "Animal care",
    "Library or museum work",
    "Bike repair",
    "Hairdressing",
    "Security",
    "Book-keeping",
)
_WORK_HISTORY = (
    "Two years on the tills at a supermarket.",
    "Kitchen assistant, then supervisor at a café.",
    "No paid work yet; volunteered at a charity shop.",
    "Agency contracts picking in a warehouse.",
    "Receptionist at a dental practice.",
    "Labouring on building sites.",
    "Adviser in a call centre.",
    "Delivery driver for a parcel firm.",
)
_EDUCATION = (
    "GCSEs.",
    "Level 2 food hygiene certificate.",
    "Started a college course in IT.",
    "A levels.",
    "Forklift licence (lapsed).",
    "Degree in history.",
    "CSCS card.",
    "Nothing mentioned yet.",
)
_SKILLS = (
    "Good with customers.",
    "Reliable and on time.",
    "Careful with detail.",
    "Enjoys physical work.",
    "Confident with computers.",
    "Calm under pressure.",
    "Good with animals.",
    "Speaks two languages.",
)
_NOT_AGAIN = ("Night shifts.", "Call centres.", "Zero-hours agency work.", "Working alone.", "")
_GOALS = (
    "A part-time job near home.",
    "Work with animals.",
    "Get back into catering.",
    "Steady office work, 16 hours a week to start.",
    "Return to their job with adjustments.",
    "Save up for driving lessons.",
)
_PLACES = ("Near home", "Town centre", "On a bus route", "Within walking distance", "Anywhere")
_TIMES_REASONS = ("Medication makes early mornings hard.", "Childcare.", "Evening group weekly.")
_PROFILE_REASONS = (
    "Added work history and skills at the second meeting",
    "Added preferences after a third meeting",
    "Updated after a job ended",
    "Updated hours after a better-off calculation",
)
_WHO_TO_TELL = ("The line manager only", "The manager and HR", "Nobody at first")
_WHAT_TO_SAY = (
    "I have a health condition that is well managed. I may need time off for appointments.",
    "I had some time out of work for my health and I am ready to get back.",
    "",
)
_CONTACT_NOTES = (
    "Talked through the kinds of work they want.",
    "Looked at local vacancies together.",
    "Worked on their CV.",
    "Practised for an interview.",
    "Talked about travel to work.",
    "Planned what to say to employers.",
    "Checked how the new job is going.",
)
_CONTACT_PREFERENCES = (
    "Text first, please.",
    "Mornings are best.",
    "Prefers phone calls after 2pm.",
    "Email is easiest.",
    "Meet in town, not at home.",
)
_NEXT_ACTIONS = (
    "Meet to carry on the vocational profile",
    "Look at vacancies together",
    "Visit an employer with them",
    "Prepare for an interview",
    "Better-off calculation with the welfare rights adviser",
    "Review the disclosure plan",
    "Check in about the job they applied for",
)


# --- Planning: who is referred when, and to whom ------------------------------------------


@dataclass(slots=True)
class _Plan:
    """One referral's planned life, before its rows are built.

    ``end_on`` is when it would close; after today it is still open. ``wait`` is days to
    access, or None when there is none.
    """

    person: int
    received_on: date
    team: int | None
    source: str
    pathway: str
    employment_status: str
    wait: int | None
    end_on: date | None
    reason: str
    es: int | None = None
    fixed: bool = False  # a curated demo referral: dates and specialist exactly as given


@dataclass
class _StaffRef:
    id: int
    name: str


@dataclass
class _ServiceContext:
    """What building one service's rows needs to know about it."""

    index: int
    service_id: int
    team_ids: list[int]
    team_weights: list[float]
    es: list[_StaffRef] = field(default_factory=list)
    es_teams: list[list[int]] = field(default_factory=list)
    es_capacity: list[float] = field(default_factory=list)
    clinicians: dict[int, list[_StaffRef]] = field(default_factory=dict)
    managers: list[_StaffRef] = field(default_factory=list)


class Generator:
    """Builds and writes the data; see :func:`generate`."""

    def __init__(self, options: Options, progress: Callable[[Progress], None] | None = None):
        options.check()
        self.options = options
        self.progress = progress
        self.today = options.today or timezone.localdate()
        self.now = options.now or timezone.now()
        self.start = self.today - timedelta(days=365 * options.years)
        self.stats = Stats()
        self.writer = _Writer(self.stats)
        self.person_ids = _Ids(Person)
        self.referral_ids = _Ids(Referral)
        # Days off (weekends and England and Wales bank holidays) in the history window.
        first = self.start - timedelta(days=400)
        self._days_off = {
            first + timedelta(days=n)
            for n in range((self.today - first).days + 30)
            if not is_working_day(first + timedelta(days=n))
        }
        self._started = 0.0
        self._done = [0, 0]  # people and rows written by this process
        self._rows_counted = 0  # this process's rows already added to the count
        self._shared = None  # the same, across worker processes

    # -- dates --------------------------------------------------------------------------------

    def _working_on_or_after(self, day: date) -> date:
        while day in self._days_off:
            day += timedelta(days=1)
        return day

    def _stamp(self, day: date, minutes: int = 0) -> datetime:
        """When something dated ``day`` was recorded: in working hours, never in the future."""
        moment = datetime.combine(day, clock(9, 0), tzinfo=LONDON) + timedelta(minutes=minutes)
        return min(moment, self.now)

    # -- the whole run ------------------------------------------------------------------------

    def run(self) -> Stats:
        self._started = time.perf_counter()
        self._check_not_generated()
        shares = self._people_per_service()
        workers = min(self.options.workers, len(shares))
        if workers > 1 and connection.vendor == "postgresql":
            self._run_in_workers(shares, workers)
        else:
            for index, people in enumerate(shares):
                self._generate_service(index, people)
        short_names = [self._service_identity(i)[1] for i in range(len(shares))]
        by_name = Service.objects.in_bulk(short_names, field_name="short_name")
        self._create_commissioners([by_name[name] for name in short_names])
        self._analyse()
        self.stats.services = len(shares)
        self.stats.people = self._counted()[0]
        self.stats.seconds = time.perf_counter() - self._started
        return self.stats

    def _analyse(self) -> None:
        """Refresh the query planner's statistics for the tables just filled.

        Without them, PostgreSQL plans the first queries after a bulk load as if the tables
        were empty (a person's timeline scanned every status change: 80 ms instead of 0.1 ms
        at 100,000 people) until autovacuum catches up. SQLite gets a full ANALYZE (about a
        second at 100,000 people): a sampled one (``analysis_limit``) misled its planner into
        walking every allocated referral for the caseload counts, 64 ms instead of 2 ms.
        """
        started = time.perf_counter()
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for table in sorted(self.stats.rows):
                    cursor.execute(f"ANALYZE {quote(table)}")
            elif connection.vendor == "sqlite":
                cursor.execute("ANALYZE")
        self.stats.analyse_seconds = time.perf_counter() - started

    def _run_in_workers(self, shares: list[int], workers: int) -> None:
        """Write services from several processes at once (PostgreSQL only).

        Services are independent and each has its own random streams, so the data is the
        same as from one process; ids come from the database's sequences, so processes never
        collide. On a small machine this overlaps Python building rows with the database
        checking and indexing them; on a bigger one it scales with the cores.
        """
        context = multiprocessing.get_context("fork")
        tasks = context.Queue()
        results = context.Queue()
        for task in enumerate(shares):
            tasks.put(task)
        for _ in range(workers):
            tasks.put(None)
        self._shared = context.Array("q", 2)
        connections.close_all()  # each process must open its own connection
        processes = [
            context.Process(target=self._worker, args=(tasks, results)) for _ in range(workers)
        ]
        for process in processes:
            process.start()
        failures, pending = [], len(processes)
        while pending:
            try:
                succeeded, payload = results.get(timeout=2)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in processes):
                    failures.append("a worker process died")
                    break
                continue
            pending -= 1
            if succeeded:
                for name in ("rows", "write_seconds"):
                    getattr(self.stats, name).update(getattr(payload, name))
                self.stats.specialists += payload.specialists
            else:
                failures.append(payload)
        for process in processes:
            process.join()
        if failures:
            raise RuntimeError(f"Generating in parallel failed: {failures[0]}")

    def _worker(self, tasks, results) -> None:
        try:
            self.stats = Stats()
            self.writer = _Writer(self.stats)
            self._rows_counted = 0
            while (task := tasks.get()) is not None:
                self._generate_service(*task)
            results.put((True, self.stats))
        except Exception:
            results.put((False, traceback.format_exc()))
        finally:
            connections.close_all()

    def _count(self, people: int, rows: int) -> tuple[int, int]:
        """Add to the people and rows written so far (across processes); returns the totals."""
        if self._shared is None:
            self._done[0] += people
            self._done[1] += rows
            return self._done[0], self._done[1]
        with self._shared.get_lock():
            self._shared[0] += people
            self._shared[1] += rows
            return self._shared[0], self._shared[1]

    def _counted(self) -> tuple[int, int]:
        return self._count(0, 0)

    def _service_identity(self, index: int) -> tuple[str, str, str]:
        if self.options.demo:
            demo = DEMO_SERVICES[index]
            return demo.name, demo.short_name, demo.provider
        place = names.PLACE_NAMES[index % len(names.PLACE_NAMES)]
        number = index + 1
        return (
            f"{place} IPS (synthetic {number})",
            f"synthetic-{self.options.seed}-{number}",
            f"{place} Mental Health NHS Trust (synthetic)",
        )

    def _check_not_generated(self) -> None:
        short_names = [self._service_identity(i)[1] for i in range(self.options.services)]
        taken = list(
            Service.objects.filter(short_name__in=short_names).values_list("short_name", flat=True)
        )
        if taken:
            raise ValueError(
                f"Services {', '.join(sorted(taken)[:3])} already exist: this seed has already "
                "been generated here. Use another seed or a fresh database."
            )

    def _people_per_service(self) -> list[int]:
        """Split the people between services: unequal, as services are, but summing exactly."""
        rng = random.Random(f"{self.options.seed}:split")
        count = self.options.services
        weights = [rng.uniform(0.7, 1.3) for _ in range(count)]
        if self.options.demo:
            weights = [1.0] * count
        total = sum(weights)
        people = self.options.people
        shares = [max(1, math.floor(people * w / total)) for w in weights]
        for i in range(people - sum(shares)):
            shares[i % count] += 1
        while sum(shares) > people:  # only when rounding up tiny services overshot
            shares[shares.index(max(shares))] -= 1
        return shares

    # -- one service --------------------------------------------------------------------------

    def _generate_service(self, index: int, people: int) -> Service:
        seed = self.options.seed
        plan_rng = random.Random(f"{seed}:plan:{index}")
        build_rng = random.Random(f"{seed}:build:{index}")
        staff_rng = random.Random(f"{seed}:staff:{index}")

        with transaction.atomic():
            service, teams = self._create_service(index, staff_rng)
        ctx = _ServiceContext(
            index=index,
            service_id=service.pk,
            team_ids=[t.pk for t in teams],
            team_weights=[plan_rng.uniform(0.7, 1.3) for _ in teams],
        )
        by_person = self._plan_people(ctx, people, plan_rng)
        with transaction.atomic():
            self._create_staff(ctx, service, teams, by_person, staff_rng)
        self._allocate(ctx, by_person)
        with transaction.atomic():
            self._write_team_meetings(ctx, staff_rng)
        self._build_people(ctx, by_person, build_rng)
        return service

    def _create_service(self, index: int, rng: random.Random) -> tuple[Service, list[Team]]:
        name, short_name, provider = self._service_identity(index)
        service = Service.objects.create(
            name=name,
            short_name=short_name,
            provider=provider,
            started_on=self.start - timedelta(days=rng.randint(30, 720)),
        )
        count = 3 if self.options.demo and index == 0 else rng.randint(2, 4)
        places = rng.sample(names.PLACE_NAMES, count)
        teams = []
        for position, place in enumerate(places):
            early_intervention = position == count - 1 and count > 2 and rng.random() < 0.6
            kind = Team.Kind.EIP if early_intervention else Team.Kind.CMHT
            label = "Early Intervention Team" if early_intervention else "CMHT"
            teams.append(Team(service=service, name=f"{place} {label}", kind=kind))
        Team.objects.bulk_create(teams)
        self.stats.rows[Service._meta.db_table] += 1
        self.stats.rows[Team._meta.db_table] += len(teams)
        return service, teams

    def _plan_people(
        self, ctx: _ServiceContext, people: int, rng: random.Random
    ) -> list[list[_Plan]]:
        """Every person's referrals, first and re-referrals, by person index."""
        today = self.today
        window = (today - self.start).days
        by_person: list[list[_Plan]] = []
        for person in range(people):
            received = self.start + timedelta(days=rng.randint(0, window))
            plans = [self._plan_referral(ctx, person, received, rng)]
            first = plans[0]
            if (
                first.end_on is not None
                and first.end_on <= today - timedelta(days=30)
                and rng.random() < RE_REFERRAL_SHARE
            ):
                # Long enough after the closure that the first referral has certainly closed
                # (late attempts can move a closure up to about eight weeks).
                again = first.end_on + timedelta(days=rng.randint(60, 240))
                if again <= today:
                    plans.append(self._plan_referral(ctx, person, again, rng))
            by_person.append(plans)
        if self.options.demo:
            self._add_demo_referrals(ctx, by_person)
        return by_person

    def _plan_referral(
        self, ctx: _ServiceContext, person: int, received: date, rng: random.Random
    ) -> _Plan:
        source = _weighted(rng, REFERRAL_SOURCES)
        team: int | None = rng.choices(range(len(ctx.team_ids)), weights=ctx.team_weights)[0]
        if source != Referral.Source.CLINICAL_TEAM and rng.random() < 0.1:
            team = None  # a self- or GP referral whose clinical team is not known yet
        if rng.random() < JOB_RETENTION_SHARE:
            pathway = Referral.Pathway.JOB_RETENTION
            status = EmploymentStatus.EMPLOYED
        else:
            pathway = Referral.Pathway.JOB_SEEKING
            status = _weighted(rng, OUT_OF_WORK_STATUSES)
        if rng.random() < ACCESS_SHARE:
            wait = self._wait(rng)
            stay = max(21, int(rng.gammavariate(STAY_GAMMA_SHAPE, STAY_GAMMA_SCALE)))
            end_on = received + timedelta(days=wait + stay)
            reason = _weighted(rng, CLOSURE_AFTER_ACCESS)
        else:
            wait = None
            reason = _weighted(rng, CLOSURE_WITHOUT_ACCESS)
            low, high = DAYS_TO_CLOSE_WITHOUT_ACCESS[reason]
            end_on = received + timedelta(days=rng.randint(low, high))
        plan = _Plan(person, received, team, source, pathway, status, wait, end_on, reason)
        if received >= self.today - timedelta(days=2) and rng.random() < 0.5:
            # Arrived in the last couple of days and nobody has looked at it yet.
            plan.wait, plan.end_on, plan.reason = None, None, ""
            plan.fixed = True
        return plan

    @staticmethod
    def _wait(rng: random.Random) -> int:
        """Days from referral to access, drawn band by band (:data:`WAIT_BANDS`)."""
        share = rng.random()
        for band_share, low, high in WAIT_BANDS:
            share -= band_share
            if share < 0:
                return rng.randint(low, high)
        return rng.randint(*WAIT_BANDS[-1][1:])

    def _add_demo_referrals(self, ctx: _ServiceContext, by_person: list[list[_Plan]]) -> None:
        """Curated referrals that give the demo's first pages something to show.

        Service 1: three new referrals nobody has allocated yet (the manager's queue). es.demo:
        two allocated people not yet contacted, one who had their first meeting 27 days ago
        (so the "first employer contact within 30 days" prompt is due), one job-retention case.
        """
        if ctx.index != 0:
            return
        today = self.today
        job_seeking, retention = Referral.Pathway.JOB_SEEKING, Referral.Pathway.JOB_RETENTION
        unemployed = EmploymentStatus.UNEMPLOYED_SEEKING
        curated = [
            # (days ago received, team, source, pathway, status, wait, specialist)
            (1, 0, Referral.Source.CLINICAL_TEAM, job_seeking, unemployed, None, None),
            (3, None, Referral.Source.SELF, job_seeking, EmploymentStatus.NOT_STATED, None, None),
            (5, 1, Referral.Source.GP, job_seeking, EmploymentStatus.LONG_TERM_SICK, None, None),
            (4, 0, Referral.Source.CLINICAL_TEAM, job_seeking, unemployed, None, 0),
            (9, 0, Referral.Source.CLINICAL_TEAM, job_seeking, EmploymentStatus.VOLUNTARY, None, 0),
            (33, 0, Referral.Source.CLINICAL_TEAM, job_seeking, unemployed, 6, 0),
            (70, 0, Referral.Source.CLINICAL_TEAM, retention, EmploymentStatus.EMPLOYED, 4, 0),
        ]
        for days_ago, team, source, pathway, status, wait, es in curated:
            plan = _Plan(
                person=len(by_person),
                received_on=today - timedelta(days=days_ago),
                team=team,
                source=source,
                pathway=pathway,
                employment_status=status,
                wait=wait,
                end_on=None,
                reason="",
                es=es,
                fixed=True,
            )
            by_person.append([plan])

    # -- staff --------------------------------------------------------------------------------

    def _specialists_needed(self, ctx: _ServiceContext, by_person: list[list[_Plan]]) -> list[int]:
        """Specialists per team, from the most people each team had open in the last year."""
        events: dict[int | None, list[tuple[date, int]]] = defaultdict(list)
        for plans in by_person:
            for plan in plans:
                events[plan.team].append((plan.received_on, 1))
                if plan.end_on is not None and plan.end_on <= self.today:
                    events[plan.team].append((plan.end_on, -1))
        since = self.today - timedelta(days=365)
        peaks: dict[int | None, int] = {}
        for team, team_events in events.items():
            team_events.sort()
            open_now = peak = 0
            for day, change in team_events:
                open_now += change
                if day >= since:
                    peak = max(peak, open_now)
            peaks[team] = max(peak, open_now)
        unknown = peaks.pop(None, 0)
        teams = len(ctx.team_ids)
        needed = []
        for team in range(teams):
            demand = peaks.get(team, 0) + unknown / teams
            # Capacity of an average specialist, FTE about 0.87: CASELOAD_TARGET × (1+0.87)/2.
            needed.append(max(1, round(demand / (CASELOAD_TARGET * 0.93))))
        return needed

    def _create_staff(
        self,
        ctx: _ServiceContext,
        service: Service,
        teams: list[Team],
        by_person: list[list[_Plan]],
        rng: random.Random,
    ) -> None:
        demo = self.options.demo
        short = service.short_name
        specs: list[dict] = []

        def add(role: Role, team_indexes: list[int], fte: Decimal, title: str, username: str):
            specs.append(
                {
                    "role": role,
                    "teams": team_indexes,
                    "fte": fte,
                    "title": title,
                    "username": username,
                }
            )

        team_count = len(teams)
        for team, count in enumerate(self._specialists_needed(ctx, by_person)):
            for k in range(count):
                fte = Decimal(rng.choice(["1.00", "1.00", "1.00", "0.80", "0.60"]))
                member_of = [team]
                fixed = demo and k == 0 and team in (0, 1) and ctx.index == 0
                if not fixed and team_count > 1 and rng.random() < SECOND_TEAM_SHARE:
                    member_of.append((team + 1) % team_count)
                if demo and ctx.index == 0 and k == 0 and team == 0:
                    fte = Decimal("1.00")
                add(
                    Role.EMPLOYMENT_SPECIALIST,
                    member_of,
                    fte,
                    "Employment specialist",
                    f"{short}.es{len(specs) + 1}",
                )
        specialists = len(specs)
        for k in range(max(1, math.ceil(specialists / 10))):  # fidelity item 8: ≤10 per lead
            add(Role.MANAGER, [], Decimal("1.00"), "IPS team leader", f"{short}.manager{k + 1}")
        add(Role.ADMINISTRATOR, [], Decimal("0.60"), "Service administrator", f"{short}.admin")
        for team in range(team_count):
            for k in range(rng.randint(3, 5)):
                add(
                    Role.CLINICIAN,
                    [team],
                    Decimal("1.00"),
                    rng.choice(["Care coordinator", "Community psychiatric nurse", "Psychologist"]),
                    f"{short}.t{team + 1}.clinician{k + 1}",
                )
        if demo:
            self._name_demo_accounts(ctx.index, specs)

        members = self._create_members(service, specs, rng)
        for spec, member in zip(specs, members, strict=True):
            ref = _StaffRef(member.pk, f"{member.user.first_name} {member.user.last_name}")
            if spec["role"] == Role.EMPLOYMENT_SPECIALIST:
                ctx.es.append(ref)
                ctx.es_teams.append(spec["teams"])
                factor = 1.0
                if spec["username"] == "es.demo":
                    factor = _DEMO_ES_CAPACITY_FACTOR
                ctx.es_capacity.append(CASELOAD_TARGET * (1 + float(spec["fte"])) / 2 * factor)
            elif spec["role"] == Role.CLINICIAN:
                ctx.clinicians.setdefault(spec["teams"][0], []).append(ref)
            elif spec["role"] == Role.MANAGER:
                ctx.managers.append(ref)
        through = StaffMember.teams.through
        links = [
            through(staffmember_id=member.pk, team_id=teams[t].pk)
            for spec, member in zip(specs, members, strict=True)
            for t in spec["teams"]
        ]
        through.objects.bulk_create(links)
        self.stats.rows[through._meta.db_table] += len(links)
        self.stats.specialists += specialists

    @staticmethod
    def _name_demo_accounts(service_index: int, specs: list[dict]) -> None:
        """Give each fixed demo username to the first staff member of its role (and team)."""
        named: set[int] = set()
        for account in DEMO_ACCOUNTS:
            if account.service != service_index:
                continue
            for n, spec in enumerate(specs):
                team_matches = account.team is None or spec["teams"][:1] == [account.team]
                if n not in named and spec["role"] == account.role and team_matches:
                    spec["username"] = account.username
                    named.add(n)
                    break

    def _create_members(
        self, service: Service | None, specs: list[dict], rng: random.Random
    ) -> list[StaffMember]:
        """Users and staff members in bulk; demo accounts get the demo password (Argon2)."""
        user_model = get_user_model()
        users = []
        demo_names = {a.username for a in DEMO_ACCOUNTS}
        for n, spec in enumerate(specs):
            given = rng.choice(names.FEMALE_GIVEN_NAMES + names.MALE_GIVEN_NAMES)
            family = rng.choice(names.SURNAMES)
            spec["given"], spec["family"] = given, family
            user = user_model(
                username=spec["username"],
                first_name=given,
                last_name=family,
                email=_email(given, family, n + 1),
            )
            if spec["username"] in demo_names:
                user.set_password(DEMO_PASSWORD)
            else:
                # Generated staff cannot sign in; benchmarks sign them in with force_login.
                user.password = make_password(None)
            users.append(user)
        user_model.objects.bulk_create(users)
        if any(u.pk is None for u in users):  # backends that cannot return ids from bulk_create
            by_name = dict(
                user_model.objects.filter(username__in=[u.username for u in users]).values_list(
                    "username", "pk"
                )
            )
            for user in users:
                user.pk = by_name[user.username]
        members = [
            StaffMember(
                user=user,
                service=service,
                role=spec["role"],
                fte=spec["fte"],
                job_title=spec["title"],
                started_on=(service.started_on if service else self.start)
                + timedelta(days=rng.randint(0, 29)),
                phone=synthetic_landline(rng),
            )
            for spec, user in zip(specs, users, strict=True)
        ]
        StaffMember.objects.bulk_create(members)
        if any(m.pk is None for m in members):
            by_user = dict(StaffMember.objects.filter(user__in=users).values_list("user_id", "pk"))
            for member in members:
                member.pk = by_user[member.user.pk]
        self.stats.rows[user_model._meta.db_table] += len(users)
        self.stats.rows[StaffMember._meta.db_table] += len(members)
        return members

    def _create_commissioners(self, services: list[Service]) -> None:
        """Commissioners, each for up to three services; in the demo, one per service."""
        rng = random.Random(f"{self.options.seed}:commissioners")
        named: list[tuple[str, list[int]]] = []
        if self.options.demo:
            named = [
                (a.username, list(a.commissions))
                for a in DEMO_ACCOUNTS
                if a.role == Role.COMMISSIONER
            ]
            covered = {i for _, group in named for i in group}
            named += [
                (f"{DEMO_SERVICES[i].short_name}.commissioner", [i])
                for i in range(len(services))
                if i not in covered
            ]
        else:
            for k, first in enumerate(range(0, len(services), 3)):
                group = list(range(first, min(first + 3, len(services))))
                named.append((f"synthetic-{self.options.seed}.commissioner{k + 1}", group))
        groups = [group for _, group in named]
        specs = [
            {
                "role": Role.COMMISSIONER,
                "teams": [],
                "fte": Decimal("1.00"),
                "title": "Commissioner",
                "username": username,
            }
            for username, _ in named
        ]
        with transaction.atomic():
            members = self._create_members(None, specs, rng)
            through = StaffMember.commissioned_services.through
            links = [
                through(staffmember_id=member.pk, service_id=services[i].pk)
                for member, group in zip(members, groups, strict=True)
                for i in group
            ]
            through.objects.bulk_create(links)
        self.stats.rows[through._meta.db_table] += len(links)

    # -- allocation ---------------------------------------------------------------------------

    def _allocate(self, ctx: _ServiceContext, by_person: list[list[_Plan]]) -> None:
        """Allocate each referral, in date order, to the least-loaded specialist of its team.

        Load counts the referrals a specialist holds that have not yet closed on the day the
        new one arrives, against their capacity; so caseloads settle near the target.
        """
        pools: dict[int | None, list[int]] = defaultdict(list)
        for es, member_of in enumerate(ctx.es_teams):
            for team in member_of:
                pools[team].append(es)
        pools[None] = list(range(len(ctx.es)))
        holding: list[list[date]] = [[] for _ in ctx.es]  # heaps of end dates
        plans = sorted(
            (plan for person in by_person for plan in person),
            key=lambda p: (p.received_on, p.person),
        )
        forever = date.max
        for plan in plans:
            day = plan.received_on
            if plan.fixed:
                if plan.es is not None:
                    heapq.heappush(holding[plan.es], plan.end_on or forever)
                continue
            best, best_load = None, math.inf
            for es in pools[plan.team] or pools[None]:
                heap = holding[es]
                while heap and heap[0] <= day:
                    heapq.heappop(heap)
                load = (len(heap) + 1) / ctx.es_capacity[es]
                if load < best_load:
                    best, best_load = es, load
            plan.es = best
            heapq.heappush(holding[best], plan.end_on or forever)

    # -- team meetings ------------------------------------------------------------------------

    def _write_team_meetings(self, ctx: _ServiceContext, rng: random.Random) -> None:
        """Weekly team meetings each specialist attends (fidelity item 5: weekly meetings).

        Each team meets on its own weekday; about one week in ten is missed (leave, sickness).
        """
        rows: list[tuple] = []
        for es, member_of in zip(ctx.es, ctx.es_teams, strict=True):
            for team in member_of:
                weekday = team % 4  # each team meets on its own day, Monday to Thursday
                day = self.start + timedelta(days=(weekday - self.start.weekday()) % 7)
                while day <= self.today:
                    if day not in self._days_off and rng.random() < 0.9:
                        kind = (
                            TeamMeeting.Kind.REFERRALS
                            if rng.random() < 0.15
                            else TeamMeeting.Kind.MDT
                        )
                        rows.append(
                            (
                                ctx.service_id,
                                ctx.team_ids[team],
                                es.id,
                                day,
                                kind,
                                rng.randint(1, 6),
                                "",
                                self._stamp(day, 240),
                            )
                        )
                    day += timedelta(days=7)
                if len(rows) >= 50_000:
                    self.writer.write(_MEETING, rows)
                    rows = []
        self.writer.write(_MEETING, rows)

    # -- people -------------------------------------------------------------------------------

    def _build_people(
        self, ctx: _ServiceContext, by_person: list[list[_Plan]], rng: random.Random
    ) -> None:
        used_nhs: set[str] = set()
        chunk = self.options.chunk_people
        for first in range(0, len(by_person), chunk):
            batch = _Batch()
            for plans in by_person[first : first + chunk]:
                self._build_person(ctx, plans, rng, used_nhs, batch)
            with transaction.atomic():
                self.person_ids.reset()
                self.referral_ids.reset()
                batch.assign_ids(self.person_ids, self.referral_ids)
                for table in _CASE_TABLES:
                    self.writer.write(table, batch.rows[table.name])
            people, rows = self._count(
                min(chunk, len(by_person) - first), self.stats.total_rows - self._rows_counted
            )
            self._rows_counted = self.stats.total_rows
            if self.progress:
                self.progress(
                    Progress(
                        service=ctx.index + 1,
                        services=self.options.services,
                        people_done=people,
                        people=self.options.people,
                        rows=rows,
                        seconds=time.perf_counter() - self._started,
                    )
                )

    def _build_person(
        self,
        ctx: _ServiceContext,
        plans: list[_Plan],
        rng: random.Random,
        used_nhs: set[str],
        batch: _Batch,
    ) -> None:
        first_received = plans[0].received_on
        gender = rng.random()
        if gender < 0.48:
            gender_code, given = GenderIdentity.FEMALE, rng.choice(names.FEMALE_GIVEN_NAMES)
        elif gender < 0.96:
            gender_code, given = GenderIdentity.MALE, rng.choice(names.MALE_GIVEN_NAMES)
        else:
            gender_code = rng.choice(
                [GenderIdentity.NON_BINARY, GenderIdentity.NOT_STATED, GenderIdentity.NOT_KNOWN]
            )
            given = rng.choice(names.NEUTRAL_GIVEN_NAMES)
        family = rng.choice(names.SURNAMES)
        age = int(rng.triangular(18, 65, 32))
        born = first_received - timedelta(days=365 * age + rng.randint(0, 364))
        phone_kind = rng.random()
        phone = (
            synthetic_mobile(rng)
            if phone_kind < 0.85
            else synthetic_landline(rng)
            if phone_kind < 0.95
            else ""
        )
        person = batch.new_person(
            (
                ctx.service_id,
                synthetic_nhs_number(rng, used_nhs) if rng.random() < 0.97 else None,
                given,
                family,
                rng.choice(names.NEUTRAL_GIVEN_NAMES) if rng.random() < 0.04 else "",
                born,
                synthetic_postcode(rng),
                phone,
                _email(given, family, rng.randint(1, 99)) if rng.random() < 0.65 else "",
                rng.choice(_CONTACT_PREFERENCES) if rng.random() < 0.4 else "",
                gender_code,
                _weighted(rng, ETHNICITIES),
                self._stamp(first_received, 5),
            )
        )
        versions = {"profile": 0, "disclosure": 0}
        previous_closed: date | None = None
        for plan in plans:
            if plan is not plans[0]:
                if previous_closed is None:
                    continue  # the earlier referral is still open: no re-referral yet
                if plan.received_on <= previous_closed:
                    shift = previous_closed - plan.received_on + timedelta(days=14)
                    plan.received_on += shift
                    if plan.end_on is not None:
                        plan.end_on += shift
                    if plan.received_on > self.today:
                        continue
            previous_closed = self._build_referral(ctx, plan, person, rng, versions, batch)

    def _build_referral(
        self,
        ctx: _ServiceContext,
        plan: _Plan,
        person: int,
        rng: random.Random,
        versions: dict[str, int],
        batch: _Batch,
    ) -> date | None:
        """Rows for one referral and everything recorded on it; returns its closing date."""
        today = self.today
        received = plan.received_on
        team_id = ctx.team_ids[plan.team] if plan.team is not None else None
        referrer = None
        referrer_name = ""
        if plan.source == Referral.Source.CLINICAL_TEAM and plan.team is not None:
            referrer = rng.choice(ctx.clinicians[plan.team])
            referrer_name = referrer.name
        elif plan.source == Referral.Source.GP:
            referrer_name = f"Dr {rng.choice(names.SURNAMES)}"
        elif plan.source == Referral.Source.OTHER:
            referrer_name = rng.choice(["Housing support worker", "Recovery college tutor"])
        specialist = ctx.es[plan.es] if plan.es is not None else None
        retention = plan.pathway == Referral.Pathway.JOB_RETENTION

        # Allocation, usually at acceptance a day or so after the referral arrives.
        accepted_on: date | None = None
        accept_step = plan.fixed or rng.random() < 0.85
        if specialist is not None:
            accepted_on = received + timedelta(days=0 if plan.fixed else rng.randint(0, 3))
            if accepted_on > today:
                specialist, accepted_on = None, None  # not looked at yet
        attempts_needed = settings.IPS_MIN_CONTACT_ATTEMPTS_BEFORE_CLOSURE

        contacts: list[list] = []  # [date, with, mode, place, outcome, minutes, note, direct]
        closing = plan.end_on is not None and plan.end_on <= today
        stop = plan.end_on if closing else today
        access_target: date | None = None
        if specialist is not None and plan.wait is not None:
            access_target = received + timedelta(days=plan.wait)
            if not plan.fixed:
                access_target = self._working_on_or_after(access_target)
            if plan.wait > 7 and not plan.fixed:
                # Outreach while the first meeting is being arranged: never a direct contact.
                for _ in range(rng.randint(1, 3)):
                    day = received + timedelta(days=rng.randint(1, plan.wait - 1))
                    contacts.append(self._outreach(day, rng))
                contacts.sort(key=lambda c: c[0])
            if access_target <= min(stop, today):
                contacts.append(self._first_meeting(access_target, rng, retention))
                day = access_target
                while True:
                    day = self._working_on_or_after(
                        day + timedelta(days=rng.randint(*CONTACT_GAP_DAYS))
                    )
                    if day > stop:
                        break
                    contacts.append(self._regular_contact(day, rng, retention))
        elif specialist is not None and plan.reason == ClosureReason.NOT_CONTACTABLE:
            # Documented attempts before closing as "could not be contacted" (fidelity item 25).
            span = (plan.end_on - received).days
            tries = rng.randint(attempts_needed, attempts_needed + 2)
            days = sorted(rng.randint(1, span - 1) for _ in range(tries))
            contacts.extend(self._attempt(received + timedelta(days=d), rng) for d in days)
        elif specialist is not None and plan.reason:
            for _ in range(rng.randint(0, 2)):
                span = max(1, (plan.end_on - received).days)
                contacts.append(
                    self._outreach(received + timedelta(days=rng.randint(0, span)), rng)
                )
            contacts.sort(key=lambda c: c[0])

        closed_on: date | None = None
        if closing and specialist is not None:
            last = contacts[-1][0] if contacts else received
            if plan.reason == ClosureReason.NOT_CONTACTABLE and access_target is not None:
                # Disengaged after access: the specialist keeps trying before closing.
                day = last
                for _ in range(rng.randint(attempts_needed, attempts_needed + 2)):
                    day += timedelta(days=rng.randint(3, 10))
                    contacts.append(self._attempt(day, rng))
                closed_on = day + timedelta(days=rng.randint(1, 7))
            else:
                closed_on = max(plan.end_on, last)
            if closed_on > today:
                closed_on = None
        contacts = [c for c in contacts if c[0] <= today]

        direct_days = [c[0] for c in contacts if c[7]]
        access_on = direct_days[0] if direct_days else None

        # The status history, in the order the moves were made.
        changes: list[tuple[str, date, int | None, str]] = [
            (ReferralStatus.RECEIVED, received, referrer.id if referrer else None, "")
        ]
        if (
            accept_step
            and accepted_on is not None
            and (access_on is None or accepted_on <= access_on)
            and (closed_on is None or accepted_on <= closed_on)
        ):
            manager = ctx.managers[0].id if ctx.managers and rng.random() < 0.5 else specialist.id
            changes.append((ReferralStatus.ACCEPTED, accepted_on, manager, ""))
        if access_on is not None:
            changes.append((ReferralStatus.FIRST_CONTACT, access_on, specialist.id, ""))
        if closed_on is not None:
            changes.append((ReferralStatus.CLOSED, closed_on, specialist.id, plan.reason))
        status = changes[-1][0]

        next_action, next_action_on = "", None
        if closed_on is None and specialist is not None:
            last = contacts[-1][0] if contacts else accepted_on
            if access_on is None:
                next_action = "Arrange a first meeting"
                next_action_on = last + timedelta(days=rng.randint(2, 7))
            else:
                next_action = rng.choice(_NEXT_ACTIONS)
                next_action_on = last + timedelta(days=rng.randint(5, 21))

        hours_code = rng.choice(["01", "02", "02", "03"]) if retention else "98"
        referral = batch.new_referral(
            person,
            (
                ctx.service_id,
                team_id,
                plan.source,
                referrer_name,
                referrer.id if referrer else None,
                received,
                plan.pathway,
                plan.employment_status,
                hours_code,
                rng.choice(_KINDS_OF_WORK) if rng.random() < 0.7 else "",
                specialist.id if specialist else None,
                status,
                closed_on,
                plan.reason if closed_on else "",
                status == ReferralStatus.RECEIVED and specialist is None,
                next_action,
                next_action_on,
                self._stamp(received, 30),
            ),
        )
        for step, (change, on, by, reason) in enumerate(changes):
            batch.add_status_change(
                referral, (change, on, self._stamp(on, 60 + step), by, reason, "")
            )
        for minutes, c in enumerate(contacts):
            batch.add_contact(
                person,
                referral,
                (ctx.service_id, specialist.id, c[0], *c[1:8], self._stamp(c[0], 300 + minutes)),
            )
        if access_on is not None:
            at_discharge, hours_at_discharge = "", ""
            if closed_on is not None:
                at_discharge, hours_at_discharge = self._status_at_discharge(plan, rng)
            batch.add_episode(
                person, referral, (ctx.service_id, access_on, at_discharge, hours_at_discharge)
            )
            self._profiles_and_plans(
                person, referral, specialist, direct_days, rng, versions, batch
            )
        return closed_on

    # -- one contact --------------------------------------------------------------------------

    @staticmethod
    def _attempt(day: date, rng: random.Random) -> list:
        mode = Contact.Mode.PHONE if rng.random() < 0.7 else Contact.Mode.TEXT_OR_EMAIL
        return [day, Contact.With.PERSON, mode, "", Contact.Outcome.ATTEMPTED, None, "", False]

    def _outreach(self, day: date, rng: random.Random) -> list:
        """A contact that is not a direct one: an attempt, a missed meeting, a message."""
        kind = rng.random()
        if kind < 0.45:
            return self._attempt(day, rng)
        if kind < 0.65:
            place = rng.choice([Contact.Place.COMMUNITY, Contact.Place.OFFICE])
            return [
                day,
                Contact.With.PERSON,
                Contact.Mode.FACE_TO_FACE,
                place,
                Contact.Outcome.DID_NOT_ATTEND,
                None,
                "",
                False,
            ]
        if kind < 0.85:
            return [
                day,
                Contact.With.PERSON,
                Contact.Mode.TEXT_OR_EMAIL,
                "",
                Contact.Outcome.COMPLETED,
                None,
                "",
                False,
            ]
        return [
            day,
            Contact.With.CLINICAL_TEAM,
            Contact.Mode.PHONE,
            Contact.Place.REMOTE,
            Contact.Outcome.COMPLETED,
            rng.randint(2, 6) * 5,
            "",
            False,
        ]

    @staticmethod
    def _direct(day: date, rng: random.Random, mode: str, retention: bool, note: str) -> list:
        if mode == Contact.Mode.FACE_TO_FACE:
            places = FACE_TO_FACE_PLACES
            if retention:  # return-to-work meetings often happen at the workplace
                places = ((Contact.Place.WORKPLACE, 0.35), *FACE_TO_FACE_PLACES)
            place = _weighted(rng, places)
            minutes = rng.randint(6, 18) * 5
        elif mode == Contact.Mode.VIDEO:
            place = Contact.Place.REMOTE
            minutes = rng.randint(4, 12) * 5
        else:
            place = Contact.Place.REMOTE
            minutes = rng.randint(2, 6) * 5
        return [
            day,
            Contact.With.PERSON,
            mode,
            place,
            Contact.Outcome.COMPLETED,
            minutes,
            note,
            True,
        ]

    def _first_meeting(self, day: date, rng: random.Random, retention: bool) -> list:
        mode = _weighted(
            rng,
            (
                (Contact.Mode.FACE_TO_FACE, 0.80),
                (Contact.Mode.VIDEO, 0.08),
                (Contact.Mode.PHONE, 0.12),
            ),
        )
        return self._direct(day, rng, mode, retention, "First meeting: talked about work goals.")

    def _regular_contact(self, day: date, rng: random.Random, retention: bool) -> list:
        kind = rng.random()
        if kind < 0.06:
            mode = rng.choice([Contact.Mode.FACE_TO_FACE, Contact.Mode.PHONE])
            return [
                day,
                Contact.With.CLINICAL_TEAM,
                mode,
                Contact.Place.OFFICE if mode == Contact.Mode.FACE_TO_FACE else Contact.Place.REMOTE,
                Contact.Outcome.COMPLETED,
                rng.randint(2, 6) * 5,
                "",
                False,
            ]
        if kind < 0.09:
            return [
                day,
                Contact.With.FAMILY,
                Contact.Mode.PHONE,
                Contact.Place.REMOTE,
                Contact.Outcome.COMPLETED,
                rng.randint(2, 5) * 5,
                "",
                False,
            ]
        if kind < 0.22:
            return self._outreach(day, rng)
        mode = _weighted(
            rng,
            (
                (Contact.Mode.FACE_TO_FACE, 0.68),
                (Contact.Mode.PHONE, 0.22),
                (Contact.Mode.VIDEO, 0.10),
            ),
        )
        note = rng.choice(_CONTACT_NOTES) if rng.random() < 0.3 else ""
        return self._direct(day, rng, mode, retention, note)

    # -- outcomes, profiles and disclosure plans ----------------------------------------------

    @staticmethod
    def _status_at_discharge(plan: _Plan, rng: random.Random) -> tuple[str, str]:
        if plan.pathway == Referral.Pathway.JOB_RETENTION:
            in_work = rng.random() < 0.85
        else:
            in_work = rng.random() < INTO_WORK_SHARE
        if in_work:
            return EmploymentStatus.EMPLOYED, rng.choice(["01", "02", "02", "03", "04"])
        status = plan.employment_status
        if status == EmploymentStatus.EMPLOYED:
            status = EmploymentStatus.LONG_TERM_SICK
        return status, "98"

    def _profiles_and_plans(
        self,
        person: int,
        referral: int,
        specialist: _StaffRef,
        direct_days: list[date],
        rng: random.Random,
        versions: dict[str, int],
        batch: _Batch,
    ) -> None:
        """Vocational profile versions and disclosure plans, dated at real meetings.

        The profile starts at the first meeting and is built over two or three (fidelity item
        14); a disclosure plan is discussed a few meetings in and sometimes revisited (item 13).
        """
        meetings = [(direct_days[0], "First meeting")]
        if len(direct_days) > 1 and rng.random() < 0.8:
            meetings.append((direct_days[1], _PROFILE_REASONS[0]))
            if len(direct_days) > 2 and rng.random() < 0.5:
                meetings.append((direct_days[2], _PROFILE_REASONS[1]))
        if len(direct_days) > 8 and rng.random() < 0.3:
            later = direct_days[rng.randint(len(direct_days) // 2, len(direct_days) - 1)]
            meetings.append((later, rng.choice(_PROFILE_REASONS[2:])))
        hours_min = rng.choice([4, 8, 10, 12, 16])
        hours_max = rng.choice([h for h in (16, 20, 25, 30, 37) if h >= hours_min])
        for n, (day, reason) in enumerate(meetings):
            versions["profile"] += 1
            times = sorted(rng.sample([t.value for t in TimeOfDay], rng.randint(0, 2)))
            batch.add_profile(
                person,
                referral,
                (
                    versions["profile"],
                    self._stamp(day, 420 + n),
                    specialist.id,
                    reason,
                    rng.choice(_WORK_HISTORY) if n else "",
                    rng.choice(_EDUCATION) if n else "",
                    rng.choice(_SKILLS),
                    ", ".join(rng.sample(_KINDS_OF_WORK, rng.randint(1, 3))),
                    rng.choice(_NOT_AGAIN) if n else "",
                    hours_min,
                    hours_max,
                    json.dumps(times),
                    rng.choice(_TIMES_REASONS) if times else "",
                    rng.choice([3, 5, 10, 15, 20]),
                    rng.choice(_PLACES),
                    rng.choice(_GOALS),
                ),
            )
        if len(direct_days) < 3 or rng.random() >= 0.75:
            return
        plan_days = [direct_days[min(len(direct_days) - 1, rng.randint(2, 3))]]
        if len(direct_days) > 6 and rng.random() < 0.35:
            plan_days.append(direct_days[rng.randint(5, len(direct_days) - 1)])
        for n, day in enumerate(plan_days):
            versions["disclosure"] += 1
            decision = _weighted(
                rng,
                (
                    (DisclosurePlan.Decision.UNDECIDED, 0.3 if n == 0 else 0.1),
                    (DisclosurePlan.Decision.FULL, 0.25),
                    (DisclosurePlan.Decision.PARTIAL, 0.25),
                    (DisclosurePlan.Decision.NONE, 0.2),
                ),
            )
            telling = decision in (DisclosurePlan.Decision.FULL, DisclosurePlan.Decision.PARTIAL)
            batch.add_disclosure(
                person,
                (
                    versions["disclosure"],
                    self._stamp(day, 450 + n),
                    specialist.id,
                    decision,
                    rng.choice(_WHO_TO_TELL) if telling else "",
                    rng.choice(_WHAT_TO_SAY) if telling else "",
                    rng.random() < 0.7,
                    rng.random() < 0.9,
                    day + timedelta(days=90),
                ),
            )


class _Batch:
    """Rows for a chunk of people, held with local placeholders until ids are taken.

    Rows refer to their person and referral by position in this batch; ``assign_ids`` swaps
    in real primary keys just before writing, inside the chunk's transaction.
    """

    def __init__(self):
        self.people: list[tuple] = []
        self.referrals: list[tuple[int, tuple]] = []
        self.status_changes: list[tuple[int, tuple]] = []
        self.episodes: list[tuple[int, int, tuple]] = []
        self.contacts: list[tuple[int, int, tuple]] = []
        self.profiles: list[tuple[int, int, tuple]] = []
        self.disclosures: list[tuple[int, tuple]] = []
        self.rows: dict[str, list[tuple]] = {}

    def new_person(self, values: tuple) -> int:
        self.people.append(values)
        return len(self.people) - 1

    def new_referral(self, person: int, values: tuple) -> int:
        self.referrals.append((person, values))
        return len(self.referrals) - 1

    def add_status_change(self, referral: int, values: tuple) -> None:
        self.status_changes.append((referral, values))

    def add_episode(self, person: int, referral: int, values: tuple) -> None:
        self.episodes.append((person, referral, values))

    def add_contact(self, person: int, referral: int, values: tuple) -> None:
        self.contacts.append((person, referral, values))

    def add_profile(self, person: int, referral: int, values: tuple) -> None:
        self.profiles.append((person, referral, values))

    def add_disclosure(self, person: int, values: tuple) -> None:
        self.disclosures.append((person, values))

    def assign_ids(self, person_ids: _Ids, referral_ids: _Ids) -> None:
        people = [person_ids.take() for _ in self.people]
        referrals = [referral_ids.take() for _ in self.referrals]
        self.rows = {
            _PERSON.name: [(pid, *v) for pid, v in zip(people, self.people, strict=True)],
            _REFERRAL.name: [
                (rid, v[0], people[p], *v[1:])
                for rid, (p, v) in zip(referrals, self.referrals, strict=True)
            ],
            _STATUS_CHANGE.name: [(referrals[r], *v) for r, v in self.status_changes],
            _EPISODE.name: [(referrals[r], v[0], people[p], *v[1:]) for p, r, v in self.episodes],
            _CONTACT.name: [(v[0], people[p], referrals[r], *v[1:]) for p, r, v in self.contacts],
            _PROFILE.name: [(people[p], referrals[r], *v) for p, r, v in self.profiles],
            _DISCLOSURE.name: [(people[p], *v) for p, v in self.disclosures],
        }


def generate(options: Options, *, progress: Callable[[Progress], None] | None = None) -> Stats:
    """Generate services, staff and people as ``options`` say; returns what was written."""
    return Generator(options, progress).run()


# --- Reading back, for the demo command, tests and benchmarks ------------------------------


def demo_present() -> bool:
    """Whether the demo's services and sign-ins are already in this database."""
    user_model = get_user_model()
    return (
        Service.objects.filter(short_name=DEMO_SERVICES[0].short_name).exists()
        and user_model.objects.filter(username=DEMO_ACCOUNTS[0].username).exists()
    )


def generate_demo(*, today: date | None = None, now: datetime | None = None) -> Stats:
    """The demo: two services, about 400 people, a fixed seed and the fixed sign-ins.

    One transaction, so a failure leaves no half-loaded demo behind.
    """
    with transaction.atomic():
        return generate(
            Options(
                services=len(DEMO_SERVICES),
                people=DEMO_PEOPLE,
                seed=DEMO_SEED,
                years=DEMO_YEARS,
                demo=True,
                today=today,
                now=now,
            )
        )


def row_counts(models_: Iterable[type[models.Model]] | None = None) -> dict[str, int]:
    """Rows per table the generator writes, to show that a second run added nothing."""
    user_model = get_user_model()
    chosen = models_ or (
        Service,
        Team,
        user_model,
        StaffMember,
        Person,
        Referral,
        ReferralStatusChange,
        Episode,
        Contact,
        VocationalProfile,
        DisclosurePlan,
        TeamMeeting,
    )
    return {m._meta.db_table: m.objects.count() for m in chosen}
