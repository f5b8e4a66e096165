"""Jobs that come from an accepted job offer: the port the matching app plugs into.

A job start can be recorded from an accepted offer (a ``matching.Application``). Matching
is built on jobs (its vacancies use the job codes and wage rules), so jobs does not import
it: matching registers, from ``MatchingConfig.ready``, how to find the offers a member of
staff may record a job from, why one cannot become a job start, and what recording one
does to its vacancy. Without matching installed no job comes from an offer.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person


@dataclass(frozen=True)
class OfferSource:
    # The offers in the staff member's scope that a job start for the person may name.
    for_person: Callable[[StaffMember, Person], QuerySet]
    # The offer a form's ``?application=`` names among those, with ``recorded_job_id``.
    named: Callable[[QuerySet, object], Any]
    # Why this offer cannot become the person's job start, or None.
    problem: Callable[[Any, Person], str | None]
    # The offer again, locked for the rest of the transaction.
    locked: Callable[[Any], Any]
    # Called once the job is recorded from it (the vacancy is filled).
    recorded: Callable[[Any, StaffMember], None]


_source: list[OfferSource] = []


def register(source: OfferSource) -> None:
    _source[:] = [source]


def source() -> OfferSource | None:
    return _source[0] if _source else None
