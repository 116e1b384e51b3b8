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
prefix) once per paragraph and read through the knowledge base's float16 storage
(``caunoi.kb.sentences``), as the assistant reads them; the question's embedding is the
one the ranking computed.

Out-of-corpus questions: for a random 30% of the questions (seeded), the gold paragraph is
removed from the candidates — as if the knowledge base did not hold it, the ranking otherwise
unchanged (scores are only used relative to the best remaining one). The assistant should
abstain on those.

Halves: the weights and the two abstention thresholds (Vietnamese questions, questions in
another language) are chosen on the *development* questions — UIT's train split (its test
split's 27 paragraphs are not among the train split's 142) and XQuAD paragraphs x000–x119 —
and the figures are reported on the others: UIT's whole test split, XQuAD x120–x239.
Tuning maximises the mean of (i) the share of in-corpus questions answered with a first
sentence that contains a gold answer and (ii) the share of out-of-corpus questions abstained;
the answerability check is then fitted on the inputs the product computes (the same
functions ``answer`` calls, ``kbanswer.lead_sentence`` and ``kbanswer.check_inputs``, so the
same cosine floor), and its threshold is the one that answers the most dev questions while
every set keeps strict supported answers >= .78 and abstention recall >= .83 on its dev
questions (``tune_check``: the goals .75 / .80 with headroom, set before the deciding run).
The check is fitted twice: for this run's ordering, and for the shipped ordering
(``kb.assistant.CONFIG`` with only the check refitted: the candidate to ship).

