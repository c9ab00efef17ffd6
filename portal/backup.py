"""Backup and restore of one Ovi site: the database and the uploaded media.

`manage.py backup DIR` and `manage.py restore DIR` are thin wrappers around
`create_backup()` and `restore_backup()` (docs/backup.md). A backup directory holds

    manifest.json   format version, time, database vendor, Ovi version, record
                    counts and a SHA-256 of each file below
    database.dump   PostgreSQL: `pg_dump --format=custom`
    database.sqlite3  SQLite: a copy made with SQLite's online backup API
    media.tar.gz    everything under MEDIA_ROOT (an empty archive when there is none)

The search index is not trusted from a backup: restore always rebuilds it (an
Elasticsearch index is never backed up at all).

Every failure raises BackupError with a message meant for the operator; nothing
is changed before every check that can be made in advance has passed.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from portal.caching import new_generation

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}

# What manifest.json counts, and restore compares: name -> "app_label.ModelName".
# A model an installed release does not have is left out, not counted as 0.
COUNTED_MODELS = {
    "pages": "wagtailcore.Page",
    "operating_models": "models_library.OperatingModelPage",
    "pathways": "portal.PathwayPage",
    "organisations": "directory.Organisation",
    "services": "directory.Service",
    "service_channels": "directory.ServiceChannel",
    "locations": "directory.Location",
    "service_at_locations": "directory.ServiceAtLocation",
    "teams": "directory.Team",
    "contact_people": "directory.ContactPerson",
    "images": "wagtailimages.Image",
    "documents": "wagtaildocs.Document",
    "users": "auth.User",
    "revisions": "wagtailcore.Revision",
}

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message tells the operator why."""


@dataclass
class RestoreReport:
    counts: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    replaced_database: str = ""


def _quiet(message: str) -> None:
    pass


# --- facts about this site ----------------------------------------------------------


