"""The demo's fidelity reviews and its external fidelity reviewer.

Service 1's team A has one finished (locked) external review of the year that ended a year
ago, with ``reviewer.demo`` named on it, and one self-assessment of the last twelve months in
progress, so the review list, the history page and its chart have something to show. Written
through the fidelity services, so the evidence, proposed ratings and audit events are what a
real review would hold.

Idempotent: the reviewer is created once, and the reviews only when service 1 has no review
yet, so running ``load_demo`` again adds nothing.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ipsworks.access.roles import Role
from ipsworks.demo import names
from ipsworks.demo.synthetic import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_SEED,
    DEMO_SERVICES,
    synthetic_landline,
)
from ipsworks.fidelity import scale as scales
from ipsworks.fidelity import services
from ipsworks.fidelity.models import FidelityReview
from ipsworks.organisations.models import Service, StaffMember, Team

#: The share of specialists' time on employment work entered for item 2 (from timesheets).
_DEMO_EMPLOYMENT_TIME = Decimal("92")


def _reviewer_account():
    return next(a for a in DEMO_ACCOUNTS if a.role == Role.FIDELITY_REVIEWER)


def _ensure_reviewer() -> tuple[StaffMember, bool]:
    """The external fidelity reviewer (no service: they see only reviews they are named on)."""
    account = _reviewer_account()
    found = StaffMember.objects.filter(user__username=account.username).first()
    if found is not None:
        return found, False
    rng = random.Random(f"{DEMO_SEED}:reviewer")
    given = rng.choice(names.FEMALE_GIVEN_NAMES + names.MALE_GIVEN_NAMES)
    family = rng.choice(names.SURNAMES)
    user = get_user_model()(
        username=account.username,
        first_name=given,
        last_name=family,
        email=f"{given}.{family}.reviewer".lower().replace(" ", "").replace("'", "")
        + "@example.com",
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    member = StaffMember.objects.create(
        user=user,
        service=None,
        role=Role.FIDELITY_REVIEWER,
        job_title="IPS fidelity reviewer",
        phone=synthetic_landline(rng),
    )
    return member, True


def _month_end_before(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


def _rate_everything(review: FidelityReview, *, by: StaffMember) -> None:
    """Rate every item as a reviewer would: the proposed rating where IPS Works gives one, a
    checklist with all but its last element in place, and a middling rating elsewhere."""
    scale = scales.load(review.scale_version)
    for rating in review.ratings.order_by("item"):
        item = scale.item(rating.item)
        extra: dict = {}
        notes = "Checked with the team at the review visit" if item.is_checklist else ""
        if item.is_checklist:
            extra["elements"] = item.element_ids()[:-1]
            final = item.rating_for_elements(len(extra["elements"]))
        elif item.entered_by_reviewer and item.measure is not None:
            extra["entered_value"] = _DEMO_EMPLOYMENT_TIME
            final = item.measure.rating_for(_DEMO_EMPLOYMENT_TIME)
        elif rating.proposed_rating is not None:
            final = rating.proposed_rating
        else:
            final = 3
            if item.is_computed:
                notes = "Too few records in the period for a figure: rated from interviews"
        services.rate_item(
            review=review,
            item=rating.item,
            final_rating=final,
            notes=notes,
            by=by,
            **extra,
        )


@transaction.atomic
def add_demo_fidelity(*, today: date) -> bool:
    """The reviewer and the two reviews for service 1's team A. Returns whether anything was
    written (nothing, when they are already there)."""
    reviewer, created = _ensure_reviewer()
    service = Service.objects.get(short_name=DEMO_SERVICES[0].short_name)
    if FidelityReview.objects.filter(service=service).exists():
        return created
    manager = StaffMember.objects.get(user__username="manager.demo")
    team_a = Team.objects.filter(service=service).order_by("pk").first()
    last_year_end = _month_end_before(today.replace(year=today.year - 1, day=1))
    finished = services.start_review(
        service=service,
        period_start=_year_start(last_year_end),
        period_end=last_year_end,
        kind=FidelityReview.Kind.EXTERNAL,
        teams=[team_a],
        reviewers=[reviewer],
        by=manager,
        today=today,
    )
    _rate_everything(finished, by=reviewer)
    action = services.add_action(
        review=finished,
        item=17,
        action="Each specialist plans six face-to-face employer visits a week",
        owner="Team leader",
        due_on=last_year_end + timedelta(days=120),
        by=manager,
    )
    services.finish_review(review=finished, by=reviewer)
    services.set_action_status(action=action, status="done", by=manager)
    # Finished a month after its period, about a year ago (the services stamp "now").
    locked_on = last_year_end + timedelta(days=30)
    FidelityReview.objects.filter(pk=finished.pk).update(
        locked_at=timezone.make_aware(datetime.combine(locked_on, time(15, 0)))
    )
    this_year_end = _month_end_before(today)
    in_progress = services.start_review(
        service=service,
        period_start=_year_start(this_year_end),
        period_end=this_year_end,
        kind=FidelityReview.Kind.SELF_ASSESSMENT,
        teams=[team_a],
        reviewers=[],
        by=manager,
        today=today,
    )
    for rating in in_progress.ratings.filter(item__in=[1, 15, 17], proposed_rating__isnull=False):
        services.rate_item(
            review=in_progress, item=rating.item, final_rating=rating.proposed_rating, by=manager
        )
    return True


def _year_start(end: date) -> date:
    """The first day of the twelve months that end on ``end`` (a month's last day)."""
    return (end + timedelta(days=1)).replace(year=end.year - 1 if end.month != 12 else end.year)
