"""Finding a person by a partial or misspelt name, "Surname, First", NHS number or date of
birth, only among the people one may see. The same tests run on SQLite and PostgreSQL."""

import datetime as dt
import struct

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.people import search
from tests import factories as f

DOB = dt.date(1990, 4, 3)


def _spaced(number: str) -> str:
    return f"{number[:3]} {number[3:6]} {number[6:]}"


@pytest.fixture
def add(world):
    """Add a person to a team's caseload (team A, es_a's, unless told otherwise)."""

    def person(given, family, *, team=None, es=None, service=None, **kwargs):
        service = service or world.service
        someone = f.PersonFactory(service=service, given_name=given, family_name=family, **kwargs)
        f.ReferralFactory(
            person=someone,
            team=team or world.team_a,
            allocated_to=es or world.es_a,
            status="accepted",
        )
        return someone

    return person


def _found(staff, text):
    return [p.full_name for p in search.find_people(staff, search.parse(text))]


# Reading what was typed


@pytest.mark.parametrize(
    "text",
    [
        "3/4/1990",
        "03/04/1990",
        "3 4 1990",
        "1990-04-03",
        "3 April 1990",
        "3 Apr 1990",
        "03.04.1990",
    ],
)
def test_a_date_of_birth_is_read_the_uk_way_round_in_any_usual_format(text):
    assert search.parse(text) == search.PersonQuery(date_of_birth=DOB)


def test_an_nhs_number_is_read_with_or_without_its_spaces():
    number = f.synthetic_nhs_number()
    assert search.parse(_spaced(number)).nhs_number == number
    assert search.parse(number).nhs_number == number


def test_a_comma_means_surname_then_first_name():
    query = search.parse("Thompson, Ryan")
    assert [(w.text, w.fields) for w in query.words] == [
        ("Thompson", ("family_name",)),
        ("Ryan", ("given_name", "preferred_name")),
    ]
    assert all(w.fields == search.NAME_FIELDS for w in search.parse("Ryan Thompson").words)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("R", search.TOO_SHORT),
        ("  ", search.TOO_SHORT),
        ("R T", search.TOO_SHORT),
        ("31/2/1990", search.NOT_A_DATE),
        ("943 476", "NHS number must be 10 digits, like 999 000 0018"),
        ("999 000 0019", "This is not a valid NHS number. Check it has been typed correctly"),
    ],
)
def test_what_cannot_be_searched_for_says_why(text, problem):
    assert search.parse(text).problem == problem


def test_similarity_is_computed_as_pg_trgm_computes_it():
    # "ryn": {"  r", " ry", "ryn", "yn "}; "ryan": {"  r", " ry", "rya", "yan", "an "}.
    assert search.similarity("Ryn", "RYAN") == pytest.approx(2 / 7)
    assert search.similarity("Thompsen", "Thompson") == 0.5
    assert search.similarity("word", "two words") == pytest.approx(4 / 11)
    assert search.similarity("", "Ryan") == 0.0


@pytest.mark.django_db
def test_the_python_similarity_is_the_same_as_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's pg_trgm")
    pairs = [
        ("Ryn", "Ryan"),
        ("Thompsen", "Thompson"),
        ("o'brien", "O'Brien-Smith"),
        ("word", "two words"),
        ("Jo", "Joanne"),
        ("ab", "xyz"),
    ]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            # pg_trgm's single-precision answer, as the driver reads it, to single again
            in_postgresql = struct.unpack("f", struct.pack("f", cursor.fetchone()[0]))[0]
            assert in_postgresql == search.similarity(a, b), (a, b)


# Finding people


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "Ryn",
        "Ryan",
        "Thompsen",
        "Thomson",
        "Thompson, Ryan",
        "Ryan Thompson",
        "thompson ryan",
        "Thompson, R",
        "Tho",
    ],
)
def test_a_person_is_found_by_a_partial_misspelt_or_reordered_name(world, add, text):
    add("Ryan", "Thompson")
    add("Priya", "Okafor")
    assert _found(world.es_a, text) == ["Ryan Thompson"]


@pytest.mark.django_db
def test_a_preferred_name_finds_the_person(world, add):
    add("Robert", "Okafor", preferred_name="Bobby")
    assert _found(world.es_a, "Bobby Okafor") == ["Robert Okafor"]
    assert _found(world.es_a, "Okafor, Bobby") == ["Robert Okafor"]


@pytest.mark.django_db
def test_surname_first_does_not_match_the_names_the_other_way_round(world, add):
    add("Ryan", "Thompson")
    add("Thompson", "Ryan")
    assert _found(world.es_a, "Thompson, Ryan") == ["Ryan Thompson"]
    assert sorted(_found(world.es_a, "Ryan Thompson")) == ["Ryan Thompson", "Thompson Ryan"]


@pytest.mark.django_db
def test_the_closest_name_comes_first(world, add):
    add("Ryan", "Thomas")  # similarity to "Thompson" 4/12
    add("Ryan", "Thomson")  # 6/11
    add("Ryan", "Thompson")
    assert _found(world.es_a, "Ryan Thompson") == ["Ryan Thompson", "Ryan Thomson", "Ryan Thomas"]


@pytest.mark.django_db
def test_a_person_is_found_by_nhs_number_with_or_without_spaces(world, add):
    number = f.synthetic_nhs_number()
    add("Ryan", "Thompson", nhs_number=number)
    add("Ryan", "Thompsen")
    assert _found(world.es_a, number) == ["Ryan Thompson"]
    assert _found(world.es_a, _spaced(number)) == ["Ryan Thompson"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["3/4/1990", "03/04/1990", "1990-04-03", "3 April 1990"])
