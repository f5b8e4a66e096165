"""Bar charts drawn on the server: colours as SVG attributes, bars standing on the axis.

WeasyPrint's SVG renderer (the steering-group PDF) ignores page CSS, so a chart coloured by
CSS came out with black bars and no axis.
"""

import re

from django.template.loader import get_template
from hypothesis import given
from hypothesis import strategies as st

from ipsworks.outcomes.presenters import BarChart


def _svg(chart: BarChart) -> str:
    macro = get_template("outcomes/_chart.jinja").template.module.bar_chart
    return str(macro(chart, "trend-1"))


def test_chart_svg_carries_its_colours_as_attributes_and_no_style():
    svg = _svg(BarChart.of("Job starts", [("Q1 25-26", 3), ("Q2 25-26", 0), ("Q3 25-26", 6)]))
    rects = re.findall(r"<rect [^>]*>", svg)
    assert len(rects) == 3
    assert all('fill="#005eb8"' in rect for rect in rects)
    axis = re.search(r"<line [^>]*>", svg).group(0)
    assert 'stroke="#4c6272"' in axis
    assert all("fill=" in text for text in re.findall(r"<text [^>]*>", svg))
    assert "style=" not in svg


def test_bars_end_on_the_axis_line():
    chart = BarChart.of("Job starts", [("Q1 25-26", 3), ("Q2 25-26", 0), ("Q3 25-26", 6)])
    svg = _svg(chart)
    axis = re.search(r'<line x1="\d+" y1="(\d+)" x2="\d+" y2="(\d+)"', svg)
    assert axis.group(1) == axis.group(2) == str(chart.baseline) == "200"
    for rect in re.findall(r'<rect [^>]*y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', svg):
        y, height = map(float, rect)
        assert abs(y + height - 200) < 0.11  # drawn to one decimal place
    assert chart.bars[2].y == chart.plot_top  # the tallest reaches the top of the plot
    assert chart.label_y > chart.baseline  # the quarter labels sit below the axis


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12))
def test_every_bar_stands_on_the_baseline_within_the_plot(values):
    chart = BarChart.of("x", [(str(i), v) for i, v in enumerate(values)])
    for bar in chart.bars:
        assert abs(bar.y + bar.height - chart.baseline) < 1e-9
        assert bar.y >= chart.plot_top - 1e-9
        assert chart.left <= bar.x
        assert bar.x + bar.width <= chart.right
