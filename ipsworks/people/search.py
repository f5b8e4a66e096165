"""Finding a person by name, NHS number or date of birth, among the people one may see.

Staff type what they have in front of them: a name half remembered or misspelt ("Thompsen"),
"Surname, First" as clinical systems print it, an NHS number read out in groups of three,
three and four digits, or a date of birth in whichever way dates are written. :func:`parse`
turns the text into a :class:`PersonQuery`; :func:`find_people` returns the people in scope
that match it, best first.

Names are matched the way PostgreSQL's pg_trgm matches them (docs/search.md): each word of
the query against each name, by trigram similarity, by containing the word, or by being it.
In production PostgreSQL does the work with ``similarity()`` and the GIN trigram indexes of
migration 0011; on SQLite (the embedded demo database) a cheap ``LIKE`` chooses candidates
and :func:`similarity`, which computes what pg_trgm computes, ranks them here, so a search
finds the same people in the same order on both.
"""

from __future__ import annotations

import operator
import re
import struct
from dataclasses import dataclass
from datetime import date
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Greatest

from ipsworks.core.validators import normalise_nhs_number
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person

# Close enough to count. A letter dropped from a short name scores 2/7 ("Ryn" and "Ryan"
# share "  r" and " ry" of seven trigrams), which pg_trgm's default of 0.3 would miss; one
# trigram in common scores 1/4 at most, so above 0.25 a shared first letter alone never
# counts. PostgreSQL's ``%`` operator is set to the same threshold for each search.
THRESHOLD = 0.27
# A name that contains the typed word counts as close enough ("Tho" in "Thompson"), as
# the search always did; it ranks below a name that is the word.
CONTAINS_SCORE = THRESHOLD
EXACT_SCORE = 1.0
MAX_WORDS = 4
LIMIT = 50
# SQLite ranks in Python: it never looks at more than this many candidates.
SQLITE_CANDIDATES = 2000

TOO_SHORT = "Enter at least 2 letters of a name, an NHS number or a date of birth"
NOT_A_DATE = "Date of birth must be a real date, like 3 4 1990"

NAME_FIELDS = ("family_name", "given_name", "preferred_name")
GIVEN_FIELDS = ("given_name", "preferred_name")

# English month names, written out here: calendar's follow the process's locale.
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS = {
    name[:length]: number
    for number, name in enumerate(_MONTH_NAMES, 1)
    for length in (3, len(name))
}
_MONTHS["sept"] = 9
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$", re.IGNORECASE)
_NHS_NUMBER = re.compile(r"^[\d\s-]+$")
# A name word: letters, with apostrophes or hyphens inside (O'Brien, Smith-Jones).
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# What pg_trgm treats as a word when it makes trigrams: runs of letters and digits.
_TRIGRAM_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class NameWord:
    """One typed word and the names it is matched against."""

    text: str
    fields: tuple[str, ...] = NAME_FIELDS

    @property
    def is_initial(self) -> bool:
        return len(self.text) == 1


@dataclass(frozen=True)
class PersonQuery:
    """What a search asks for: an NHS number, a date of birth or name words, or a problem.

    ``problem`` is the message to show when the text cannot be searched for (too short, a
    number that cannot be an NHS number, a date that does not exist); nothing is read then.
    """

    nhs_number: str | None = None
    date_of_birth: date | None = None
    words: tuple[NameWord, ...] = ()
    problem: str = ""


def parse(text: str) -> PersonQuery:
    """Read what was typed: an NHS number, a date of birth, or a name.

    Dates are read the UK way round (3/4/1990 is 3 April). A comma means "Surname, First",
    as clinical systems and letters write names; without one the words may come in any order.
    """
    text = " ".join(text.split())
    if sum(ch.isalnum() for ch in text) < 2:
        return PersonQuery(problem=TOO_SHORT)
    day = _parse_date(text)
    if day is not None:
        return PersonQuery(date_of_birth=day) if isinstance(day, date) else PersonQuery(problem=day)
    if _NHS_NUMBER.match(text):
        try:
            return PersonQuery(nhs_number=normalise_nhs_number(text))
        except ValidationError as error:
            return PersonQuery(problem=error.messages[0])
    if "," in text:
        family, _, given = text.partition(",")
        words = [NameWord(w, ("family_name",)) for w in _NAME_WORD.findall(family)]
        words += [NameWord(w, GIVEN_FIELDS) for w in _NAME_WORD.findall(given)]
    else:
        words = [NameWord(w) for w in _NAME_WORD.findall(text)]
    words = words[:MAX_WORDS]
    if all(word.is_initial for word in words):
        return PersonQuery(problem=TOO_SHORT)
    return PersonQuery(words=tuple(words))


def _parse_date(text: str) -> date | str | None:
    """The date the text writes, a message if it writes one that does not exist, else None."""
    if match := _DAY_MONTH_YEAR.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif (match := _WORDS_DATE.match(text)) and match.group(2).lower() in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3))
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return NOT_A_DATE


def find_people(staff: StaffMember, query: PersonQuery, limit: int = LIMIT) -> list[Person]:
    """People in this staff member's scope who match the query, best first.

    Two queries at most, whatever the number of people.
    """
    people = Person.objects.visible_to(staff)
    if query.problem:
        return []
    if query.nhs_number:
        return list(people.filter(nhs_number=query.nhs_number)[:limit])
    if query.date_of_birth:
        return list(people.filter(date_of_birth=query.date_of_birth)[:limit])
    if connection.vendor == "postgresql":
        return _ranked_in_postgresql(people, query.words, limit)
    return _ranked_here(staff, people, query.words, limit)


