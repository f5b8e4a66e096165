"""The caseload page's limit is fidelity item 1 of the shipped scale, not a number of its own."""

from decimal import Decimal

from ipsworks.fidelity import scale
from ipsworks.people import caseload_limit
from ipsworks.people.presenters import CaseloadSize


def test_the_caseload_limit_is_the_shipped_scales_item_1_full_fidelity_band():
    assert caseload_limit.per_fte() == scale.caseload_limit_per_fte() == Decimal(20)
    assert "20 or fewer" in scale.load().item(1).anchors["5"]


def test_the_target_follows_the_scale_for_the_specialists_hours():
    assert CaseloadSize(open=30, active=18, fte=Decimal("1.0")).target == 20
    assert CaseloadSize(open=30, active=18, fte=Decimal("0.6")).target == 12
    assert CaseloadSize(open=30, active=13, fte=Decimal("0.6")).over_target


def test_a_different_scale_changes_the_target(monkeypatch):
    monkeypatch.setattr(caseload_limit, "_source", lambda: Decimal(15))
    assert CaseloadSize(open=30, active=18, fte=Decimal("1.0")).target == 15
