"""Backup and restore of the database and the uploaded files (``caunoi backup`` / ``restore``).

An archive is a gzipped tar holding ``caunoi-backup.json`` (format, database vendor, time),
the database (``database.sqlite3``, a SQLite file, or ``database.pgdump``, a ``pg_dump
--format=custom`` dump) and ``media/`` (``MEDIA_ROOT``). The database is copied first, then the
files: every file the copied database refers to existed when it was copied (documents are
stored under new names, never overwritten).

SQLite, both ways, uses SQLite's online backup API, which works through SQLite's own locks:

- backup reads one consistent snapshot while the site keeps running;
- restore unpacks the archive into a temporary directory (inside ``MEDIA_ROOT``), checks it
  (``PRAGMA quick_check``, Django's tables present), then copies it *into* the live database
  in one write transaction. Other processes that have the database open (the web server, a
  worker) wait for that transaction like for any write and then read the restored data; the
  file is never replaced under them (renaming a file over an open SQLite database, or deleting
  its ``-wal``/``-shm`` files, is what corrupts it), so restoring while the site runs is safe.

PostgreSQL uses ``pg_dump --format=custom`` (one snapshot) and ``pg_restore --clean --if-exists
--single-transaction``: the restore is one transaction, all or nothing; it waits for other
sessions' locks at most ``LOCK_TIMEOUT`` and then fails, leaving the database as it was.

After the database is restored, ``database_restored`` is sent (the search app gives the
database a new epoch, so every machine's derived search indexes rebuild), then the files of
``MEDIA_ROOT`` are replaced by the archive's.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from caunoi.core.signals import database_restored

FORMAT = 1
MANIFEST = "caunoi-backup.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
STAGING = ".restore-"  # prefix of the restore's working directories inside MEDIA_ROOT
LOCK_TIMEOUT = "60s"

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


# --- PostgreSQL client tools -------------------------------------------------------------


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", path.parent.parent.name)) or (0,)


def pg_tool(name: str) -> str:
    """The path of ``pg_dump`` / ``pg_restore``: ``CAUNOI_PG_BINDIR``, the ``PATH``, then the
    newest Debian install (``/usr/lib/postgresql/N/bin``)."""
    candidates: list[Path] = []
    bindir = os.environ.get("CAUNOI_PG_BINDIR")
    if bindir:
        candidates.append(Path(bindir) / name)
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_version)[::-1]
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return str(c)
    raise BackupError(
        f"{name} not found: install the PostgreSQL client tools of the server's version "
        "(Debian: apt-get install postgresql-client) or set CAUNOI_PG_BINDIR"
    )


def _pg_env(sd: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")]:
        if sd.get(key):
            env[var] = str(sd[key])
    if sd.get("PASSWORD"):
        env["PGPASSWORD"] = str(sd["PASSWORD"])
    sslmode = (sd.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode:
        raise BackupError(
            f"{Path(cmd[0]).name} failed (exit {proc.returncode}): {proc.stderr.strip()}"
        )


# --- backup --------------------------------------------------------------------------------


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root:
            dirnames[:] = [d for d in dirnames if not d.startswith(STAGING)]
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath, name).relative_to(root)


def backup(path: Path, *, using: str = "default", say: Say = print) -> dict[str, Any]:
    """Write the archive ``path``; return its manifest (with the media file count)."""
    conn = connections[using]
    vendor = conn.vendor
    if vendor not in DB_MEMBER:
        raise BackupError(f"backup supports SQLite and PostgreSQL, not {vendor}")
    target = Path(path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".caunoi-backup-") as tmp:
        db_file = Path(tmp) / DB_MEMBER[vendor]
        say(f"Copying the {vendor} database ...")
        if vendor == "sqlite":
            conn.ensure_connection()
            dst = sqlite3.connect(db_file)
            try:
                conn.connection.backup(dst)  # one consistent snapshot, writers keep going
            finally:
                dst.close()
        else:
            _run(
                [
                    pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-password",
                    "--file",
                    str(db_file),
                    str(conn.settings_dict["NAME"]),
                ],
                _pg_env(conn.settings_dict),
            )
        say(f"  {db_file.stat().st_size:,} bytes")
        say(f"Copying the uploaded files of {media_root} ...")
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "vendor": vendor,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": DB_MEMBER[vendor],
        }
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
        count = size = 0
        try:
            with tarfile.open(partial, "w:gz") as tar:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
                tar.add(db_file, arcname=DB_MEMBER[vendor])
                for rel in _media_files(media_root):
                    try:
                        tar.add(media_root / rel, arcname=f"{MEDIA}/{rel.as_posix()}")
                    except FileNotFoundError:
                        continue  # deleted meanwhile: a file the copied database no longer used
                    count += 1
                    size += (media_root / rel).stat().st_size if (media_root / rel).exists() else 0
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    say(f"  {count} files, {size:,} bytes")
    say(f"Backup written to {target} ({target.stat().st_size:,} bytes).")
    return {**manifest, "media_files": count}


# --- restore -------------------------------------------------------------------------------


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        fh = tar.extractfile(MANIFEST)
        manifest = json.load(fh) if fh else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"not a Cầu Nối backup (no {MANIFEST} of format {FORMAT})")
    return manifest


def _check_sqlite(path: Path) -> None:
    check = sqlite3.connect(path)
    try:
        (result,) = check.execute("PRAGMA quick_check").fetchone()
        tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the archive's database is not a usable SQLite file: {exc}") from exc
    finally:
        check.close()
    if result != "ok":
        raise BackupError(f"the archive's database fails SQLite's check: {result}")
    if "django_migrations" not in tables:
        raise BackupError("the archive's database holds no Cầu Nối tables")


def _swap_media(root: Path, staged: Path, work: Path) -> None:
    """Replace the entries of ``root`` by those of ``staged`` (renames on one file system;
    ``root`` itself stays, so it may be a mount point)."""
    old = work / "old"
    old.mkdir()
    for entry in sorted(root.iterdir()):
        if not entry.name.startswith(STAGING):
            entry.rename(old / entry.name)
    if staged.is_dir():
        for entry in sorted(staged.iterdir()):
            entry.rename(root / entry.name)


def unapplied_migrations(using: str = "default") -> int:
    executor = MigrationExecutor(connections[using])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def restore(path: Path, *, using: str = "default", say: Say = print) -> dict[str, Any]:
    """Restore the archive ``path`` into the database and ``MEDIA_ROOT``; return its manifest."""
    conn = connections[using]
    if conn.in_atomic_block:
        raise BackupError("restore cannot run inside a transaction")
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=STAGING, dir=media_root))
    try:
        try:
            tar = tarfile.open(source, "r:gz")  # noqa: SIM115 (closed by the with below)
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"{source}: not a gzipped tar archive ({exc})") from exc
        with tar:
            manifest = _read_manifest(tar)
            vendor = manifest.get("vendor")
            if vendor != conn.vendor:
                raise BackupError(
                    f"the archive holds a {vendor} database; this site uses {conn.vendor}"
                )
            say(f"Unpacking {source} (made {manifest.get('created')}) ...")
            members = tar.getmembers()
            names = {m.name for m in members}
            if manifest["database"] not in names:
                raise BackupError(f"the archive lacks {manifest['database']}")
            tar.extractall(work, members=members, filter="data")
        db_file = work / manifest["database"]
        media_count = sum(1 for m in members if m.isfile() and m.name.startswith(f"{MEDIA}/"))
        say(f"Restoring the {vendor} database ...")
        if vendor == "sqlite":
            _check_sqlite(db_file)
            conn.ensure_connection()
            src = sqlite3.connect(db_file)
            try:
                # Into the live database, in one write transaction under SQLite's locks.
                src.backup(conn.connection)
            except sqlite3.Error as exc:
                raise BackupError(f"SQLite refused the restore, nothing changed: {exc}") from exc
            finally:
                src.close()
        else:
            conn.close()  # this process's own session must not hold locks
            env = _pg_env(conn.settings_dict)
            env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT}".strip()
            _run(
                [
                    pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    "--no-password",
                    "--dbname",
                    str(conn.settings_dict["NAME"]),
                    str(db_file),
                ],
                env,
            )
        database_restored.send(sender=None, using=using)
        say("  done; the derived search indexes will rebuild at their next search")
        say(f"Restoring {media_count} uploaded files into {media_root} ...")
        _swap_media(media_root, work / MEDIA, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pending = unapplied_migrations(using)
    say(f"Restored {source}: the database and {media_count} files.")
    if pending:
        say(f"The backup predates {pending} migrations of this release: run `caunoi migrate`.")
    return {**manifest, "media_files": media_count, "unapplied_migrations": pending}
