"""The assistant's answer latency over a 100k-passage knowledge base: the whole ``ask()``.

    python bench/kb/ask_latency.py --n 100000 --out bench/results/kb_ask_latency.json

Method. The knowledge base is generated: ``--n`` passages of synthetic Vietnamese text made
by bench/search/latency.py's generator (3-5 sentences of 8-22 syllables drawn with Zipf
frequencies from the segmenter's dictionary, with function words, country names and legal
numbers), grouped 100 to a document (``--n / 100`` documents, one in ten of them for staff
only, the others public). They are written into a throwaway database (every app's tables:
``Document`` and ``Passage`` rows through the ORM in bulk, and the passages' search
documents with ``bulk_write_analyzed``, analysed by the product's analyzer) and the lexical
index is built from them with ``lexical.sync()``, as the product does. The passages' document
vectors are random unit vectors (the vector search costs the same whatever the values;
embedding 100k passages takes hours on two cores); everything an answer computes at question
time uses the real engine: the question's embedding and those of the candidate passages'
sentences (``kb.assistant._sentence_vectors``).

The questions are question-length word sequences and keyword queries taken from random
passages (bench/search/latency.py's ``queries``; each therefore finds passages), asked as an
anonymous visitor through ``caunoi.kb.assistant.ask`` — the function behind the chat page,
``POST /api/v1/ask`` and ``caunoi ask``. After 10 warm-up questions (other questions: the
engine loaded, the index opened, the vector matrix read), each question is asked once with
every per-process cache cold for it: its sentences were never embedded before (``cold``,
what a new question costs). Then the same questions again (``repeat``: the sentence vectors
and the query vector are cached in the process). For the cold pass the time is also split
into retrieval (``retrieve``: hybrid ranking and the audience re-read), the candidates'
sentence embeddings and the rest (splitting, scoring, citations). Wall and CPU time (the
process's, all threads) per question, p50 / p95 in ms; the machine's load averages are
recorded at start and end, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench" / "search"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
os.environ.setdefault("CAUNOI_VAR_DIR", "/tmp/caunoi-bench-ask/var")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)

PER_DOCUMENT = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path("/tmp/caunoi-bench-ask"))
    parser.add_argument("--out", type=Path, help="also write the JSON result to this file")
    args = parser.parse_args()

    import django

    django.setup()
    import latency  # bench/search/latency.py: the generator and the timing helpers
    import numpy as np
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection, transaction

    from caunoi.accounts.models import Unit
    from caunoi.kb import assistant
    from caunoi.kb.models import Document, Passage
    from caunoi.kb.search import KIND
    from caunoi.search import dense, lexical
    from caunoi.search.indexing import bulk_write_analyzed
    from caunoi.search.management.commands.eval_search import throwaway_store
    from caunoi.search.models import SearchDocument
    from caunoi.search.sources import DocData

    args.work.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"passages": args.n, "load_average_start": latency._load()}
    cache = args.work / f"passages-{args.n}.pickle"
    if cache.exists():
        import pickle

        passages, terms = pickle.loads(cache.read_bytes())
    else:
        import pickle

        started = time.perf_counter()
        passages, terms = latency.generate(args.n)
        result["generate_analyze_seconds_2proc"] = round(time.perf_counter() - started, 1)
        cache.write_bytes(pickle.dumps((passages, terms)))
    questions = latency.queries(passages, args.questions + 10, seed=23)
    warm, questions = questions[:10], questions[10:]
    with throwaway_store() as backend:
        result["backend"] = backend
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        unit = Unit.objects.create(code="bench", name_vi="Đơn vị thử", kind="department")
        with transaction.atomic():
            docs = []
            for d in range(0, args.n, PER_DOCUMENT):
                chunk = passages[d : d + PER_DOCUMENT]
                docs.append(
                    Document(
                        title=chunk[0][0],
                        audience="staff" if (d // PER_DOCUMENT) % 10 == 9 else "public",
                        owner_unit=unit,
                        content_hash=f"{d:064x}",
                        clean_text="\n\n".join(b for _t, b in chunk),
                        state="ready",
                    )
                )
            Document.objects.bulk_create(docs, batch_size=500)
            rows = []
            for i, (_title, body) in enumerate(passages):
                doc = docs[i // PER_DOCUMENT]
                at = sum(len(b) + 2 for _t, b in passages[i - i % PER_DOCUMENT : i])
                rows.append(
                    Passage(
                        document=doc,
                        ordinal=i % PER_DOCUMENT,
                        text=body,
                        start=at,
                        end=at + len(body),
                        page=1 + (i % PER_DOCUMENT) // 4,
                    )
                )
            Passage.objects.bulk_create(rows, batch_size=2000)
            written = (
                (
                    p.pk,
                    DocData(
                        title=passages[i][0],
                        body=p.text,
                        audience=("staff",)
                        if docs[i // PER_DOCUMENT].audience == "staff"
                        else ("public",),
                    ),
                    terms[i],
                )
                for i, p in enumerate(rows)
            )
            bulk_write_analyzed(KIND, written, batch=2000)
        result["write_seconds"] = round(time.perf_counter() - started, 1)
        print("written", result["write_seconds"], file=sys.stderr, flush=True)
        started = time.perf_counter()
        lexical.sync()
        result["index_build_seconds"] = round(time.perf_counter() - started, 1)
        result["index_docs"] = lexical.corpus_size()
        print("index built", result["index_build_seconds"], file=sys.stderr, flush=True)
        rng = np.random.default_rng(3)
        ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic(), connection.cursor() as cur:
            for i in range(0, len(ids), 2000):
                chunk_ids = ids[i : i + 2000]
                vecs = rng.standard_normal((len(chunk_ids), dense.DIM)).astype(np.float32)
                vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
                cur.executemany(
                    "UPDATE search_searchdocument SET embedding = %s, embedded_at = %s "
                    "WHERE id = %s",
                    [
                        (v.tobytes(), "2026-01-01T00:00:00+00:00", pk)
                        for pk, v in zip(chunk_ids, vecs, strict=True)
                    ],
                )
                lexical.record_changes(chunk_ids)
        lexical.sync()
        dense.matrix()
        anon = AnonymousUser()
        for q in warm:
            assistant.ask(anon, q)
        assistant._VECTORS.clear()
        dense.embed_query.cache_clear()

        # The cold pass, timed whole and in parts.
        parts: dict[str, list[float]] = {"retrieve": [], "sentence_embeddings": [], "rest": []}
        real_retrieve, real_vectors = assistant.retrieve, assistant._sentence_vectors
        clock: dict[str, float] = {}

        def timed_retrieve(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            out = real_retrieve(*a, **k)
            clock["retrieve"] = (time.perf_counter() - t0) * 1000
            return out

        def timed_vectors(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            out = real_vectors(*a, **k)
            clock["sentence_embeddings"] = (time.perf_counter() - t0) * 1000
            return out

        assistant.retrieve = timed_retrieve  # type: ignore[assignment]
        assistant._sentence_vectors = timed_vectors  # type: ignore[assignment]
        wall: list[float] = []
        cpu: list[float] = []
        replies = []
        try:
            for q in questions:
                clock.clear()
                c0, t0 = time.process_time(), time.perf_counter()
                reply = assistant.ask(anon, q)
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                replies.append(reply)
                r = clock.get("retrieve", 0.0)
                e = clock.get("sentence_embeddings", 0.0)
                parts["retrieve"].append(r)
                parts["sentence_embeddings"].append(e)
                parts["rest"].append(wall[-1] - r - e)
        finally:
            assistant.retrieve = real_retrieve  # type: ignore[assignment]
            assistant._sentence_vectors = real_vectors  # type: ignore[assignment]
        pct = latency.pct
        result["cold"] = {
            "p50_ms": pct(wall, 0.5),
            "p95_ms": pct(wall, 0.95),
            "max_ms": round(max(wall), 1),
            "cpu_p50_ms": pct(cpu, 0.5),
            "cpu_p95_ms": pct(cpu, 0.95),
        }
        result["cold_parts"] = {
            name: {
                "p50_ms": pct(v, 0.5),
                "p95_ms": pct(v, 0.95),
                "mean_ms": round(statistics.mean(v), 1),
            }
            for name, v in parts.items()
        }
        result["repeat"], _ = latency.timed(lambda q: assistant.ask(anon, q), questions)
        result["questions"] = len(questions)
        result["abstained"] = round(sum(r.abstained for r in replies) / len(replies), 3)
        result["registry_answers"] = sum(r.registry is not None for r in replies)
        result["sentences_embedded"] = len(assistant._VECTORS)
        staff_docs = {d.pk for d in docs if d.audience == "staff"}
        result["staff_passages_quoted_to_anonymous"] = sum(
            c.document in staff_docs for r in replies for c in r.citations + r.closest
        )
    result["load_average_end"] = latency._load()
    text = json.dumps(result)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
