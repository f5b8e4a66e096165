"""How many active people a full-time employment specialist should hold: learned, not held.

The number is the IPS-25 fidelity scale's item 1 (caseload size: "20 or fewer active people
per full-time specialist" scores 5; Bond et al. 2012, UK version, Centre for Mental Health).
The scale is data in ``fidelity/scales/`` and is the one home of that number. people is
below fidelity in the app layers and may not import it, so fidelity registers the figure
here from its ``AppConfig.ready`` (docs/architecture.md, "How a lower app learns about a
higher one"), and the caseload page reads it through :func:`per_fte`.
"""

from collections.abc import Callable
from decimal import Decimal

_source: Callable[[], Decimal] | None = None


def register(source: Callable[[], Decimal]) -> None:
    """Set where the limit comes from: a function returning the active people per FTE."""
    global _source
    _source = source


def per_fte() -> Decimal:
    """The most active people per full-time specialist that still scores full fidelity."""
    if _source is None:
        raise LookupError("No caseload limit is registered: fidelity registers it when it loads")
    return _source()
