"""manage.py backup and restore (portal/backup.py, docs/backup.md).

The round trips load the demo content into pytest's database, upload an image
and a document, back up in this process (on SQLite: the WAL-mode file the test
holds open, as on a running site), then restore in a `manage.py` subprocess
into an empty database of its own (SQLite: a fresh file under a new
OVI_VAR_DIR; PostgreSQL: a database made with CREATE DATABASE), and check that
the restored site answers as the original did.

The PostgreSQL round trip runs when DATABASE_URL points to PostgreSQL; it is
skipped otherwise, unless OVI_REQUIRE_POSTGRES=1 (CI), where skipping fails.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from portal import backup

ROOT = Path(__file__).resolve().parents[2]
SEARCH = {"q": "perhekeskus"}


# --- helpers ----------------------------------------------------------------------


def run_manage(*args, env, check=True):
    """manage.py in a subprocess with the test settings and the given environment."""
    unwanted = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "ELASTICSEARCH_URL"}
    environment = {key: value for key, value in os.environ.items() if key not in unwanted}
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings.test", **env)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr}\n{result.stdout}"
    return result


def site_snapshot(hsds_dir):
    """What a visitor and an integrator see, and the uploaded files; the same
    function runs here and, through `manage.py shell`, on the restored site."""
    from django.test import Client
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    models = io.StringIO()
    call_command("export_models", "-", stdout=models)
    call_command("export_hsds", str(hsds_dir), stdout=io.StringIO())
    search = Client().get("/api/v1/search", SEARCH)
    assert search.status_code == 200, search.content
    uploads = {}
    for model in (get_image_model(), get_document_model()):
        for item in model.objects.order_by("pk"):
            with item.file.open("rb") as handle:
                uploads[item.file.name] = hashlib.sha256(handle.read()).hexdigest()
    return {
        "export_models": json.loads(models.getvalue()),
        "export_hsds": {path.name: path.read_text() for path in sorted(Path(hsds_dir).glob("*.json"))},
        "counts": backup.record_counts(),
        "pages": list(Page.objects.order_by("pk").values_list("pk", "url_path", "title", "live")),
        "search": search.json(),
        "uploads": uploads,
    }


SNAPSHOT_SCRIPT = (
    "import json, sys; from tests.portal.test_backup import site_snapshot; "
    "sys.stdout.write('SNAPSHOT' + json.dumps(site_snapshot({hsds!r})))"
)


def restored_snapshot(env, hsds_dir):
    result = run_manage("shell", "-c", SNAPSHOT_SCRIPT.format(hsds=str(hsds_dir)), env=env)
    return json.loads(result.stdout.split("SNAPSHOT", 1)[1])


def tiny_png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def load_demo_with_uploads():
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from portal.demo import load_all

    load_all()
    image = ContentFile(tiny_png(), name="kartta.png")
    get_image_model().objects.create(title="Perhekeskuksen kartta", file=image)
    leaflet = ContentFile("Perhekeskus palvelee perheitä.\n".encode(), name="esite.txt")
    get_document_model().objects.create(title="Perhekeskuksen esite", file=leaflet)


def old_backup(parent, name, created_at):
    """A directory that prune_backups counts as an Ovi backup."""
    path = parent / name
    path.mkdir(parents=True)
    (path / backup.MANIFEST).write_text(json.dumps({"format_version": 1, "created_at": created_at}))
    return path


def round_trip(tmp_path, settings, target_env):
    """Back up here, restore into target_env in a subprocess, compare; returns the backup dir."""
    settings.ELASTICSEARCH_URL = ""
    load_demo_with_uploads()
    # Through JSON, as the restored site's snapshot comes (tuples become lists).
    original = json.loads(json.dumps(site_snapshot(tmp_path / "hsds-original")))
    assert original["counts"]["pages"] > 50 and original["counts"]["services"] > 0
    assert original["counts"]["images"] == 1 and original["counts"]["documents"] == 1
    assert original["search"]["count"] > 0

    backups = tmp_path / "backups"
    stale = old_backup(backups, "2000-01-01", "2000-01-01T00:00:00+00:00")
    kept = old_backup(backups, "2000-01-02", "2000-01-02T00:00:00+00:00")
    unrelated = backups / "notes"
    unrelated.mkdir()
    directory = backups / "today"
    out = io.StringIO()
    call_command("backup", str(directory), "--keep", "2", stdout=out)
    assert f"Backup written to {directory}" in out.getvalue()
    # --keep 2: this backup and the newest older one stay; a directory without a manifest is not touched.
    assert sorted(path.name for path in backups.iterdir()) == ["2000-01-02", "notes", "today"]
    assert not stale.exists() and kept.exists() and unrelated.exists()

    manifest = json.loads((directory / "manifest.json").read_text())
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["counts"] == original["counts"]
    assert manifest["media_files"] >= 2
    assert manifest["ovi_version"] == backup.ovi_version() != "unknown"

    result = run_manage("restore", str(directory), env=target_env)
    assert "the counts match its manifest" in result.stdout

    restored = restored_snapshot(target_env, tmp_path / "hsds-restored")
    for key in original:
        assert restored[key] == original[key], key
    media = Path(target_env["OVI_VAR_DIR"]) / "test-media"
    for name, digest in original["uploads"].items():
        assert hashlib.sha256((media / name).read_bytes()).hexdigest() == digest

    # The documented check after a restore.
    assert "match the backup" in run_manage("restore", "--check", str(directory), env=target_env).stdout
    return directory


# --- SQLite -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlite_backup_restores_into_a_fresh_file(tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("pytest runs on PostgreSQL here; the SQLite round trip runs in the SQLite suite")
    settings.MEDIA_ROOT = tmp_path / "media"
    var_dir = tmp_path / "restored-var"
    env = {"OVI_VAR_DIR": str(var_dir)}

    directory = round_trip(tmp_path, settings, env)

    assert (directory / "database.sqlite3").is_file()
    # The backup is one self-contained file: no WAL beside it, rollback journal mode.
    assert not (directory / "database.sqlite3-wal").exists()
    with sqlite3.connect(directory / "database.sqlite3") as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)


# --- PostgreSQL -------------------------------------------------------------------


def require_postgres():
    if connection.vendor == "postgresql":
        return
    if os.environ.get("OVI_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"OVI_REQUIRE_POSTGRES=1 but the tests run on {connection.vendor}")
    pytest.skip("needs DATABASE_URL pointing to PostgreSQL (start one with .ci/postgres.sh)")


def postgres_url(name):
    params = connection.settings_dict
    credentials = quote(params["USER"], safe="")
    if params.get("PASSWORD"):
        credentials += ":" + quote(params["PASSWORD"], safe="")
    return f"postgres://{credentials}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_postgres_database():
    """A new database on pytest's server, made with CREATE DATABASE by the same role."""
    import psycopg

    name = f"ovi_restore_{uuid.uuid4().hex[:10]}"
    # Its own autocommit connection: CREATE DATABASE cannot run inside the test's transaction.
    with psycopg.connect(postgres_url(connection.settings_dict["NAME"]), autocommit=True) as admin:
        # As docs/backup.md says: owned by the role the site connects as.
        admin.execute(f'CREATE DATABASE "{name}" OWNER "{connection.settings_dict["USER"]}"')
    try:
        yield name
    finally:
        with psycopg.connect(postgres_url(connection.settings_dict["NAME"]), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgresql_backup_restores_into_an_empty_database(tmp_path, settings, request):
    require_postgres()
    name = request.getfixturevalue("empty_postgres_database")
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {"OVI_VAR_DIR": str(tmp_path / "restored-var"), "DATABASE_URL": postgres_url(name)}

    directory = round_trip(tmp_path, settings, env)

    assert (directory / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format


# --- --force ----------------------------------------------------------------------


@pytest.fixture
def occupied_target(tmp_path, django_db_blocker, request):
    """Subprocess environment of a database that already has a table with a row."""
    env = {"OVI_VAR_DIR": str(tmp_path / "occupied-var")}
    if connection.vendor == "sqlite":
        Path(env["OVI_VAR_DIR"]).mkdir()
        with sqlite3.connect(Path(env["OVI_VAR_DIR"]) / "ovi.sqlite3") as occupied:
            occupied.execute("CREATE TABLE notes (text TEXT)")
            occupied.execute("INSERT INTO notes VALUES ('old')")
        yield env
        return
    name = request.getfixturevalue("empty_postgres_database")
    env["DATABASE_URL"] = postgres_url(name)
    import psycopg

    with psycopg.connect(postgres_url(name), autocommit=True) as occupied:
        occupied.execute("CREATE TABLE notes (text TEXT)")
        occupied.execute("INSERT INTO notes VALUES ('old')")
    yield env


@pytest.mark.django_db
def test_restore_force_replaces_a_database_that_is_not_empty(tmp_path, settings, occupied_target):
    # A backup of pytest's database as migrations left it (what other tests add is not committed).
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "note.txt").write_text("kept")
    directory = tmp_path / "backup"
    call_command("backup", str(directory), stdout=io.StringIO())

    refused = run_manage("restore", str(directory), env=occupied_target, check=False)
    assert refused.returncode != 0
    assert "has 1 tables, 1 of them with rows" in refused.stderr

    forced = run_manage("restore", "--force", str(directory), env=occupied_target)
    assert "the counts match its manifest" in forced.stdout
    assert (Path(occupied_target["OVI_VAR_DIR"]) / "test-media" / "note.txt").read_text() == "kept"
    # The old table is gone from the database ...
    check = "from django.db import connection; print(sorted(connection.introspection.table_names()))"
    tables = run_manage("shell", "-c", check, env=occupied_target).stdout
    assert "wagtailcore_page" in tables and "'notes'" not in tables
    # ... and on SQLite the replaced file is kept beside it.
    if connection.vendor == "sqlite":
        kept = list(Path(occupied_target["OVI_VAR_DIR"]).glob("ovi.sqlite3.replaced-*"))
        assert len(kept) == 1
        with sqlite3.connect(kept[0]) as old:
            assert old.execute("SELECT text FROM notes").fetchall() == [("old",)]


# --- refusals and failures (no demo content needed) ---------------------------------


def fake_backup(directory, vendor, counts=None):
    """A backup directory with a valid manifest and stand-in files."""
    directory.mkdir(parents=True)
    database = directory / backup.DATABASE_FILES[vendor]
    database.write_bytes(b"not really a database")
    media = directory / backup.MEDIA_ARCHIVE
    import tarfile

    with tarfile.open(media, "w:gz"):
        pass
    manifest = {
        "format_version": backup.FORMAT_VERSION,
        "created_at": "2026-01-01T00:00:00+00:00",
        "database_vendor": vendor,
        "counts": counts or {},
        "files": {
            path.name: {"bytes": path.stat().st_size, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
            for path in (database, media)
        },
    }
    (directory / backup.MANIFEST).write_text(json.dumps(manifest))
    return directory


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "something").write_text("keep me")

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))

    assert [path.name for path in tmp_path.iterdir()] == ["something"]


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_directory_behind(tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"

    def broken(target):
        raise OSError("disk full")

    monkeypatch.setattr(backup, "_write_media_archive", broken)
    with pytest.raises(CommandError, match="backup failed .* removed again: disk full"):
        call_command("backup", str(tmp_path / "new"))

    assert not (tmp_path / "new").exists()


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    directory = fake_backup(tmp_path / "backup", connection.vendor)

    with pytest.raises(CommandError, match=r"is not empty: it has \d+ tables.*--force"):
        call_command("restore", str(directory))


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_database_vendor(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    directory = fake_backup(tmp_path / "backup", other)

    with pytest.raises(CommandError, match=f"This is a {other} backup"):
        call_command("restore", str(directory), "--force")


def test_restore_refuses_a_damaged_or_incomplete_backup(tmp_path):
    directory = fake_backup(tmp_path / "backup", "sqlite")
    (directory / "database.sqlite3").write_bytes(b"changed")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(directory), "--force")

    incomplete = fake_backup(tmp_path / "incomplete", "sqlite")
    (incomplete / "media.tar.gz").unlink()
    with pytest.raises(CommandError, match="incomplete"):
        call_command("restore", str(incomplete), "--force")

    with pytest.raises(CommandError, match="not an Ovi backup"):
        call_command("restore", str(tmp_path))


@pytest.mark.django_db
def test_restore_check_reports_every_difference(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    counts = backup.record_counts()
    directory = fake_backup(tmp_path / "backup", connection.vendor, {**counts, "pages": counts["pages"] + 1})

    with pytest.raises(CommandError, match=r"pages: backup has \d+, restored database has \d+"):
        call_command("restore", "--check", str(directory))


def test_pg_tools_are_found_on_path_or_in_the_newest_postgresql(monkeypatch, tmp_path):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    for version in ("9.6", "13", "15"):
        tool = tmp_path / version / "bin" / "pg_dump"
        tool.parent.mkdir(parents=True)
        tool.touch()
    monkeypatch.setattr(backup.glob, "glob", lambda pattern: [str(p) for p in tmp_path.glob("*/bin/pg_dump")])

    assert backup.find_pg_tool("pg_dump") == str(tmp_path / "15" / "bin" / "pg_dump")

    monkeypatch.setattr(backup.glob, "glob", lambda pattern: [])
    with pytest.raises(backup.BackupError, match="pg_dump was not found"):
        backup.find_pg_tool("pg_dump")
