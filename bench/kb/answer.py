"""The assistant's extractive answers and abstention on the public QA sets.

Usage: python bench/kb/answer.py [--work DIR] [--sets uit xquad-vi xquad-en] [--limit N]

Method
------
Sets (read from ../shared/data, as bench/search/convert.py reads them):

* ``uit``: every distinct paragraph of uit-regulation-wiki-qa (train and test files) is the
  corpus; its *test* questions (Vietnamese) are asked;
* ``xquad-vi``: the 240 Vietnamese XQuAD paragraphs, their Vietnamese questions;
* ``xquad-en``: the same paragraphs, the English questions (cross-lingual).

Retrieval is the product's: the corpus is written as search documents into a throwaway store
and ranked by ``caunoi.search.ranking.rank`` (hybrid), as ``caunoi eval-search`` does; the
candidates are the hits the search page would show (``strong``), best first, the first
``--candidates`` of them. Sentences are split and embedded (the product's engine, ``passage:``
prefix) once per paragraph; the question's embedding is the one the ranking computed.

Out-of-corpus questions: for a random 30% of the questions (seeded), the gold paragraph is
removed from the candidates — as if the knowledge base did not hold it, the ranking otherwise
unchanged (scores are only used relative to the best remaining one). The assistant should
abstain on those.

Halves: the weights and the two abstention thresholds (Vietnamese questions, questions in
another language) are chosen on the *development* half — XQuAD paragraphs x000–x119 and the
UIT paragraphs whose id hash is even — and the figures are reported on the other half.
Tuning maximises the mean of (i) the share of in-corpus questions answered with a first
sentence that contains a gold answer and (ii) the share of out-of-corpus questions abstained.

Metrics, on the held-out half of each set:

* ``acc@1``: in-corpus questions whose first answer sentence contains a gold answer (an
  abstention counts as wrong); ``acc@3``: one of the first three sentences does (the
  sentences shown, or the three best when fewer are shown);
* ``answered_acc``: ``acc@1`` among the in-corpus questions that were answered;
* ``cite``: the first citation is the gold paragraph (in-corpus questions);
* ``abstain_p`` / ``abstain_r``: precision and recall of abstention, out-of-corpus questions
  being the positives; ``false_answer``: out-of-corpus questions answered anyway;
* ``short``: in-corpus answers whose sentences total at most 600 characters;
* ``retrieval@k``: the gold paragraph is among the candidates (in-corpus questions);
* ``registry_fp``: questions the registry parser took for registry questions (they are not).

Containment is compared on ``vntext.search_key`` (folded, spelling unified, spaces collapsed).
Embeddings are cached by text in ``<work>/embcache`` (``CAUNOI_EMBED_CACHE``); the cache does
not change any figure. Writes ``<work>/answer.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import pickle
import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = (HERE / ".." / ".." / ".." / "shared" / "data").resolve()
HOLDOUT = 0.3
SEED = 12


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing (the shared data sets are not present)"
        if os.environ.get("CI") == "true":
            raise SystemExit(message)
        print(f"skip: {message}", file=sys.stderr)
        raise SystemExit(0)
    return path


def _pid(text: str) -> str:
    return "p" + hashlib.sha1(text.encode()).hexdigest()[:12]


def load_sets(names: list[str]) -> dict[str, dict[str, Any]]:
    """Each set: corpus {pid: text}, questions [{id, text, gold, answers, dev}]."""
    out: dict[str, dict[str, Any]] = {}
    if "uit" in names:
        base = shared("uit-regulation-wiki-qa")
        corpus: dict[str, str] = {}
        questions: list[dict[str, Any]] = []
        for split in ("train", "test"):
            for part in ("reg", "wiki"):
                data = json.loads((base / f"{split}_{part}.json").read_text(encoding="utf-8"))
                for article in data["data"]:
                    for para in article["paragraphs"]:
                        pid = _pid(para["context"])
                        corpus.setdefault(pid, para["context"])
                        if split != "test":
                            continue
                        for n, qa in enumerate(para["qas"]):
                            questions.append(
                                {
                                    "id": str(qa.get("id") or f"{pid}-{n}"),
                                    "text": qa["question"],
                                    "gold": pid,
                                    "answers": [a["text"] for a in qa["answers"]],
                                    "dev": int(pid[1:], 16) % 2 == 0,
                                }
                            )
        out["uit"] = {"corpus": corpus, "questions": questions}
    wanted = [n for n in ("xquad-vi", "xquad-en") if n in names]
    if wanted:
        base = shared("xquad-vi-en")
        vi = json.loads((base / "xquad.vi.json").read_text(encoding="utf-8"))
        en = json.loads((base / "xquad.en.json").read_text(encoding="utf-8"))
        vparas = [p for a in vi["data"] for p in a["paragraphs"]]
        eparas = [p for a in en["data"] for p in a["paragraphs"]]
        corpus = {f"x{n:03d}": p["context"] for n, p in enumerate(vparas)}
        for name in wanted:
            qparas = vparas if name == "xquad-vi" else eparas
            questions = []
            for n, (qp, vp) in enumerate(zip(qparas, vparas, strict=True)):
                for qq, vq in zip(qp["qas"], vp["qas"], strict=True):
                    questions.append(
                        {
                            "id": qq["id"],
                            "text": qq["question"],
                            "gold": f"x{n:03d}",
                            # the gold span is in the Vietnamese paragraph
                            "answers": [a["text"] for a in vq["answers"]],
                            "dev": n < 120,
                        }
                    )
            out[name] = {"corpus": corpus, "questions": questions}
    return out


def setup(work: Path) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
    os.environ.setdefault("CAUNOI_EMBED_CACHE", str(work / "embcache"))
    django.setup()


def collect(name: str, data: dict[str, Any], k: int, limit: int) -> dict[str, Any]:
    """Retrieve each question's candidates with the product's ranking; embed sentences."""
    import numpy as np
    from django.db import transaction

    from caunoi.core.audience import PUBLIC
    from caunoi.search import dense, lexical, ranking
    from caunoi.search.indexing import bulk_write_documents
    from caunoi.search.management.commands.eval_search import throwaway_store
    from caunoi.search.models import SearchDocument
    from caunoi.search.sources import DocData
    from kbanswer import split

    pids = list(data["corpus"])
    questions = data["questions"]
    if limit and len(questions) > limit:  # an even sample across paragraphs (both halves)
        step = len(questions) / limit
        questions = [questions[int(i * step)] for i in range(limit)]
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    with throwaway_store():
        with transaction.atomic():
            bulk_write_documents(
                "passage",
                (
                    (n, DocData(title="", body=data["corpus"][pid], audience=(PUBLIC,)))
                    for n, pid in enumerate(pids)
                ),
            )
        lexical.sync()
        dense.embed_pending(batch=32)
        by_pk = dict(SearchDocument.objects.values_list("pk", "object_id"))
        latencies = []
        for q in questions:
            t0 = time.perf_counter()
            ranked, _ = ranking.rank(q["text"], mode="hybrid", limit=100, dense_limit=100)
            latencies.append(time.perf_counter() - t0)
            hits = [(pids[by_pk[r.doc_id]], r.score) for r in ranked if r.strong][:k]
            rows.append({**q, "hits": hits, "qvec": dense.embed_query(q["text"])})
        sentence_vectors = {}
        for pid in pids:
            text = data["corpus"][pid]
            sents = [text[s:e] for s, e in split(text)]
            sentence_vectors[pid] = dense.embed_passages(sents).astype(np.float32)
    print(
        f"{name}: {len(pids)} passages, {len(rows)} questions, "
        f"{time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return {"rows": rows, "vectors": sentence_vectors, "corpus": data["corpus"]}


def evaluate(
    collected: dict[str, Any], cfg: Any, *, dev: bool, n_candidates: int
) -> dict[str, float]:
    from kbanswer import Candidate, answer, parse_registry_question
    from vntext import search_key

    rng_pick = collected["holdout"]
    cands = collected.setdefault("_cands", {})
    counts = dict.fromkeys(
        (
            "n_in",
            "n_out",
            "acc1",
            "acc3",
            "answered",
            "answered_ok",
            "cite",
            "abstain_tp",
            "abstain_fp",
            "short",
            "retrieved",
            "registry",
        ),
        0,
    )
    times: list[float] = []
    for row in collected["rows"]:
        if row["dev"] != dev:
            continue
        out = row["id"] in rng_pick
        hits = [h for h in row["hits"] if not (out and h[0] == row["gold"])][:n_candidates]
        candidates = []
        for pid, score in hits:
            base = cands.get(pid)
            if base is None:
                base = Candidate(
                    key=pid,
                    text=collected["corpus"][pid],
                    sentence_vectors=collected["vectors"][pid],
                )
                cands[pid] = base
            candidates.append(replace(base, score=score))
        t0 = time.perf_counter()
        a = answer(row["text"], candidates, question_vector=row["qvec"], config=cfg)
        times.append(time.perf_counter() - t0)
        counts["registry"] += parse_registry_question(row["text"]) is not None
        if out:
            counts["n_out"] += 1
            counts["abstain_tp"] += a.abstained
            continue
        counts["n_in"] += 1
        counts["retrieved"] += any(pid == row["gold"] for pid, _ in hits)
        gold = [search_key(g) for g in row["answers"] if g.strip()]

        def ok(text: str, gold: list[str] = gold) -> bool:
            key = search_key(text)
            return any(g in key for g in gold)

        if a.abstained:
            counts["abstain_fp"] += 1
            continue
        counts["answered"] += 1
        first = a.supports[0]
        hit1 = ok(first.text)
        counts["acc1"] += hit1
        counts["answered_ok"] += hit1
        shown = a.supports if len(a.supports) >= 3 else a.ranked[:3]
        counts["acc3"] += any(ok(s.text) for s in shown[:3])
        counts["cite"] += first.candidate.key == row["gold"]
        counts["short"] += sum(s.end - s.start for s in a.supports) <= 600
    n_in = max(counts["n_in"], 1)
    n_out = max(counts["n_out"], 1)
    abstained = counts["abstain_tp"] + counts["abstain_fp"]
    return {
        "in_corpus": counts["n_in"],
        "out_of_corpus": counts["n_out"],
        "acc@1": counts["acc1"] / n_in,
        "acc@3": counts["acc3"] / n_in,
        "answered_acc": counts["answered_ok"] / max(counts["answered"], 1),
        "cite": counts["cite"] / n_in,
        "abstain_p": counts["abstain_tp"] / abstained if abstained else 0.0,
        "abstain_r": counts["abstain_tp"] / n_out,
        "false_answer": 1 - counts["abstain_tp"] / n_out,
        "short": counts["short"] / max(counts["answered"], 1),
        "retrieval@k": counts["retrieved"] / n_in,
        "registry_fp": counts["registry"] / (counts["n_in"] + counts["n_out"] or 1),
        # answer() alone (candidates and embeddings given), ms; measured under load
        "answer_p50_ms": 1000 * sorted(times)[len(times) // 2] if times else 0.0,
        "answer_p95_ms": 1000 * sorted(times)[int(len(times) * 0.95)] if times else 0.0,
    }


def objective(m: dict[str, float]) -> float:
    return (m["acc@1"] + m["abstain_r"]) / 2


def features(collected: dict[str, Any], n_candidates: int) -> list[dict[str, Any]]:
    """Per dev question, every candidate sentence's score components (``score_sentences``
    with the default configuration; only the weights change between trials), whether it
    holds a gold answer, and the question's kind — so a trial costs a few array operations.
    The reported figures come from ``answer()`` itself (``evaluate``)."""
    import numpy as np

    from kbanswer import Candidate, analyze, score_sentences
    from vntext import search_key

    out = []
    for row in collected["rows"]:
        if not row["dev"]:
            continue
        held = row["id"] in collected["holdout"]
        hits = [h for h in row["hits"] if not (held and h[0] == row["gold"])][:n_candidates]
        cands = [
            Candidate(
                key=pid,
                text=collected["corpus"][pid],
                score=score,
                sentence_vectors=collected["vectors"][pid],
            )
            for pid, score in hits
        ]
        q = analyze(row["text"])
        scored = score_sentences(q, cands, question_vector=row["qvec"])
        scored.sort(key=lambda x: (x.rank, x.start))  # ties go to the earlier sentence
        gold = [search_key(g) for g in row["answers"] if g.strip()]
        f = np.array(
            [
                [
                    s.lexical,
                    s.bigram,
                    s.semantic if s.semantic is not None else -1.0,
                    s.cue,
                    s.retrieval,
                    1.0 / (1 + s.rank),
                ]
                for s in scored
            ]
        ).reshape(-1, 6)
        ok = np.array([any(g in search_key(s.text) for g in gold) for s in scored], dtype=bool)
        out.append({"f": f, "ok": ok, "out": held, "foreign": q.foreign, "empty": not q.terms})
    return out


def fast(feats: list[dict[str, Any]], cfg: Any, foreign: bool | None = None) -> dict[str, float]:
    """acc@1 and abstention recall of a configuration over precomputed features."""
    import numpy as np

    n_in = n_out = hit = abst = 0
    threshold = {False: cfg.abstain_below, True: cfg.abstain_below_foreign}
    for x in feats:
        if foreign is not None and x["foreign"] != foreign:
            continue
        f = x["f"]
        if len(f):
            sem = np.maximum(0.0, f[:, 2] - cfg.semantic_floor) / (1 - cfg.semantic_floor)
            support = (
                cfg.w_lexical * f[:, 0]
                + cfg.w_bigram * f[:, 1]
                + cfg.w_semantic * sem
                + cfg.w_cue * (f[:, 3] - 0.5)
            )
            score = support + cfg.w_retrieval * f[:, 4] + cfg.w_rank * f[:, 5]
            best = int(np.argmax(score))
            abstained = x["empty"] or support[best] < threshold[x["foreign"]]
        else:
            abstained, best = True, -1
        if x["out"]:
            n_out += 1
            abst += abstained
        else:
            n_in += 1
            hit += (not abstained) and bool(x["ok"][best])
    return {"acc@1": hit / max(n_in, 1), "abstain_r": abst / max(n_out, 1)}


def tune(sets: dict[str, dict[str, Any]], n_candidates: int) -> Any:
    """Weights on the dev half (every set weighs the same), then the two thresholds, each on
    its own questions (Vietnamese ones; questions in another language)."""
    from kbanswer import Config

    feats = {name: features(c, n_candidates) for name, c in sets.items()}
    base = Config(abstain_below=-9.0, abstain_below_foreign=-9.0)  # rank only
    best: tuple[float, Any] = (-1.0, base)
    grid = list(
        itertools.product(
            (0.3, 0.55, 0.8),
            (0.0, 0.15),
            (0.0, 0.5, 1.0, 2.0),
            (0.0, 0.12, 0.25),
            (0.0, 0.25, 0.5),
            (0.1,),
            (0.75, 0.8),
        )
    )
    for n, (lex, big, sem, cue, ret, rank, floor) in enumerate(grid):
        if n % 100 == 0:
            print(f"trial {n}/{len(grid)}", file=sys.stderr, flush=True)
        cfg = replace(
            base,
            w_lexical=lex,
            w_bigram=big,
            w_semantic=sem,
            w_cue=cue,
            w_retrieval=ret,
            w_rank=rank,
            semantic_floor=floor,
        )
        score = sum(fast(f, cfg)["acc@1"] for f in feats.values()) / len(feats)
        if score > best[0]:
            best = (score, cfg)
    cfg = best[1]
    print(f"weights (dev acc@1 {best[0]:.3f}): {cfg}", file=sys.stderr)
    return tune_support(feats, cfg)


def tune_support(feats: dict[str, list[dict[str, Any]]], cfg: Any) -> Any:
    """The support weights and the two thresholds: the best-ranked sentence of each dev
    question under the chosen weights, then every weighting and threshold at once (arrays)."""
    import numpy as np

    rows: dict[bool, list[tuple[str, np.ndarray, bool, bool]]] = {False: [], True: []}
    for name, fs in feats.items():
        for x in fs:
            f = x["f"]
            if not len(f) or x["empty"]:
                comp = np.array([-9.0, 0.0, 0.0, 0.0])  # abstains whatever the weights
                ok = False
            else:
                sem = np.maximum(0.0, f[:, 2] - cfg.semantic_floor) / (1 - cfg.semantic_floor)
                score = (
                    cfg.w_lexical * f[:, 0]
                    + cfg.w_bigram * f[:, 1]
                    + cfg.w_semantic * sem
                    + cfg.w_cue * (f[:, 3] - 0.5)
                    + cfg.w_retrieval * f[:, 4]
                    + cfg.w_rank * f[:, 5]
                )
                b = int(np.argmax(score))
                comp = np.array([f[b, 0], f[b, 1], sem[b], f[b, 3] - 0.5])
                ok = bool(x["ok"][b])
            rows[x["foreign"]].append((name, comp, ok, x["out"]))
    thresholds = np.arange(0.0, 3.0, 0.01)
    for foreign, attr in ((False, "abstain_below"), (True, "abstain_below_foreign")):
        group = rows[foreign]
        if not group:
            continue
        names = sorted({g[0] for g in group})
        comps = np.stack([g[1] for g in group])
        ok = np.array([g[2] for g in group])
        out = np.array([g[3] for g in group])
        best: tuple[float, Any, float] = (-1.0, None, 0.0)
        trials = list(
            itertools.product(
                (0.0, 0.5, 1.0, 2.0), (0.0, 0.5, 1.0), (0.0, 0.5, 1.0, 2.0), (0.0, 0.25, 0.5)
            )
        )
        if foreign:  # bigrams are not used and the cue weight is shared
            trials = list(dict.fromkeys((w[0], 0.0, w[2], cfg.a_cue) for w in trials))
        for weights in trials:
            if not any(weights[:3]):
                continue
            support = comps @ np.array(weights)
            answered = support[None, :] >= thresholds[:, None]  # thresholds × questions
            score = np.zeros(len(thresholds))
            for name in names:  # every set weighs the same
                m = np.array([g[0] == name for g in group])
                acc = (answered[:, m & ~out] & ok[m & ~out]).sum(1) / max((m & ~out).sum(), 1)
                rec = (~answered[:, m & out]).sum(1) / max((m & out).sum(), 1)
                score += (acc + rec) / 2 / len(names)
            i = int(np.argmax(score))
            if score[i] > best[0]:
                best = (float(score[i]), weights, float(thresholds[i]))
        score_, w, t = best
        if foreign:
            cfg = replace(
                cfg, abstain_below_foreign=t, a_lexical_foreign=w[0], a_semantic_foreign=w[2]
            )
        else:
            cfg = replace(cfg, a_lexical=w[0], a_bigram=w[1], a_semantic=w[2], a_cue=w[3])
            cfg = replace(cfg, abstain_below=t)
        print(f"{attr} = {t:.2f} with {w} (dev objective {score_:.3f})", file=sys.stderr)
    return cfg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/caunoi-bench-answer"))
    parser.add_argument("--sets", nargs="+", default=["uit", "xquad-vi", "xquad-en"])
    parser.add_argument("--candidates", type=int, default=5)
    parser.add_argument("--limit", type=int, default=0, help="questions per set (0: all)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    data = load_sets(args.sets)
    setup(args.work)
    collected = {}
    saved = args.work / f"collected-{'-'.join(args.sets)}-{args.limit}.pkl"
    if saved.exists():  # retrieval and embeddings of an earlier run (same sets and code)
        collected = pickle.loads(saved.read_bytes())
    for name, d in data.items():
        if name in collected:
            continue
        c = collect(name, d, k=20, limit=args.limit)
        rng = random.Random(f"{SEED}-{name}")
        c["holdout"] = {r["id"] for r in c["rows"] if rng.random() < HOLDOUT}
        collected[name] = c
    saved.write_bytes(pickle.dumps(collected))
    cfg = tune(collected, args.candidates)
    from kbanswer import Config

    results: dict[str, Any] = {"config": cfg.__dict__, "sets": {}}
    ablations = {
        "shipped": cfg,
        "no semantic": replace(cfg, w_semantic=0.0, a_semantic=0.0, a_semantic_foreign=0.0),
        "no cue": replace(cfg, w_cue=0.0, a_cue=0.0),
        "defaults": Config(),
    }
    lines = [
        "| set | variant | in / out | acc@1 | acc@3 | answered acc | cite | abstain P | "
        "abstain R | ≤600 chars | retrieval@5 | registry FP |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, c in collected.items():
        results["sets"][name] = {}
        for label, variant in ablations.items():
            m = evaluate(c, variant, dev=False, n_candidates=args.candidates)
            results["sets"][name][label] = m
            lines.append(
                f"| {name} | {label} | {m['in_corpus']} / {m['out_of_corpus']} | "
                f"{m['acc@1']:.3f} | {m['acc@3']:.3f} | {m['answered_acc']:.3f} | "
                f"{m['cite']:.3f} | {m['abstain_p']:.3f} | {m['abstain_r']:.3f} | "
                f"{m['short']:.3f} | {m['retrieval@k']:.3f} | {m['registry_fp']:.3f} |"
            )
    results["uptime"] = os.getloadavg()
    (args.work / "answer.json").write_text(json.dumps(results, indent=2, default=str))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