def _ranked_in_postgresql(people: QuerySet, words: tuple[NameWord, ...], limit: int) -> list:
    annotations = {f"_word{i}": _pg_word_score(word) for i, word in enumerate(words)}
    people = people.filter(*(_pg_close(word) for word in words)).annotate(**annotations)
    people = people.filter(**{f"{name}__gte": THRESHOLD for name in annotations})
    people = people.annotate(_score=reduce(operator.add, (F(name) for name in annotations)))
    ranked = people.order_by("-_score", "family_name", "given_name", "pk")[:limit]
    # `%` compares with pg_trgm.similarity_threshold: set to this search's, for this
    # transaction only (a pooled connection keeps nothing).
    with transaction.atomic(using=people.db), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(THRESHOLD)]
        )
        return list(ranked)


def _pg_word_score(word: NameWord):
    """The best of the word's scores against its names, as :func:`field_score` gives it."""
    scores = [_pg_field_score(word, field) for field in word.fields]
    return Greatest(*scores, output_field=FloatField()) if len(scores) > 1 else scores[0]


def _pg_field_score(word: NameWord, field: str):
    # Imported here: django.contrib.postgres is for PostgreSQL only.
    from django.contrib.postgres.search import TrigramSimilarity

    if word.is_initial:
        return Case(
            When(**{f"{field}__istartswith": word.text}, then=Value(CONTAINS_SCORE)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    contains = Case(
        When(**{f"{field}__icontains": word.text}, then=Value(CONTAINS_SCORE)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return Case(
        When(**{f"{field}__iexact": word.text}, then=Value(EXACT_SCORE)),
        # Double precision from here on, as the sums in _ranked_here are.
        default=Greatest(Cast(TrigramSimilarity(field, word.text), FloatField()), contains),
        output_field=FloatField(),
    )


def _pg_close(word: NameWord) -> Q:
    """What the GIN trigram indexes answer: ``%`` (similar enough) or ``~*`` (contains).

    The same rows as a score of at least the threshold, so the scores then drop none of
    them; it is here so that PostgreSQL need not score every name in the service.
    """
    from django.contrib.postgres.lookups import TrigramSimilar
    from django.db.models.lookups import IRegex

    if word.is_initial:
        conditions = [Q(**{f"{field}__istartswith": word.text}) for field in word.fields]
    else:
        pattern = re.escape(word.text)
        conditions = [
            Q(TrigramSimilar(F(field), word.text)) | Q(IRegex(F(field), pattern))
            for field in word.fields
        ]
    return reduce(operator.or_, conditions)


def _ranked_here(
    staff: StaffMember, people: QuerySet, words: tuple[NameWord, ...], limit: int
) -> list[Person]:
    """The SQLite fallback: candidates by a cheap ``LIKE``, scored and ranked in Python.

    The candidates are every name the PostgreSQL query could keep (see _sqlite_candidate),
    so the two agree until a search has more than SQLITE_CANDIDATES of them.
    """
    candidates = people.filter(*(_sqlite_candidate(word) for word in words))
    rows = candidates.order_by("family_name", "given_name", "pk").values_list(
        "pk", "family_name", "given_name", "preferred_name"
    )[:SQLITE_CANDIDATES]
    ranked = []
    for pk, family_name, given_name, preferred_name in rows:
        names = {
            "family_name": family_name,
            "given_name": given_name,
            "preferred_name": preferred_name,
        }
        scores = [max(field_score(w.text, names[f], w.is_initial) for f in w.fields) for w in words]
        if all(score >= THRESHOLD for score in scores):
            # Added in order, as PostgreSQL adds the same double-precision numbers.
            ranked.append((-reduce(operator.add, scores), family_name, given_name, pk))
    best = [pk for *_, pk in sorted(ranked)[:limit]]
    found = Person.objects.visible_to(staff).in_bulk(best)
    return [found[pk] for pk in best]


def _sqlite_candidate(word: NameWord) -> Q:
    """A cheap condition every close name meets: it shares a pair of letters with the word.

    A similarity above 0.25 needs two shared trigrams, so one besides the word's first
    ("  r" for "ryn"), and each of the others holds a pair of the word's letters.
    """
    if word.is_initial:
        return reduce(operator.or_, (Q(**{f"{f}__istartswith": word.text}) for f in word.fields))
    pieces = _TRIGRAM_WORD.findall(word.text.lower())
    pairs = {p[i : i + 2] for p in pieces for i in range(max(len(p) - 1, 1))}
    return reduce(
        operator.or_, (Q(**{f"{f}__icontains": pair}) for f in word.fields for pair in pairs)
    )


def field_score(word: str, name: str, initial: bool = False) -> float:
    """How close one typed word is to one name: 1 for the name itself, else its similarity.

    A name that contains the word (or, for an initial, starts with it) scores at least the
    threshold. The same rule as the PostgreSQL expression in :func:`_ranked_in_postgresql`.
    """
    word, name = word.lower(), name.lower()
    if initial:
        return CONTAINS_SCORE if name.startswith(word) else 0.0
    if name == word:
        return EXACT_SCORE
    score = similarity(word, name)
    return max(score, CONTAINS_SCORE) if word in name else score


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigrams: each word lowercased, two spaces before it and one after."""
    grams: set[str] = set()
    for word in _TRIGRAM_WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity(a, b)``: shared trigrams over all trigrams of the two.

    Rounded to single precision, as pg_trgm returns a ``real``, so that a score on the
    threshold falls the same side of it here as in PostgreSQL.
    """
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    exact = shared / (len(ta) + len(tb) - shared)
    single: float = struct.unpack("f", struct.pack("f", exact))[0]
    return single
