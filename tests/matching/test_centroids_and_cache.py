"""Postcode centroids (ONSPD and synthetic), distance on the pages, the feature cache, the
demo command and the fidelity evidence."""

import datetime as dt
import io
import zipfile
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ipsworks.matching import features, queries, services
from ipsworks.matching.centroids import synthetic_centroid
from ipsworks.matching.models import CentroidDataset, PostcodeCentroid, Vacancy
from tests import factories as f
from tests.matching.factories import ApplicationFactory, VacancyFactory

pytestmark = pytest.mark.django_db

ONSPD = (
    "pcd,pcd2,pcds,dointr,doterm,oseast1m,osnrth1m,lat,long,ctry\n"
    "LS1 4AP,LS1  4AP,LS1 4AP,198001,,430000,433000,53.796,-1.548,E92000001\n"
    "LS6 2AB,LS6  2AB,LS6 2AB,198001,,428000,435000,53.817,-1.573,E92000001\n"
    "LS9 9ZZ,LS9  9ZZ,LS9 9ZZ,198001,200512,,,53.790,-1.520,E92000001\n"
    "ZZ1 1ZZ,ZZ1  1ZZ,ZZ1 1ZZ,198001,,,,99.999999,0.000000,E92000001\n"
    "BAD 1,BAD 1,BAD 1,198001,,,,not-a-number,,E92000001\n"
)


def test_the_onspd_loader_keeps_live_placed_postcodes(tmp_path):
    path = tmp_path / "ONSPD_NOV_2026_UK.csv"
    path.write_text(ONSPD)
    call_command("load_postcode_centroids", str(path), stdout=io.StringIO())
    assert set(PostcodeCentroid.objects.values_list("postcode", flat=True)) == {
        "LS1 4AP",
        "LS6 2AB",
    }
    dataset = CentroidDataset.objects.get()
    assert (dataset.rows, dataset.terminated_skipped) == (2, 1)


def test_the_onspd_zip_is_read_directly_and_replaces_the_last_load(tmp_path):
    PostcodeCentroid.objects.create(postcode="OLD 1AA", latitude=1, longitude=1)
    path = tmp_path / "ONSPD_NOV_2026.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Documents/readme.txt", "not data")
        archive.writestr("Data/ONSPD_NOV_2026_UK.csv", ONSPD)
    call_command("load_postcode_centroids", str(path), stdout=io.StringIO())
    assert PostcodeCentroid.objects.count() == 2
    assert not PostcodeCentroid.objects.filter(postcode="OLD 1AA").exists()


