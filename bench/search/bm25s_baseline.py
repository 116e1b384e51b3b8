"""The peer baseline: bm25s (Lucene BM25, k1=1.5, b=0.75) over plain lowercased syllables.

No folding, no segmentation, no stop words: what a developer gets from an off-the-shelf BM25
library on Vietnamese text. Writes a TREC run like ``caunoi eval-search``.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from pathlib import Path

import bm25s

_WORD = re.compile(r"\w+")


def syllables(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--k", type=int, default=100)
    args = parser.parse_args()
    corpus = [json.loads(x) for x in Path(args.corpus).read_text(encoding="utf-8").splitlines()]
    queries = [json.loads(x) for x in Path(args.queries).read_text(encoding="utf-8").splitlines()]
    started = time.perf_counter()
    retriever = bm25s.BM25(k1=1.5, b=0.75)
    texts = [((d.get("title") or "") + " " + d["text"]).strip() for d in corpus]
    retriever.index([syllables(t) for t in texts], show_progress=False)
    index_s = time.perf_counter() - started
    k = min(args.k, len(corpus))
    lines = []
    started = time.perf_counter()
    for q in queries:
        docs, scores = retriever.retrieve([syllables(q["text"]) or ["_"]], k=k, show_progress=False)
        for rank, (i, s) in enumerate(zip(docs[0], scores[0], strict=True), 1):
            if s > 0:
                lines.append(f"{q['id']} Q0 {corpus[int(i)]['id']} {rank} {float(s):.6f} bm25s")
    per_query = (time.perf_counter() - started) / max(len(queries), 1) * 1000
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps({"index_seconds": round(index_s, 3), "query_mean_ms": round(per_query, 2)}))


if __name__ == "__main__":
    main()
