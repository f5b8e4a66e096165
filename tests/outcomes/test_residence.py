"""People accessing IPS by where they live: the postcode lookup and population loads, the
breakdowns by sub-ICB location, ICB and deprivation quintile, and rates per 100,000."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ipsworks.outcomes import geography, presenters
from ipsworks.outcomes.metrics import residence
from ipsworks.outcomes.models import Area, PostcodeArea
from ipsworks.outcomes.periods import financial_year
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
FY_26 = financial_year(D(2026, 4, 1))
MAY_4 = D(2026, 5, 4)

ONSPD = (
    "pcds,doterm,sicbl,icb,ctry,imd\n"
    "LS1 4AP,,E38000225,E54000054,E92000001,1\n"
    "LS6 2AB,,E38000225,E54000054,E92000001,32844\n"
    "LS2 9JT,201903,E38000225,E54000054,E92000001,500\n"  # terminated
    "CF10 1AA,,W11000029,W11000029,W92000004,12\n"  # Wales: its own index, no decile
    "NOT A CODE,,E38000225,E54000054,E92000001,12\n"
)


@pytest.mark.parametrize(
    ("rank", "decile"), [(1, 1), (3284, 1), (3285, 2), (16422, 5), (16423, 6), (32844, 10)]
)
def test_an_imd_rank_becomes_its_decile_over_englands_lsoas(rank, decile):
    assert geography.imd_decile(rank) == decile


def test_deciles_pair_into_nhs_englands_quintiles():
    assert [geography.quintile(d) for d in range(1, 11)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert geography.quintile(None) is None
    with pytest.raises(ValueError, match="not an IMD 2019 rank"):
        geography.imd_decile(32845)


def test_the_postcode_directory_loads_live_english_postcodes_with_deciles(tmp_path):
    path = tmp_path / "onspd.csv"
    path.write_text(ONSPD)
    out = io.StringIO()
    call_command("load_areas", onspd=str(path), stdout=out)
    assert "2 terminated" not in out.getvalue()
    assert "skipped 1 terminated and 1 unreadable rows" in out.getvalue()
    rows = {a.postcode: (a.sub_icb, a.icb, a.imd_decile) for a in PostcodeArea.objects.all()}
    assert rows == {
        "LS1 4AP": ("E38000225", "E54000054", 1),
        "LS6 2AB": ("E38000225", "E54000054", 10),
        "CF10 1AA": ("W11000029", "W11000029", None),
    }


def test_a_file_that_is_not_the_postcode_directory_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("postcode,area\nLS1 4AP,Leeds\n")
    with pytest.raises(CommandError, match="does not look like the ONS Postcode Directory"):
        call_command("load_areas", onspd=str(path))
    assert not PostcodeArea.objects.exists()


def test_populations_load_and_a_bad_row_refuses_the_whole_file(tmp_path):
    good = tmp_path / "areas.csv"
    good.write_text(
        "level,code,name,population,source\n"
        'sub_icb,E38000225,Test Leeds,"512,000",Test estimate\n'
        "icb,E54000054,Test West Yorkshire,1500000,Test estimate\n"
    )
    call_command("load_areas", population=str(good), stdout=io.StringIO())
    assert Area.objects.get(pk="E38000225").population == 512_000
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "level,code,name,population\n"
        "icb,E54000099,Another ICB,300000\n"
        "region,E40000001,North East,2600000\n"
        "icb,E54000098,,100\n"
        "icb,E5400009,Short code,100\n"
        "icb,E54000097,No people,none\n"
    )
    with pytest.raises(CommandError) as refused:
        call_command("load_areas", population=str(bad))
    for message in (
        "Row 3: level must be sub_icb or icb",
        "Row 4: the area has no name",
        "Row 5: 'E5400009' is not an ONS area code",
        "Row 6: the population must be a whole number",
    ):
        assert message in str(refused.value)
    assert not Area.objects.filter(pk="E54000099").exists()  # nothing partial


def test_one_load_at_a_time_is_asked_for():
    with pytest.raises(CommandError, match="Give one of"):
        call_command("load_areas")


def _accessing(world, postcode, on=MAY_4, service=None):
    person = f.PersonFactory(service=service or world.service, postcode=postcode)
    referral = f.ReferralFactory(person=person, team=world.team_a, received_on=D(2026, 4, 20))
    f.ContactFactory(referral=referral, staff=world.es_a, contact_date=on)
    return referral


@pytest.fixture
def areas(world):
    PostcodeArea.objects.bulk_create(
        [
            PostcodeArea(postcode="AA1 1AA", sub_icb="X38000001", icb="X54000001", imd_decile=1),
            PostcodeArea(postcode="AA1 2AA", sub_icb="X38000001", icb="X54000001", imd_decile=2),
            PostcodeArea(postcode="AA2 1AA", sub_icb="X38000002", icb="X54000001", imd_decile=9),
        ]
    )
    Area.objects.bulk_create(
        [
            Area(code="X38000001", level="sub_icb", name="Test North", population=200_000),
            Area(code="X38000002", level="sub_icb", name="Test South", population=50_000),
            Area(code="X54000001", level="icb", name="Test ICB", population=250_000),
        ]
    )
    return world


def test_people_accessing_are_counted_by_where_they_live_and_unknowns_kept(areas):
    world = areas
    for _ in range(6):
        _accessing(world, "AA1 1AA")
    _accessing(world, "AA1 2AA")
    _accessing(world, "AA2 1AA")
    _accessing(world, "")  # no postcode
    _accessing(world, "ZZ9 9ZZ")  # a postcode the lookup does not know
    _accessing(world, "AA1 1AA", on=D(2027, 4, 2))  # next financial year: not counted
    found = residence.accessed_by_residence([world.service.pk], FY_26)
    assert found.total == 10
    assert [(r.name, r.people, r.population) for r in found.sub_icbs] == [
        ("Test North", 7, 200_000),
        ("Test South", 1, 50_000),
        ("Not known", 2, None),
    ]
    assert found.sub_icbs[0].rate == pytest.approx(3.5)
    assert [(r.name, r.people) for r in found.icbs] == [("Test ICB", 8), ("Not known", 2)]
    assert [r.people for r in found.quintiles] == [7, 0, 0, 0, 1, 2]
    assert found.quintiles[0].name == "Quintile 1 (most deprived)"
    for rows in (found.sub_icbs, found.icbs, found.quintiles):
        assert sum(r.people for r in rows) == found.total


def test_shared_breakdowns_are_suppressed_and_rates_come_from_the_rounded_count(areas):
    world = areas
    for _ in range(7):
        _accessing(world, "AA1 1AA")
    _accessing(world, "AA2 1AA")
    found = residence.accessed_by_residence([world.service.pk], FY_26)
    own = presenters.residence_tables(found, shared=False)[1]
    assert own.rows == [("Test North", "7", "3.5"), ("Test South", "1", "2.0")]
    shared = presenters.residence_tables(found, shared=True)[1]
    # 1 is "<5"; the only other cell is suppressed too, so neither can be worked out.
    assert [(name, people, rate) for name, people, rate in shared.rows] == [
        ("Test North", "*", ""),
        ("Test South", "<5", ""),
    ]
    assert shared.total == "10"  # 8 rounded to the nearest 5


def test_the_manager_sees_the_breakdowns_with_rates_and_other_services_are_not_counted(
    areas, as_staff
):
    world = areas
    for _ in range(3):
        _accessing(world, "AA1 1AA")
    _accessing(world, "AA2 1AA", service=world.other_service)
    page = as_staff(world.manager).get(reverse("nhs_england_measures") + "?month=2026-05-01")
    text = page.content.decode()
    assert "People accessing IPS by where they live" in text
    assert "Test North" in text
    assert "1.5" in text  # 3 per 200,000
    assert "Test South" not in text  # only another service's person lives there


def test_without_the_lookup_the_page_says_how_to_load_it(world, as_staff):
    _accessing(world, "AA1 1AA")
    text = as_staff(world.manager).get(reverse("nhs_england_measures")).content.decode()
    assert "manage.py load_areas --onspd" in text


def test_the_commissioner_sees_the_breakdowns_suppressed(areas, as_staff):
    world = areas
    for _ in range(12):
        _accessing(world, "AA1 1AA")
    for _ in range(3):
        _accessing(world, "AA2 1AA")
    page = as_staff(world.commissioner).get(reverse("outcomes_overview") + "?period=fy:2026-04-01")
    text = page.content.decode()
    assert "People accessing IPS by where they live" in text
    where = text[text.index("People accessing IPS by where they live") :]
    assert "&lt;5" in where  # 3 in Test South
    assert "Test North</td>" in where
    assert ">12<" not in where  # never the true count: its only neighbour is suppressed too
    assert ">15<" in where  # the total, rounded


def test_synthetic_areas_cover_the_demos_postcodes(world):
    f.PersonFactory(service=world.service, postcode="AA3 4BD")
    report = geography.load_synthetic()
    assert report.loaded >= 1
    area = PostcodeArea.objects.get(postcode="AA3 4BD")
    assert area.sub_icb == "X38000003"
    assert 1 <= area.imd_decile <= 10
    assert Area.objects.get(pk="X54000002").population == 241_000 + 129_000
