"""Where the contact form's "What happens next?" goes.

It used to be written on the referral (``Referral.next_action``); it is now a task in the
owner's "My tasks" (``diary``). diary is above activity (docs/architecture.md, "Layers"),
so activity cannot import it: diary registers how a next step is planned from its
``AppConfig.ready``, and :func:`plan` fails loudly if nobody has, rather than dropping
what the specialist typed.
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ImproperlyConfigured

from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Referral

#: Plans the next step on an open referral, inside the contact's transaction. It raises
#: ``ValidationError`` keyed by the contact form's fields (``next_action``,
#: ``next_action_on``) when the step cannot be planned, so the whole contact is refused.
Planner = Callable[..., None]

_planner: Planner | None = None


def answer_plan_next_step(planner: Planner) -> None:
    """Register how a next step typed on the contact form is kept."""
    global _planner
    if _planner is not None and _planner is not planner:
        raise ImproperlyConfigured(
            f"The next step after a contact is planned twice ({_planner.__module__} and "
            f"{planner.__module__})"
        )
    _planner = planner


def plan(*, referral: Referral, title: str, due_on: date | None, by: StaffMember) -> None:
    if _planner is None:
        raise LookupError("No app keeps the next step after a contact: diary registers it")
    _planner(referral=referral, title=title, due_on=due_on, by=by)
