"""Paired bootstrap of the MRR@10 difference between two runs on the same queries.

Usage: python bench/search/paired.py QRELS RUN_A RUN_B [--half first|second]
Prints the mean difference (A − B), its 95 % interval (10,000 resamples of the queries) and
how many queries A ranks better, worse or the same. ``--half`` keeps the XQuAD queries whose
paragraph is in the first (x000–x119, used for tuning) or second half (held out).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evaluate import read_qrels, read_run


def reciprocal_rank(docs: list[str], relevant: set[str], k: int = 10) -> float:
    for i, d in enumerate(docs[:k]):
        if d in relevant:
            return 1 / (i + 1)
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("qrels", type=Path)
    parser.add_argument("run_a", type=Path)
    parser.add_argument("run_b", type=Path)
    parser.add_argument("--half", choices=("first", "second"))
    args = parser.parse_args()
    qrels = read_qrels(args.qrels)
    a, b = read_run(args.run_a), read_run(args.run_b)
    diffs = []
    for qid, relevant in sorted(qrels.items()):
        if args.half:
            first = int(re.match(r"x(\d+)", min(relevant)).group(1)) < 120  # type: ignore[union-attr]
            if first != (args.half == "first"):
                continue
        diffs.append(
            reciprocal_rank(a.get(qid, []), relevant) - reciprocal_rank(b.get(qid, []), relevant)
        )
    rng = random.Random(7)
    n = len(diffs)
    means = sorted(sum(rng.choices(diffs, k=n)) / n for _ in range(10_000))
    print(
        f"queries={n} diff={sum(diffs) / n:+.4f} "
        f"95%CI=[{means[250]:+.4f}, {means[9750]:+.4f}] "
        f"better={sum(d > 0 for d in diffs)} worse={sum(d < 0 for d in diffs)} "
        f"same={sum(d == 0 for d in diffs)}"
    )


if __name__ == "__main__":
    main()
