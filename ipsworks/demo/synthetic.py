"""Seeded synthetic IPS services, staff and people, from a demo of 800 people to a million.

The generator exists so that demos, tests and benchmarks show IPS Works with data shaped like
a real IPS service's, without a single real person in it. It writes whole services: clinical
teams, employment specialists integrated in them, managers, clinicians, administrators and
commissioners, then people with one to three years of history (referrals and their status
history, episodes, contacts, vocational profiles, disclosure plans, team meetings), and the
work with employers: the service's employers, employer contacts (general and for particular
people), jobs with their pay changes, in-work support check-ins, return-to-work plans,
Access to Work applications, better-off calculations and the odd move of clinical team.

Invariants every row keeps, because pages, metrics and tests rely on them:

* a referral's cached ``status``, ``closed_on`` and ``closure_reason`` equal its latest
  :class:`~ipsworks.people.models.ReferralStatusChange`, and its history only makes the moves
  :data:`ipsworks.people.rules.TRANSITIONS` allows;
* an :class:`~ipsworks.people.models.Episode` exists exactly for referrals with a direct
  contact, and its access date is the first one (NHS England MHS116);
* nothing is dated after today or before the referral it belongs to;
* "could not be contacted" closures follow at least
  ``settings.IPS_MIN_CONTACT_ATTEMPTS_BEFORE_CLOSURE`` recorded attempts;
* a job's ``competitive`` and ``minimum_wage_pence`` are what
  :func:`ipsworks.jobs.rules.check_competitive` says on its start date; a new job starts on or
  after access, a job held at referral (job retention) before the referral;
* in-work support check-ins are exactly those :mod:`ipsworks.jobs.services` would hold after
  recording the same jobs and contacts (:func:`support_check_ins` replays it);
* an employer contact presenting a particular person follows a disclosure plan that lets the
  specialist speak to employers for them.

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
set (``Contact.is_direct``, ``Job.competitive``) are set here explicitly. Staff, teams and
services are few and go through the ORM. On PostgreSQL, ``workers`` processes can write
services side by side. The run ends with ``ANALYZE`` so the first pages after a bulk load are
planned on real statistics.

Determinism: every random choice comes from :class:`random.Random` instances seeded from the
seed and the service's position, consumed in a fixed order, so the same options (with the same
``today`` and ``now``) give the same data whatever the chunk size, the number of workers or
the database. Only primary keys differ.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
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
from ipsworks.activity.codes import contact_codes
from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.benefits.engine import ENGINE_VERSION as BETTER_OFF_ENGINE_VERSION
from ipsworks.benefits.models import BetterOffCalculation
from ipsworks.core import page_cache
from ipsworks.core.dates import is_working_day
from ipsworks.demo import names
from ipsworks.employers.models import (
    AccessToWorkApplication,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    EmployerSupport,
)
from ipsworks.jobs import rules as job_rules
from ipsworks.jobs.models import Job, PayChange, ReturnToWorkPlan, SupportCheckIn
from ipsworks.organisations.models import Service, StaffMember, Team
from ipsworks.outcomes import facts
from ipsworks.outcomes.models import ReferralFacts
from ipsworks.people.codes import (
    Disability,
    EmploymentStatus,
    EthnicCategory,
    GenderIdentity,
    ReligionOrBelief,
    SexualOrientation,
)
from ipsworks.people.models import (
    ClosureReason,
    DisclosurePlan,
    Episode,
    Person,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    ReferralTeamMove,
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

#: People stay in IPS for about a year on average [S11]. Days from access to closure follow a
#: gamma distribution with mean 2 × 140 = 280 days; people who find work stay longer, for
#: in-work support (:data:`IN_WORK_STAY_DAYS`), which brings the mean to about 330 days.
STAY_GAMMA_SHAPE, STAY_GAMMA_SCALE = 2.0, 140.0

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
    (Referral.Source.INTERNAL, 0.82),
    (Referral.Source.SELF, 0.09),
    (Referral.Source.GP_PRACTICE, 0.06),
    (Referral.Source.OTHER_SERVICE, 0.03),
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

#: Equality monitoring answers. Planning assumptions, not claims about IPS: these questions
#: are often not asked or not recorded in mental health services, so most records are "not
#: known" or "not stated"; the rest follow roughly the shape of England's adult population
#: (the 2021 census), with more saying they have a long-term condition, as most people with
#: a severe mental illness would meet the Equality Act's definition.
SEXUAL_ORIENTATIONS: tuple[tuple[str, float], ...] = (
    (SexualOrientation.NOT_KNOWN, 0.40),
    (SexualOrientation.NOT_STATED, 0.17),
    (SexualOrientation.NOT_SURE, 0.01),
    (SexualOrientation.HETEROSEXUAL, 0.375),
    (SexualOrientation.GAY_OR_LESBIAN, 0.02),
    (SexualOrientation.BISEXUAL, 0.02),
    (SexualOrientation.OTHER, 0.005),
)
DISABILITIES: tuple[tuple[str, float], ...] = (
    (Disability.NOT_KNOWN, 0.40),
    (Disability.NOT_STATED, 0.15),
    (Disability.YES, 0.30),
    (Disability.NO, 0.15),
)
RELIGIONS: tuple[tuple[str, float], ...] = (
    (ReligionOrBelief.NOT_KNOWN, 0.45),
    (ReligionOrBelief.NOT_STATED, 0.10),
    (ReligionOrBelief.NO_RELIGION, 0.17),
    (ReligionOrBelief.CHRISTIAN, 0.20),
    (ReligionOrBelief.MUSLIM, 0.03),
    (ReligionOrBelief.HINDU, 0.008),
    (ReligionOrBelief.SIKH, 0.004),
    (ReligionOrBelief.BUDDHIST, 0.003),
    (ReligionOrBelief.JEWISH, 0.003),
    (ReligionOrBelief.OTHER, 0.004),
)

# --- Rates: employers, job development, jobs and in-work support ---------------------------
# Keys as above ([S6] fidelity quiz, [S9]/[S10] IPS Grow reporting tool and KPI framework v8,
# [S11] ipsworks.nyspi.org on job supports); item numbers are the IPS-25 fidelity scale's.

#: Employers a service works with: about five per employment specialist, 40 to 120 in all,
#: across sectors and sizes. Planning assumption (a local employer network, items 17 to 20).
EMPLOYERS_PER_SPECIALIST = 5
EMPLOYERS_PER_SERVICE = (40, 120)
EMPLOYER_SECTORS: tuple[tuple[str, float], ...] = (
    (Employer.Sector.RETAIL, 0.16),
    (Employer.Sector.HOSPITALITY, 0.16),
    (Employer.Sector.LOGISTICS, 0.10),
    (Employer.Sector.HEALTH_CARE, 0.12),
    (Employer.Sector.MANUFACTURING, 0.06),
    (Employer.Sector.CONSTRUCTION, 0.05),
    (Employer.Sector.OFFICE, 0.09),
    (Employer.Sector.PUBLIC, 0.07),
    (Employer.Sector.CHARITY, 0.06),
    (Employer.Sector.CREATIVE, 0.03),
    (Employer.Sector.LAND, 0.05),
    (Employer.Sector.OTHER, 0.05),
)
EMPLOYER_SIZES: tuple[tuple[str, float], ...] = (
    (Employer.SizeBand.MICRO, 0.30),
    (Employer.SizeBand.SMALL, 0.35),
    (Employer.SizeBand.MEDIUM, 0.22),
    (Employer.SizeBand.LARGE, 0.13),
)
#: How often an employer of each size is the one contacted or taking someone on, relative to
#: a micro business: bigger employers have more vacancies.
SIZE_PULL = {"micro": 1.0, "small": 1.5, "medium": 2.5, "large": 4.0}

#: Face-to-face employer contacts per full-time specialist a week, general and for particular
#: people together: item 17 scores 5 at 6 or more and 4 at 5 [S6]; services run at about 4
#: to 6. Each specialist's own rate is drawn from this range and scaled by their FTE.
EMPLOYER_CONTACTS_PER_FTE_WEEK = (4.4, 6.4)
#: Weeks a specialist makes no employer contacts (leave, training, sickness): about 5 a year.
AWAY_WEEK_SHARE = 0.09
#: Phone and email contacts with employers, per full-time specialist a week, on top.
REMOTE_EMPLOYER_CONTACTS_PER_FTE_WEEK = 1.5

#: Share of disclosure plans that let the specialist speak to employers for the person
#: (item 13: disclosure is the person's choice). Planning assumption.
EMPLOYER_CONTACT_ALLOWED_SHARE = 0.82
#: Days from access to the first face-to-face employer contact for a person, before waiting
#: for their agreement: gamma with mean 16 (item 15 scores 5 for a mean of 30 days or fewer);
#: with the wait for agreement the median is about 20 days and a tail runs beyond 30.
FIRST_EMPLOYER_CONTACT_GAMMA = (2.0, 8.0)
#: Days between later employer contacts made for the same job seeker.
EMPLOYER_CONTACT_GAP_DAYS = (10, 35)

#: Job seekers who start work: IPS Grow v8 expects at least 40% of people into work [S10];
#: real services manage 30–50%, so each service's own rate is 45% times a factor drawn from
#: SERVICE_EFFECT. Those who find work start after a gamma-distributed number of days from
#: access (median about 90), nearly all within a year.
FIND_WORK_SHARE = 0.45
SERVICE_EFFECT = (0.80, 1.15)
WORK_GAMMA = (2.0, 55.0)
#: People in work stay on the caseload for in-work support (time-unlimited, item 23) at
#: least this many days after their job starts.
IN_WORK_STAY_DAYS = (60, 300)
#: How long jobs last: (share, fewest days, most days); the rest have no end. About 65% are
#: still held 13 weeks on (IPS Grow v8 target [S10]).
JOB_LENGTHS: tuple[tuple[float, int, int], ...] = (
    (0.37, 3, 90),
    (0.12, 92, 181),
    (0.12, 183, 363),
    (0.15, 365, 1100),
)
JOB_END_REASONS: tuple[tuple[str, float], ...] = (
    (Job.EndReason.RESIGNED, 0.40),
    (Job.EndReason.DISMISSED, 0.17),
    (Job.EndReason.CONTRACT_ENDED, 0.15),
    (Job.EndReason.MOVED_JOB, 0.16),
    (Job.EndReason.OTHER, 0.12),
)
#: After a job ends, the share who start another while still on the caseload (days to it:
#: gamma, mean 70); and the share in part-time work who take a second job alongside.
NEXT_JOB_SHARE = 0.40
NEXT_JOB_GAMMA = (2.0, 35.0)
EXTRA_JOB_SHARE = 0.05
MAX_JOBS_PER_REFERRAL = 3
CONTRACT_TYPES: tuple[tuple[str, float], ...] = (
    (Job.ContractType.PERMANENT, 0.78),
    (Job.ContractType.TEMPORARY, 0.13),
    (Job.ContractType.APPRENTICESHIP, 0.04),
    (Job.ContractType.SELF_EMPLOYED, 0.05),
)
#: Contracted hours, by MHSDS WeekHoursWorked band [S20]: many part-time jobs of 16 to 29.
HOURS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (0.03, ("3", "4")),
    (0.27, ("6", "8", "10", "12", "15")),
    (0.45, ("16", "18", "20", "22.5", "24", "25")),
    (0.25, ("30", "35", "37.5")),
)
#: Jobs paid under the legal minimum, and jobs set aside for disabled people or not open to
#: anyone to apply for: neither is competitive (item 21 wants 95% competitive).
BELOW_MINIMUM_SHARE = 0.03
SHELTERED_SHARE = 0.03

#: In-work support (item 23 [S11]): a contact within a few days of the start, weekly in the
#: first month (a few missed), then about monthly, now and then late.
WEEKLY_CONTACT_SHARE = 0.9
MONTHLY_GAP_DAYS = (21, 32)
LATE_MONTHLY_SHARE = 0.12
LATE_MONTHLY_GAP_DAYS = (33, 48)
#: A contact after a job ends (within 3 days is the rule): most happen.
AFTER_END_CONTACT_SHARE = 0.85

#: Benefits counselling before a job start (item 12): share of job starts with a better-off
#: calculation first, and share of other job seekers who have one. Planning assumptions.
BETTER_OFF_BEFORE_START_SHARE = 0.65
BETTER_OFF_JOB_SEEKER_SHARE = 0.20
#: Job retention: share with a return-to-work plan, and share whose job is lost anyway.
RETURN_TO_WORK_PLAN_SHARE = 0.75
RETENTION_JOB_LOST_SHARE = 0.15
#: Referrals that move to another clinical team while open (people who move team).
TEAM_MOVE_SHARE = 0.04
#: Jobs with an Access to Work application (of jobs the employer knows about).
ACCESS_TO_WORK_SHARE = 0.12

#: Households for better-off calculations: a few typical ones, each calculated once a tax
#: year (ipsworks.benefits.engine) at the year's National Living Wage, and reused.
BETTER_OFF_HOUSEHOLDS: tuple[dict, ...] = (
    {
        "country": "england",
        "adults": [{"age": 34, "lcwra": True}],
        "housing": {"eligible_rent_monthly": "550"},
        "job": {"hours_per_week": "16"},
    },
    {
        "country": "england",
        "adults": [{"age": 24}],
        "housing": {"eligible_rent_monthly": "450"},
        "job": {"hours_per_week": "20"},
    },
    {
        "country": "england",
        "adults": [{"age": 38}],
        "children": [{"age": 6}, {"age": 10}],
        "housing": {"eligible_rent_monthly": "700"},
        "childcare_monthly": "200",
        "job": {"hours_per_week": "16"},
    },
    {
        "country": "england",
        "adults": [{"age": 45}, {"age": 43, "carer": True}],
        "children": [{"age": 12}],
        "housing": {"eligible_rent_monthly": "800"},
        "job": {"hours_per_week": "25"},
    },
    {
        "country": "england",
        "adults": [{"age": 52, "lcwra": True, "pip_annual": "5000"}],
        "job": {"hours_per_week": "10"},
    },
    {
        "country": "england",
        "adults": [{"age": 31}],
        "housing": {"eligible_rent_monthly": "600"},
        "savings": "2500",
        "job": {"hours_per_week": "30"},
    },
)

# Kinds of work by employer sector: (job title, SOC 2020 major group). The titles are those
# of the synthetic vacancies (ipsworks.matching.synthetic) so the two read alike.
JOBS_BY_SECTOR: dict[str, tuple[tuple[str, str], ...]] = {
    "retail": (
        ("Retail assistant", "7"),
        ("Checkout operator", "7"),
        ("Shelf filler", "9"),
        ("Customer service adviser", "7"),
    ),
    "hospitality": (
        ("Kitchen porter", "9"),
        ("Catering assistant", "9"),
        ("Cafe assistant", "9"),
        ("Waiting staff", "9"),
        ("Bar staff", "9"),
        ("Commis chef", "5"),
    ),
    "logistics": (
        ("Warehouse operative", "9"),
        ("Picker packer", "9"),
        ("Delivery driver", "8"),
        ("Van driver", "8"),
        ("Forklift driver", "8"),
        ("Postal worker", "9"),
    ),
    "health_care": (("Care assistant", "6"), ("Support worker", "6"), ("Receptionist", "4")),
    "manufacturing": (("Factory operative", "8"), ("Cleaner", "9"), ("Picker packer", "9")),
    "construction": (("Labourer", "9"), ("Painter and decorator", "5")),
    "office": (
        ("Office administrator", "4"),
        ("Data entry clerk", "4"),
        ("Receptionist", "4"),
        ("Call centre adviser", "7"),
        ("IT support technician", "3"),
        ("Office cleaner", "9"),
    ),
    "public": (
        ("Library assistant", "4"),
        ("Nursery assistant", "6"),
        ("Grounds maintenance operative", "5"),
        ("Cleaner", "9"),
    ),
    "charity": (("Support worker", "6"), ("Retail assistant", "7"), ("Cafe assistant", "9")),
    "creative": (("IT support technician", "3"), ("Data entry clerk", "4")),
    "land": (
        ("Gardener", "5"),
        ("Kennel assistant", "6"),
        ("Dog walker", "6"),
        ("Grounds maintenance operative", "5"),
    ),
    "other": (
        ("Security officer", "9"),
        ("Cleaner", "9"),
        ("Bike mechanic", "5"),
        ("Hairdressing assistant", "6"),
    ),
}
SELF_EMPLOYED_JOBS: tuple[tuple[str, str], ...] = (
    ("Dog walker", "6"),
    ("Gardener", "5"),
    ("Painter and decorator", "5"),
    ("Bike mechanic", "5"),
    ("Cleaner", "9"),
)

# Test NHS numbers: "999" then six digits then the check digit: about 909,000 of them have a
# check digit other than 10. A service is kept well under that so drawing stays quick.
NHS_TEST_PREFIX = "999"
MAX_PEOPLE_PER_SERVICE = 600_000

# --- Demo accounts ---------------------------------------------------------------------------

DEMO_PASSWORD = "ips-demo-2026"  # noqa: S105 - a published demo password, synthetic data only
DEMO_SEED = 2026
DEMO_PEOPLE = 800
DEMO_YEARS = 3


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
    # External: belongs to no service, sees only reviews they are named on (demo/fidelity_demo).
    DemoAccount("reviewer.demo", Role.FIDELITY_REVIEWER, service=None),
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
        "sexual_orientation",
        "disability",
        "religion_or_belief",
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
        "consultation_medium",
        "attended_or_dna",
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
        "change_reason",
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
_EMPLOYER = _Table(
    Employer,
    [
        "id",
        "service_id",
        "name",
        "sector",
        "size_band",
        "address",
        "postcode",
        "phone",
        "email",
        "notes",
        "created_at",
    ],
)
_EMPLOYER_PERSON = _Table(
    EmployerContactPerson, ["employer_id", "name", "job_title", "phone", "email"]
)
_EMPLOYER_CONTACT = _Table(
    EmployerContact,
    [
        "service_id",
        "employer_id",
        "staff_id",
        "person_id",
        "contact_date",
        "mode",
        "purpose",
        "outcome",
        "duration_minutes",
        "recorded_at",
    ],
)
_EMPLOYER_SUPPORT = _Table(
    EmployerSupport,
    [
        "service_id",
        "employer_id",
        "staff_id",
        "kind",
        "delivered_on",
        "attendees",
        "person_id",
        "note",
        "recorded_at",
    ],
)
_ACCESS_TO_WORK = _Table(
    AccessToWorkApplication,
    [
        "service_id",
        "employer_id",
        "person_id",
        "staff_id",
        "support_type",
        "status",
        "submitted_on",
        "decided_on",
        "amount_pence",
        "note",
        "recorded_at",
        "updated_at",
    ],
)
_TEAM_MOVE = _Table(
    ReferralTeamMove,
    ["referral_id", "from_team_id", "to_team_id", "effective_on", "recorded_at", "recorded_by_id"],
)
_JOB = _Table(
    Job,
    [
        "id",
        "service_id",
        "person_id",
        "referral_id",
        "employer_id",
        "job_title",
        "soc_major_group",
        "contract_type",
        "start_date",
        "end_date",
        "end_reason",
        "hours_per_week",
        "hourly_pay_pence",
        "open_labour_market",
        "reserved_for_disabled",
        "disclosed_to_employer",
        "held_at_referral",
        "four_hours_worked",
        "competitive",
        "minimum_wage_pence",
        "recorded_by_id",
        "recorded_at",
    ],
)
_PAY_CHANGE = _Table(
    PayChange,
    [
        "job_id",
        "effective_on",
        "hourly_pay_pence",
        "hours_per_week",
        "recorded_by_id",
        "recorded_at",
    ],
)
_CHECK_IN = _Table(
    SupportCheckIn,
    ["service_id", "job_id", "person_id", "kind", "opens_on", "due_on", "met_on", "cancelled"],
)
_RETURN_TO_WORK = _Table(
    ReturnToWorkPlan,
    [
        "service_id",
        "referral_id",
        "job_id",
        "version",
        "planned_return_on",
        "phased_hours",
        "adjustments",
        "notes",
        "review_on",
        "recorded_by_id",
        "recorded_at",
    ],
)
_BETTER_OFF = _Table(
    BetterOffCalculation,
    [
        "service_id",
        "person_id",
        "referral_id",
        "tax_year",
        "engine_version",
        "inputs",
        "results",
        "recorded_by_id",
        "recorded_at",
    ],
)
# Parents before children, so foreign keys hold at every statement.
_CASE_TABLES = (
    _PERSON,
    _REFERRAL,
    _STATUS_CHANGE,
    _TEAM_MOVE,
    _EPISODE,
    _CONTACT,
    _PROFILE,
    _DISCLOSURE,
    _JOB,
    _PAY_CHANGE,
    _CHECK_IN,
    _RETURN_TO_WORK,
    _EMPLOYER_CONTACT,
    _EMPLOYER_SUPPORT,
    _ACCESS_TO_WORK,
    _BETTER_OFF,
)


# --- Small helpers ---------------------------------------------------------------------------


def _stamp(day: date, minutes: int, now: datetime) -> datetime:
    """When something dated ``day`` was recorded: in working hours, never in the future."""
    moment = datetime.combine(day, clock(9, 0), tzinfo=LONDON) + timedelta(minutes=minutes)
    return min(moment, now)


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
_DISCLOSURE_REASONS = (
    "Reviewed before the first employer meeting",
    "They changed their mind after talking it through",
    "Reviewed after an interview",
    "Updated after starting work",
)
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
_EMPLOYER_OUTCOMES: dict[str, tuple[str, ...]] = {
    EmployerContact.Purpose.LEARN_NEEDS: (
        "Met the manager: busy season coming, they recruit part-time staff in spring.",
        "Toured the site; they want reliable people for early shifts.",
        "Talked about their recruitment: informal interviews and a trial shift work well.",
        "They are open to job carving and flexible starting hours.",
    ),
    EmployerContact.Purpose.PRESENT_PERSON: (
        "Introduced someone on my caseload and their strengths; manager keen to meet them.",
        "Dropped in their CV and talked through what they would bring.",
        "Arranged an informal interview.",
    ),
    EmployerContact.Purpose.FOLLOW_UP: (
        "Followed up the application: interview offered.",
        "Followed up: the vacancy is filled, they will call about the next one.",
        "Checked how the trial shift went.",
    ),
    EmployerContact.Purpose.IN_WORK_SUPPORT: (
        "Workplace visit: settling in well; agreed a later start on clinic days.",
        "Met the line manager about adjusting shifts.",
        "Three-way review with the manager: going well.",
    ),
    EmployerContact.Purpose.OTHER: ("Delivered leaflets about the service.", ""),
}
_IN_WORK_NOTES = (
    "How the first week went.",
    "Checked how work is going.",
    "Talked about hours and pay.",
    "Planned what to say to the manager about a later start on clinic days.",
    "Went through the rota for next month.",
)
_ADJUSTMENTS = (
    "Phased return over six weeks; a quiet space for breaks.",
    "Time off for appointments; a fixed weekly check-in with the line manager.",
    "Later start for the first month; tasks agreed in writing each week.",
    "A workplace buddy; no lone working at first.",
)
_AWARENESS_NOTES = (
    "Mental health awareness session for managers.",
    "Session for team leaders on supporting staff back to work.",
    "Short briefing for new supervisors.",
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
    work: int | None = None  # days from access to the first job start, if they find work
    # Curated demo referrals only: no contact at all in the last ``quiet_days`` days, and no
    # agreement (yet) to the specialist speaking to employers.
    quiet_days: int = 0
    no_employer_contact: bool = False


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
    es_fte: list[float] = field(default_factory=list)
    es_usernames: list[str] = field(default_factory=list)
    find_work: float = FIND_WORK_SHARE  # this service's share of job seekers who find work
    employers: list[_EmployerRef] = field(default_factory=list)
    employer_pull: list[float] = field(default_factory=list)
    employers_by_sector: dict[str, list[int]] = field(default_factory=dict)
    # Face-to-face employer contacts made for particular people, by (specialist, week from
    # the start of the history): the general contacts written afterwards make up the rest.
    person_contacts_by_week: Counter = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class _EmployerRef:
    id: int
    sector: str
    name: str


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
        self.employer_ids = _Ids(Employer)
        self.job_ids = _Ids(Job)
        self._week_zero = self.start - timedelta(days=self.start.weekday())  # a Monday
        self._better_off_cache: dict[tuple[str, int], tuple[str, str]] = {}
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
        return _stamp(day, minutes, self.now)

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

        work_rng = random.Random(f"{seed}:work:{index}")

        with transaction.atomic():
            service, teams = self._create_service(index, staff_rng)
        ctx = _ServiceContext(
            index=index,
            service_id=service.pk,
            team_ids=[t.pk for t in teams],
            team_weights=[plan_rng.uniform(0.7, 1.3) for _ in teams],
            find_work=FIND_WORK_SHARE * plan_rng.uniform(*SERVICE_EFFECT),
        )
        by_person = self._plan_people(ctx, people, plan_rng)
        with transaction.atomic():
            self._create_staff(ctx, service, teams, by_person, staff_rng)
        self._allocate(ctx, by_person)
        with transaction.atomic():
            self._write_team_meetings(ctx, staff_rng)
            self._write_employers(ctx, work_rng)
        self._build_people(ctx, by_person, build_rng)
        with transaction.atomic():
            self._write_general_employer_work(ctx, work_rng)
        self._write_outcome_facts(service)
        return service

    def _write_outcome_facts(self, service: Service) -> None:
        """The service's referral facts (``outcomes.facts``): the rows above were written by
        ``COPY``, which sends no model signals, so they are computed here in one pass."""
        table = ReferralFacts._meta.db_table
        began = time.perf_counter()
        self.stats.rows[table] += facts.rebuild([service.pk])
        self.stats.write_seconds[table] += time.perf_counter() - began
        # Nor does the page cache see COPY (ipsworks/core/page_cache.py).
        page_cache.forget_everything()

    def _create_service(self, index: int, rng: random.Random) -> tuple[Service, list[Team]]:
        name, short_name, provider = self._service_identity(index)
        service = Service.objects.create(
            name=name,
            short_name=short_name,
            provider=provider,
            started_on=self.start - timedelta(days=rng.randint(30, 720)),
            # Synthetic: no provider's code starts with Z in the NHS Organisation Data Service.
            ods_code=f"Z{index:02d}" if index < 100 else f"Z{index:05d}"[:6],
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
        if source != Referral.Source.INTERNAL and rng.random() < 0.1:
            team = None  # a self- or GP referral whose clinical team is not known yet
        if rng.random() < JOB_RETENTION_SHARE:
            pathway = Referral.Pathway.JOB_RETENTION
            status = EmploymentStatus.EMPLOYED
        else:
            pathway = Referral.Pathway.JOB_SEEKING
            status = _weighted(rng, OUT_OF_WORK_STATUSES)
        work = None
        if rng.random() < ACCESS_SHARE:
            wait = self._wait(rng)
            stay = max(21, int(rng.gammavariate(STAY_GAMMA_SHAPE, STAY_GAMMA_SCALE)))
            if pathway == Referral.Pathway.JOB_SEEKING and rng.random() < ctx.find_work:
                # They will find work; in-work support keeps them on the caseload a while.
                work = max(7, int(rng.gammavariate(*WORK_GAMMA)))
                stay = max(stay, work + rng.randint(*IN_WORK_STAY_DAYS))
            end_on = received + timedelta(days=wait + stay)
            reason = _weighted(rng, CLOSURE_AFTER_ACCESS)
        else:
            wait = None
            reason = _weighted(rng, CLOSURE_WITHOUT_ACCESS)
            low, high = DAYS_TO_CLOSE_WITHOUT_ACCESS[reason]
            end_on = received + timedelta(days=rng.randint(low, high))
        plan = _Plan(person, received, team, source, pathway, status, wait, end_on, reason)
        plan.work = work
        if received >= self.today - timedelta(days=2) and rng.random() < 0.5:
            # Arrived in the last couple of days and nobody has looked at it yet.
            plan.wait, plan.end_on, plan.reason, plan.work = None, None, "", None
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
        two allocated people not yet contacted; one who had their first meeting 27 days ago
        and one 45 days ago, neither with an employer contact yet (so "my week" shows one due
        and one overdue); a job-retention case; someone who started work 9 days ago and has
        not been seen for 4 days (weekly in-work check-ins due this week whatever day it is)
        and someone in work for 75 days whose monthly check-in is overdue.
        """
        if ctx.index != 0:
            return
        today = self.today
        job_seeking, retention = Referral.Pathway.JOB_SEEKING, Referral.Pathway.JOB_RETENTION
        unemployed = EmploymentStatus.UNEMPLOYED_SEEKING
        sick = EmploymentStatus.LONG_TERM_SICK
        clinical = Referral.Source.INTERNAL
        curated = [
            # (days ago received, team, source, pathway, status, wait, specialist, extras)
            (1, 0, clinical, job_seeking, unemployed, None, None, {}),
            (
                3,
                None,
                Referral.Source.SELF,
                job_seeking,
                EmploymentStatus.NOT_STATED,
                None,
                None,
                {},
            ),
            (5, 1, Referral.Source.GP_PRACTICE, job_seeking, sick, None, None, {}),
            (4, 0, clinical, job_seeking, unemployed, None, 0, {}),
            (9, 0, clinical, job_seeking, EmploymentStatus.VOLUNTARY, None, 0, {}),
            (33, 0, clinical, job_seeking, unemployed, 6, 0, {"no_employer_contact": True}),
            (50, 0, clinical, job_seeking, sick, 5, 0, {"no_employer_contact": True}),
            (70, 0, clinical, retention, EmploymentStatus.EMPLOYED, 4, 0, {}),
            (100, 0, clinical, job_seeking, unemployed, 3, 0, {"work": 88, "quiet_days": 4}),
            (160, 0, clinical, job_seeking, unemployed, 4, 0, {"work": 81, "quiet_days": 36}),
        ]
        for days_ago, team, source, pathway, status, wait, es, extras in curated:
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
                **extras,
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
                ctx.es_fte.append(float(spec["fte"]))
                ctx.es_usernames.append(spec["username"])
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

    # -- employers and job development --------------------------------------------------------

    def _write_employers(self, ctx: _ServiceContext, rng: random.Random) -> None:
        """The employers the service works with, and the people it deals with at each."""
        count = round(len(ctx.es) * EMPLOYERS_PER_SPECIALIST * rng.uniform(0.8, 1.2))
        count = min(max(count, EMPLOYERS_PER_SERVICE[0]), EMPLOYERS_PER_SERVICE[1])
        self.employer_ids.reset()
        rows, contact_people, used = [], [], set()
        for n in range(count):
            sector = _weighted(rng, EMPLOYER_SECTORS)
            size = _weighted(rng, EMPLOYER_SIZES)
            place = rng.choice(names.PLACE_NAMES)
            name = f"{place} {rng.choice(names.EMPLOYER_TRADES[sector])}"
            if name in used:
                name = f"{name} ({rng.choice(names.STREETS)})"
            if name in used:
                name = f"{name} {n}"
            used.add(name)
            employer_id = self.employer_ids.take()
            slug = "".join(ch for ch in name.lower() if ch.isalnum())
            rows.append(
                (
                    employer_id,
                    ctx.service_id,
                    name,
                    sector,
                    size,
                    f"{rng.randint(1, 180)} {rng.choice(names.STREETS)}, {place}",
                    synthetic_postcode(rng),
                    synthetic_landline(rng),
                    f"{slug}@example.com",
                    "",
                    self._stamp(self.start - timedelta(days=rng.randint(1, 400)), 60),
                )
            )
            for k in range(rng.randint(1, 2)):
                given = rng.choice(names.FEMALE_GIVEN_NAMES + names.MALE_GIVEN_NAMES)
                family = rng.choice(names.SURNAMES)
                contact_people.append(
                    (
                        employer_id,
                        f"{given} {family}",
                        rng.choice(names.EMPLOYER_CONTACT_TITLES),
                        synthetic_landline(rng),
                        _email(given, family, n * 2 + k),
                    )
                )
            ctx.employers.append(_EmployerRef(employer_id, sector, name))
            ctx.employer_pull.append(SIZE_PULL[size])
        ctx.employer_pull = list(itertools.accumulate(ctx.employer_pull))
        self.writer.write(_EMPLOYER, rows)
        self.writer.write(_EMPLOYER_PERSON, contact_people)

    @staticmethod
    def _pick_employer(ctx: _ServiceContext, rng: random.Random) -> int:
        """An employer's position in ``ctx.employers``, bigger employers more often."""
        return rng.choices(range(len(ctx.employers)), cum_weights=ctx.employer_pull)[0]

    def _week(self, day: date) -> int:
        return (day - self._week_zero).days // 7

    def _write_general_employer_work(self, ctx: _ServiceContext, rng: random.Random) -> None:
        """Employer contacts not for anyone in particular, and awareness sessions.

        Each specialist has their own rate of face-to-face employer contacts a week
        (:data:`EMPLOYER_CONTACTS_PER_FTE_WEEK`, pro rata by FTE); the contacts already made
        for particular people that week count towards it and general visits (learning an
        employer's needs, following up) make up the rest (fidelity items 17 and 18).
        """
        rows: list[tuple] = []
        weeks = self._week(self.today) + 1
        for es_index, es in enumerate(ctx.es):
            fte = ctx.es_fte[es_index]
            per_slot = rng.uniform(*EMPLOYER_CONTACTS_PER_FTE_WEEK) * fte / 10  # 2 slots a day
            remote = REMOTE_EMPLOYER_CONTACTS_PER_FTE_WEEK * fte / 5
            shown_this_week = self.options.demo and ctx.es_usernames[es_index] == "es.demo"
            for week in range(weeks):
                monday = self._week_zero + timedelta(days=7 * week)
                days = [
                    day
                    for day in (monday + timedelta(days=d) for d in range(5))
                    if self.start <= day <= self.today and day not in self._days_off
                ]
                if not days:
                    continue
                away = rng.random() < AWAY_WEEK_SHARE
                slots = [day for day in days for _ in range(2) if rng.random() < per_slot]
                rng.shuffle(slots)
                for_people = ctx.person_contacts_by_week.get((es_index, week), 0)
                general = [] if away else slots[for_people:]
                if shown_this_week and week == weeks - 1 and for_people + len(general) < 2:
                    # The demo's "my week" page always has this week's visits to show.
                    general += days[-1:] * (2 - for_people - len(general))
                for day in sorted(general):
                    rows.append(self._general_employer_contact(ctx, es.id, day, True, rng))
                for day in days:
                    if not away and rng.random() < remote:
                        rows.append(self._general_employer_contact(ctx, es.id, day, False, rng))
            if len(rows) >= 50_000:
                self.writer.write(_EMPLOYER_CONTACT, rows)
                rows = []
        self.writer.write(_EMPLOYER_CONTACT, rows)
        # Mental health awareness sessions for employers' staff, about one every ten weeks.
        sessions = []
        for week in range(0, weeks, 10):
            day = self._working_on_or_after(self._week_zero + timedelta(days=7 * week + 2))
            if not self.start <= day <= self.today:
                continue
            employer = ctx.employers[self._pick_employer(ctx, rng)]
            sessions.append(
                (
                    ctx.service_id,
                    employer.id,
                    rng.choice(ctx.es).id,
                    EmployerSupport.Kind.AWARENESS_SESSION,
                    day,
                    rng.randint(6, 30),
                    None,
                    rng.choice(_AWARENESS_NOTES),
                    self._stamp(day, 480),
                )
            )
        self.writer.write(_EMPLOYER_SUPPORT, sessions)

    def _general_employer_contact(
        self, ctx: _ServiceContext, staff_id: int, day: date, face_to_face: bool, rng
    ) -> tuple:
        if face_to_face:
            mode = EmployerContact.Mode.FACE_TO_FACE
            purpose = _weighted(
                rng,
                (
                    (EmployerContact.Purpose.LEARN_NEEDS, 0.6),
                    (EmployerContact.Purpose.FOLLOW_UP, 0.3),
                    (EmployerContact.Purpose.OTHER, 0.1),
                ),
            )
            minutes = rng.randint(6, 15) * 5
        else:
            mode = rng.choice([EmployerContact.Mode.PHONE, EmployerContact.Mode.EMAIL])
            purpose = rng.choice(
                [EmployerContact.Purpose.FOLLOW_UP, EmployerContact.Purpose.LEARN_NEEDS]
            )
            minutes = rng.randint(1, 4) * 5 if mode == EmployerContact.Mode.PHONE else None
        return (
            ctx.service_id,
            ctx.employers[self._pick_employer(ctx, rng)].id,
            staff_id,
            None,
            day,
            mode,
            purpose,
            rng.choice(_EMPLOYER_OUTCOMES[purpose]) if rng.random() < 0.5 else "",
            minutes,
            self._stamp(day, 360),
        )

    # -- people -------------------------------------------------------------------------------

    def _build_people(
        self, ctx: _ServiceContext, by_person: list[list[_Plan]], rng: random.Random
    ) -> None:
        used_nhs: set[str] = set()
        # Its own stream, so adding these answers left every other generated value as it was.
        equality = random.Random(f"{self.options.seed}:equality:{ctx.index}")
        chunk = self.options.chunk_people
        for first in range(0, len(by_person), chunk):
            batch = _Batch()
            for plans in by_person[first : first + chunk]:
                self._build_person(ctx, plans, rng, used_nhs, batch, equality)
            with transaction.atomic():
                for ids in (self.person_ids, self.referral_ids, self.job_ids):
                    ids.reset()
                batch.assign_ids(self.person_ids, self.referral_ids, self.job_ids)
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
        equality: random.Random,
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
                _weighted(equality, SEXUAL_ORIENTATIONS),
                _weighted(equality, DISABILITIES),
                _weighted(equality, RELIGIONS),
                self._stamp(first_received, 5),
            )
        )
        work = _PersonWork(born)
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
            previous_closed = self._build_referral(ctx, plan, person, rng, work, batch)
        if work.jobs:
            check_ins = support_check_ins(
                [(start, end, held) for _, start, end, held in work.jobs], work.support_days
            )
            for c in check_ins:
                batch.add_check_in(
                    work.jobs[c.job][0],
                    person,
                    (ctx.service_id, c.kind, c.opens_on, c.due_on, c.met_on, c.cancelled),
                )

    def _build_referral(
        self,
        ctx: _ServiceContext,
        plan: _Plan,
        person: int,
        rng: random.Random,
        work: _PersonWork,
        batch: _Batch,
    ) -> date | None:
        """Rows for one referral and everything recorded on it; returns its closing date."""
        today = self.today
        received = plan.received_on
        team_id = ctx.team_ids[plan.team] if plan.team is not None else None
        referrer = None
        referrer_name = ""
        if plan.source == Referral.Source.INTERNAL and plan.team is not None:
            referrer = rng.choice(ctx.clinicians[plan.team])
            referrer_name = referrer.name
        elif plan.source == Referral.Source.GP_PRACTICE:
            referrer_name = f"Dr {rng.choice(names.SURNAMES)}"
        elif plan.source == Referral.Source.OTHER_SERVICE:
            referrer_name = rng.choice(["Housing support worker", "Recovery college tutor"])
        specialist = ctx.es[plan.es] if plan.es is not None else None
        retention = plan.pathway == Referral.Pathway.JOB_RETENTION
        hours_code = rng.choice(["01", "02", "02", "03"]) if retention else "98"

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
        horizon = min(stop, today)  # the last day anything is known about this referral
        jobs: list[_JobDraft] = []
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
            if access_target <= horizon:
                jobs = self._draw_jobs(ctx, plan, access_target, horizon, hours_code, work, rng)
                contacts.append(self._first_meeting(access_target, rng, retention))
                contacts.extend(self._later_contacts(access_target, stop, jobs, rng, retention))
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
        quiet_from = today - timedelta(days=plan.quiet_days)
        contacts = [c for c in contacts if c[0] <= (quiet_from if plan.quiet_days else today)]

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

        # A few people move to another clinical team while on the caseload.
        move: tuple[int, int, date] | None = None
        if (
            access_on is not None
            and plan.team is not None
            and len(ctx.team_ids) > 1
            and not plan.fixed
            and rng.random() < TEAM_MOVE_SHARE
        ):
            open_days = ((closed_on or today) - access_on).days
            if open_days > 60:
                to_team = (plan.team + rng.randint(1, len(ctx.team_ids) - 1)) % len(ctx.team_ids)
                on = access_on + timedelta(days=rng.randint(30, open_days - 1))
                move = (team_id, ctx.team_ids[to_team], on)

        referral = batch.new_referral(
            person,
            (
                ctx.service_id,
                move[1] if move else team_id,
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
        if move:
            batch.add_team_move(referral, (*move, self._stamp(move[2], 90), specialist.id))
        for minutes, c in enumerate(contacts):
            batch.add_contact(
                person,
                referral,
                (
                    ctx.service_id,
                    specialist.id,
                    c[0],
                    *c[1:8],
                    self._stamp(c[0], 300 + minutes),
                    *contact_codes(with_whom=c[1], mode=c[2], outcome=c[4]),
                ),
            )
        if access_on is not None:
            at_discharge, hours_at_discharge = "", ""
            if closed_on is not None:
                at_discharge, hours_at_discharge = self._status_at_discharge(plan, jobs, closed_on)
            batch.add_episode(
                person, referral, (ctx.service_id, access_on, at_discharge, hours_at_discharge)
            )
            self._profiles_and_plans(person, referral, specialist, direct_days, rng, work, batch)
            work.support_days.update(direct_days)
            self._build_work(
                ctx, plan, person, referral, jobs, access_on, horizon, work, rng, batch
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
            if retention:  # return-to-work and in-work meetings often happen at the workplace
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

    def _in_work_contact(self, day: date, rng: random.Random) -> list:
        """In-work support with the person: by phone as often as face to face (item 23)."""
        if rng.random() < 0.06:
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
        mode = _weighted(
            rng,
            (
                (Contact.Mode.FACE_TO_FACE, 0.48),
                (Contact.Mode.PHONE, 0.42),
                (Contact.Mode.VIDEO, 0.10),
            ),
        )
        note = rng.choice(_IN_WORK_NOTES) if rng.random() < 0.4 else ""
        return self._direct(day, rng, mode, True, note)

    def _later_contacts(
        self, access: date, stop: date, jobs: list[_JobDraft], rng: random.Random, retention: bool
    ) -> list[list]:
        """Contacts after the first meeting, up to ``stop``.

        While looking for work, one every one to three weeks (:data:`CONTACT_GAP_DAYS`).
        Around each job start, time-unlimited in-work support (fidelity item 23 [S11]): a
        contact within 3 days of the start, weekly in the first month, then about monthly
        for as long as the job lasts and the person is on the caseload; after a job ends, a
        contact within 3 days and back to job search.
        """
        in_work: dict[date, bool] = {}
        windows: list[tuple[date, date]] = []
        for job in jobs:
            if job.held:
                continue
            last = min(job.end or stop, stop)
            windows.append((job.start - timedelta(days=3), last))
            days = [job.start + timedelta(days=rng.randint(-3, 3))]
            for week in range(1, 5):
                if rng.random() < WEEKLY_CONTACT_SHARE:
                    days.append(job.start + timedelta(days=7 * week + rng.randint(-1, 1)))
            day = job.start + timedelta(days=28)
            while True:
                late = rng.random() < LATE_MONTHLY_SHARE
                day += timedelta(
                    days=rng.randint(*(LATE_MONTHLY_GAP_DAYS if late else MONTHLY_GAP_DAYS))
                )
                if day > last:
                    break
                days.append(day)
            if job.end is not None and job.end < stop and rng.random() < AFTER_END_CONTACT_SHARE:
                days.append(job.end + timedelta(days=rng.randint(0, 3)))
            for day in days:
                day = self._working_on_or_after(day)
                if access < day <= stop:
                    in_work[day] = True
        day = access
        while True:
            day = self._working_on_or_after(day + timedelta(days=rng.randint(*CONTACT_GAP_DAYS)))
            window = next((w for w in windows if w[0] <= day <= w[1]), None)
            if window is not None:
                day = window[1]
                continue
            if day > stop:
                break
            in_work.setdefault(day, False)
        return [
            self._in_work_contact(day, rng)
            if working
            else self._regular_contact(day, rng, retention)
            for day, working in sorted(in_work.items())
        ]

    # -- jobs ---------------------------------------------------------------------------------

    def _draw_jobs(
        self,
        ctx: _ServiceContext,
        plan: _Plan,
        access: date,
        horizon: date,
        hours_code: str,
        work: _PersonWork,
        rng: random.Random,
    ) -> list[_JobDraft]:
        """The jobs held or started during a referral, up to ``horizon`` (what is known).

        Job retention: the job held at referral, now and then lost. Job seekers who find work
        (``plan.work``): a first job, sometimes a second alongside, and after a job ends
        sometimes another. An end after ``horizon`` is not known, so the job has none.
        """
        jobs: list[_JobDraft] = []
        next_start: date | None = None
        if plan.pathway == Referral.Pathway.JOB_RETENTION:
            held = self._held_job(ctx, plan, hours_code, work.born, rng)
            jobs.append(held)
            if not plan.fixed and rng.random() < RETENTION_JOB_LOST_SHARE:
                lost = self._working_on_or_after(access + timedelta(days=rng.randint(20, 200)))
                if lost <= horizon:
                    held.end = lost
                    held.end_reason = _weighted(rng, JOB_END_REASONS[:2] + JOB_END_REASONS[4:])
                    if rng.random() < NEXT_JOB_SHARE:
                        next_start = lost + timedelta(days=7 + int(rng.gammavariate(*WORK_GAMMA)))
        elif plan.work is not None:
            next_start = access + timedelta(days=plan.work)
        while next_start is not None and len(jobs) < MAX_JOBS_PER_REFERRAL:
            start = self._working_on_or_after(next_start)
            if start > horizon:
                break
            job = self._new_job(ctx, start, horizon, work.born, rng, lasting=plan.fixed)
            jobs.append(job)
            next_start = None
            if job.end is None:
                if (
                    job.hours < 25
                    and len(jobs) < MAX_JOBS_PER_REFERRAL
                    and rng.random() < EXTRA_JOB_SHARE
                ):
                    extra = self._working_on_or_after(start + timedelta(rng.randint(30, 240)))
                    if extra <= horizon:
                        jobs.append(self._new_job(ctx, extra, horizon, work.born, rng))
            elif rng.random() < NEXT_JOB_SHARE:
                gap = max(7, int(rng.gammavariate(*NEXT_JOB_GAMMA)))
                next_start = job.end + timedelta(days=gap)
        return jobs

    def _new_job(
        self,
        ctx: _ServiceContext,
        start: date,
        horizon: date,
        born: date,
        rng: random.Random,
        *,
        lasting: bool = False,
    ) -> _JobDraft:
        contract = _weighted(rng, CONTRACT_TYPES)
        employer: int | None = None
        if contract == Job.ContractType.SELF_EMPLOYED:
            title, soc = rng.choice(SELF_EMPLOYED_JOBS)
        else:
            employer = self._pick_employer(ctx, rng)
            title, soc = rng.choice(JOBS_BY_SECTOR[ctx.employers[employer].sector])
        hours = Decimal(rng.choice(rng.choices([v for _, v in HOURS], [w for w, _ in HOURS])[0]))
        open_market, reserved = True, False
        if rng.random() < SHELTERED_SHARE:
            if rng.random() < 0.5:
                reserved = True
            else:
                open_market = False
        end, reason = None, ""
        length = None if lasting else self._job_length(rng)
        if length is not None and start + timedelta(days=length) <= horizon:
            end = start + timedelta(days=length)
            reason = (
                Job.EndReason.CONTRACT_ENDED
                if contract == Job.ContractType.TEMPORARY and rng.random() < 0.6
                else _weighted(rng, JOB_END_REASONS)
            )
        return _JobDraft(
            start=start,
            end=end,
            end_reason=reason,
            held=False,
            employer=employer,
            title=title,
            soc=soc,
            contract=contract,
            hours=hours,
            pay=self._pay(start, born, contract, rng),
            open_market=open_market,
            reserved=reserved,
            four_hours=start <= self.today - timedelta(days=3) or rng.random() < 0.5,
        )

    def _held_job(
        self, ctx: _ServiceContext, plan: _Plan, hours_code: str, born: date, rng: random.Random
    ) -> _JobDraft:
        """The job a job-retention referral is about: started before the referral."""
        earliest = max(job_rules.wage_table()[0].starts_on, born + timedelta(days=365 * 17))
        start = max(earliest, plan.received_on - timedelta(days=rng.randint(120, 2500)))
        band = {"01": ("30", "35", "37.5"), "02": ("16", "20", "24", "25"), "03": ("8", "12")}
        contract = Job.ContractType.PERMANENT if rng.random() < 0.9 else Job.ContractType.TEMPORARY
        employer = self._pick_employer(ctx, rng)
        title, soc = rng.choice(JOBS_BY_SECTOR[ctx.employers[employer].sector])
        return _JobDraft(
            start=start,
            end=None,
            end_reason="",
            held=True,
            employer=employer,
            title=title,
            soc=soc,
            contract=contract,
            hours=Decimal(rng.choice(band[hours_code])),
            pay=self._pay(start, born, contract, rng),
            open_market=True,
            reserved=False,
            four_hours=True,
            disclosed=rng.random() < 0.7,
        )

    @staticmethod
    def _job_length(rng: random.Random) -> int | None:
        """Days a job lasts (:data:`JOB_LENGTHS`), or None for a job that has not ended."""
        share = rng.random()
        for band_share, low, high in JOB_LENGTHS:
            share -= band_share
            if share < 0:
                return int(rng.triangular(low, high, low))
        return None

    @staticmethod
    def _pay(start: date, born: date, contract: str, rng: random.Random) -> int:
        """Hourly pay in pence at the start: mostly at or a little over the legal minimum."""
        if contract == Job.ContractType.SELF_EMPLOYED:
            return rng.randint(18, 40) * 50
        minimum = job_rules.minimum_wage_pence(
            on=start,
            date_of_birth=born,
            apprenticeship=contract == Job.ContractType.APPRENTICESHIP,
        )
        if rng.random() < BELOW_MINIMUM_SHARE:
            return minimum - rng.randint(1, 150)
        share = rng.random()
        if share < 0.5:
            return minimum
        if share < 0.8:
            return minimum + minimum * rng.randint(1, 10) // 100
        return minimum + minimum * rng.randint(10, 40) // 100

    # -- what a referral's work adds: jobs, employer contacts, support -----------------------

    def _build_work(
        self,
        ctx: _ServiceContext,
        plan: _Plan,
        person: int,
        referral: int,
        jobs: list[_JobDraft],
        access: date,
        horizon: date,
        work: _PersonWork,
        rng: random.Random,
        batch: _Batch,
    ) -> None:
        """Employer contacts, jobs and what follows them for an accessed referral.

        Employer contacts for a particular person wait for their agreement (their latest
        disclosure plan lets the specialist speak to employers, fidelity item 13); the first
        comes a few weeks after access (item 15). Each job records whether it is competitive
        as :func:`ipsworks.jobs.rules.check_competitive` decides on its start date.
        """
        specialist = ctx.es[plan.es]
        es_index = plan.es
        for job in jobs:
            if not job.held:
                decision = work.decision_on(job.start)
                told = {"full": 0.85, "partial": 0.6, "none": 0.02}.get(decision, 0.15)
                job.disclosed = job.employer is not None and rng.random() < told

        quiet_from = self.today - timedelta(days=plan.quiet_days) if plan.quiet_days else None

        def employer_contact(day, employer, mode, purpose):
            if quiet_from is not None and day > quiet_from:
                return  # a curated demo referral nobody has been in touch about lately
            if mode == EmployerContact.Mode.FACE_TO_FACE:
                minutes = rng.randint(4, 12) * 5
                ctx.person_contacts_by_week[(es_index, self._week(day))] += 1
            elif mode == EmployerContact.Mode.EMAIL:
                minutes = None
            else:
                minutes = rng.randint(1, 4) * 5
            if purpose == EmployerContact.Purpose.IN_WORK_SUPPORT:
                work.support_days.add(day)
            batch.add_employer_contact(
                person,
                (
                    ctx.service_id,
                    ctx.employers[employer].id,
                    specialist.id,
                    day,
                    mode,
                    purpose,
                    rng.choice(_EMPLOYER_OUTCOMES[purpose]) if rng.random() < 0.6 else "",
                    minutes,
                    self._stamp(day, 390),
                ),
            )

        # Job search with employers, in each stretch of looking for work: from access, and
        # after a job ends while no other is held. ``hired_by``: the next job's employer.
        ordered = sorted(jobs, key=lambda j: j.start)
        new_jobs = [j for j in ordered if not j.held]
        held = [j for j in ordered if j.held]
        searches: list[tuple[date, date, int | None]] = []
        if plan.pathway == Referral.Pathway.JOB_SEEKING:
            wait = max(1, int(rng.gammavariate(*FIRST_EMPLOYER_CONTACT_GAMMA)))
            hired = new_jobs[0] if new_jobs else None
            searches.append(
                (
                    access + timedelta(days=wait),
                    hired.start if hired else horizon + timedelta(days=1),
                    hired.employer if hired else None,
                )
            )
        for job in ordered:
            if job.end is None or any(
                other.start <= job.end and (other.end is None or other.end > job.end)
                for other in ordered
                if other is not job
            ):
                continue
            hired = next((other for other in ordered if other.start > job.end), None)
            searches.append(
                (
                    job.end + timedelta(days=rng.randint(5, 20)),
                    hired.start if hired else horizon + timedelta(days=1),
                    hired.employer if hired else None,
                )
            )
        for begin, end, hired_by in [] if plan.no_employer_contact else searches:
            days = []
            agreed = work.agreed_from(begin)
            if agreed is None:
                continue
            if agreed > begin:  # they agreed later: the first contact follows soon after
                begin = agreed + timedelta(days=rng.randint(1, 7))
            day = self._working_on_or_after(begin)
            while day < end and day <= horizon:
                if work.allowed_on(day):
                    days.append(day)
                day = self._working_on_or_after(
                    day + timedelta(days=rng.randint(*EMPLOYER_CONTACT_GAP_DAYS))
                )
            for n, day in enumerate(days):
                employer = self._pick_employer(ctx, rng)
                if hired_by is not None and (
                    rng.random() < 0.3 or (n == len(days) - 1 and rng.random() < 0.6)
                ):
                    employer = hired_by  # job development: the employer who takes them on
                if n == 0:
                    mode = EmployerContact.Mode.FACE_TO_FACE
                    purpose = EmployerContact.Purpose.PRESENT_PERSON
                else:
                    mode = _weighted(
                        rng,
                        (
                            (EmployerContact.Mode.FACE_TO_FACE, 0.65),
                            (EmployerContact.Mode.PHONE, 0.25),
                            (EmployerContact.Mode.EMAIL, 0.10),
                        ),
                    )
                    purpose = rng.choice(
                        [EmployerContact.Purpose.PRESENT_PERSON, EmployerContact.Purpose.FOLLOW_UP]
                    )
                employer_contact(day, employer, mode, purpose)

        for job in jobs:
            job.index = self._add_job(
                ctx, person, referral, specialist, job, access, horizon, rng, batch
            )
            work.jobs.append((job.index, job.start, job.end, job.held))
            if job.employer is None or not job.disclosed:
                continue
            # Visits to the employer, who knows (in-work support, item 22); for job retention,
            # the return to work is planned with the employer, so more often at first.
            last = min(job.end or horizon, horizon)
            day = max(job.start, access) + timedelta(days=rng.randint(5, 28))
            while day <= last:
                visit = self._working_on_or_after(day)
                if visit <= last and rng.random() < 0.6:
                    mode = (
                        EmployerContact.Mode.FACE_TO_FACE
                        if rng.random() < 0.8
                        else EmployerContact.Mode.PHONE
                    )
                    employer_contact(
                        visit, job.employer, mode, EmployerContact.Purpose.IN_WORK_SUPPORT
                    )
                day += timedelta(days=rng.randint(20, 40) if job.held else rng.randint(45, 120))
            self._employer_support_for(ctx, person, specialist, job, access, horizon, rng, batch)
        self._better_off_calculations(
            ctx, person, referral, specialist, new_jobs, access, horizon, rng, batch
        )
        if held:
            self._return_to_work_plans(
                ctx, referral, specialist, held[0], access, horizon, rng, batch
            )

    def _add_job(
        self,
        ctx: _ServiceContext,
        person: int,
        referral: int,
        specialist: _StaffRef,
        job: _JobDraft,
        access: date,
        horizon: date,
        rng: random.Random,
        batch: _Batch,
    ) -> int:
        """The job's row, competitive or not as the rules say, and its later pay changes."""
        check = job_rules.check_competitive(
            start_date=job.start,
            hourly_pay_pence=job.pay,
            date_of_birth=batch.born(person),
            self_employed=job.contract == Job.ContractType.SELF_EMPLOYED,
            apprenticeship=job.contract == Job.ContractType.APPRENTICESHIP,
            open_labour_market=job.open_market,
            reserved_for_disabled=job.reserved,
        )
        recorded = (
            access if job.held else min(job.start + timedelta(days=rng.randint(0, 4)), horizon)
        )
        index = batch.add_job(
            person,
            referral,
            (
                ctx.service_id,
                ctx.employers[job.employer].id if job.employer is not None else None,
                job.title,
                job.soc,
                job.contract,
                job.start,
                job.end,
                job.end_reason,
                job.hours,
                job.pay,
                job.open_market,
                job.reserved,
                job.disclosed,
                job.held,
                job.four_hours,
                check.competitive,
                check.minimum_pence,
                specialist.id,
                self._stamp(recorded, 400),
            ),
        )
        # Pay changes the specialist hears of: the April uprating of the legal minimum, and
        # now and then more hours. They never change whether the job was competitive.
        pay, hours = job.pay, job.hours
        first = max(job.start, access) + timedelta(days=1)
        last = job.end - timedelta(days=1) if job.end else horizon
        changes: list[tuple[date, int, Decimal]] = []
        if job.contract != Job.ContractType.SELF_EMPLOYED:
            for year in range(first.year, last.year + 1):
                april = date(year, 4, 1)
                if first <= april <= last:
                    minimum = job_rules.minimum_wage_pence(
                        on=april,
                        date_of_birth=batch.born(person),
                        apprenticeship=job.contract == Job.ContractType.APPRENTICESHIP,
                    )
                    if pay < minimum:
                        pay = minimum
                        changes.append((april, pay, hours))
        if hours < 30 and rng.random() < 0.08:
            day = job.start + timedelta(days=rng.randint(60, 240))
            if first <= day <= last:
                hours = min(Decimal("37.5"), hours + rng.choice([4, 6, 8]))
                changes.append((day, pay, hours))
        for day, new_pay, new_hours in sorted(changes):
            batch.add_pay_change(
                index, (day, new_pay, new_hours, specialist.id, self._stamp(day, 420))
            )
        return index

    def _employer_support_for(
        self,
        ctx: _ServiceContext,
        person: int,
        specialist: _StaffRef,
        job: _JobDraft,
        access: date,
        horizon: date,
        rng: random.Random,
        batch: _Batch,
    ) -> None:
        """Advice on adjustments and Access to Work applications for a job the employer knows of."""
        employer_id = ctx.employers[job.employer].id
        base = max(job.start, access)
        if rng.random() < 0.2:
            day = self._working_on_or_after(base + timedelta(days=rng.randint(7, 60)))
            if day <= horizon:
                batch.add_employer_support(
                    person,
                    (
                        ctx.service_id,
                        employer_id,
                        specialist.id,
                        EmployerSupport.Kind.ADJUSTMENT_ADVICE,
                        day,
                        None,
                        rng.choice(_ADJUSTMENTS),
                        self._stamp(day, 500),
                    ),
                )
        if rng.random() >= (0.4 if job.held else ACCESS_TO_WORK_SHARE):
            return
        started = self._working_on_or_after(base + timedelta(days=rng.randint(3, 30)))
        if started > horizon:
            return
        status = AccessToWorkApplication.Status.PREPARING
        submitted = decided = amount = None
        if started + timedelta(days=10) <= self.today:
            submitted = started + timedelta(days=rng.randint(0, 10))
            status = AccessToWorkApplication.Status.SUBMITTED
            outcome_on = submitted + timedelta(days=rng.randint(20, 90))
            if outcome_on <= self.today:
                status = _weighted(
                    rng,
                    (
                        (AccessToWorkApplication.Status.APPROVED, 0.75),
                        (AccessToWorkApplication.Status.DECLINED, 0.15),
                        (AccessToWorkApplication.Status.WITHDRAWN, 0.10),
                    ),
                )
                if status != AccessToWorkApplication.Status.WITHDRAWN:
                    decided = outcome_on
                if status == AccessToWorkApplication.Status.APPROVED:
                    amount = rng.randint(20, 120) * 5000
        updated = decided or submitted or started
        batch.add_access_to_work(
            person,
            (
                ctx.service_id,
                employer_id,
                specialist.id,
                rng.choice(AccessToWorkApplication.SupportType.values),
                status,
                submitted,
                decided,
                amount,
                "",
                self._stamp(started, 510),
                self._stamp(updated, 515),
            ),
        )

    def _better_off_calculations(
        self,
        ctx: _ServiceContext,
        person: int,
        referral: int,
        specialist: _StaffRef,
        new_jobs: list[_JobDraft],
        access: date,
        horizon: date,
        rng: random.Random,
        batch: _Batch,
    ) -> None:
        """Better-off calculations (fidelity item 12): most before a job starts."""
        days = []
        for job in new_jobs:
            if rng.random() < BETTER_OFF_BEFORE_START_SHARE:
                days.append(max(access, job.start - timedelta(days=rng.randint(3, 35))))
        if not new_jobs and rng.random() < BETTER_OFF_JOB_SEEKER_SHARE:
            day = access + timedelta(days=rng.randint(14, 150))
            if day <= horizon:
                days.append(day)
        for day in days:
            tax_year, inputs, results = self._better_off(day, rng)
            batch.add_better_off(
                person,
                referral,
                (
                    ctx.service_id,
                    tax_year,
                    BETTER_OFF_ENGINE_VERSION,
                    inputs,
                    results,
                    specialist.id,
                    self._stamp(day, 200),
                ),
            )

    def _better_off(self, day: date, rng: random.Random) -> tuple[str, str, str]:
        """One of a few households' calculations (the engine runs once per household a year).

        A date before the first tax year with rates uses that year's: the engine has no
        older rates, and the demo's history is older than IPS Works.
        """
        from ipsworks.benefits.engine import calculate
        from ipsworks.benefits.rates import supported_tax_years
        from ipsworks.benefits.schema import parse_household

        begins = day.year if day >= date(day.year, 4, 6) else day.year - 1
        wanted = f"{begins}-{(begins + 1) % 100:02d}"
        years = supported_tax_years()
        tax_year = wanted if wanted in years else (years[0] if wanted < years[0] else years[-1])
        household = rng.randrange(len(BETTER_OFF_HOUSEHOLDS))
        key = (tax_year, household)
        if key not in self._better_off_cache:
            year_start = date(int(tax_year[:4]), 4, 6)
            pay = job_rules.minimum_wage_pence(on=year_start, date_of_birth=None)
            data = json.loads(json.dumps(BETTER_OFF_HOUSEHOLDS[household]))
            data["tax_year"] = tax_year
            data["job"]["hourly_pay"] = f"{pay / 100:.2f}"
            parsed = parse_household(data)
            self._better_off_cache[key] = (
                json.dumps(parsed.model_dump(mode="json")),
                json.dumps(calculate(parsed)),
            )
        return (tax_year, *self._better_off_cache[key])

    def _return_to_work_plans(
        self,
        ctx: _ServiceContext,
        referral: int,
        specialist: _StaffRef,
        job: _JobDraft,
        access: date,
        horizon: date,
        rng: random.Random,
        batch: _Batch,
    ) -> None:
        """Job retention: a phased return to the job held at referral, sometimes revised."""
        if rng.random() >= RETURN_TO_WORK_PLAN_SHARE:
            return
        day = self._working_on_or_after(access + timedelta(days=rng.randint(3, 21)))
        for version in (1, 2):
            if day > horizon or (job.end is not None and day >= job.end):
                return
            returning = day + timedelta(days=rng.randint(7, 28))
            weeks = rng.randint(4, 8)
            full = float(job.hours)
            phased = [
                round(min(full, full * (0.4 + 0.6 * week / (weeks - 1))) * 2) / 2
                for week in range(weeks)
            ]
            batch.add_return_to_work(
                referral,
                job.index,
                (
                    ctx.service_id,
                    version,
                    returning,
                    json.dumps(phased),
                    rng.choice(_ADJUSTMENTS),
                    "Agreed with the person and their line manager.",
                    returning + timedelta(days=28),
                    specialist.id,
                    self._stamp(day, 450),
                ),
            )
            if rng.random() >= 0.3:
                return
            day = self._working_on_or_after(returning + timedelta(days=rng.randint(14, 42)))

    # -- outcomes, profiles and disclosure plans ----------------------------------------------

    @staticmethod
    def _status_at_discharge(
        plan: _Plan, jobs: list[_JobDraft], closed_on: date
    ) -> tuple[str, str]:
        """MHSDS employment status and weekly hours at discharge, from the jobs then held."""
        held = [j for j in jobs if j.start <= closed_on and (j.end is None or j.end > closed_on)]
        if held:
            hours = max(j.hours for j in held)
            band = "01" if hours >= 30 else "02" if hours >= 16 else "03" if hours >= 5 else "04"
            return EmploymentStatus.EMPLOYED, band
        status = plan.employment_status
        if status == EmploymentStatus.EMPLOYED:
            lost = any(j.held and j.end is not None for j in jobs)
            status = (
                EmploymentStatus.UNEMPLOYED_SEEKING if lost else EmploymentStatus.LONG_TERM_SICK
            )
        return status, "98"

    def _profiles_and_plans(
        self,
        person: int,
        referral: int,
        specialist: _StaffRef,
        direct_days: list[date],
        rng: random.Random,
        work: _PersonWork,
        batch: _Batch,
    ) -> None:
        """Vocational profile versions and disclosure plans, dated at real meetings.

        The profile starts at the first meeting and is built over two or three (fidelity item
        14); a disclosure plan is agreed early, usually at the second meeting, before anyone
        speaks to employers for the person, and is sometimes revisited (item 13).
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
            work.versions["profile"] += 1
            times = sorted(rng.sample([t.value for t in TimeOfDay], rng.randint(0, 2)))
            batch.add_profile(
                person,
                referral,
                (
                    work.versions["profile"],
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
        if len(direct_days) < 2 or rng.random() >= 0.92:
            return
        plan_days = [direct_days[1] if rng.random() < 0.65 else direct_days[0]]
        if len(direct_days) > 6 and rng.random() < 0.35:
            plan_days.append(direct_days[rng.randint(4, len(direct_days) - 1)])
        for n, day in enumerate(plan_days):
            work.versions["disclosure"] += 1
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
            allowed = rng.random() < EMPLOYER_CONTACT_ALLOWED_SHARE
            work.disclosure.append((day, decision, allowed))
            batch.add_disclosure(
                person,
                (
                    work.versions["disclosure"],
                    self._stamp(day, 450 + n),
                    specialist.id,
                    # Chosen without the random stream, so the rest of the data is unchanged.
                    _DISCLOSURE_REASONS[work.versions["disclosure"] % len(_DISCLOSURE_REASONS)]
                    if n
                    else "",
                    decision,
                    rng.choice(_WHO_TO_TELL) if telling else "",
                    rng.choice(_WHAT_TO_SAY) if telling else "",
                    allowed,
                    rng.random() < 0.9,
                    day + timedelta(days=90),
                ),
            )


@dataclass(slots=True)
class _JobDraft:
    """A job before its row is written; ``employer`` is a position in ``ctx.employers``."""

    start: date
    end: date | None
    end_reason: str
    held: bool
    employer: int | None
    title: str
    soc: str
    contract: str
    hours: Decimal
    pay: int
    open_market: bool
    reserved: bool
    four_hours: bool
    disclosed: bool = False
    index: int = -1  # the job's position in the batch, once added


@dataclass
class _PersonWork:
    """What one person's referrals share: versions, disclosure, jobs and support contacts."""

    born: date
    versions: dict[str, int] = field(default_factory=lambda: {"profile": 0, "disclosure": 0})
    disclosure: list[tuple[date, str, bool]] = field(default_factory=list)
    # (position in the batch, start, end, held at referral) of every job, across referrals
    jobs: list[tuple[int, date, date | None, bool]] = field(default_factory=list)
    # Days of direct contacts and of in-work support contacts with their employer: what
    # meets in-work support check-ins (jobs.services.note_support_contact).
    support_days: set[date] = field(default_factory=set)

    def _plan_on(self, day: date) -> tuple[date, str, bool] | None:
        current = None
        for plan in self.disclosure:
            if plan[0] <= day:
                current = plan
        return current

    def allowed_on(self, day: date) -> bool:
        """Whether their disclosure plan on that day let the specialist speak to employers."""
        plan = self._plan_on(day)
        return plan is not None and plan[2]

    def agreed_from(self, day: date) -> date | None:
        """The first day on or after ``day`` their plan lets the specialist speak to employers."""
        if self.allowed_on(day):
            return day
        return next((d for d, _, allowed in self.disclosure if d > day and allowed), None)

    def decision_on(self, day: date) -> str:
        plan = self._plan_on(day)
        return plan[1] if plan is not None else ""


@dataclass(slots=True)
class CheckIn:
    """One in-work support check-in; ``job`` is the job's position in the list given."""

    job: int
    kind: str
    opens_on: date
    due_on: date
    met_on: date | None = None
    cancelled: bool = False


def support_check_ins(
    jobs: Sequence[tuple[date, date | None, bool]], meetings: Iterable[date]
) -> list[CheckIn]:
    """The in-work support check-ins IPS Works holds for one person, from their history.

    Replays :mod:`ipsworks.jobs.services` in date order: a job start (not a job held at
    referral) schedules :func:`~ipsworks.jobs.rules.initial_support_plan` and counts the
    contacts from 7 days before it (``record_job``); a job end cancels its check-ins that
    open after the end and schedules a contact within 3 days (``end_job``); a meeting (a
    direct contact with the person, or an in-work support contact with their employer) meets
    every check-in open by then and, when a current job has none left, schedules the next
    monthly one (``note_support_contact``). Ends come before meetings on the same day.

    ``jobs`` are (start, end, held at referral); ``meetings`` are days.
    """
    days = sorted(set(meetings))
    events: list[tuple[date, int, int]] = []
    for n, (start, end, held) in enumerate(jobs):
        if not held:
            events.append((start, 0, n))
        if end is not None:
            events.append((end, 1, n))
    events.extend((day, 2, -1) for day in days)
    events.sort()
    every: list[CheckIn] = []
    pending: list[CheckIn] = []  # neither met nor cancelled
    ended: set[int] = set()

    def add(job: int, planned: job_rules.PlannedCheckIn) -> None:
        check_in = CheckIn(job, planned.kind, planned.opens_on, planned.due_on)
        every.append(check_in)
        pending.append(check_in)

    def meet(on: date) -> None:
        met = [c for c in pending if c.opens_on <= on]
        if not met:
            return
        for check_in in met:
            check_in.met_on = on
            pending.remove(check_in)
        for job in sorted({c.job for c in met if c.kind != SupportCheckIn.Kind.AFTER_END}):
            if job not in ended and not any(c.job == job for c in pending):
                add(job, job_rules.next_monthly_check_in(on))

    for day, what, job in events:
        if what == 0:
            for planned in job_rules.initial_support_plan(day):
                add(job, planned)
            since = day - timedelta(days=7)
            for earlier in days[bisect.bisect_left(days, since) : bisect.bisect_left(days, day)]:
                meet(earlier)
        elif what == 1:
            ended.add(job)
            for check_in in [c for c in pending if c.job == job and c.opens_on > day]:
                check_in.cancelled = True
                pending.remove(check_in)
            add(job, job_rules.after_end_check_in(day))
        else:
            meet(day)
    return every


class _Batch:
    """Rows for a chunk of people, held with local placeholders until ids are taken.

    Rows refer to their person, referral and job by position in this batch; ``assign_ids``
    swaps in real primary keys just before writing, inside the chunk's transaction.
    """

    def __init__(self):
        self.people: list[tuple] = []
        self.referrals: list[tuple[int, tuple]] = []
        self.status_changes: list[tuple[int, tuple]] = []
        self.team_moves: list[tuple[int, tuple]] = []
        self.episodes: list[tuple[int, int, tuple]] = []
        self.contacts: list[tuple[int, int, tuple]] = []
        self.profiles: list[tuple[int, int, tuple]] = []
        self.disclosures: list[tuple[int, tuple]] = []
        self.jobs: list[tuple[int, int, tuple]] = []
        self.pay_changes: list[tuple[int, tuple]] = []
        self.check_ins: list[tuple[int, int, tuple]] = []
        self.return_to_work: list[tuple[int, int, tuple]] = []
        self.employer_contacts: list[tuple[int, tuple]] = []
        self.employer_supports: list[tuple[int, tuple]] = []
        self.access_to_work: list[tuple[int, tuple]] = []
        self.better_off: list[tuple[int, int, tuple]] = []
        self.rows: dict[str, list[tuple]] = {}

    def new_person(self, values: tuple) -> int:
        self.people.append(values)
        return len(self.people) - 1

    def born(self, person: int) -> date:
        return self.people[person][5]

    def new_referral(self, person: int, values: tuple) -> int:
        self.referrals.append((person, values))
        return len(self.referrals) - 1

    def add_status_change(self, referral: int, values: tuple) -> None:
        self.status_changes.append((referral, values))

    def add_team_move(self, referral: int, values: tuple) -> None:
        self.team_moves.append((referral, values))

    def add_episode(self, person: int, referral: int, values: tuple) -> None:
        self.episodes.append((person, referral, values))

    def add_contact(self, person: int, referral: int, values: tuple) -> None:
        self.contacts.append((person, referral, values))

    def add_profile(self, person: int, referral: int, values: tuple) -> None:
        self.profiles.append((person, referral, values))

    def add_disclosure(self, person: int, values: tuple) -> None:
        self.disclosures.append((person, values))

    def add_job(self, person: int, referral: int, values: tuple) -> int:
        self.jobs.append((person, referral, values))
        return len(self.jobs) - 1

    def add_pay_change(self, job: int, values: tuple) -> None:
        self.pay_changes.append((job, values))

    def add_check_in(self, job: int, person: int, values: tuple) -> None:
        self.check_ins.append((job, person, values))

    def add_return_to_work(self, referral: int, job: int, values: tuple) -> None:
        self.return_to_work.append((referral, job, values))

    def add_employer_contact(self, person: int, values: tuple) -> None:
        self.employer_contacts.append((person, values))

    def add_employer_support(self, person: int, values: tuple) -> None:
        self.employer_supports.append((person, values))

    def add_access_to_work(self, person: int, values: tuple) -> None:
        self.access_to_work.append((person, values))

    def add_better_off(self, person: int, referral: int, values: tuple) -> None:
        self.better_off.append((person, referral, values))

    def assign_ids(self, person_ids: _Ids, referral_ids: _Ids, job_ids: _Ids) -> None:
        people = [person_ids.take() for _ in self.people]
        referrals = [referral_ids.take() for _ in self.referrals]
        jobs = [job_ids.take() for _ in self.jobs]
        self.rows = {
            _PERSON.name: [(pid, *v) for pid, v in zip(people, self.people, strict=True)],
            _REFERRAL.name: [
                (rid, v[0], people[p], *v[1:])
                for rid, (p, v) in zip(referrals, self.referrals, strict=True)
            ],
            _STATUS_CHANGE.name: [(referrals[r], *v) for r, v in self.status_changes],
            _TEAM_MOVE.name: [(referrals[r], *v) for r, v in self.team_moves],
            _EPISODE.name: [(referrals[r], v[0], people[p], *v[1:]) for p, r, v in self.episodes],
            _CONTACT.name: [(v[0], people[p], referrals[r], *v[1:]) for p, r, v in self.contacts],
            _PROFILE.name: [(people[p], referrals[r], *v) for p, r, v in self.profiles],
            _DISCLOSURE.name: [(people[p], *v) for p, v in self.disclosures],
            _JOB.name: [
                (jid, v[0], people[p], referrals[r], *v[1:])
                for jid, (p, r, v) in zip(jobs, self.jobs, strict=True)
            ],
            _PAY_CHANGE.name: [(jobs[j], *v) for j, v in self.pay_changes],
            _CHECK_IN.name: [(v[0], jobs[j], people[p], *v[1:]) for j, p, v in self.check_ins],
            _RETURN_TO_WORK.name: [
                (v[0], referrals[r], jobs[j], *v[1:]) for r, j, v in self.return_to_work
            ],
            _EMPLOYER_CONTACT.name: [
                (*v[:3], people[p], *v[3:]) for p, v in self.employer_contacts
            ],
            _EMPLOYER_SUPPORT.name: [
                (*v[:6], people[p], *v[6:]) for p, v in self.employer_supports
            ],
            _ACCESS_TO_WORK.name: [(*v[:2], people[p], *v[2:]) for p, v in self.access_to_work],
            _BETTER_OFF.name: [
                (v[0], people[p], referrals[r], *v[1:]) for p, r, v in self.better_off
            ],
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
    """The demo: two services, about 800 people, a fixed seed and the fixed sign-ins.

    Then what makes the demo's other pages meaningful (:func:`add_demo_extras`) and the
    fidelity reviews with their reviewer (``demo.fidelity_demo``). One transaction, so a
    failure leaves no half-loaded demo behind.
    """
    with transaction.atomic():
        stats = generate(
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
        add_demo_extras(stats, today=today or timezone.localdate(), now=now or timezone.now())
        from ipsworks.demo.diary_demo import add_demo_diary, add_demo_tasks
        from ipsworks.demo.fidelity_demo import add_demo_fidelity

        add_demo_fidelity(today=today or timezone.localdate())
        add_demo_diary(today=today or timezone.localdate())
        add_demo_tasks()
    return stats


# Payment points of the demo's social outcomes contract, in pence: a made-up schedule shaped
# like the MHEP contracts' (ips-reference.md section 5).
DEMO_CONTRACT_RATES = {
    "engagement": 30_000,
    "job_start": 120_000,
    "sustained_13_under_16": 80_000,
    "sustained_13_16_plus": 150_000,
    "sustained_26": 100_000,
}


def add_demo_extras(stats: Stats, *, today: date, now: datetime) -> None:
    """What the demo's services have besides case records.

    A switched-on public page for each service (duty inbox at example.com); for service 1 a
    social outcomes contract with one claim already made, so "Outcome payments" lists what is
    left to claim; open vacancies and postcode centroids through the matching app's own
    commands (``synthetic_vacancies``, ``load_postcode_centroids --synthetic``), synthetic areas
    of residence (``load_areas --synthetic``); and recent
    applications for some of service 1's job seekers.
    """
    import io

    from django.core.management import call_command

    from ipsworks.outcomes import funding
    from ipsworks.outcomes.models import OutcomeEvidence
    from ipsworks.public.models import PublicPage

    services = Service.objects.in_bulk(
        [s.short_name for s in DEMO_SERVICES], field_name="short_name"
    )
    rng = random.Random(f"{DEMO_SEED}:extras")
    for demo in DEMO_SERVICES:
        short = demo.short_name
        PublicPage.objects.create(
            service=services[short],
            is_enabled=True,
            contact_phone=synthetic_landline(rng),
            contact_email=f"{short}.ips@example.com",
            duty_inbox_email=f"{short}.duty@example.com",
            reply_within_days=5,
        )
    first = services[DEMO_SERVICES[0].short_name]
    manager = StaffMember.objects.get(user__username="manager.demo")
    opens = today - timedelta(days=540)
    starts_on = date(opens.year, opens.month - (opens.month - 1) % 3, 1)
    contract = funding.create_contract(
        service=first,
        name=f"{first.name} social outcomes contract",
        funder="Northwold Outcomes Partnership (synthetic)",
        starts_on=starts_on,
        ends_on=date(starts_on.year + 3, starts_on.month, 1) - timedelta(days=1),
        rates=DEMO_CONTRACT_RATES,
        by=manager,
    )
    # The first six months were claimed; evidence is held for them and for the quarter
    # after, so the contract page shows outcomes claimed, ready to claim and still waiting
    # for evidence.
    claimed_to = starts_on + timedelta(days=182)
    events = funding.claimable_events(contract)
    evidenced = {e.claim_key: e for e in events if e.event_date < claimed_to + timedelta(days=91)}
    OutcomeEvidence.objects.bulk_create(
        OutcomeEvidence(
            service=first,
            referral_id=e.referral_id,
            job_id=e.job_id,
            claim_key=key,
            held=True,
            note="Signed timesheet and profile on the shared drive",
            updated_by=manager,
            updated_at=now,
        )
        for key, e in evidenced.items()
    )
    keys = [e.key for e in events if e.event_date < claimed_to]
    if keys:
        funding.build_claim(contract=contract, keys=keys, by=manager)
    out = io.StringIO()
    call_command("synthetic_vacancies", per_service=40, seed=DEMO_SEED, stdout=out)
    call_command("load_postcode_centroids", synthetic=True, stdout=out)
    call_command("load_areas", synthetic=True, stdout=out)
    _add_demo_applications(first, today=today, now=now, stats=stats)


def _add_demo_applications(service: Service, *, today: date, now: datetime, stats: Stats) -> None:
    """Applications in the last three weeks for some of the service's job seekers."""
    from ipsworks.matching.models import (
        Application,
        ApplicationStatus,
        ApplicationStatusChange,
        Vacancy,
    )

    rng = random.Random(f"{DEMO_SEED}:applications")
    seekers = list(
        Referral.objects.filter(
            service=service,
            pathway=Referral.Pathway.JOB_SEEKING,
            episode__isnull=False,
            allocated_to__isnull=False,
        )
        .exclude(status=ReferralStatus.CLOSED)
        .exclude(person__jobs__end_date__isnull=True)
        .order_by("person__family_name", "person__given_name", "received_on")
        .values_list("person_id", "allocated_to_id", "episode__access_date")
        .distinct()
    )
    vacancies = list(
        Vacancy.objects.filter(service=service, status=Vacancy.Status.OPEN)
        .order_by("title", "postcode", "closing_date")
        .values_list("pk", "closing_date")
    )
    if not vacancies:
        return
    stamp = partial(_stamp, now=now)
    application_ids = _Ids(Application)
    applications, changes = [], []
    for person_id, staff_id, access in seekers:
        if rng.random() >= 0.4:
            continue
        for vacancy_id, closing in rng.sample(vacancies, min(len(vacancies), rng.randint(1, 3))):
            applied = max(access, today - timedelta(days=rng.randint(1, 21)))
            if closing is not None and applied > closing:
                continue
            path = [(ApplicationStatus.APPLIED, applied)]
            moved = applied + timedelta(days=rng.randint(3, 10))
            outcome = rng.random()
            if moved <= today and outcome < 0.35:
                path.append((ApplicationStatus.INTERVIEW, moved))
            elif moved <= today and outcome < 0.55:
                path.append((ApplicationStatus.REJECTED, moved))
            application_id = application_ids.take()
            status, status_on = path[-1]
            applications.append(
                (
                    application_id,
                    service.pk,
                    person_id,
                    vacancy_id,
                    applied,
                    status,
                    status_on,
                    "",
                    staff_id,
                    stamp(applied, 240),
                )
            )
            changes.extend(
                (application_id, s, on, "", staff_id, stamp(on, 241 + n))
                for n, (s, on) in enumerate(path)
            )
    writer = _Writer(stats)
    writer.write(
        _Table(
            Application,
            [
                "id",
                "service_id",
                "person_id",
                "vacancy_id",
                "applied_on",
                "status",
                "status_on",
                "note",
                "created_by_id",
                "created_at",
            ],
        ),
        applications,
    )
    writer.write(
        _Table(
            ApplicationStatusChange,
            ["application_id", "status", "effective_on", "note", "recorded_by_id", "recorded_at"],
        ),
        changes,
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
        ReferralTeamMove,
        Employer,
        EmployerContactPerson,
        EmployerContact,
        EmployerSupport,
        AccessToWorkApplication,
        Job,
        PayChange,
        SupportCheckIn,
        ReturnToWorkPlan,
        BetterOffCalculation,
    )
    return {m._meta.db_table: m.objects.count() for m in chosen}
