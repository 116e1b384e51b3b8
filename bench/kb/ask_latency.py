"""The assistant's answer latency over a 100k-passage knowledge base: the whole ``ask()``,
for Vietnamese and for English questions.

    python bench/kb/ask_latency.py --n 100000 --out bench/results/kb_ask_latency.json

Method. The knowledge base is generated: ``--n`` passages of synthetic Vietnamese text made
by bench/search/latency.py's generator (3-5 sentences of 8-22 syllables drawn with Zipf
frequencies from the segmenter's dictionary, with function words, country names and legal
numbers), grouped 100 to a document (``--n / 100`` documents, one in ten of them for staff
only, the others public), and the 240 Vietnamese paragraphs of XQuAD (xquad-vi-en, the shared
data; public, 100 to a document), which the English questions are about. They are written
into a throwaway database (every app's tables: ``Document`` and ``Passage`` rows through the
ORM in bulk, and the passages' search documents with ``bulk_write_analyzed``, analysed by the
product's analyzer) and the lexical index is built from them with ``lexical.sync()``, as the
product does. The generated passages' document vectors are random unit vectors (the vector
search costs the same whatever the values; embedding 100k passages takes hours on two
cores); the XQuAD paragraphs' are computed (``dense.embed_documents``), so English questions
find them by meaning as in the product.

Sentence vectors, as ingestion stores them (``caunoi.kb.sentences``, float16, one row per
passage): every passage gets a row. Those of the passages the timed questions retrieve (found
by a first, untimed retrieval of every question) and of the XQuAD paragraphs are computed
with the real engine by ``sentences.embed`` — what the background step writes; the others are
random unit vectors under the right key (only their reading costs anything here). With
``--no-stored`` no row is written and every candidate's sentences are embedded at question
time (the path before sentence vectors were stored, and the fallback for a passage whose
vectors are not written yet).

The questions. ``vi``: question-length word sequences and keyword queries taken from random
generated passages (bench/search/latency.py's ``queries``; each therefore finds passages).
``en``: XQuAD's English questions (every k-th, an even sample across the paragraphs) over the
Vietnamese paragraphs: retrieval, scoring with the cross-lingual alignment and, for an
answered question, the marks of the question's terms in each cited sentence (the cited
sentences' words embedded on the ``query:`` side, ``kb.assistant._mark_embedder``). Each is
asked as an anonymous visitor through ``caunoi.kb.assistant.ask`` — the function behind the
chat page, ``POST /api/v1/ask`` and ``caunoi ask``. After 10 warm-up questions of each
language (other questions: the engine loaded, the index opened, the vector matrix read),
every per-process cache is emptied (question vectors, sentences embedded at question time,
word vectors) and each question is asked once (``cold``, what a new question costs; the word
cache fills as the pass goes on, as it does in a server). Then the same questions again
(``repeat``: everything cached in the process). For the cold pass the time is also split into
retrieval (``retrieve``: hybrid ranking and the audience re-read), reading the stored sentence
vectors (``stored_vectors``), embedding the sentences that had none (``sentence_embeddings``),
embedding an English question's terms (``term_vectors``), embedding the cited sentences'
words for the marks (``mark_words``) and the rest (splitting, scoring, citations). Wall and
CPU time (the process's, all threads) per question, p50 / p95 in ms, per language; the
machine's load averages are recorded at start and end, since the machine may be shared.
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
PARTS = (
    "retrieve",
    "stored_vectors",
    "sentence_embeddings",
    "term_vectors",
    "mark_words",
)


def xquad() -> tuple[list[str], list[str]]:
    """The Vietnamese XQuAD paragraphs and the English questions about them."""
    sys.path.insert(0, str(ROOT / "bench" / "kb"))
    import answer  # bench/kb/answer.py: the QA sets' reader (skips without the shared data)

    data = answer.load_sets(["xquad-en"])["xquad-en"]
    return list(data["corpus"].values()), [q["text"] for q in data["questions"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=200, help="timed, per language")
    parser.add_argument("--languages", nargs="+", default=["vi", "en"], choices=["vi", "en"])
    parser.add_argument(
        "--no-stored", action="store_true", help="no stored sentence vectors (the fallback)"
    )
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
    from caunoi.kb import assistant, sentences
    from caunoi.kb.models import Document, Passage, SentenceVectors
    from caunoi.kb.search import KIND
    from caunoi.search import dense, lexical
    from caunoi.search.indexing import bulk_write_analyzed, document_terms
    from caunoi.search.management.commands.eval_search import throwaway_store
    from caunoi.search.models import SearchDocument
    from caunoi.search.sources import DocData

    args.work.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "passages": args.n,
        "stored_sentence_vectors": not args.no_stored,
        "load_average_start": latency._load(),
    }
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
    paragraphs, english = xquad() if "en" in args.languages else ([], [])
    n_gen = len(passages)
    passages = passages + [(f"XQuAD {i:03d}", p) for i, p in enumerate(paragraphs)]
    terms = terms + [document_terms(DocData(title=t, body=b)) for t, b in passages[n_gen:]]
    asked: dict[str, list[str]] = {}
    if "vi" in args.languages:
        asked["vi"] = latency.queries(passages[:n_gen], args.questions + 10, seed=23)
    if "en" in args.languages:
        step = max(1, len(english) // (args.questions + 10))
        asked["en"] = english[::step][: args.questions + 10]
    with throwaway_store() as backend:
        result["backend"] = backend
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        unit = Unit.objects.create(code="bench", name_vi="Đơn vị thử", kind="department")
        starts = list(range(0, n_gen, PER_DOCUMENT)) + list(
            range(n_gen, len(passages), PER_DOCUMENT)
        )
        with transaction.atomic():
            docs = []
            for d in starts:
                chunk = passages[d : min(d + PER_DOCUMENT, n_gen if d < n_gen else len(passages))]
                docs.append(
                    Document(
                        title=chunk[0][0],
                        audience="staff"
                        if d < n_gen and (d // PER_DOCUMENT) % 10 == 9
                        else "public",
                        owner_unit=unit,
                        content_hash=f"{d:064x}",
                        clean_text="\n\n".join(b for _t, b in chunk),
                        state="ready",
                    )
                )
            Document.objects.bulk_create(docs, batch_size=500)
            rows = []
            doc_of: list[int] = []
            for n, d in enumerate(starts):
                end = min(d + PER_DOCUMENT, n_gen if d < n_gen else len(passages))
                at = 0
                for i in range(d, end):
                    body = passages[i][1]
                    rows.append(
                        Passage(
                            document=docs[n],
                            ordinal=i - d,
                            text=body,
                            start=at,
                            end=at + len(body),
                            page=1 + (i - d) // 4,
                        )
                    )
                    doc_of.append(n)
                    at += len(body) + 2
            Passage.objects.bulk_create(rows, batch_size=2000)
            written = (
                (
                    p.pk,
                    DocData(
                        title=passages[i][0],
                        body=p.text,
                        audience=(docs[doc_of[i]].audience,),
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
        real_docs = set(
            SearchDocument.objects.filter(
                kind=KIND, object_id__in=[p.pk for p in rows[n_gen:]]
            ).values_list("pk", flat=True)
        )
        ids = [
            pk
            for pk in SearchDocument.objects.order_by("pk").values_list("pk", flat=True)
            if pk not in real_docs
        ]
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
        started = time.perf_counter()
        dense.embed_documents(SearchDocument.objects.filter(pk__in=real_docs), batch=32)
        result["xquad_embed_seconds"] = round(time.perf_counter() - started, 1)
        lexical.sync()
        dense.matrix()
        anon = AnonymousUser()
        if not args.no_stored:
            # What the background step would have written: real vectors for every passage a
            # timed question retrieves (and the XQuAD paragraphs), random ones elsewhere.
            started = time.perf_counter()
            from kbanswer import retrieval_query

            wanted = {p.pk for p in rows[n_gen:]}
            for qs in asked.values():
                for q in qs:
                    # with the lexicon's renderings of an English question, as ask() retrieves
                    found = assistant.retrieve(anon, retrieval_query(q))
                    wanted.update(p.pk for p, _s in found)
            by_pk = {p.pk: p for p in rows}
            sentences.embed([by_pk[pk] for pk in sorted(wanted)])
            result["real_sentence_vector_passages"] = len(wanted)
            engine = dense.engine_ident()
            batch = []
            for p in rows:
                if p.pk in wanted:
                    continue
                spans = sentences.sentence_spans(p.text)
                vecs = rng.standard_normal((len(spans), dense.DIM)).astype(np.float32)
                vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
                batch.append(
                    SentenceVectors(
                        passage_id=p.pk,
                        key=sentences.key_for(engine, p.text, spans),
                        vectors=sentences.encode(vecs),
                    )
                )
                if len(batch) >= 2000:
                    SentenceVectors.objects.bulk_create(batch)
                    batch = []
            SentenceVectors.objects.bulk_create(batch)
            result["sentence_vectors_seconds"] = round(time.perf_counter() - started, 1)
            print("sentence vectors", result["sentence_vectors_seconds"], file=sys.stderr)
        result["languages"] = {}
        staff_docs = {d.pk for d in docs if d.audience == "staff"}
        for lang, questions in asked.items():
            result["languages"][lang] = measure(
                assistant, dense, latency, anon, questions[:10], questions[10:], staff_docs
            )
            print(lang, json.dumps(result["languages"][lang]["cold"]), file=sys.stderr)
    result["load_average_end"] = latency._load()
    text = json.dumps(result)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")


def measure(
    assistant: Any,
    dense: Any,
    latency: Any,
    anon: Any,
    warm: list[str],
    questions: list[str],
    staff_docs: set[int],
) -> dict[str, Any]:
    """The cold pass (timed whole and in parts) and the repeated pass of these questions."""
    out: dict[str, Any] = {}
    for q in warm:
        assistant.ask(anon, q)
    assistant._VECTORS.clear()
    assistant._WORDS.clear()
    dense.embed_query.cache_clear()
    parts: dict[str, list[float]] = {name: [] for name in (*PARTS, "rest")}
    clock: dict[str, float] = {}
    real = {
        "retrieve": assistant.retrieve,
        "stored_vectors": assistant._stored_vectors,
        "sentence_embeddings": assistant._sentence_vectors,
        "term_vectors": assistant._term_vectors,
        "mark_words": assistant._mark_embedder,
    }
    attr = {
        "retrieve": "retrieve",
        "stored_vectors": "_stored_vectors",
        "sentence_embeddings": "_sentence_vectors",
        "term_vectors": "_term_vectors",
        "mark_words": "_mark_embedder",
    }

    def timer(name: str) -> Any:
        def call(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return real[name](*a, **k)
            finally:
                clock[name] = clock.get(name, 0.0) + (time.perf_counter() - t0) * 1000

        return call

    for name in PARTS:
        setattr(assistant, attr[name], timer(name))
    wall: list[float] = []
    cpu: list[float] = []
    replies = []
    words_before = 0
    words: list[int] = []
    try:
        for q in questions:
            clock.clear()
            c0, t0 = time.process_time(), time.perf_counter()
            reply = assistant.ask(anon, q)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            replies.append(reply)
            for name in PARTS:
                parts[name].append(clock.get(name, 0.0))
            parts["rest"].append(wall[-1] - sum(clock.values()))
            words.append(len(assistant._WORDS) - words_before)
            words_before = len(assistant._WORDS)
    finally:
        for name in PARTS:
            setattr(assistant, attr[name], real[name])
    pct = latency.pct
    out["cold"] = {
        "p50_ms": pct(wall, 0.5),
        "p95_ms": pct(wall, 0.95),
        "max_ms": round(max(wall), 1),
        "cpu_p50_ms": pct(cpu, 0.5),
        "cpu_p95_ms": pct(cpu, 0.95),
    }
    out["cold_parts"] = {
        name: {
            "p50_ms": pct(v, 0.5),
            "p95_ms": pct(v, 0.95),
            "mean_ms": round(statistics.mean(v), 1),
        }
        for name, v in parts.items()
    }
    out["repeat"], _ = latency.timed(lambda q: assistant.ask(anon, q), questions)
    out["questions"] = len(questions)
    out["abstained"] = round(sum(r.abstained for r in replies) / len(replies), 3)
    out["answered_with_marks"] = sum(
        any(c.highlights for c in r.citations) for r in replies if not r.abstained
    )
    out["registry_answers"] = sum(r.registry is not None for r in replies)
    out["sentences_embedded_at_question_time"] = len(assistant._VECTORS)
    out["words_embedded"] = {
        "total": sum(words),
        "per_question_p50": pct([float(w) for w in words], 0.5),
        "per_question_p95": pct([float(w) for w in words], 0.95),
    }
    out["staff_passages_quoted_to_anonymous"] = sum(
        c.document in staff_docs for r in replies for c in r.citations + r.closest
    )
    return out


if __name__ == "__main__":
    main()
