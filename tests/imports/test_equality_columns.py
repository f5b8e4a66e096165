"""Equality monitoring columns in an import: optional, by code or label, blank or absent is
"not known", and an unknown code is reported by row and column with nothing saved."""

import pytest

from ipsworks.imports.models import ImportRun
from ipsworks.people.models import Person
from tests.imports.conftest import HEADER, as_csv, row

pytestmark = pytest.mark.django_db

WITH_EQUALITY = [*HEADER, "sexual_orientation", "disability", "religion_or_belief"]


def _answers(person) -> tuple[str, str, str]:
    return (person.sexual_orientation, person.disability, person.religion_or_belief)


def test_the_equality_columns_are_imported_by_code_or_label(world, run_file):
    rows = [
        row(given_name="Coded", sexual_orientation="2", disability="Y", religion_or_belief="sikh"),
        row(
            given_name="Labelled",
            sexual_orientation="Bisexual",
            disability="no",
            religion_or_belief="No religion",
        ),
        row(given_name="Blank", sexual_orientation="", disability="", religion_or_belief=""),
    ]
    run = run_file(as_csv(rows, WITH_EQUALITY))
    assert run.status == ImportRun.Status.DONE, run.problems
    people = {p.given_name: p for p in Person.objects.filter(family_name="Importtest")}
    assert _answers(people["Coded"]) == ("2", "Y", "I")  # "sikh": the label, any case
    assert _answers(people["Labelled"]) == ("3", "N", "L")
    assert _answers(people["Blank"]) == ("9", "9", "N")


def test_a_file_without_the_columns_records_not_known(world, run_file):
    run = run_file(as_csv([row()]))
    assert run.status == ImportRun.Status.DONE, run.problems
    assert _answers(Person.objects.get(family_name="Importtest")) == ("9", "9", "N")


def test_an_unknown_code_is_reported_by_row_and_column(world, run_file):
    rows = [row(), row(disability="maybe"), row()]
    run = run_file(as_csv(rows, WITH_EQUALITY))
    assert run.status == ImportRun.Status.REJECTED
    assert [(p["row"], p["column"]) for p in run.problems] == [(3, "disability")]
    assert "not a known code" in run.problems[0]["message"]
    assert not Person.objects.filter(family_name="Importtest").exists()
