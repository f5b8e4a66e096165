"""Import pages: upload, progress fragment, detail, columns; every persona; the task itself."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ipsworks.imports.models import ImportMapping, ImportRun
from ipsworks.people.models import Referral
from tests.imports.conftest import as_csv, row

pytestmark = pytest.mark.django_db


def _upload(client, data=b"", name="export.csv"):
    return client.post("/imports/", {"file": SimpleUploadedFile(name, data)})


def test_a_manager_uploads_a_file_and_is_shown_its_progress(world, as_staff):
    client = as_staff(world.manager)
    assert client.get("/imports/").status_code == 200
    response = _upload(client, as_csv([row()]))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{run.pk}/"
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert f'hx-get="/imports/{run.pk}/status/"' in page
    assert 'hx-trigger="every 2s"' in page
    fragment = client.get(f"/imports/{run.pk}/status/").content.decode()
    assert "Waiting to start" in fragment


def test_the_finished_fragment_stops_polling_and_lists_the_referrals(world, as_staff):
    from ipsworks.imports import services

    client = as_staff(world.manager)
    _upload(client, as_csv([row(given_name="Quinn")]))
    run = services.run_import(ImportRun.objects.get().pk)
    fragment = client.get(f"/imports/{run.pk}/status/").content.decode()
    assert "hx-get" not in fragment
    assert "Quinn Importtest" in fragment
    assert "Imported" in fragment


def test_problems_are_listed_on_the_page(world, as_staff):
    from ipsworks.imports import services

    client = as_staff(world.manager)
    _upload(client, as_csv([row(nhs_number="123")]))
    services.run_import(ImportRun.objects.get().pk)
    page = client.get(f"/imports/{ImportRun.objects.get().pk}/").content.decode()
    assert "Problems to correct" in page
    assert "NHS number must be 10 digits" in page


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "export.csv", "The file is empty"),
        (b"x", "export.pdf", "must be a CSV file"),
    ],
)
def test_a_bad_upload_is_named_on_the_form(world, as_staff, data, name, message):
    response = _upload(as_staff(world.manager), data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_no_file_is_named_on_the_form(world, as_staff):
    response = as_staff(world.manager).post("/imports/", {})
    assert "Choose a CSV or Excel file to import" in response.content.decode()


@pytest.mark.parametrize("persona", ["es_a", "clinician", "commissioner", "admin", "outsider"])
def test_only_managers_reach_imports(world, as_staff, persona):
    client = as_staff(getattr(world, persona))
    assert client.get("/imports/").status_code == 403
    assert _upload(client, as_csv([row()])).status_code == 403


def test_an_import_of_another_service_is_not_found(world, as_staff):
    from ipsworks.access.roles import Role
    from tests import factories as f

    _upload(as_staff(world.manager), as_csv([row()]))
    run = ImportRun.objects.get()
    other_manager = f.StaffFactory(role=Role.MANAGER, service=world.other_service)
    client = as_staff(other_manager)
    assert client.get(f"/imports/{run.pk}/").status_code == 404
    assert client.get(f"/imports/{run.pk}/status/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/imports/").status_code == 302
    assert client.get("/imports/columns/").status_code == 302


def test_methods_are_limited(world, as_staff):
    client = as_staff(world.manager)
    assert client.put("/imports/").status_code == 405
    assert client.post("/imports/1/").status_code == 405


def test_admins_and_managers_set_the_columns(world, as_staff):
    admin = as_staff(world.admin)
    page = admin.get("/imports/columns/").content.decode()
    assert "NHS number" in page
    response = admin.post("/imports/columns/", {"nhs_number": "NHS No", "received_on": "Ref date"})
    assert response.status_code == 302
    assert ImportMapping.objects.get().columns == {
        "nhs_number": "NHS No",
        "received_on": "Ref date",
    }
    clash = admin.post("/imports/columns/", {"nhs_number": "X", "received_on": "x"})
    assert "already used for" in clash.content.decode()
    assert as_staff(world.manager).get("/imports/columns/").status_code == 200
    assert as_staff(world.es_a).get("/imports/columns/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_background_worker_runs_an_upload(world, as_staff):
    _upload(as_staff(world.manager), as_csv([row(), row()]))
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE
    assert Referral.objects.filter(person__family_name="Importtest").count() == 2
