"""Fusion experiments offline: collect each query's lexical, dense and crossing candidates once
(the product's analyzer, index, planner and dense search, as ``caunoi eval-search`` runs them),
then score fusion rules on them in memory.

Usage: python bench/search/fusion_lab.py --set uit-train [--set ...] [--half first|second]
Needs the converted sets (convert.py); embeddings are cached in $WORK/embcache as quality.py
does. Prints MRR@10 and top-1 for dense, the shipped fusion (``ranking.fuse``), naive RRF
(k = 60) and the variants below.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def setup(work: Path) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
    os.environ.setdefault("CAUNOI_EMBED_CACHE", str(work / "embcache"))
    django.setup()


def collect(work: Path, name: str) -> list[dict[str, Any]]:
    from django.db import transaction

    from caunoi.core.audience import PUBLIC
    from caunoi.search import dense, lexical, ranking
    from caunoi.search.indexing import bulk_write_documents
    from caunoi.search.management.commands.eval_search import throwaway_store
    from caunoi.search.models import SearchDocument
    from caunoi.search.sources import DocData

    d = work / name
    corpus = [json.loads(line) for line in (d / "corpus.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (d / "queries.jsonl").open(encoding="utf-8")]
    rows = []
    with throwaway_store():
        with transaction.atomic():
            bulk_write_documents(
                "passage",
                (
                    (
                        n,
                        DocData(
                            title=str(r.get("title") or ""), body=str(r["text"]), audience=(PUBLIC,)
                        ),
                    )
                    for n, r in enumerate(corpus)
                ),
            )
        lexical.sync()
        dense.embed_pending(batch=32)
        by_pk = dict(SearchDocument.objects.values_list("pk", "object_id"))

        def ids(hits: list[tuple[int, float]]) -> list[tuple[str, float]]:
            return [(str(corpus[by_pk[i]]["id"]), s) for i, s in hits]

        for q in queries:
            text = ranking.clip_query(str(q["text"]))[0]
            p = ranking.plan(text)
            lex = ranking.lexical_rank(p, limit=100, reader=None, kinds=None)
            den = dense.search(text, limit=100, reader=None, kinds=None)
            crossing = ranking.crossing_rank(p, limit=100, reader=None, kinds=None)
            rows.append(
                {
                    "id": q["id"],
                    "lex": ids(lex),
                    "den": ids(den),
                    "crossing": ids(crossing),
                    "coverage": p.coverage,
                    "viet": p.viet_share,
                    "exact": p.exact_coverage,
                }
            )
    return rows


_IDS: dict[str, int] = {}
_BACK: dict[int, str] = {}


def hash_id(d: str) -> int:
    """An int for a document id (``ranking.fuse`` ranks ints)."""
    if d not in _IDS:
        _IDS[d] = len(_IDS)
        _BACK[_IDS[d]] = d
    return _IDS[d]


def _rr(ranked: list[str], relevant: set[str]) -> float:
    for i, d in enumerate(ranked[:10]):
        if d in relevant:
            return 1 / (i + 1)
    return 0.0


def rrf(row: dict[str, Any], k: int = 60) -> list[str]:
    score: dict[str, float] = {}
    for hits in (row["lex"], row["den"]):
        for n, (d, _) in enumerate(hits):
            score[d] = score.get(d, 0.0) + 1 / (k + n + 1)
    return sorted(score, key=lambda d: -score[d])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", default="/tmp/caunoi-bench-search", type=Path)
    parser.add_argument("--set", action="append", required=True)
    parser.add_argument("--half", choices=("first", "second"))
    parser.add_argument("--near-tie", nargs="*", type=float, default=[])
    args = parser.parse_args()
    setup(args.work)
    from evaluate import read_qrels

    from caunoi.search import ranking

    for name in args.set:
        cache = args.work / name / "fusion-candidates.json"
        rows = json.loads(cache.read_text()) if cache.exists() else None
        if rows is None:
            rows = collect(args.work, name)
            cache.write_text(json.dumps(rows))
        qrels = read_qrels(args.work / name / "qrels.tsv")
        if args.half:
            rows = [
                r
                for r in rows
                if (int(re.match(r"x(\d+)", min(qrels[r["id"]])).group(1)) < 120)  # type: ignore[union-attr]
                == (args.half == "first")
            ]

        def fused(row: dict[str, Any], fuse: Any = ranking.fuse) -> list[str]:
            return [
                _BACK[r.doc_id]
                for r in fuse(
                    [(hash_id(d), s) for d, s in row["lex"]],
                    [(hash_id(d), s) for d, s in row["den"]],
                    row["coverage"] * row["viet"] * row.get("exact", 1.0),
                    [(hash_id(d), s) for d, s in row["crossing"]],
                    1.0 - row["viet"],
                )
            ]

        def legacy(row: dict[str, Any]) -> list[str]:
            """The fusion before this round: no near-tie taper, no exact coverage."""
            saved = ranking.NEAR_TIE
            ranking.NEAR_TIE = 1e9
            try:
                return [
                    _BACK[r.doc_id]
                    for r in ranking.fuse(
                        [(hash_id(d), s) for d, s in row["lex"]],
                        [(hash_id(d), s) for d, s in row["den"]],
                        row["coverage"] * row["viet"],
                        [(hash_id(d), s) for d, s in row["crossing"]],
                        1.0 - row["viet"],
                    )
                ]
            finally:
                ranking.NEAR_TIE = saved

        systems: dict[str, Any] = {
            "lexical": lambda r: [d for d, _ in r["lex"]],
            "dense": lambda r: [d for d, _ in r["den"]],
            "rrf": rrf,
            "legacy": legacy,
            "hybrid": fused,
        }
        for tie in args.near_tie:
            systems[f"tie={tie}"] = lambda r, tie=tie: _with_tie(tie, lambda: fused(r))
        dense_rr = [_rr(systems["dense"](r), qrels[r["id"]]) for r in rows]
        for sname, fn in systems.items():
            rrs = [_rr(fn(r), qrels[r["id"]]) for r in rows]
            top1 = sum(1 for x in rrs if x == 1.0) / len(rrs)
            diffs = [a - b for a, b in zip(rrs, dense_rr, strict=True)]
            print(
                f"{name:18} {sname:10} MRR@10={sum(rrs) / len(rrs):.4f} top1={top1:.4f} "
                f"vs dense {sum(diffs) / len(diffs):+.4f} "
                f"({sum(d > 0 for d in diffs)} better / {sum(d < 0 for d in diffs)} worse)",
                flush=True,
            )


def _with_tie(tie: float, fn: Any) -> Any:
    from caunoi.search import ranking

    saved = ranking.NEAR_TIE
    ranking.NEAR_TIE = tie
    try:
        return fn()
    finally:
        ranking.NEAR_TIE = saved


if __name__ == "__main__":
    main()