def test_a_person_is_found_by_date_of_birth(world, add, text):
    add("Ryan", "Thompson", date_of_birth=DOB)
    add("Ryan", "Thompsen", date_of_birth=dt.date(1990, 3, 4))  # the US reading of 3/4
    assert _found(world.es_a, text) == ["Ryan Thompson"]


@pytest.mark.django_db
def test_nobody_out_of_scope_is_ever_found(world, add):
    number = f.synthetic_nhs_number()
    mine = add("Ryan", "Thompson", nhs_number=number, date_of_birth=DOB)
    theirs = add(
        "Ryan", "Thompson", team=world.team_b, es=world.es_b, date_of_birth=DOB
    )  # same name and birthday, another team of the service
    elsewhere = add(
        "Ryan",
        "Thompson",
        service=world.other_service,
        team=world.team_x,
        es=world.outsider,
        nhs_number=number,
        date_of_birth=DOB,
    )
    for text in ("Ryan Thompson", "Thompsen", "Ryn", "Thompson, Ryan", number, "3/4/1990"):
        assert search.find_people(world.es_a, search.parse(text)) == [mine], text
    assert search.find_people(world.es_b, search.parse(number)) == []
    assert set(search.find_people(world.manager, search.parse("Thompsen"))) == {mine, theirs}
    assert search.find_people(world.outsider, search.parse("Thompsen")) == [elsewhere]


@pytest.mark.django_db
def test_the_same_people_are_found_as_by_scoring_everyone_one_by_one(world, add):
    """The database's answer (SQL on PostgreSQL, candidates then Python on SQLite) is the
    rule in people.search applied to every person in scope."""
    names = [
        ("Ryan", "Thompson"),
        ("Bryan", "Thomas"),
        ("Rhian", "Tomlinson"),
        ("Ryan", "O'Brien-Smith"),
        ("Priya", "Okafor"),
        ("Jo", "Ryans"),
        ("Joanne", "Thompsen"),
        ("Tom", "Ryan"),
    ]
    for given, family in names:
        add(given, family)
    people = list(world.es_a.service.people.all())
    for text in (
        "Ryn",
        "Ryan",
        "Thompson",
        "Thom",
        "Tom Ryan",
        "O'Brien",
        "Brien",
        "Thompson, Jo",
        "jo",
        "Smith, Ryan",
        "Okafr",
    ):
        query = search.parse(text)
        expected = []
        for person in people:
            names_ = {
                "family_name": person.family_name,
                "given_name": person.given_name,
                "preferred_name": person.preferred_name,
            }
            scores = [
                max(search.field_score(w.text, names_[fld], w.is_initial) for fld in w.fields)
                for w in query.words
            ]
            if all(s >= search.THRESHOLD for s in scores):
                expected.append((-sum(scores), person.family_name, person.given_name, person.pk))
        want = [pk for *_, pk in sorted(expected)]
        got = [p.pk for p in search.find_people(world.manager, query)]
        assert got == want, text


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_number_of_people(world, add):
    add("Ryan", "Thompson")
    search.find_people(world.es_a, search.parse("Ryan"))  # the staff member's teams, cached
    with CaptureQueriesContext(connection) as few:
        assert len(search.find_people(world.es_a, search.parse("Ryan Thompsen"))) == 1
    for n in range(30):
        add("Ryan", f"Thompson{n}")
    with CaptureQueriesContext(connection) as many:
        assert len(search.find_people(world.es_a, search.parse("Ryan Thompsen"))) == 31
    # On PostgreSQL the search sets its threshold in a savepoint of the test's transaction.
    reads = [q for q in many.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(many) == len(few)
    assert len(reads) <= 2


# The page


@pytest.mark.django_db
def test_the_page_explains_what_can_be_typed(world, as_staff):
    page = as_staff(world.es_a).get(reverse("person_search")).content.decode()
    assert "Name, NHS number or date of birth" in page
    assert "3 April 1990" in page
    assert "No people found" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["R", "-"])
def test_a_one_letter_search_reads_nothing_and_says_what_to_type(world, add, as_staff, text):
    add("Ryan", "Thompson")
    page = as_staff(world.es_a).get(reverse("person_search"), {"q": text}).content.decode()
    assert "Error: Find a person" in page
    assert search.TOO_SHORT in page
    assert "Ryan Thompson" not in page
    assert "No people found" not in page
    assert not AccessLogEntry.objects.filter(action="search").exists()


@pytest.mark.django_db
def test_a_nonsense_search_finds_no_people(world, add, as_staff):
    add("Ryan", "Thompson")
    page = as_staff(world.es_a).get(reverse("person_search"), {"q": "Xqzvw"}).content.decode()
    assert "No people found" in page
    assert "Error:" not in page
    assert AccessLogEntry.objects.filter(action="search").count() == 1


@pytest.mark.django_db
def test_the_page_lists_the_closest_match_first(world, add, as_staff):
    add("Ryan", "Thomson")
    add("Ryan", "Thompson")
    page = as_staff(world.es_a).get(reverse("person_search"), {"q": "Thompson, Ryan"})
    page = page.content.decode()
    assert "2 people found" in page
    assert page.index("Ryan Thompson") < page.index("Ryan Thomson")
