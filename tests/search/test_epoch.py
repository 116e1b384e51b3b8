"""The database epoch: an index built before a restore is never trusted after it, even when the
restored database's change log reaches the index's position again (change ids and document ids
are replayed after a restore, so the position and its document can match).

The backup and restore are the real commands (``caunoi backup`` / ``caunoi restore``) on the
test database, outside a test transaction.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from caunoi.search import dense, lexical
from caunoi.search.indexing import delete_document, write_document
from caunoi.search.models import SearchChange, SearchDocument, SearchEpoch
from caunoi.search.sources import DocData

pytestmark = pytest.mark.django_db(transaction=True)


def ids(query: str) -> set[int]:
    q = lexical.LexicalQuery([[t] for t in query.split()], True, None, None, 100)
    return {i for i, _ in lexical.search(q)}


def doc(object_id: int, title: str, body: str = "") -> SearchDocument:
    return write_document(
        "passage", object_id, DocData(title=title, body=body, audience=("public",))
    )


def backup(path: Path) -> None:
    call_command("backup", str(path), stdout=io.StringIO())


def restore(path: Path) -> None:
    call_command("restore", str(path), "--yes", stdout=io.StringIO())


def head() -> tuple[int, int]:
    last = SearchChange.objects.latest("pk")
    return last.pk, last.document_id


def test_a_restored_log_reaching_the_old_position_is_not_trusted(tmp_path: Path) -> None:
    a = doc(1, "Hợp tác hạt nhân")
    assert ids("hat nhan") == {a.pk}
    backup(tmp_path / "b.tar.gz")
    # After the backup: a new record, then the first one deleted; the index follows.
    doc(2, "Vật liệu mới")
    delete_document("passage", 1)
    assert ids("hat nhan") == set()
    position = head()  # the index's watermark and anchor: the deletion of a
    assert position[1] == a.pk
    epoch = SearchEpoch.objects.get().value

    restore(tmp_path / "b.tar.gz")
    assert SearchEpoch.objects.get().value != epoch
    # Before any search: a new record and an edit of the restored one bring the log back to
    # the same position, naming the same document.
    # (A document write logs two changes; a single change is logged as embedding writes do.)
    c = doc(3, "Năng lượng tái tạo")
    while head()[0] < position[0] - 1:
        lexical.record_changes([c.pk])
    lexical.record_changes([a.pk])
    assert head() == position

    assert ids("hat nhan") == {a.pk}  # the restored record is found
    assert ids("nang luong") == {c.pk}
    assert ids("vat lieu") == set()  # the record written after the backup is gone
    state = json.loads((lexical.index_dir() / "state.json").read_text())
    assert state["epoch"] == SearchEpoch.objects.get().value


@pytest.fixture
def vectors(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[dict[str, np.ndarray]]:
    settings.CAUNOI_SEARCH_EMBED = "off"
    found: dict[str, np.ndarray] = {}
    monkeypatch.setattr(dense, "embed_query", lambda text: found[text])
    yield found


def embed(d: SearchDocument, vec: np.ndarray) -> None:
    with transaction.atomic():
        SearchDocument.objects.filter(pk=d.pk).update(embedding=vec.tobytes())
        lexical.record_changes([d.pk])


def test_the_vector_index_reloads_for_a_restored_database(
    tmp_path: Path, vectors: dict[str, np.ndarray]
) -> None:
    rng = np.random.default_rng(7)
    va, vb = (v / np.linalg.norm(v) for v in rng.standard_normal((2, dense.DIM)).astype("f4"))
    vectors["a"], vectors["b"] = va, vb
    a = doc(1, "Hợp tác hạt nhân")
    embed(a, va)
    assert dense.search("a", limit=1, reader=None, kinds=None)[0][0] == a.pk
    backup(tmp_path / "b.tar.gz")
    delete_document("passage", 1)
    b = doc(2, "Vật liệu mới")
    embed(b, vb)
    assert [i for i, _ in dense.search("a", limit=5, reader=None, kinds=None)] == [b.pk]
    position = head()

    restore(tmp_path / "b.tar.gz")
    b2 = doc(2, "Vật liệu mới")
    while head()[0] < position[0] - 1:
        lexical.record_changes([b2.pk])
    embed(b2, vb)
    assert head() == position  # the same position, naming b2 (b's id where ids are replayed)

    assert [i for i, _ in dense.search("a", limit=5, reader=None, kinds=None)] == [a.pk, b2.pk]


def test_an_empty_epoch_table_gets_a_new_epoch() -> None:
    a = doc(1, "Hợp tác hạt nhân")
    assert ids("hat nhan") == {a.pk}
    with connection.cursor() as cur:
        cur.execute("DELETE FROM search_searchepoch")
    assert ids("hat nhan") == {a.pk}
    assert len(SearchEpoch.objects.all()) == 1
