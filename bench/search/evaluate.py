"""MRR@10, nDCG@10 and Recall@10 of a TREC run against binary qrels (qid 0 docid rel)."""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from pathlib import Path


def read_qrels(path: Path) -> dict[str, set[str]]:
    rel: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        qid, _, docid, grade = line.split()
        if int(grade) > 0:
            rel[qid].add(docid)
    return rel


def read_run(path: Path) -> dict[str, list[str]]:
    ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        qid, _, docid, rank, _score, _tag = line.split()
        ranked[qid].append((int(rank), docid))
    return {q: [d for _, d in sorted(v)] for q, v in ranked.items()}


def evaluate(
    qrels: dict[str, set[str]], run: dict[str, list[str]], k: int = 10
) -> dict[str, float]:
    """Means over every query in the qrels (a query with no results scores 0)."""
    mrr = ndcg = recall = 0.0
    for qid, relevant in qrels.items():
        docs = run.get(qid, [])[:k]
        for i, d in enumerate(docs):
            if d in relevant:
                mrr += 1 / (i + 1)
                break
        dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(docs) if d in relevant)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
        ndcg += dcg / ideal
        recall += len(relevant.intersection(docs)) / len(relevant)
    n = len(qrels) or 1
    return {f"MRR@{k}": mrr / n, f"nDCG@{k}": ndcg / n, f"Recall@{k}": recall / n}


if __name__ == "__main__":
    scores = evaluate(read_qrels(Path(sys.argv[1])), read_run(Path(sys.argv[2])))
    print(" ".join(f"{k}={v:.4f}" for k, v in scores.items()))
