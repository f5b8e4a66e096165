"""Backup and restore: a round trip gives back exactly what was backed up, verified.

Runs on SQLite in the normal suite and on PostgreSQL when DATABASE_URL points at it (CI
runs both); pg_dump and pg_restore must be installed for the PostgreSQL run.
"""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ipsworks.operations import backup as ops
from ipsworks.people.models import Person, Referral
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _tools():
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")


def _some_data():
    service = f.ServiceFactory()
    for _ in range(3):
        referral = f.ReferralFactory(person=f.PersonFactory(service=service))
        f.ContactFactory(referral=referral) if hasattr(f, "ContactFactory") else None
    return service


def test_a_backup_restores_exactly_and_is_verified(tmp_path):
    service = _some_data()
    before = ops.fingerprint()
    target = tmp_path / "ips.backup"
    call_command("backup", output=str(target), verbosity=0)
    manifest = json.loads((tmp_path / "ips.backup.manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"] == before
    assert manifest["tables"]["people_person"]["rows"] == 3

    # Things change after the backup: a person added, a referral's history grows.
    f.ReferralFactory(person=f.PersonFactory(service=service, family_name="Afterbackup"))
    assert ops.fingerprint() != before

    call_command("restore", str(target), yes=True, verbosity=0)
    assert ops.fingerprint() == before
    assert not Person.objects.filter(family_name="Afterbackup").exists()
    assert Referral.objects.count() == 3


def test_a_restore_that_does_not_match_its_manifest_is_refused(tmp_path):
    _some_data()
    target = tmp_path / "ips.backup"
    manifest = ops.backup(target)
    manifest["tables"]["people_person"]["rows"] += 1
    (tmp_path / "ips.backup.manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="NOT verified: The restored data does not match"):
        call_command("restore", str(target), yes=True, verbosity=0)


def test_a_changed_backup_file_is_refused_before_anything_is_replaced(tmp_path):
    _some_data()
    target = tmp_path / "ips.backup"
    ops.backup(target)
    with open(target, "ab") as handle:
        handle.write(b"tampered")
    before = ops.fingerprint()
    with pytest.raises(CommandError, match="checksum differs"):
        call_command("restore", str(target), yes=True, verbosity=0)
    assert ops.fingerprint() == before


def test_a_backup_without_its_manifest_is_refused(tmp_path):
    target = tmp_path / "ips.backup"
    ops.backup(target)
    (tmp_path / "ips.backup.manifest.json").unlink()
    with pytest.raises(CommandError, match="No manifest"):
        call_command("restore", str(target), yes=True, verbosity=0)


def test_a_backup_and_its_manifest_are_readable_by_their_owner_only(tmp_path):
    import os
    import stat

    _some_data()
    target = tmp_path / "ips.backup"
    target.write_bytes(b"an older backup, once world-readable")
    target.chmod(0o644)
    old_umask = os.umask(0o022)  # the usual umask, which would make new files -rw-r--r--
    try:
        call_command("backup", output=str(target), verbosity=0)
    finally:
        os.umask(old_umask)
    for path in (target, tmp_path / "ips.backup.manifest.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    ops.restore(target)  # still a good backup