Metrics, on the held-out questions of each set:

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
                        for n, qa in enumerate(para["qas"]):
                            questions.append(
                                {
                                    "id": f"{split}-{pid}-{n}",
                                    "text": qa["question"],
                                    "gold": pid,
                                    "answers": [a["text"] for a in qa["answers"]],
                                    # tuned on the train questions; the test
                                    # questions give the figures, all of them
                                    "dev": split == "train",
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
    from django.db import transaction

    from caunoi.core.audience import PUBLIC
    from caunoi.search import dense, lexical, ranking
    from caunoi.search.indexing import bulk_write_documents
    from caunoi.search.management.commands.eval_search import throwaway_store
    from caunoi.search.models import SearchDocument
    from caunoi.search.sources import DocData
    from kbanswer import retrieval_query, split

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
            # as the assistant retrieves: an English question with its words' Vietnamese
            # renderings (kbanswer.retrieval_query)
            query = retrieval_query(q["text"])
            ranked, _ = ranking.rank(query, mode="hybrid", limit=100, dense_limit=100)
            latencies.append(time.perf_counter() - t0)
            hits = [(pids[by_pk[r.doc_id]], r.score) for r in ranked if r.strong][:k]
            rows.append({**q, "hits": hits, "qvec": dense.embed_query(q["text"])})
        sentence_vectors = {}
        for pid in pids:
            text = data["corpus"][pid]
            sents = [text[s:e] for s, e in split(text)]
            # As the assistant reads them: stored after ingestion as float16
            # (caunoi.kb.sentences), renormalised.
            sentence_vectors[pid] = stored_form(dense.embed_passages(sents))
    print(
        f"{name}: {len(pids)} passages, {len(rows)} questions, "
        f"{time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return {"rows": rows, "vectors": sentence_vectors, "corpus": data["corpus"]}


def stored_form(vectors: Any) -> Any:
    """Sentence vectors through the knowledge base's storage (float16 and back)."""
    from caunoi.kb import sentences

    return sentences.decode(sentences.encode(vectors), len(vectors))


def term_vectors(collected: dict[str, Any]) -> None:
    """Each English question's terms that are not names or numbers, embedded (``query:``
    side) for the cross-lingual alignment; kept in the rows (and the embedding cache)."""
    from caunoi.search import dense
    from kbanswer import analyze

    for row in collected["rows"]:
        if "tvec" in row:
            continue
        q = analyze(row["text"])
        row["tvec"] = {}
        if q.foreign:
            names = set(q.names)
            for t in q.terms:
                if t.isalpha() and t not in names and len(t) > 2:
                    row["tvec"][t] = dense.embed_query(t)


def _f1(pred: str, gold: str) -> float:
    from collections import Counter

    from kbanswer.question import words

    p, g = words(pred), words(gold)
    common = sum((Counter(p) & Counter(g)).values())
    if not common:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def _em(pred: str, gold: str) -> float:
    from kbanswer.question import words

    return float(words(pred) == words(gold))


def evaluate(
    collected: dict[str, Any], cfg: Any, *, dev: bool, n_candidates: int, align: bool = True
) -> dict[str, float]:
    from kbanswer import Candidate, answer, answer_span, parse_registry_question
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
    span_sums = dict.fromkeys(
        ("em1_sent", "f1_sent", "em1_span", "f1_span", "em3_span", "f1_3_span"), 0.0
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
        a = answer(
            row["text"],
            candidates,
            question_vector=row["qvec"],
            term_vectors=row.get("tvec") if align else None,
            config=cfg,
        )
        times.append(time.perf_counter() - t0)
        counts["registry"] += parse_registry_question(row["text"]) is not None
        if out:
            counts["n_out"] += 1
            counts["abstain_tp"] += a.abstained
            continue
        counts["n_in"] += 1
        counts["retrieved"] += any(pid == row["gold"] for pid, _ in hits)
        gold = [search_key(g) for g in row["answers"] if g.strip()]
        golds = [g for g in row["answers"] if g.strip()]

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
        spans = []
        for s in shown[:3]:
            x, y = answer_span(a.question, s.text)
            spans.append(s.text[x:y])
        span_sums["em1_sent"] += max(_em(first.text, g) for g in golds)
        span_sums["f1_sent"] += max(_f1(first.text, g) for g in golds)
        span_sums["em1_span"] += max(_em(spans[0], g) for g in golds)
        span_sums["f1_span"] += max(_f1(spans[0], g) for g in golds)
        span_sums["em3_span"] += max(_em(p, g) for p in spans for g in golds)
        span_sums["f1_3_span"] += max(_f1(p, g) for p in spans for g in golds)
    n_in = max(counts["n_in"], 1)
    n_out = max(counts["n_out"], 1)
    abstained = counts["abstain_tp"] + counts["abstain_fp"]
    answered_all = counts["answered"] + counts["n_out"] - counts["abstain_tp"]
    return {
        "in_corpus": counts["n_in"],
        "out_of_corpus": counts["n_out"],
        "acc@1": counts["acc1"] / n_in,
        "acc@3": counts["acc3"] / n_in,
        "answered_acc": counts["answered_ok"] / max(counts["answered"], 1),
        # every answer given, out-of-corpus ones too: the share a gold answer supports
        "supported": counts["answered_ok"] / max(answered_all, 1),
        "cite": counts["cite"] / n_in,
        "abstain_p": counts["abstain_tp"] / abstained if abstained else 0.0,
        "abstain_r": counts["abstain_tp"] / n_out,
        "false_answer": 1 - counts["abstain_tp"] / n_out,
        "short": counts["short"] / max(counts["answered"], 1),
        "retrieval@k": counts["retrieved"] / n_in,
        "registry_fp": counts["registry"] / (counts["n_in"] + counts["n_out"] or 1),
        # exact match and token F1 against the gold answers, in-corpus questions (an
        # abstention scores 0): the first sentence; the span (answer_span) of the first
        # sentence; the best of the spans of the three sentences acc@3 looks at
        **{k: v / n_in for k, v in span_sums.items()},
        # answer() alone (candidates and embeddings given), ms; measured under load
        "answer_p50_ms": 1000 * sorted(times)[len(times) // 2] if times else 0.0,
        "answer_p95_ms": 1000 * sorted(times)[int(len(times) * 0.95)] if times else 0.0,
    }


def objective(m: dict[str, float]) -> float:
    return (m["acc@1"] + m["abstain_r"]) / 2


def row_candidates(
    collected: dict[str, Any], row: dict[str, Any], held: bool, n_candidates: int
) -> list[Any]:
    """A question's retrieved passages as the assistant's candidates; for a held-out
    (out-of-corpus) question its gold passage is left out."""
    from kbanswer import Candidate

    hits = [h for h in row["hits"] if not (held and h[0] == row["gold"])][:n_candidates]
    return [
        Candidate(
            key=pid,
            text=collected["corpus"][pid],
            score=score,
            sentence_vectors=collected["vectors"][pid],
        )
        for pid, score in hits
    ]


def features(collected: dict[str, Any], n_candidates: int) -> list[dict[str, Any]]:
    """Per dev question, every candidate sentence's score components (``score_sentences``
    with the default configuration; only the weights change between trials), whether it
    holds a gold answer, and the question's kind — so a trial costs a few array operations.
    The reported figures come from ``answer()`` itself (``evaluate``)."""
    import numpy as np

    from kbanswer import Config, analyze, score_sentences
    from vntext import search_key

    out = []
    neutral = Config(align_floor=0.75)
    for row in collected["rows"]:
        if not row["dev"]:
            continue
        held = row["id"] in collected["holdout"]
        cands = row_candidates(collected, row, held, n_candidates)
        q = analyze(row["text"])
        scored = score_sentences(
            q, cands, question_vector=row["qvec"], term_vectors=row.get("tvec"), config=neutral
        )
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
                    s.context,
                    s.passage,
                    s.names,
                    s.aligned,
                    s.rank,
                ]
                for s in scored
            ]
        ).reshape(-1, 11)
        ok = np.array([any(g in search_key(s.text) for g in gold) for s in scored], dtype=bool)
        expected = q.expect.value not in ("none", "list", "definition")
        out.append(
            {
                "f": f,
                "ok": ok,
                "out": held,
                "foreign": q.foreign,
                "empty": not q.terms,
                "expected": expected,
            }
        )
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
            score = (
                support + cfg.w_retrieval * f[:, 4] + cfg.w_rank * f[:, 5] + cfg.w_aligned * f[:, 9]
            )
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


def tune(sets: dict[str, dict[str, Any]], n_candidates: int) -> tuple[Any, dict[str, Any]]:
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
    # The alignment's weight in the ordering, on the English questions (the only ones with
    # term vectors).
    foreign_sets = {k: v for k, v in feats.items() if any(x["foreign"] for x in v)}
    if foreign_sets:
        trials = []
        for w in (0.0, 0.25, 0.5, 1.0, 2.0):
            c = replace(cfg, w_aligned=w)
            acc = sum(fast(f, c, foreign=True)["acc@1"] for f in foreign_sets.values())
            trials.append((acc / len(foreign_sets), -w, c))
        acc, _, cfg = max(trials, key=lambda t: (t[0], t[1]))
        print(f"w_aligned = {cfg.w_aligned} (dev acc@1 {acc:.3f})", file=sys.stderr)
    cfg = tune_support(feats, cfg)
    return tune_check(sets, cfg, n_candidates)


L2 = 0.01  # the logistic fit's ridge, on standardised inputs


def _sets_of(names: list[str]) -> list[str]:
    """The sets a language group is judged on: those with at least a fifth of their dev
    questions in it (a few English XQuAD questions of names only read as Vietnamese ones)."""
    from collections import Counter

    counts = Counter(names)
    return sorted(n for n, k in counts.items() if k >= 30)


def check_rows(
    sets: dict[str, dict[str, Any]], cfg: Any, n_candidates: int
) -> list[dict[str, Any]]:
    """Per dev question, the answerability check's inputs exactly as the product computes
    them: the sentences ranked by ``score_sentences`` under ``cfg``, the lead sentence
    ``answer`` would give (``kbanswer.lead_sentence``) and ``kbanswer.check_inputs`` of it —
    the same function ``answer`` calls, so the same cosine floor and the same margin and gap.
    ``x`` is None when ``answer`` abstains before the check."""
    import numpy as np

    from kbanswer import analyze, check_inputs, lead_sentence, score_sentences
    from vntext import search_key

    out = []
    for name, c in sets.items():
        for row in c["rows"]:
            if not row["dev"]:
                continue
            held = row["id"] in c["holdout"]
            cands = row_candidates(c, row, held, n_candidates)
            q = analyze(row["text"])
            ranked = score_sentences(
                q, cands, question_vector=row["qvec"], term_vectors=row.get("tvec"), config=cfg
            )
            best = lead_sentence(q, ranked)
            base = {"set": name, "out": held, "foreign": q.foreign}
            if best is None:
                out.append({**base, "x": None, "ok": False})
                continue
            gold = [search_key(g) for g in row["answers"] if g.strip()]
            holds = any(g in search_key(best.text) for g in gold)
            x = np.array(check_inputs(q, ranked, best))
            out.append({**base, "x": x, "ok": holds and not held})
    return out


def fit_logistic(x: Any, y: Any, w: Any, l2: float = 1e-3, steps: int = 3000) -> Any:
    """Weighted logistic regression by gradient descent on standardised inputs; the weights
    returned apply to the raw inputs (the first column is the intercept)."""
    import numpy as np

    mu = x[:, 1:].mean(0)
    sd = x[:, 1:].std(0)
    sd[sd == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x[:, 1:] - mu) / sd])
    beta = np.zeros(z.shape[1])
    w = w / w.sum()
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ beta)))
        grad = z.T @ (w * (p - y)) + l2 * np.r_[0.0, beta[1:]]
        beta -= 1.0 * grad
    raw = np.r_[beta[0] - (beta[1:] * mu / sd).sum(), beta[1:] / sd]
    return raw


