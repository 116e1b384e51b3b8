"""Search latency at scale: generated Vietnamese passages, product code, both backends.

    python bench/search/latency.py --n 100000 --out bench/results/search_latency_sqlite_100000.json
    DATABASE_URL=postgres://postgres@127.0.0.1/postgres python bench/search/latency.py ...
    DATABASE_URL=... python bench/search/latency.py --n 1000000 --no-hybrid --copy
    python bench/search/latency.py --n 1000000 --no-hybrid

Passages are generated from the segmenter's dictionary (pyvi + Viet74K words, read from the
installed packages) with Zipf-distributed word frequencies plus common function words, legal
numbers and country names: 3-5 sentences of 8-22 syllables and a 3-5 word title each (see
``generate`` for how they are analysed with the product's analyzer). They are written with
``bulk_write_analyzed`` into eval-search's throwaway store and queried as an anonymous user
through ``ranking.rank`` (the eval-search path, k=100) and ``service.search`` (the page/API
path: 1000 candidates, facets, snippets). The write is timed in two parts: the database rows
(``write_seconds``: documents and change-log rows, one transaction) and the lexical index
(``index_build_seconds``: the first ``lexical.sync()`` after the commit builds the tantivy
index from those rows). Query latencies are measured after 20 warm-up queries. Hybrid latency
uses random unit vectors for the documents (the vector search cost does not depend on the
values; computing 100k real embeddings takes hours on two cores) and the real model for the
query. The vectors are written with their change-log rows (as ``dense.embed_documents``
does); then the vector index's first load, what a search pays after one embedding is written
(``vector_cache_after_one_write``: patched, no reload) and when nothing changed
(``vector_cache_check``) are timed. Prints one JSON object (and writes it to ``--out``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import random
import statistics
import sys
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
os.environ.setdefault("CAUNOI_VAR_DIR", "/tmp/caunoi-bench-search/var")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)

_FUNCTION = (
    "và của là các những với về trong cho được có không này đã sẽ theo tại từ đến năm người "
    "một hai ba nhiều khi để do như thì mà hoặc cũng đều rất trên dưới sau trước giữa"
)
FUNCTION_WORDS = _FUNCTION.split()
COUNTRIES = ["Hàn Quốc", "Nhật Bản", "Hoa Kỳ", "Pháp", "Đức", "Ấn Độ", "Xin-ga-po", "Úc"]
ISSUERS = ["QĐ-TTg", "QĐ-BKHCN", "NQ-CP", "TT-BKHCN", "NĐ-CP"]
# Facet values of the generated documents (a deterministic function of the passage number):
# every facet of the page has values to count, as on the product's records.
STATUSES = ["in_force", "expired", "draft", "signed", ""]
COUNTRY_CODES = ["KR", "JP", "US", "FR", "DE", "IN", "SG", "AU", "CN", "GB", "TH", "LA"]
FIELD_SLUGS = [f"field-{i:02d}" for i in range(40)]


def facet_data(i: int) -> dict[str, Any]:
    """Date, status, 0-3 countries and 0-3 fields of passage ``i`` (10 % have no date)."""
    date = None if i % 10 == 3 else dt.date(1996 + i % 30, 1 + i % 12, 1 + (i // 12) % 28)
    countries = tuple(dict.fromkeys(COUNTRY_CODES[(i * k) % 12] for k in range(1, 1 + i % 4)))
    fields = tuple(dict.fromkeys(FIELD_SLUGS[(i * 7 + k * 13) % 40] for k in range(i % 4)))
    return {
        "date": date,
        "status": STATUSES[i % 5],
        "countries": countries,
        "fields": fields,
    }


def _sentence(rng: random.Random, vocab: list[str], weights: list[float]) -> str:
    body: list[str] = []
    target = rng.randint(8, 22)
    while sum(w.count(" ") + 1 for w in body) < target:
        x = rng.random()
        if x < 0.35:
            body.append(rng.choice(FUNCTION_WORDS))
        elif x < 0.37:
            body.append(rng.choice(COUNTRIES))
        elif x < 0.38:
            body.append(f"{rng.randint(1, 2999)}/{rng.choice(ISSUERS)}")
        else:
            body.extend(rng.choices(vocab, weights, k=1))
    text = " ".join(body)
    return text[:1].upper() + text[1:] + "."


def generate(n: int, seed: int = 7) -> tuple[list[tuple[str, str]], list[list[str]]]:
    """n passages (title, body) and their analyzed terms.

    Each passage is 3-5 sentences drawn from a pool of generated sentences. The analyzer works
    sentence by sentence (vntext splits sentences first), so a passage's terms are its title's
    terms (``analyzer.document_terms``: the words, then the title field) and then its
    sentences' terms: the pool is analysed once (two processes), which
    makes 100k passages (and 1M) affordable to index on two cores.
    """
    from vntext.segment import _dictionary

    rng = random.Random(seed)
    words = sorted(_dictionary())
    rng.shuffle(words)
    vocab = words[:20000]
    weights = [1 / (r + 1) ** 1.05 for r in range(len(vocab))]
    pool = [_sentence(rng, vocab, weights) for _ in range(max(2000, min(n // 3, 30000)))]
    titles = [
        " ".join(rng.choices(vocab, weights, k=rng.randint(3, 5))).capitalize()
        for _ in range(max(2000, min(n // 5, 20000)))
    ]
    with Pool(2) as workers:
        pool_terms = workers.map(_analyze_text, pool, chunksize=100)
        title_terms = workers.map(_title_terms, titles, chunksize=100)
    passages: list[tuple[str, str]] = []
    terms: list[list[str]] = []
    for _ in range(n):
        t = rng.randrange(len(titles))
        picks = [rng.randrange(len(pool)) for _ in range(rng.randint(3, 5))]
        passages.append((titles[t], " ".join(pool[i] for i in picks)))
        terms.append(title_terms[t] + [x for i in picks for x in pool_terms[i]])
    return passages, terms


def _title_terms(title: str) -> list[str]:
    from caunoi.search.analyzer import document_terms

    return document_terms(title, "")


def _analyze_text(text: str) -> list[str]:
    from caunoi.search.analyzer import analyze

    return list(analyze(text))


def queries(passages: list[tuple[str, str]], n: int, seed: int = 11) -> list[str]:
    from vntext.normalize import fold

    rng = random.Random(seed)
    out = []
    for i in range(n):
        title, body = rng.choice(passages)
        words = body.rstrip(".").split(" ")
        if i % 3 == 0:  # keywords from a passage, half of them typed without diacritics
            start = rng.randrange(max(1, len(words) - 3))
            q = " ".join(words[start : start + rng.randint(2, 4)])
            out.append(fold(q) if i % 2 else q)
        elif i % 3 == 1:  # a title
            out.append(title)
        else:  # a question-length query
            out.append(" ".join(rng.sample(words, min(len(words), rng.randint(8, 14)))))
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--work", type=Path, default=Path("/tmp/caunoi-bench-search"))
    parser.add_argument("--no-hybrid", action="store_true", help="lexical paths only")
    parser.add_argument("--out", type=Path, help="also write the JSON result to this file")
    parser.add_argument(
        "--copy",
        action="store_true",
        help="write the rows directly (PostgreSQL COPY, SQLite executemany) instead of the ORM: "
        "a 1M PostgreSQL write takes minutes instead of 40; the query paths are the same, "
        "write_seconds is not comparable",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import transaction

    from caunoi.core.audience import ANONYMOUS
    from caunoi.search import dense, lexical, ranking, service
    from caunoi.search.indexing import bulk_write_analyzed
    from caunoi.search.management.commands.eval_search import throwaway_store
    from caunoi.search.models import SearchDocument
    from caunoi.search.sources import DocData

    args.work.mkdir(parents=True, exist_ok=True)
    cache = args.work / f"latency-{args.n}.pickle"
    result: dict[str, Any] = {"passages": args.n, "load_average_start": _load()}
    if cache.exists():
        passages, terms = pickle.loads(cache.read_bytes())
    else:
        started = time.perf_counter()
        passages, terms = generate(args.n)
        result["generate_analyze_seconds_2proc"] = round(time.perf_counter() - started, 1)
        cache.write_bytes(pickle.dumps((passages, terms)))
    result["syllables_per_passage"] = round(
        statistics.mean(len((t + " " + b).split()) for t, b in passages[:2000]), 1
    )
    qs = queries(passages, args.queries)
    with throwaway_store() as backend:
        result["backend"] = backend
        # The country and field facets' labels are read from the taxonomy (empty here: the
        # values are shown as they are, at the cost of the same queries).
        call_command("migrate", "taxonomy", verbosity=0)
        started = time.perf_counter()
        docs = (
            (
                i,
                DocData(
                    title=t,
                    body=b,
                    audience=("public",) if i % 10 else ("staff",),
                    **facet_data(i),
                ),
                terms[i],
            )
            for i, (t, b) in enumerate(passages)
        )
        if args.copy:
            result["write_method"] = "copy" if backend == "postgresql" else "executemany"
            _copy_rows(docs, backend)
        else:
            with transaction.atomic():
                bulk_write_analyzed("passage", docs, batch=2000)
        result["write_seconds"] = round(time.perf_counter() - started, 1)
        print("written", result["write_seconds"], file=sys.stderr, flush=True)
        started = time.perf_counter()
        lexical.sync()  # builds the tantivy index from the committed rows
        result["index_build_seconds"] = round(time.perf_counter() - started, 1)
        print("index built", result["index_build_seconds"], file=sys.stderr, flush=True)
        path = lexical.index_dir()
        result["index_mb"] = round(sum(f.stat().st_size for f in path.iterdir()) / 1e6, 1)
        result["index_docs"] = lexical.corpus_size()
        if result["index_docs"] != args.n:
            print("index holds", result["index_docs"], "documents", file=sys.stderr)
        times = []
        for _ in range(200):  # what every search pays to check the index is current
            t0 = time.perf_counter()
            lexical.sync()
            times.append((time.perf_counter() - t0) * 1000)
        result["sync_check"] = {"p50_ms": pct(times, 0.5), "p95_ms": pct(times, 0.95)}
        for q in qs[:20]:  # warm caches (page cache, searcher, prepared vocabulary)
            ranking.rank(q, mode="lexical", limit=100)
        anon = AnonymousUser()
        result["rank_lexical_k100"], outs = timed(
            lambda q: ranking.rank(q, mode="lexical", limit=100), qs
        )
        hits = [len(out[0]) for out in outs]
        # The page path in parts: its ranking (1,000 candidates), then its facets and counts
        # over those candidates, then the whole call.
        result["rank_lexical_k1000"], outs = timed(
            lambda q: ranking.rank(q, mode="lexical", limit=service.MAX_CANDIDATES), qs
        )
        candidates = [[r.doc_id for r in out[0] if r.strong] for out in outs]
        if hasattr(lexical, "facet_counts"):  # (absent before the facets came from the index)
            result["facets_k1000"], _ = timed(
                lambda ids: lexical.facet_counts(ids, {}, service.FACETS), candidates
            )
        # The previous implementation's work, for comparison on the same data: the
        # candidates' facet columns read from the database (900 ids a query) and counted.
        result["facets_from_db_k1000"], _ = timed(_facets_from_db, candidates)
        result["service_lexical"], _ = timed(
            lambda q: service.search(user=anon, query=q, mode="lexical"), qs
        )
        for name in (
            "rank_lexical_k100",
            "rank_lexical_k1000",
            "facets_k1000",
            "facets_from_db_k1000",
            "service_lexical",
        ):
            print(name, result.get(name), file=sys.stderr, flush=True)
        # a sanity check, not a quality measure: every query is made of a passage's words
        result["queries_with_hits"] = sum(1 for h in hits if h) / len(hits)
        result["mean_hits_k100"] = round(statistics.mean(hits), 1)
        if not args.no_hybrid:
            import numpy as np

            rng = np.random.default_rng(3)
            ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
            from django.db import connection

            with transaction.atomic(), connection.cursor() as cur:
                for i in range(0, len(ids), 2000):
                    chunk = ids[i : i + 2000]
                    vecs = rng.standard_normal((len(chunk), dense.DIM)).astype(np.float32)
                    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
                    cur.executemany(
                        "UPDATE search_searchdocument SET embedding = %s, embedded_at = %s "
                        "WHERE id = %s",
                        [
                            (v.tobytes(), "2026-01-01T00:00:00+00:00", pk)
                            for pk, v in zip(chunk, vecs, strict=True)
                        ],
                    )
                    lexical.record_changes(chunk)  # as dense.embed_documents does
            lexical.sync()  # re-applies the logged documents (not timed here)
            t0 = time.perf_counter()
            dense.matrix()  # the first use in this process: a full load
            result["vector_cache_load_seconds"] = round(time.perf_counter() - t0, 2)
            # What a search pays after another process writes one embedding (the change log
            # is followed: one document re-read and patched, no reload).
            loads = dense.stats["full_loads"]
            times = []
            for pk in ids[:: max(1, len(ids) // 50)][:50]:
                vec = rng.standard_normal(dense.DIM).astype(np.float32)
                vec /= np.linalg.norm(vec)
                with transaction.atomic():
                    SearchDocument.objects.filter(pk=pk).update(embedding=vec.tobytes())
                    lexical.record_changes([pk])
                t0 = time.perf_counter()
                dense.matrix()
                times.append((time.perf_counter() - t0) * 1000)
            result["vector_cache_after_one_write"] = {
                "p50_ms": pct(times, 0.5),
                "p95_ms": pct(times, 0.95),
                "full_loads": dense.stats["full_loads"] - loads,
            }
            times = []
            for _ in range(200):
                t0 = time.perf_counter()
                dense.matrix()
                times.append((time.perf_counter() - t0) * 1000)
            result["vector_cache_check"] = {"p50_ms": pct(times, 0.5), "p95_ms": pct(times, 0.95)}
            lexical.sync()
            for q in qs:  # embed the queries once: query embedding is timed separately
                dense.embed_query(q)
            times = []
            q = dense.embed_query(qs[0])
            for _ in range(200):
                t0 = time.perf_counter()
                dense.search(qs[0], limit=100, reader=ANONYMOUS, kinds=None)
                times.append((time.perf_counter() - t0) * 1000)
            result["vector_search_k100"] = {"p50_ms": pct(times, 0.5), "p95_ms": pct(times, 0.95)}
            del q
            for name, call in (
                ("rank_hybrid_k100", lambda q: ranking.rank(q, mode="hybrid", limit=100)),
                ("service_hybrid", lambda q: service.search(user=anon, query=q, mode="hybrid")),
            ):
                result[name], _ = timed(call, qs)
                print(name, result[name], file=sys.stderr, flush=True)
            dense.embed_query.cache_clear()
            result["query_embedding"], _ = timed(dense.embed_query, qs[:50])
            # What a user waits for: the hybrid ranking of a query never seen before, its
            # embedding included (the queries not embedded above).
            dense.embed_query.cache_clear()
            result["rank_hybrid_k100_with_query_embedding"], _ = timed(
                lambda q: ranking.rank(q, mode="hybrid", limit=100), qs[50:]
            )
            for name in ("query_embedding", "rank_hybrid_k100_with_query_embedding"):
                print(name, result[name], file=sys.stderr, flush=True)
    result["load_average_end"] = _load()
    text = json.dumps(result)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")


def _facets_from_db(ids: list[int]) -> dict[str, dict[str, int]]:
    """Facet counts of these documents from their database rows, as the service computed
    them before they came from the index (no filters)."""
    from django.db import connection

    counts: dict[str, dict[str, int]] = {n: {} for n in ("kind", "field", "country", "year")}
    counts["status"] = {}
    with connection.cursor() as cur:
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            cur.execute(
                "SELECT id, kind, year, status, countries, fields, date "
                f"FROM search_searchdocument WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            for _, kind, year, status, countries, fields, _ in cur.fetchall():
                values = {
                    "kind": [kind],
                    "year": [str(year)] if year is not None else [],
                    "status": [status] if status else [],
                    "country": countries.split(),
                    "field": fields.split(),
                }
                for name, vals in values.items():
                    for v in vals:
                        counts[name][v] = counts[name].get(v, 0) + 1
    return counts


def _copy_rows(docs: Any, backend: str) -> None:
    """The search documents written directly (PostgreSQL's COPY, SQLite's executemany), no
    change-log rows: the first sync finds an index without state and builds it from every
    document (what the ORM write's first sync does too, from its change rows)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from caunoi.search.models import audience_codes

    cols = (
        "kind, object_id, title, body, url, date, year, status, countries, fields, audience, "
        "is_public, terms, length, text_hash, embedding_engine, updated_at"
    )
    now = timezone.now()

    def rows() -> Any:
        for i, data, terms in docs:
            yield (
                "passage",
                i,
                data.title[:500],
                data.body,
                "",
                data.date,
                data.date.year if data.date else None,
                data.status,
                (" " + " ".join(data.countries) + " ") if data.countries else "",
                (" " + " ".join(data.fields) + " ") if data.fields else "",
                audience_codes(data.audience),
                "public" in data.audience,
                " ".join(terms),
                len(terms),
                "",
                "",
                now,
            )

    if backend == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        with raw.cursor() as cur, cur.copy(f"COPY search_searchdocument ({cols}) FROM STDIN") as cp:
            for row in rows():
                cp.write_row(row)
        raw.commit()
        return
    marks = ", ".join(["%s"] * 17)
    with transaction.atomic(), connection.cursor() as cur:
        batch: list[Any] = []
        for row in rows():
            batch.append(row)
            if len(batch) == 5000:
                cur.executemany(
                    f"INSERT INTO search_searchdocument ({cols}) VALUES ({marks})", batch
                )
                batch = []
        if batch:
            cur.executemany(f"INSERT INTO search_searchdocument ({cols}) VALUES ({marks})", batch)


def timed(call: Any, items: list[Any]) -> tuple[dict[str, float], list[Any]]:
    """Wall and CPU time (this process, all its threads) of ``call`` on each item, in ms:
    p50 / p95 of each (the machine is shared: CPU time is what the call itself spent)."""
    wall: list[float] = []
    cpu: list[float] = []
    outs = []
    for item in items:
        c0, t0 = time.process_time(), time.perf_counter()
        outs.append(call(item))
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return {
        "p50_ms": pct(wall, 0.5),
        "p95_ms": pct(wall, 0.95),
        "cpu_p50_ms": pct(cpu, 0.5),
        "cpu_p95_ms": pct(cpu, 0.95),
    }, outs


def _load() -> list[float]:
    """The 1/5/15-minute load averages (the machine is shared: context for the figures)."""
    return [round(x, 2) for x in os.getloadavg()]


if __name__ == "__main__":
    main()
