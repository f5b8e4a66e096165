"""The scale file is complete, and the loader refuses one that is not."""

import json
from decimal import Decimal

import pytest

from ipsworks.fidelity import scale as scales


@pytest.fixture
def raw():
    return json.loads((scales.SCALES_DIR / f"{scales.CURRENT_VERSION}.json").read_text())


def test_every_scale_file_loads():
    assert scales.CURRENT_VERSION in scales.available_versions()
    for version in scales.available_versions():
        assert scales.load(version).id == version


def test_the_scale_has_25_items_in_three_sections_each_rated_1_to_5():
    scale = scales.load()
    assert [i.number for i in scale.items] == list(range(1, 26))
    assert {i.section for i in scale.items} == {"staffing", "organisation", "services"}
    assert [i.number for i in scale.section_items("staffing")] == [1, 2, 3]
    assert [i.number for i in scale.section_items("organisation")] == list(range(4, 12))
    for item in scale.items:
        assert sorted(item.anchors) == ["1", "2", "3", "4", "5"], item.number
        assert all(text.strip() for text in item.anchors.values())
        assert item.source
        assert item.data_needed
        assert item.description


def test_total_bands_cover_25_to_125_without_gaps():
    scale = scales.load()
    covered = sorted(n for band in scale.total_bands for n in range(band.min, band.max + 1))
    assert covered == list(range(25, 126))
    assert scale.band_for(125).label == "Exemplary fidelity"
    assert scale.band_for(115).label == "Exemplary fidelity"
    assert scale.band_for(114).label == "Good fidelity"
    assert scale.band_for(100).label == "Good fidelity"
    assert scale.band_for(99).label == "Fair fidelity"
    assert scale.band_for(74).label == "Fair fidelity"
    assert scale.band_for(73).label == "Not IPS"
    assert scale.band_for(25).label == "Not IPS"


def test_computed_items_and_checklists_are_as_designed():
    scale = scales.load()
    computed = [i.number for i in scale.items if i.is_computed]
    checklists = {i.number: len(i.elements) for i in scale.items if i.is_checklist}
    assert computed == [1, 2, 4, 12, 15, 16, 17, 19, 20, 21, 23, 24]
    assert checklists == {
        3: 6,
        5: 5,
        7: 4,
        8: 5,
        9: 4,
        10: 5,
        11: 5,
        13: 4,
        14: 4,
        18: 4,
        22: 5,
        25: 5,
    }
    assert [i.number for i in scale.items if i.kind == "judgement"] == [6]


@pytest.mark.parametrize("number", [1, 2, 4, 12, 15, 16, 17, 19, 20, 21, 23, 24])
def test_every_value_gets_exactly_one_rating(number):
    measure = scales.load().item(number).measure
    for tenth in range(0, 5000):
        value = Decimal(tenth) / 10
        assert sum(band.contains(value) for band in measure.bands) == 1, value


def test_percentage_bands_that_are_ips_works_own_proxy_are_marked_so():
    """Items 12 and 23: the manual rates them in words; the percentage bands are IPS Works's
    proxy, so the anchors stay in words and carry no percentages of their own."""
    scale = scales.load()
    proxies = [i.number for i in scale.items if i.measure and i.measure.basis == "ips_works_proxy"]
    assert proxies == [12, 23]
    for number in proxies:
        assert not any("%" in scale.item(number).anchor(r) for r in scales.RATINGS)


def test_item_5_rating_follows_the_number_of_elements():
    item = scales.load().item(5)
    assert [item.rating_for_elements(n) for n in range(6)] == [1, 1, 2, 3, 4, 5]


def _broken(raw, change) -> str:
    change(raw)
    return json.dumps(raw)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["items"].pop(), "items 1 to 25"),
        (lambda r: r["items"][0]["anchors"].pop("3"), "anchor for each rating"),
        (lambda r: r["items"][0]["measure"]["bands"].pop(1), "gap or overlap"),
        (lambda r: r["items"][0]["measure"]["bands"][0].update(rating=6), "less than or equal"),
        (lambda r: r["items"][4]["rating_by_count"].pop(), "rating_by_count"),
        (lambda r: r["total_bands"][1].update(min=101), "gap or overlap"),
        (lambda r: r["items"][0].pop("measure"), "needs a measure"),
    ],
)
def test_an_incomplete_scale_file_is_refused(raw, change, message):
    with pytest.raises(scales.ScaleError, match=message):
        scales.parse(_broken(raw, change))


def test_an_unknown_scale_version_is_refused():
    with pytest.raises(scales.ScaleError, match="no scale file"):
        scales.load("ips25-uk-v99")
