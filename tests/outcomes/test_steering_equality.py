"""The steering-group report's equality tables are suppressed before they leave the service."""

from django.template.loader import render_to_string

from ipsworks.outcomes.presenters import suppressed_equality


def _shown(rows):
    return {label: (a.shown, j.shown) for label, a, j in rows}


def test_small_groups_are_hidden_and_cannot_be_recovered_from_the_column():
    equality = {
        "sexual_orientation": {
            "Bisexual": {"accesses": 2, "job_starts": 1},
            "Heterosexual or Straight": {"accesses": 40, "job_starts": 12},
            "Not stated": {"accesses": 30, "job_starts": 9},
        }
    }
    shown = _shown(suppressed_equality(equality)["sexual_orientation"])
    assert shown["Bisexual"] == ("<5", "<5")
    # One more cell in each column is hidden, so the small one cannot be subtracted out.
    assert shown["Not stated"] == ("*", "*")
    assert shown["Heterosexual or Straight"] == ("40", "10")  # 12 rounded to the nearest 5


def test_groups_of_five_or_more_and_zeros_are_shown_as_they_are():
    equality = {"gender": {"Female": {"accesses": 5, "job_starts": 0}}}
    assert _shown(suppressed_equality(equality)["gender"]) == {"Female": ("5", "0")}


def test_the_report_prints_the_suppressed_values(world):
    from datetime import date

    from ipsworks.outcomes.periods import quarter
    from ipsworks.outcomes.presenters import Figures

    equality = {
        name: {
            "Group A": {"accesses": 3, "job_starts": 1},
            "Group B": {"accesses": 20, "job_starts": 6},
        }
        for name in ("age", "gender", "ethnicity", "disability", "sexual_orientation")
    }
    html = render_to_string(
        "outcomes/steering_report.jinja",
        {
            "service": world.service,
            "period": quarter(date(2026, 7, 1)),
            "f": Figures(),
            "trends": None,
            "equality": suppressed_equality(equality),
            "definitions": [],
            "generated": None,
        },
    )
    assert '<td>Group A</td><td class="n">&lt;5</td>' in html
    assert ">3<" not in html
