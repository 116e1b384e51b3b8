"""Paired bootstrap over sentences: is vntext's F1 gain over each baseline more than noise?

    .venv/bin/python bench/segmentation/bootstrap.py [--sets test,seed000] [--samples 2000]

For each set, every system segments every sentence once; then sentences are resampled with
replacement and the F1 difference (vntext minus baseline) recomputed on each resample. Prints
the observed difference, its 95% interval and the share of resamples where vntext is not better.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import pyvi_segmenter, spans, underthesea_segmenter
from evaluate import load, vntext_segmenter


def counts(gold: list[list[str]], pred: list[list[str]]) -> list[tuple[int, int, int]]:
    out = []
    for g, p in zip(gold, pred, strict=True):
        gs, ps = spans(g), spans(p)
        out.append((len(gs & ps), len(gs), len(ps)))
    return out


def f1(rows: list[tuple[int, int, int]]) -> float:
    tp = sum(r[0] for r in rows)
    ng = sum(r[1] for r in rows)
    npred = sum(r[2] for r in rows)
    return 2 * tp / (ng + npred) if ng + npred else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="test,seed000")
    ap.add_argument("--samples", type=int, default=2000)
    args = ap.parse_args()
    rng = random.Random(13)
    systems = {
        "vntext": vntext_segmenter(),
        "pyvi": pyvi_segmenter(),
        "underthesea": underthesea_segmenter(),
    }
    for set_name in args.sets.split(","):
        gold = load(set_name)
        texts = [" ".join(w) for w in gold]
        rows = {name: counts(gold, [seg(t) for t in texts]) for name, seg in systems.items()}
        n = len(gold)
        for base in ("pyvi", "underthesea"):
            observed = f1(rows["vntext"]) - f1(rows[base])
            diffs = []
            for _ in range(args.samples):
                idx = [rng.randrange(n) for _ in range(n)]
                diffs.append(
                    f1([rows["vntext"][i] for i in idx]) - f1([rows[base][i] for i in idx])
                )
            diffs.sort()
            lo, hi = diffs[int(0.025 * len(diffs))], diffs[int(0.975 * len(diffs)) - 1]
            not_better = sum(d <= 0 for d in diffs) / len(diffs)
            print(
                f"{set_name:8} vntext - {base:11} = {observed:+.4f} "
                f"95% CI [{lo:+.4f}, {hi:+.4f}]  P(not better) = {not_better:.3f}"
            )


if __name__ == "__main__":
    main()
