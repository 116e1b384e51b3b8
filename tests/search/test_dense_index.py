"""The in-process vector index follows the change log: patched, not reloaded, on each write.

Embeddings are random unit vectors written the way ``dense.embed_documents`` writes them
(the row and a change in one transaction), and the query vector is chosen directly, so the
model is not run. Most tests run outside a test transaction (``transaction=True``): what is
committed and rolled back is what production sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from django.db import connection, transaction

from caunoi.core.audience import ANONYMOUS
from caunoi.search import dense
from caunoi.search.indexing import delete_document, write_document
from caunoi.search.lexical import record_changes
from caunoi.search.models import SearchChange, SearchDocument
from caunoi.search.sources import DocData

pytestmark = pytest.mark.django_db(transaction=True)

rng = np.random.default_rng(1)


def unit() -> np.ndarray:
    v = rng.standard_normal(dense.DIM).astype(np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture(autouse=True)
def queries(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[dict[str, np.ndarray]]:
    """Query text -> vector, instead of the model (which does not embed after commit)."""
    settings.CAUNOI_SEARCH_EMBED = "off"
    vectors: dict[str, np.ndarray] = {}
    monkeypatch.setattr(dense, "embed_query", lambda text: vectors[text])
    yield vectors


def doc(object_id: int, public: bool = True, kind: str = "passage") -> SearchDocument:
    return write_document(
        kind,
        object_id,
        DocData(
            title=f"Tài liệu {object_id}", body="", audience=("public",) if public else ("staff",)
        ),
    )


def embed(d: SearchDocument, vec: np.ndarray | None = None) -> np.ndarray:
    vec = unit() if vec is None else vec
    with transaction.atomic():
        SearchDocument.objects.filter(pk=d.pk).update(embedding=vec.tobytes())
        record_changes([d.pk])
    return vec


def hits(queries: dict[str, np.ndarray], vec: np.ndarray, **kw: object) -> list[int]:
    queries["q"] = vec
    opts: dict[str, object] = {"limit": 100, "reader": None, "kinds": None, **kw}
    return [i for i, _ in dense.search("q", **opts)]  # type: ignore[arg-type]


def loads() -> int:
    return dense.stats["full_loads"]


def test_new_embedding_is_patched_in_without_a_reload(queries: dict[str, np.ndarray]) -> None:
    a, b = doc(1), doc(2)
    va = embed(a)
    assert hits(queries, va) == [a.pk]
    before = loads()
    vb = embed(b)
    assert hits(queries, vb)[0] == b.pk
    assert set(hits(queries, vb)) == {a.pk, b.pk}
    # a changed vector replaces the document's row
    vb2 = embed(b)
    queries["q"] = vb2
    found = dense.search("q", limit=5, reader=None, kinds=None)
    assert found[0] == (b.pk, pytest.approx(1.0, abs=1e-5))
    assert len(found) == 2
    assert loads() == before
    # the watermark follows the log once outside a transaction
    assert dense.matrix().watermark == SearchChange.objects.latest("pk").pk


def test_nothing_changed_costs_one_query(
    queries: dict[str, np.ndarray], django_assert_num_queries: object
) -> None:
    v = embed(doc(1))
    hits(queries, v)
    with django_assert_num_queries(1):  # type: ignore[operator]
        hits(queries, v)


def test_embed_documents_logs_a_change(
    queries: dict[str, np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    a = doc(1)
    hits(queries, unit())  # the index is loaded (empty)
    v = unit()
    monkeypatch.setattr(dense, "embed_passages", lambda texts: np.stack([v] * len(texts)))
    before = loads()
    assert dense.embed_pending() == 1
    assert hits(queries, v) == [a.pk]
    assert loads() == before


def test_deleted_and_reembedded_documents_disappear(queries: dict[str, np.ndarray]) -> None:
    a, b, c = doc(1), doc(2), doc(3)
    va, vb, vc = embed(a), embed(b), embed(c)
    assert set(hits(queries, va)) == {a.pk, b.pk, c.pk}
    before = loads()
    delete_document("passage", 1)
    assert set(hits(queries, va)) == {b.pk, c.pk}
    # a changed text clears the embedding: the document leaves the vector index
    write_document("passage", 2, DocData(title="Văn bản khác hẳn", body="", audience=("public",)))
    assert hits(queries, vb) == [c.pk]
    # its slot is reused by the next one
    d = doc(4)
    vd = embed(d)
    assert hits(queries, vd)[0] == d.pk
    assert set(hits(queries, vc)) == {c.pk, d.pk}
    assert loads() == before


def test_visibility_and_kind_changes_are_respected(queries: dict[str, np.ndarray]) -> None:
    v = unit()
    pub = doc(1)
    internal = doc(2, public=False)
    other = doc(3, kind="agreements")
    for d in (pub, internal, other):
        embed(d, v)
    assert set(hits(queries, v, reader=ANONYMOUS)) == {pub.pk, other.pk}
    assert set(hits(queries, v, kinds=["passage"])) == {pub.pk, internal.pk}
    assert hits(queries, v, reader=ANONYMOUS, kinds=["agreements"]) == [other.pk]
    assert hits(queries, v, kinds=["experts"]) == []
    before = loads()
    # publication changes (same text: the embedding is kept)
    doc(1, public=False)
    doc(2, public=True)
    assert set(hits(queries, v, reader=ANONYMOUS)) == {internal.pk, other.pk}
    assert set(hits(queries, v, reader=None)) == {pub.pk, internal.pk, other.pk}
    assert loads() == before


def test_rollback_leaves_no_trace(queries: dict[str, np.ndarray]) -> None:
    kept = doc(1, public=False)
    vk = embed(kept)
    assert hits(queries, vk) == [kept.pk]
    watermark = dense.matrix().watermark
    vn = unit()
    with pytest.raises(RuntimeError), transaction.atomic():
        new = doc(2)
        embed(new, vn)
        doc(1, public=True)  # published, then rolled back
        delete_document("passage", 1)
        write_document("passage", 1, DocData(title="Tài liệu 1", body="", audience=("public",)))
        embed(SearchDocument.objects.get(object_id=1), vk)
        # inside the transaction its own writes are searchable
        assert hits(queries, vn, reader=ANONYMOUS)[0] == new.pk
        assert dense.matrix().watermark == watermark  # but the watermark did not move
        raise RuntimeError("abort")
    assert hits(queries, vn, reader=ANONYMOUS) == []
    assert hits(queries, vk) == [kept.pk]
    assert not SearchDocument.objects.filter(object_id=2).exists()


def test_replaced_database_triggers_a_full_reload(queries: dict[str, np.ndarray]) -> None:
    a = doc(1)
    va = embed(a)
    assert hits(queries, va) == [a.pk]
    before = loads()
    # "Restore" another database: the watermark's change row is gone, the documents differ.
    with connection.cursor() as cur:
        cur.execute("DELETE FROM search_searchchange")
        cur.execute("DELETE FROM search_searchdocument")
    b = doc(2)
    vb = embed(b)
    assert hits(queries, va) == [b.pk]
    assert loads() == before + 1
    assert hits(queries, vb) == [b.pk]
    assert loads() == before + 1


def test_watermark_row_naming_another_document_triggers_a_reload(
    queries: dict[str, np.ndarray],
) -> None:
    a, b = doc(1), doc(2)
    embed(a)
    vb = embed(b)
    hits(queries, vb)
    idx = dense.matrix()
    before = loads()
    # Same change ids, other documents (a backup of another store): the anchor differs.
    with connection.cursor() as cur:
        cur.execute("DELETE FROM search_searchchange")
        cur.execute("DELETE FROM search_searchdocument WHERE id = %s", [b.pk])
        cur.execute(
            "INSERT INTO search_searchchange (id, document_id) VALUES (%s, %s)",
            [idx.watermark, a.pk],
        )
    assert hits(queries, vb) == [a.pk]
    assert loads() == before + 1


def test_pruned_log_triggers_a_full_reload(queries: dict[str, np.ndarray]) -> None:
    a = doc(1)
    va = embed(a)
    hits(queries, va)
    before = loads()
    b = doc(2)
    vb = embed(b)
    SearchChange.objects.filter(pk__lte=SearchChange.objects.latest("pk").pk - 1).delete()
    assert hits(queries, vb)[0] == b.pk
    assert loads() == before + 1


@pytest.mark.django_db(transaction=False)
def test_inside_a_test_transaction(queries: dict[str, np.ndarray]) -> None:
    """Every search runs in an atomic block here: writes are seen, nothing is settled."""
    a = doc(1)
    va = embed(a)
    assert hits(queries, va) == [a.pk]
    delete_document("passage", 1)
    assert hits(queries, va) == []
    assert dense.matrix().watermark == 0 or dense.matrix().provisional


def test_top_k_is_exact() -> None:
    """The sampled threshold never changes the result (ties and excluded rows included)."""
    for n, k in [(100_000, 100), (50_000, 7), (7_000, 100), (300, 50)]:
        scores = np.round(rng.standard_normal(n), 2).astype(np.float32)  # many ties
        scores[rng.random(n) < 0.3] = -np.inf
        got = dense._top(scores, k)
        assert len(set(got.tolist())) == k
        assert np.array_equal(scores[got], np.sort(scores)[::-1][:k])


def test_index_grows_and_reuses_slots() -> None:
    idx = dense._Index(("test",))
    vecs = {i: unit() for i in range(1, 3001)}
    for i, v in vecs.items():
        idx.put(i, "passage" if i % 3 else "agreements", " public " if i % 10 else " staff ", v)
    for i in range(1, 3001, 2):
        idx.drop(i)
        del vecs[i]
    assert idx.size == 3000 and len(idx) == 1500
    for i in range(5001, 5501):
        vecs[i] = unit()
        idx.put(i, "passage", " public ", vecs[i])
    assert idx.size == 3000  # freed slots were reused
    q = unit()
    ids = np.array(sorted(vecs))
    scores = np.stack([vecs[i] for i in ids]) @ q
    public = np.array([i % 10 != 0 or i > 5000 for i in ids])
    expected = ids[public][np.argsort(-scores[public])][:100]
    assert [i for i, _ in idx.search(q, 100, ANONYMOUS, None)] == expected.tolist()
