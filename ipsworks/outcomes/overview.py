"""What other apps add to the manager's service overview (``outcomes.views.service_overview``).

Each registers from its AppConfig.ready, so this app imports none of them: public adds the
number of employer enquiries waiting for an answer.
"""

from collections.abc import Callable

# {name the template reads: count(staff member)}
COUNTS: dict[str, Callable[[object], int]] = {}


def add_count(name: str, count: Callable[[object], int]) -> None:
    COUNTS[name] = count
