"""The parts of a person's record page that other apps hold: their jobs, support, plans.

people is below the apps that record a person's work (docs/architecture.md, "Layers"), so
its page cannot import them to ask. Instead each of those apps adds a :class:`Section`
from its ``AppConfig.ready``; ``people.presenters.person_record`` asks every section for
its values, and the page draws each section's summary rows and tab from the section's own
templates (jobs adds "In work now" and the Work tab), so people's template names none of
another app's values.

A section is told who is looking and how much they may see (:class:`RecordView`), reads
what it needs in a fixed number of queries (the page's query count must not grow with the
record), and returns the names the template uses. Two sections, or a section and people's
own page, giving the same name would make one silently hide the other, so both are errors.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ImproperlyConfigured

from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person


@dataclass(frozen=True)
class RecordView:
    """Who is looking at whose record, and what the page has already decided for them."""

    person: Person
    staff: StaffMember
    today: date
    full_record: bool  # False: the clinician's summary, so only what the summary shows
    can_edit: bool


#: What a section gives the page: names the template reads, and their values.
SectionValues = Callable[[RecordView], Mapping[str, object]]


@dataclass(frozen=True)
class Tab:
    """A tab of the full record, drawn after the timeline: ``template`` is its panel's
    contents and sees the page's names and the section's."""

    id: str  # the panel's id, so the tab's link is "#<id>"
    title: str
    template: str


@dataclass(frozen=True)
class Section:
    name: str  # says which app's part it is, in errors and in tests
    values: SectionValues
    #: Rows drawn in the summary list (also the clinician's summary), after "Employment at
    #: referral": a template of ``summary_row`` calls.
    summary_template: str = ""
    tab: Tab | None = None


_sections: dict[str, Section] = {}


def add_section(section: Section) -> None:
    """Add a part to every person's record page, after those already added."""
    if section.name in _sections:
        raise ImproperlyConfigured(
            f"The person's record already has a section named {section.name!r}: "
            "each app adds its section once, from its AppConfig.ready"
        )
    _sections[section.name] = section


def sections() -> tuple[Section, ...]:
    """The sections in the order they were added (the apps' order in INSTALLED_APPS)."""
    return tuple(_sections.values())


def values_for(view: RecordView, taken: Collection[str]) -> dict[str, object]:
    """Every section's values for this page; ``taken``: the names people's page already uses."""
    found: dict[str, object] = {}
    owner: dict[str, str] = {}
    for section in sections():
        for key, value in section.values(view).items():
            if key in taken or key in found:
                by = owner.get(key, "the person's page")
                raise ImproperlyConfigured(
                    f"Section {section.name!r} gives {key!r}, which {by} already gives"
                )
            found[key] = value
            owner[key] = f"section {section.name!r}"
    return found