def ovi_version() -> str:
    """The version in pyproject.toml ("unknown" when it cannot be read)."""
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def database_vendor(using: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def counted_tables() -> dict[str, str]:
    """name -> database table of each COUNTED_MODELS model this release has."""
    tables = {}
    for name, label in COUNTED_MODELS.items():
        try:
            tables[name] = apps.get_model(label)._meta.db_table
        except LookupError:
            continue
    return tables


def _count_rows(cursor: Any, quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for name, table in counted_tables().items():
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[name] = int(cursor.fetchone()[0])
    return counts


def record_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows per key model (COUNTED_MODELS), for the manifest and its check.

    Whole tables are counted (no manager filters), so a SQLite backup file can be
    counted the same way without Django.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        return _count_rows(cursor, connection.ops.quote_name)


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- PostgreSQL ---------------------------------------------------------------------


def find_pg_tool(name: str) -> str:
    """pg_dump or pg_restore: from PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> tuple[int, ...]:
        part = Path(path).parent.parent.name
        return tuple(int(piece) for piece in part.split(".") if piece.isdigit())

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    if candidates:
        return candidates[-1]
    raise BackupError(
        f"{name} was not found on PATH or in /usr/lib/postgresql/*/bin; "
        "install the PostgreSQL client (Debian: apt-get install postgresql-client)."
    )


def _pg_args_and_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    args += ["--no-password", "--dbname", str(settings_dict["NAME"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"{what} failed (exit {result.returncode}): {detail}")


def _pg_dump(settings_dict: dict[str, Any], target: Path, snapshot: str = "") -> None:
    args, env = _pg_args_and_env(settings_dict)
    if snapshot:
        args = [f"--snapshot={snapshot}", *args]
    _run([find_pg_tool("pg_dump"), "--format=custom", "--file", str(target), *args], env, "pg_dump")


def _pg_restore(settings_dict: dict[str, Any], dump: Path) -> None:
    args, env = _pg_args_and_env(settings_dict)
    # One transaction: a restore that fails leaves the database as it was (empty).
    command = [
        find_pg_tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        *args,
        str(dump),
    ]
    _run(command, env, "pg_restore")


# --- SQLite -------------------------------------------------------------------------


def _sqlite_copy(source_path: str, target_path: str, *, timeout: float = 20) -> None:
    """Copy one SQLite database onto another with the online backup API.

    The copy is one step, under one read transaction on the source: a running
    site (WAL mode) keeps writing meanwhile and the copy is a consistent snapshot.
    On the target it is one write transaction: all or nothing.
    """
    # mode=rw: a missing source is an error, not a new empty database.
    source_uri = f"file:{pathname2url(os.path.abspath(source_path))}?mode=rw"
    source = sqlite3.connect(source_uri, uri=True, timeout=timeout)
    try:
        target = sqlite3.connect(target_path, timeout=timeout)
        try:
            source.backup(target)
            problems = target.execute("PRAGMA quick_check").fetchall()
            if problems != [("ok",)]:
                raise BackupError(
                    f"The SQLite copy at {target_path} fails its integrity check: {problems[:5]}"
                )
        finally:
            target.close()
    finally:
        source.close()


def _sqlite_tables(path: str) -> list[str]:
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return []
    connection = sqlite3.connect(path, timeout=20)
    try:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        connection.close()
    return [name for (name,) in rows]


# --- media --------------------------------------------------------------------------


def _write_media_archive(target: Path) -> int:
    """tar.gz of MEDIA_ROOT's contents (paths relative to it); returns the file count."""
    root = media_root()
    files = 0
    with tarfile.open(target, "w:gz") as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                    files += 1
    return files


def _media_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.is_dir() else []


def _restore_media(archive_path: Path) -> int:
    """Extract the archive into MEDIA_ROOT; returns the number of files written.

    Extracted first into a temporary directory beside MEDIA_ROOT (same file
    system), then moved into place, so a damaged archive leaves MEDIA_ROOT alone.
    """
    root = media_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=root.parent))
    try:
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                # The "data" filter refuses absolute paths, .. and links outside the tree.
                archive.extractall(staging, filter="data")
        except (tarfile.TarError, OSError) as error:
            raise BackupError(f"Could not extract {archive_path}: {error}") from error
        files = _media_files(staging)
        for path in files:
            destination = root / path.relative_to(staging)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, destination)
        return len(files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --- backup -------------------------------------------------------------------------


def create_backup(
    directory: str | os.PathLike[str], *, log: Log = _quiet, using: str = DEFAULT_DB_ALIAS
) -> dict[str, Any]:
    """Write a backup of the database and MEDIA_ROOT into `directory`.

    The directory must not exist or be empty. Returns the manifest. On failure
    the partly written directory is removed (or emptied, when it existed).
    """
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} already exists and is not empty; give a new directory for each backup.")
    vendor = database_vendor(using)
    settings_dict = connections[using].settings_dict
    existed = target.exists()
    # Backups hold personal data (contact people, user accounts): readable by the owner only.
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        manifest = _write_backup(target, vendor, settings_dict, using, log)
    except BaseException as error:
        if existed:
            for child in target.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        else:
            shutil.rmtree(target, ignore_errors=True)
        if isinstance(error, (OSError, sqlite3.Error)):
            undone = "emptied" if existed else "removed"
            raise BackupError(f"The backup failed and {target} was {undone} again: {error}") from error
        raise
    return manifest