def test_a_file_that_is_not_the_onspd_is_refused(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,postcode\nA,LS1 4AP\n")
    with pytest.raises(CommandError, match="no column"):
        call_command("load_postcode_centroids", str(path))
    with pytest.raises(CommandError, match="either"):
        call_command("load_postcode_centroids")


def test_synthetic_centroids_cover_the_demo_postcodes_and_keep_real_ones(world):
    PostcodeCentroid.objects.create(postcode="LS1 4AP", latitude=53.796, longitude=-1.548)
    f.PersonFactory(service=world.service, postcode="AA12 3BD")
    f.EmployerFactory(service=world.service, postcode="AA3 1XY")
    call_command("load_postcode_centroids", "--synthetic", stdout=io.StringIO())
    assert set(PostcodeCentroid.objects.values_list("postcode", flat=True)) == {
        "LS1 4AP",
        "AA12 3BD",
        "AA3 1XY",
    }
    assert synthetic_centroid("AA12 3BD") == synthetic_centroid("AA12 3BD")
    assert CentroidDataset.objects.get().synthetic


def test_with_centroids_the_pages_show_miles_and_drop_the_fallback_notice(world, as_staff):
    from django.urls import reverse

    world.person_a.postcode = "AA1 1AB"
    world.person_a.save()
    f.VocationalProfileFactory(person=world.person_a, recorded_by=world.es_a, travel_max_miles=5)
    VacancyFactory(employer__service=world.service, postcode="AA1 2BD", created_by=world.es_a)
    client = as_staff(world.es_a)
    url = reverse("job_search", args=[world.person_a.pk])
    assert "same postcode district (AA1)" in client.get(url).content.decode()
    call_command("load_postcode_centroids", "--synthetic", stdout=io.StringIO())
    page = client.get(url).content.decode()
    assert "postcode directory has not been loaded" not in page
    assert "miles)" in page


def test_a_postcode_the_loaded_directory_does_not_cover_is_still_said_to_be_estimated(
    world, as_staff
):
    from django.urls import reverse

    world.person_a.postcode = "AA1 1AB"
    world.person_a.save()
    f.VocationalProfileFactory(person=world.person_a, recorded_by=world.es_a, travel_max_miles=5)
    VacancyFactory(employer__service=world.service, postcode="AA1 2BD", created_by=world.es_a)
    # A directory that knows the vacancy's postcode but not the person's.
    PostcodeCentroid.objects.create(postcode="AA1 2BD", latitude=54.0, longitude=-2.0)
    CentroidDataset.objects.create(source="ONS Postcode Directory (test extract)", rows=1)
    client = as_staff(world.es_a)
    page = client.get(reverse("job_search", args=[world.person_a.pk])).content.decode()
    assert "postcode directory has not been loaded" not in page
    assert "For 1 of these, one of the postcodes is not in the loaded postcode directory" in page


def test_the_vacancy_features_are_rebuilt_when_a_vacancy_changes(world):
    first = VacancyFactory(employer__service=world.service, created_by=world.es_a)
    table = features.vacancy_features(world.service.pk)
    assert list(table.ids) == [first.pk]
    assert features.vacancy_features(world.service.pk) is table  # cached
    second = VacancyFactory(employer=first.employer, created_by=world.es_a)
    table = features.vacancy_features(world.service.pk)
    assert sorted(table.ids) == [first.pk, second.pk]
    services.set_vacancy_status(vacancy=first, status="filled", by=world.es_a)
    assert list(features.vacancy_features(world.service.pk).ids) == [second.pk]
    PostcodeCentroid.objects.create(postcode=second.postcode, latitude=54, longitude=-2)
    CentroidDataset.objects.create(source="test", rows=1)
    assert features.vacancy_features(world.service.pk).lat[0] == 54


def test_closed_vacancies_past_their_date_are_not_suggested(world, today):
    profile_person = world.person_a
    f.VocationalProfileFactory(person=profile_person, recorded_by=world.es_a)
    live = VacancyFactory(employer__service=world.service, created_by=world.es_a)
    Vacancy.objects.filter(
        pk=VacancyFactory(employer=live.employer, created_by=world.es_a).pk
    ).update(closing_date=today - dt.timedelta(days=1))
    matches = queries.matched_vacancies(world.es_a, profile_person)
    assert [m.vacancy.pk for m in matches.rows] == [live.pk]
    assert matches.considered == 1


def test_synthetic_vacancies_for_the_demo(world):
    call_command("synthetic_vacancies", "--per-service", "12", stdout=io.StringIO())
    assert Vacancy.objects.filter(service=world.service).count() == 12
    assert Vacancy.objects.filter(service=world.other_service).count() == 12
    assert all(v.postcode.startswith("AA") for v in Vacancy.objects.all())


# --- Fidelity item 16 evidence -------------------------------------------------------------


def test_applications_matching_preferences_counts_fits_in_the_period(world, today):
    period = SimpleNamespace(start=today - dt.timedelta(days=30), end=today)
    f.VocationalProfileFactory(
        person=world.person_a,
        recorded_by=world.es_a,
        kinds_of_work="Warehouse work",
        unsuitable_times=["night"],
        jobs_not_to_repeat="Call centres",
    )
    employer = f.EmployerFactory(service=world.service)

    def applied(title, soc, times, person=world.person_a, days_ago=3):
        vacancy = VacancyFactory(
            employer=employer,
            title=title,
            soc_major_group=soc,
            times_of_day=times,
            created_by=world.es_a,
        )
        return ApplicationFactory(
            person=person,
            vacancy=vacancy,
            created_by=world.es_a,
            applied_on=today - dt.timedelta(days=days_ago),
        )

    applied("Warehouse operative", "9", ["afternoon"])  # fits
    applied("Goods in assistant", "9", ["morning"])  # fits: SOC group agrees
    applied("Night picker", "9", ["night"])  # a time that does not suit
    applied("Call centre adviser", "7", ["morning"])  # a job not to repeat
    applied("Care assistant", "6", ["morning"])  # not a kind of work they want
    applied("Warehouse operative 2", "9", ["afternoon"], days_ago=60)  # outside the period
    applied("Warehouse operative 3", "9", [], person=world.person_a2)  # no profile
    assert queries.applications_matching_preferences([world.service.pk], period) == (2, 6)
    assert queries.applications_matching_preferences([world.other_service.pk], period) == (0, 0)
