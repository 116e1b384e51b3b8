"""The lexical index follows the database's change log, with real commits and rollbacks.

These tests run outside a test transaction (``transaction=True``): what is committed, rolled
back and seen by a second index directory (another process or machine sharing the database)
is what production sees.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings

from caunoi.core.audience import ANONYMOUS
from caunoi.search import lexical
from caunoi.search.indexing import delete_document, write_document
from caunoi.search.models import SearchChange, SearchDocument
from caunoi.search.sources import DocData

pytestmark = pytest.mark.django_db(transaction=True)


def ids(query: str) -> set[int]:
    terms = query.split()
    q = lexical.LexicalQuery([[t] for t in terms], True, None, None, 100)
    return {i for i, _ in lexical.search(q)}  # the index itself (the service drops stale hits)


def doc(object_id: int, title: str, public: bool = True) -> SearchDocument:
    return write_document(
        "passage",
        object_id,
        DocData(title=title, body="", audience=("public",) if public else ("staff",)),
    )


def test_committed_writes_reach_a_second_index(tmp_path: Path) -> None:
    first = doc(1, "Hợp tác bán dẫn")
    assert ids("ban dan") == {first.pk}
    with override_settings(CAUNOI_SEARCH_INDEX_DIR=tmp_path / "other-machine"):
        assert ids("ban dan") == {first.pk}  # built from the documents on first use
    second = doc(2, "Vật liệu bán dẫn mới")
    delete_document("passage", 1)
    with override_settings(CAUNOI_SEARCH_INDEX_DIR=tmp_path / "other-machine"):
        assert ids("ban dan") == {second.pk}  # followed the log incrementally
        state = json.loads(next((tmp_path / "other-machine").glob("*/state.json")).read_text())
        assert state["watermark"] == SearchChange.objects.latest("pk").pk
    assert ids("ban dan") == {second.pk}


def test_rollback_never_reaches_the_index() -> None:
    kept = doc(1, "Năng lượng hạt nhân")
    assert ids("nang luong") == {kept.pk}  # the index is built and trusted before
    with pytest.raises(RuntimeError), transaction.atomic():
        doc(2, "Năng lượng tái tạo")
        write_document(
            "passage", 1, DocData(title="Công nghệ sinh học", body="", audience=("public",))
        )
        # inside the transaction its own writes are searchable (applied provisionally)
        assert ids("nang luong") == {SearchDocument.objects.get(object_id=2).pk}
        assert ids("sinh hoc") == {kept.pk}
        raise RuntimeError("abort")
    # after the rollback, the next sync repairs what was applied provisionally
    assert ids("nang luong") == {kept.pk}
    assert ids("sinh hoc") == set()
    assert not SearchDocument.objects.filter(object_id=2).exists()


def test_replaced_database_is_detected_and_rebuilt() -> None:
    a = doc(1, "Đổi mới sáng tạo")
    assert ids("doi moi") == {a.pk}
    # Restore "another" database under the same index directory: same change ids, other data.
    with connection.cursor() as cur:
        cur.execute("DELETE FROM search_searchchange")
        cur.execute("DELETE FROM search_searchdocument")
    b = doc(2, "Chuyển đổi số")
    c = doc(3, "Chuyển giao công nghệ")
    assert ids("doi moi") == set()
    assert ids("chuyen") == {b.pk, c.pk}


def test_visibility_and_kind_filters_come_from_the_index() -> None:
    pub = doc(1, "Trí tuệ nhân tạo")
    internal = doc(2, "Trí tuệ nhân tạo nội bộ", public=False)
    q = lexical.LexicalQuery([["tri"], ["tue"]], True, ANONYMOUS, None, 10)
    assert {i for i, _ in lexical.search(q)} == {pub.pk}
    q = lexical.LexicalQuery([["tri"], ["tue"]], True, None, ["passage"], 10)
    assert {i for i, _ in lexical.search(q)} == {pub.pk, internal.pk}
    q = lexical.LexicalQuery([["tri"], ["tue"]], True, None, ["agreements"], 10)
    assert lexical.search(q) == []


def test_boosts_and_minimum_match() -> None:
    a = doc(1, "hợp tác khoa học")
    b = doc(2, "hợp tác công nghệ")
    q = lexical.LexicalQuery([["hop"], ["tac"], ["khoa"], ["nghe"]], True, None, None, 10, 3)
    assert {i for i, _ in lexical.search(q)} == {a.pk, b.pk}
    plain = lexical.LexicalQuery([["khoa", "nghe"]], False, None, None, 10)
    boosted = lexical.LexicalQuery([["khoa", "nghe"]], False, None, None, 10, boosts={"nghe": 3})
    assert lexical.search(plain)[0][1] == pytest.approx(lexical.search(boosted)[1][1])
    assert lexical.search(boosted)[0][0] == b.pk


def test_missing_index_is_rebuilt(tmp_path: Path, settings: Any) -> None:
    settings.CAUNOI_SEARCH_INDEX_DIR = tmp_path / "idx"
    a = doc(1, "Sở hữu trí tuệ")
    assert ids("so huu") == {a.pk}
    import shutil

    shutil.rmtree(tmp_path / "idx")
    assert ids("so huu") == {a.pk}


def test_reindex_lexical_only_builds_a_new_machines_index(
    tmp_path: Path, settings: Any, capsys: Any
) -> None:
    from django.core.management import call_command

    a = doc(1, "Hợp tác quốc tế")
    settings.CAUNOI_SEARCH_INDEX_DIR = tmp_path / "new-machine"
    call_command("reindex", "--lexical-only")
    assert "lexical index: 1 documents" in capsys.readouterr().out
    state = json.loads(next((tmp_path / "new-machine").glob("*/state.json")).read_text())
    assert state["watermark"] == SearchChange.objects.latest("pk").pk
    assert ids("quoc te") == {a.pk}


def test_in_memory_databases_of_two_processes_never_share_an_index(monkeypatch: Any) -> None:
    if connection.vendor != "sqlite" or "memory" not in str(connection.settings_dict["NAME"]):
        mine = lexical.index_dir()
        monkeypatch.setattr("os.getpid", lambda: 1)
        assert lexical.index_dir() == mine  # a file or server database: one index per database
        return
    mine = lexical.index_dir()
    monkeypatch.setattr("os.getpid", lambda: 1)
    assert lexical.index_dir() != mine  # the same name, another process: another database


def test_a_commit_by_another_process_reaches_this_processs_searcher() -> None:
    first = doc(1, "Công nghệ lượng tử")
    assert ids("luong tu") == {first.pk}  # this process's searcher is now open and cached
    second = doc(2, "Máy tính lượng tử")
    other = lexical._Engine(lexical.index_dir())  # another process on the same directory
    with other.locked():
        state = lexical._State.read(other.path)
        assert state is not None
        newest = SearchChange.objects.latest("pk").pk
        lexical._apply(other, state, newest, provisional=False)
    # This process finds the index current (nothing left to apply) yet must see the commit.
    assert ids("luong tu") == {first.pk, second.pk}
