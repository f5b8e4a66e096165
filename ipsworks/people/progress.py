"""What the apps that record contacts and work tell people about a person's progress.

people is the lowest of the case-data apps (docs/architecture.md, "Layers"): it may not
import activity or jobs, yet the caseload shows each person's last contact and whether
they are in work, and closing a referral asks how often contact was tried. So people
names the questions here and the apps that hold the answers register them from their
``AppConfig.ready``:

- :func:`add_annotation`: a named column on each referral of the caseload and of the
  person's page, as a subquery on the referral (``last_contact_on`` from activity;
  ``in_work``, ``support_overdue``, ``support_due_soon`` from jobs). The caseload stays one
  query however many apps add to it.
- :func:`answer_contact_attempts`: how many times contact with a referral was tried and
  failed (activity), for the closure rule in ``people.rules``.
- :func:`answer_hours_worked`: hours a week worked on a day (jobs), for the employment
  status a discharge records.

A name registered twice is a mistake in an app's ``ready`` (two apps answering one
question), so it fails loudly rather than letting the later one win.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db.models.expressions import BaseExpression

from ipsworks.people.models import Person, Referral

#: Builds the expression for one column, given today's date (UK local). It annotates a
#: Referral queryset, so ``OuterRef("pk")`` is the referral and ``OuterRef("person_id")``
#: the person.
Annotation = Callable[[date], BaseExpression]
ContactAttempts = Callable[[Referral], int]
HoursWorked = Callable[[Person, date], Decimal | None]


_annotations: dict[str, Annotation] = {}
_contact_attempts: ContactAttempts | None = None
_hours_worked: HoursWorked | None = None


def add_annotation(name: str, build: Annotation) -> None:
    """Add a column to each referral the caseload and the person's page read."""
    if name in _annotations:
        raise ImproperlyConfigured(
            f"The caseload column {name!r} is registered twice "
            f"({_qualname(_annotations[name])} and {_qualname(build)})"
        )
    _annotations[name] = build


def annotations(today: date, *names: str) -> dict[str, BaseExpression]:
    """The named columns, ready for ``annotate``; a name nobody registered is a LookupError
    (the app that adds it is not installed), not a page that silently loses a column."""
    missing = [name for name in names if name not in _annotations]
    if missing:
        raise LookupError(f"No app registered the caseload column(s) {', '.join(missing)}")
    return {name: _annotations[name](today) for name in names}


def answer_contact_attempts(count: ContactAttempts) -> None:
    """Register how failed contact attempts (tried, or did not attend) are counted."""
    global _contact_attempts
    _refuse_second("Failed contact attempts", _contact_attempts, count)
    _contact_attempts = count


def answer_hours_worked(hours: HoursWorked) -> None:
    """Register how the hours a person works a week on a given day are found."""
    global _hours_worked
    _refuse_second("Hours worked", _hours_worked, hours)
    _hours_worked = hours


def contact_attempts(referral: Referral) -> int:
    """Times contact with this referral was tried and failed (tried, or did not attend)."""
    if _contact_attempts is None:
        raise LookupError("No app counts failed contact attempts: activity registers it")
    return _contact_attempts(referral)


def hours_worked_on(person: Person, on: date) -> Decimal | None:
    """Hours a week in all the person's jobs on ``on``, or None when they had no job then."""
    if _hours_worked is None:
        raise LookupError("No app finds the hours a person works: jobs registers it")
    return _hours_worked(person, on)


def _refuse_second(question: str, registered: Callable | None, function: Callable) -> None:
    if registered is not None:
        raise ImproperlyConfigured(
            f"{question} are answered twice ({_qualname(registered)} and {_qualname(function)})"
        )


def _qualname(function: Callable) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', function)}"
