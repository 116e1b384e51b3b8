"""`caunoi backup` and `caunoi restore`, round trip on a real instance in subprocesses.

SQLite: a file database in a temporary var directory (not the test database); PostgreSQL
(``CAUNOI_TEST_DB=postgres``): a throwaway database of its own. Records, an uploaded agreement
document and the search index come back as they were at the backup.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    import hashlib, json, sys
    import django
    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.files.uploadedfile import SimpleUploadedFile
    from caunoi.accounts.models import Unit, User
    from caunoi.accounts.services import user_create
    from caunoi.registry.models import Agreement, AgreementDocument
    from caunoi.registry import services
    from caunoi.search.service import search
    from caunoi.taxonomy.models import Country

    def found(query):
        hits = search(user=AnonymousUser(), query=query, mode="lexical").hits
        return sorted(h.object_id for h in hits)

    def agreement(admin, title):
        return services.agreement_save(
            user=admin, agreement=Agreement(),
            data={"title_vi": title, "kind": "intergovernmental", "level": "government",
                  "status": "signed", "signed_on": "2024-03-01", "is_public": True},
            parties=[("foreign", Country.objects.get(iso2="KR"), None)],
        )

    phase = sys.argv[1]
    out = {}
    if phase == "seed":
        unit = Unit.objects.create(code="htqt", name_vi="Vụ Hợp tác quốc tế", kind="department")
        admin = user_create(
            username="quan.tri", password="pw-quan-tri-123", role="admin", unit=unit
        )
        Country.objects.create(iso2="KR", iso3="KOR", name_vi="Hàn Quốc", name_en="Korea")
        a = agreement(admin, "Hiệp định hợp tác bán dẫn")
        upload = SimpleUploadedFile("ban-ky.txt", "Văn bản đã ký".encode())
        doc = services.agreement_attach_document(user=admin, agreement=a, upload=upload)
        out = {"agreement": a.pk, "file": doc.file.name, "found": found("bán dẫn")}
    elif phase == "change":
        admin = User.objects.get(username="quan.tri")
        b = agreement(admin, "Hiệp định năng lượng tái tạo")
        old = Agreement.objects.get(title_vi__contains="bán dẫn")
        services.record_delete(user=admin, instance=old)
        out = {"agreement": b.pk, "found": found("bán dẫn"), "energy": found("năng lượng")}
    elif phase == "check":
        docs = list(AgreementDocument.objects.values_list("agreement_id", "file"))
        out = {
            "agreements": sorted(Agreement.objects.values_list("title_vi", flat=True)),
            "documents": docs,
            "found": found("bán dẫn"),
            "energy": found("năng lượng"),
        }
        from django.core.files.storage import default_storage
        out["content"] = [default_storage.open(f).read().decode() for _, f in docs]
    print("RESULT " + json.dumps(out))
    """
)


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a fresh instance in tmp_path, on the database under test."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CAUNOI_", "DATABASE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="caunoi.settings",
        DJANGO_SECRET_KEY="test-only-secret-key-for-the-backup-round-trip-0123456789",
        CAUNOI_VAR_DIR=str(tmp_path / "var"),
        CAUNOI_SEARCH_EMBED="off",
        CAUNOI_TASKS_WORKER="off",
        PYTHONPATH=os.pathsep.join(sys.path),
    )
    name = None
    if os.environ.get("CAUNOI_TEST_DB") == "postgres":
        import psycopg

        name = os.environ.get("CAUNOI_PG_NAME", "caunoi") + "_roundtrip"
        host = os.environ.get("CAUNOI_PG_HOST", "127.0.0.1")
        port = os.environ.get("CAUNOI_PG_PORT", "5432")
        user = os.environ.get("CAUNOI_PG_USER", "postgres")
        password = os.environ.get("CAUNOI_PG_PASSWORD", "")
        admin = dict(host=host, port=port, user=user, password=password, dbname="postgres")
        with psycopg.connect(**admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgres://{user}:{password}@{host}:{port}/{name}"
    yield env
    if name:
        import psycopg

        with psycopg.connect(**admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def caunoi(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caunoi.cli", *args], env=env, capture_output=True, text=True
    )


def phase(env: dict[str, str], script: Path, name: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, str(script), name], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, object] = json.loads(line.removeprefix("RESULT "))
    return result


def test_backup_and_restore_round_trip(instance: dict[str, str], tmp_path: Path) -> None:
    script = tmp_path / "phase.py"
    script.write_text(SCRIPT)
    assert caunoi(instance, "migrate", "-v0").returncode == 0
    seeded = phase(instance, script, "seed")
    assert seeded["found"] == [seeded["agreement"]]

    archive = tmp_path / "backups" / "caunoi.tar.gz"
    made = caunoi(instance, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    assert "1 files" in made.stdout and archive.is_file()

    changed = phase(instance, script, "change")
    assert seeded["agreement"] not in changed["found"]  # type: ignore[operator]
    assert changed["energy"] == [changed["agreement"]]
    media = Path(instance["CAUNOI_VAR_DIR"]) / "media"
    (media / "stray.txt").write_text("sau bản sao lưu")

    done = caunoi(instance, "restore", str(archive), "--yes")
    assert done.returncode == 0, done.stderr
    assert "Restored" in done.stdout

    after = phase(instance, script, "check")
    assert after["agreements"] == ["Hiệp định hợp tác bán dẫn"]
    assert after["documents"] == [[seeded["agreement"], seeded["file"]]]
    assert after["content"] == ["Văn bản đã ký"]
    assert after["found"] == [seeded["agreement"]]  # the index rebuilt for the restored data
    assert changed["agreement"] not in after["energy"]  # type: ignore[operator]
    assert not (media / "stray.txt").exists()


def test_restore_refuses_what_is_not_a_backup(instance: dict[str, str], tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    proc = caunoi(instance, "restore", str(bogus), "--yes")
    assert proc.returncode != 0
    assert "not a gzipped tar archive" in proc.stderr