def _write_backup(
    target: Path, vendor: str, settings_dict: dict[str, Any], using: str, log: Log
) -> dict[str, Any]:
    created_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    database_file = target / DATABASE_FILES[vendor]
    log(f"Copying the {vendor} database to {database_file} …")
    if vendor == "postgresql":
        counts = _pg_dump_with_counts(settings_dict, database_file, using)
    else:
        _sqlite_copy(str(settings_dict["NAME"]), str(database_file))
        _make_standalone(database_file)
        counts = _sqlite_counts(database_file)
    log(f"Archiving {media_root()} …")
    media_files = _write_media_archive(target / MEDIA_ARCHIVE)
    manifest = {
        "format_version": FORMAT_VERSION,
        "created_at": created_at,
        "database_vendor": vendor,
        "database_name": str(settings_dict["NAME"]),
        "ovi_version": ovi_version(),
        "counts": counts,
        "media_files": media_files,
        "files": {
            name: {"bytes": (target / name).stat().st_size, "sha256": _sha256(target / name)}
            for name in (database_file.name, MEDIA_ARCHIVE)
        },
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _pg_dump_with_counts(settings_dict: dict[str, Any], target: Path, using: str) -> dict[str, int]:
    """pg_dump and the counts from one snapshot, so the manifest matches the dump exactly.

    A repeatable-read transaction exports its snapshot and pg_dump reads from it.
    Inside an outer transaction (tests) the counts are taken as they are.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        _pg_dump(settings_dict, target)
        return record_counts(using)
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = record_counts(using)
        _pg_dump(settings_dict, target, snapshot=snapshot)
    return counts


def _sqlite_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        return _count_rows(connection.cursor(), lambda name: '"' + name.replace('"', '""') + '"')
    finally:
        connection.close()


def _make_standalone(path: Path) -> None:
    """A single file: rollback journal instead of WAL, so no -wal file belongs to it."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def prune_backups(parent: str | os.PathLike[str], keep: int, *, log: Log = _quiet) -> list[Path]:
    """Delete all but the `keep` newest Ovi backups directly under `parent`.

    Only directories holding an Ovi manifest.json count as backups; anything
    else is left alone. Returns the directories removed.
    """
    if keep < 1:
        raise BackupError("--keep must be at least 1.")
    backups = []
    for child in Path(parent).iterdir():
        manifest = child / MANIFEST
        if child.is_dir() and manifest.is_file():
            try:
                created = json.loads(manifest.read_text(encoding="utf-8"))["created_at"]
            except (ValueError, KeyError, OSError):
                continue
            backups.append((created, child.name, child))
    backups.sort(reverse=True)
    removed = []
    for _created, _name, path in backups[keep:]:
        log(f"Removing old backup {path}")
        shutil.rmtree(path)
        removed.append(path)
    return removed


# --- restore ------------------------------------------------------------------------


def read_manifest(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """The backup's manifest, after checking that its files are complete and unchanged."""
    source = Path(directory)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} is not an Ovi backup: it has no {MANIFEST}.") from None
    except (ValueError, OSError) as error:
        raise BackupError(f"Could not read {source / MANIFEST}: {error}") from error
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"{source} is in backup format {version!r}; this release of Ovi reads format {FORMAT_VERSION}."
        )
    for name, expected in manifest.get("files", {}).items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"The backup is incomplete: {path} is missing.")
        if _sha256(path) != expected["sha256"]:
            raise BackupError(f"The backup is damaged: {path} does not match the checksum in {MANIFEST}.")
    database_file = DATABASE_FILES.get(manifest.get("database_vendor"))
    if database_file not in manifest.get("files", {}) or MEDIA_ARCHIVE not in manifest["files"]:
        raise BackupError(f"{source / MANIFEST} does not list the database and media files.")
    return manifest


def existing_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Tables already in the target database (on PostgreSQL: those on the search path)."""
    if connections[using].vendor == "sqlite":
        return _sqlite_tables(str(connections[using].settings_dict["NAME"]))
    with connections[using].cursor() as cursor:
        return connections[using].introspection.table_names(cursor)


def _tables_with_rows(tables: list[str], using: str) -> list[str]:
    connection = connections[using]
    quote = connection.ops.quote_name
    with_rows = []
    with connection.cursor() as cursor:
        for table in tables:
            try:
                cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            except Exception:  # a virtual table whose module is missing, and the like
                continue
            if cursor.fetchone():
                with_rows.append(table)
    return with_rows


def compare_counts(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    """Human-readable differences between two count mappings (only names in both)."""
    return [
        f"{name}: backup has {expected[name]}, restored database has {actual[name]}"
        for name in expected
        if name in actual and expected[name] != actual[name]
    ]


def check_restored(directory: str | os.PathLike[str], *, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Compare the current database and MEDIA_ROOT with a backup's manifest.

    Returns the counts; raises BackupError listing every difference.
    """
    manifest = read_manifest(directory)
    counts = record_counts(using)
    differences = compare_counts(manifest["counts"], counts)
    with tarfile.open(Path(directory) / MEDIA_ARCHIVE, "r:gz") as archive:
        missing = [
            member.name
            for member in archive.getmembers()
            if member.isfile() and not (media_root() / member.name).is_file()
        ]
    if missing:
        differences.append(f"media: {len(missing)} files missing from {media_root()} (e.g. {missing[0]})")
    if differences:
        raise BackupError("The database does not match the backup:\n  " + "\n  ".join(differences))
    return counts


