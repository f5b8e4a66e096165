"""The generator's equality monitoring answers: every code a valid one, mostly not known or
not stated, the rest spread, and the same for the same seed."""

from collections import Counter

import pytest
from django.utils import timezone

from ipsworks.demo import synthetic
from ipsworks.demo.synthetic import Options
from ipsworks.people.codes import Disability, ReligionOrBelief, SexualOrientation
from ipsworks.people.models import Person

pytestmark = pytest.mark.django_db


def test_equality_answers_are_valid_codes_mostly_not_known_or_not_stated():
    synthetic.generate(
        Options(
            services=1,
            people=600,
            seed=11,
            years=2,
            today=timezone.localdate(),
            now=timezone.now(),
        )
    )
    rows = list(
        Person.objects.values_list("sexual_orientation", "disability", "religion_or_belief")
    )
    for position, codes in enumerate((SexualOrientation, Disability, ReligionOrBelief)):
        counts = Counter(row[position] for row in rows)
        assert set(counts) <= set(codes.values)
        missing = counts[codes.NOT_KNOWN] + counts[codes.NOT_STATED]
        assert 0.45 < missing / len(rows) < 0.7, (codes.__name__, counts)
        assert len(counts) >= 4  # answers are spread, not one value