GOAL_SUPPORTED = 0.75  # the goal, strict reading (out-of-corpus answers count)
GOAL_ABSTAINED = 0.80
# What the threshold must keep on the dev half: the goals plus headroom, so that a threshold
# fitted to the edge of the goal on one half (.751) does not fall under it on the other.
# Set before the run that decides whether the refitted check ships.
TUNE_SUPPORTED = 0.78
TUNE_ABSTAINED = 0.83


def tune_check(
    sets: dict[str, dict[str, Any]], cfg: Any, n_candidates: int
) -> tuple[Any, dict[str, Any]]:
    """The answerability check for ``cfg``'s ordering: per question language a logistic
    weighting of the lead sentence's check inputs (``check_rows``: the product's own
    features) fitted on the dev half (target: in-corpus and the sentence holds a gold answer;
    each set weighs the same), then its threshold: among the thresholds under which every
    set of the language keeps, on its dev questions, strict supported answers (answers
    holding a gold answer over all answers given, out-of-corpus ones included) at least .78
    and abstention recall at least .83 (the issue's goals .75 / .80 with headroom,
    ``TUNE_SUPPORTED`` / ``TUNE_ABSTAINED``), the one that answers the most
    (mean share of each set's questions answered); when none does, the one with the best
    worst-set strict supported rate among those meeting the recall goal (or the best when
    none meets it either)."""
    import numpy as np

    rows = check_rows(sets, cfg, n_candidates)
    thresholds = np.arange(0.02, 0.98, 0.01)
    report = {}
    for foreign in (False, True):
        group = [r for r in rows if r["foreign"] == foreign]
        if not group:
            continue
        usable = [r for r in group if r["x"] is not None]
        x = np.stack([r["x"] for r in usable])
        y = np.array([r["ok"] for r in usable], dtype=float)
        names = _sets_of([r["set"] for r in group])
        per = {n: sum(1 for r in usable if r["set"] == n) for n in names}
        w = np.array([1.0 / per[r["set"]] if r["set"] in per else 0.0 for r in usable])
        beta = fit_logistic(x, y, w, l2=L2)
        prob = np.array(
            [1 / (1 + np.exp(-(r["x"] @ beta))) if r["x"] is not None else -1.0 for r in group]
        )
        ok = np.array([r["ok"] for r in group])
        out = np.array([r["out"] for r in group])
        answered = prob[None, :] >= thresholds[:, None]  # thresholds x questions
        share = np.zeros(len(thresholds))
        worst_sup = np.ones(len(thresholds))
        worst_rec = np.ones(len(thresholds))
        for name in names:
            m = np.array([r["set"] == name for r in group])
            given = answered[:, m].sum(1)
            sup = (answered[:, m] & ok[m]).sum(1) / np.maximum(given, 1)
            rec = (~answered[:, m & out]).sum(1) / max((m & out).sum(), 1)
            share += given / m.sum() / len(names)
            worst_sup = np.minimum(worst_sup, np.where(given > 0, sup, 0.0))
            worst_rec = np.minimum(worst_rec, rec)
        met = (worst_sup >= TUNE_SUPPORTED) & (worst_rec >= TUNE_ABSTAINED)
        if met.any():
            i = int(np.argmax(np.where(met, share, -1.0)))
        elif (worst_rec >= TUNE_ABSTAINED).any():
            i = int(np.argmax(np.where(worst_rec >= TUNE_ABSTAINED, worst_sup, -1.0)))
        else:
            i = int(np.argmax(worst_sup + worst_rec))
        t = round(float(thresholds[i]), 2)
        weights = tuple(round(float(b), 4) for b in beta)
        if foreign:
            cfg = replace(cfg, check_foreign=weights, check_below_foreign=t)
        else:
            cfg = replace(cfg, check=weights, check_below=t)
        lang = "foreign" if foreign else "vi"
        report[lang] = {
            "sets": names,
            "below": t,
            "answered_share": float(share[i]),
            "worst_supported": float(worst_sup[i]),
            "worst_abstain_r": float(worst_rec[i]),
            "goal_met": bool(met[i]),
        }
        print(
            f"check ({lang}, {'/'.join(names)}): below {t:.2f}, dev answered "
            f"{share[i]:.3f}, worst strict supported {worst_sup[i]:.3f}, worst abstention "
            f"recall {worst_rec[i]:.3f} (goal met on dev: {bool(met[i])}), weights {weights}",
            file=sys.stderr,
        )
    return cfg, report


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
                    + cfg.w_aligned * f[:, 9]
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
        names = _sets_of([g[0] for g in group])
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
    parser.add_argument("--out", type=Path, help="also write the results here (bench/results)")
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
    for c in collected.values():
        term_vectors(c)
    saved.write_bytes(pickle.dumps(collected))
    cfg, dev_report = tune(collected, args.candidates)
    from caunoi.kb.assistant import CONFIG as PRODUCT
    from kbanswer import Config

    # The shipped ordering and support weights, the check refitted on their own features
    # (dev half only): the candidate to ship, decided on before the held-out half is read.
    refit, refit_report = tune_check(collected, PRODUCT, args.candidates)
    results: dict[str, Any] = {
        "config": cfg.__dict__,
        "refit_config": refit.__dict__,
        "dev": {"tuned this run": dev_report, "product, check refitted": refit_report},
        "sets": {},
    }
    previous = replace(cfg, check=(), check_foreign=())
    ablations = {
        "tuned this run (dev half)": (cfg, True),
        "product config (kb.assistant.CONFIG)": (PRODUCT, True),
        "product, check refitted (dev half)": (refit, True),
        "support threshold (no check)": (previous, True),
        "no alignment": (replace(cfg, w_aligned=0.0), False),
        "no semantic": (replace(cfg, w_semantic=0.0, a_semantic=0.0, a_semantic_foreign=0.0), True),
        "no cue": (replace(cfg, w_cue=0.0, a_cue=0.0), True),
        "defaults": (Config(), False),
    }
    lines = [
        "| set | variant | in / out | acc@1 | acc@3 | answered acc | supported | cite | "
        "abstain P | abstain R | ≤600 | EM@1 sent | F1@1 sent | EM@1 span | F1@1 span | "
        "EM@3 span | F1@3 span | retrieval@5 | registry FP |",
        "|---|---|---|" + "---:|" * 17,
    ]
    keys = (
        "acc@1", "acc@3", "answered_acc", "supported", "cite", "abstain_p", "abstain_r",
        "short", "em1_sent", "f1_sent", "em1_span", "f1_span", "em3_span", "f1_3_span",
        "retrieval@k", "registry_fp",
    )  # fmt: skip
    for name, c in collected.items():
        results["sets"][name] = {}
        for label, (variant, align) in ablations.items():
            m = evaluate(c, variant, dev=False, n_candidates=args.candidates, align=align)
            results["sets"][name][label] = m
            cells = " | ".join(f"{m[k]:.3f}" for k in keys)
            lines.append(
                f"| {name} | {label} | {m['in_corpus']} / {m['out_of_corpus']} | {cells} |"
            )
    results["load_average"] = os.getloadavg()
    text = json.dumps(results, indent=2, default=str)
    (args.work / "answer.json").write_text(text)
    if args.out:
        args.out.write_text(text)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