def restore_backup(
    directory: str | os.PathLike[str],
    *,
    force: bool = False,
    log: Log = _quiet,
    using: str = DEFAULT_DB_ALIAS,
) -> RestoreReport:
    """Restore a backup written by create_backup() into the configured database.

    The database must be empty (no tables) unless `force`: then SQLite's current
    file is first kept as NAME.replaced-<time>, and PostgreSQL's schema `public`
    is dropped and created anew. The restored database is migrated, the search
    index rebuilt and the result compared with the manifest.
    """
    source = Path(directory)
    manifest = read_manifest(source)
    vendor = database_vendor(using)
    if manifest["database_vendor"] != vendor:
        raise BackupError(
            f"This is a {manifest['database_vendor']} backup but the configured database is {vendor}; "
            "restore it into the same kind of database (see docs/backup.md)."
        )
    settings_dict = connections[using].settings_dict
    report = RestoreReport()

    tables = existing_tables(using)
    if tables and not force:
        with_rows = _tables_with_rows(tables, using)
        raise BackupError(
            f"The database {settings_dict['NAME']} is not empty: it has {len(tables)} tables, "
            f"{len(with_rows)} of them with rows. Restore into a new, empty database, "
            "or pass --force to replace everything in this one (docs/backup.md)."
        )

    # Nothing has been changed so far; from here on, every error says what was done.
    database_file = source / DATABASE_FILES[vendor]
    log(f"Restoring the {vendor} database {settings_dict['NAME']} …")
    connections.close_all()
    if vendor == "postgresql":
        if tables:
            _pg_empty_public_schema(using)
            connections.close_all()
        try:
            _pg_restore(settings_dict, database_file)
        except BackupError as error:
            # --single-transaction: nothing of the dump was kept.
            state = "empty (--force dropped schema public)" if tables else "as empty as before"
            raise BackupError(f"{error}\nThe database {settings_dict['NAME']} is {state}.") from error
    else:
        target = str(settings_dict["NAME"])
        try:
            if tables:
                report.replaced_database = _sqlite_keep_aside(target)
                log(f"The replaced database is kept as {report.replaced_database}")
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            _sqlite_copy(str(database_file), target)
        except (OSError, sqlite3.Error) as error:
            # The backup API writes in one transaction: the target is as it was.
            raise BackupError(
                f"Could not restore the database into {target} (it is unchanged): {error}"
            ) from error

    def failed(step: str, error: BaseException, advice: str = "") -> BackupError:
        advice = advice or f"Fix the cause and run `manage.py restore --force {source}` again."
        return BackupError(f"The database was restored from {source}, but {step} failed: {error}\n{advice}")

    try:
        log(f"Restoring media into {media_root()} …")
        report.media_files = _restore_media(source / MEDIA_ARCHIVE)
    except (BackupError, OSError) as error:
        raise failed("extracting the media", error) from error

    try:
        log("Migrating …")
        call_command("migrate", database=using, interactive=False, verbosity=0)
    except Exception as error:
        raise failed("migrate", error) from error

    try:
        log("Rebuilding the search index …")
        call_command("search_index", "rebuild", verbosity=0, stdout=io.StringIO())
    except Exception as error:
        raise failed(
            "rebuilding the search index",
            error,
            f"Run `manage.py search_index rebuild`, then `manage.py restore --check {source}`.",
        ) from error

    new_generation()  # pages cached before the restore are never served again
    report.counts = check_restored(source, using=using)
    return report


def _sqlite_keep_aside(path: str) -> str:
    """Copy the current database (with its WAL) to PATH.replaced-<time> before replacing it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = f"{path}.replaced-{stamp}"
    _sqlite_copy(path, kept)
    _make_standalone(Path(kept))
    return kept


def _pg_empty_public_schema(using: str) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
