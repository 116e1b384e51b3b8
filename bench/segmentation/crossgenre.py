"""Cross-genre word segmentation table: vntext against pyvi and underthesea on every genre.

    VNTEXT_WS_CORPORA=/path/to/clones .venv/bin/python bench/segmentation/crossgenre.py \
        [--sets test,news-vlsp:test,spoken:test,covid:test,seed000] [--samples 2000] [--json]

For each held-out set every system segments every sentence once (same rebuilt text, same
word-span F1 as ``evaluate.py``); then sentences are resampled with replacement (paired
bootstrap, ``--samples`` resamples, seed 13) to give a 95% interval for the F1 difference
between vntext and the best peer on that set. Genres whose corpus is not on the machine are
skipped with a note (see ``corpora.py`` for where each comes from).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bootstrap import counts, f1
from common import REPO, prf, pyvi_segmenter, underthesea_segmenter
from corpora import CorpusMissing
from evaluate import load, vntext_segmenter

sys.path.insert(0, str(REPO / "src"))

LABELS = {
    "test": "UD VTB test (news, UD)",
    "news-vlsp:test": "news, VLSP convention",
    "spoken:test": "spoken (UD TueCL)",
    "covid:test": "COVID news (silver, VnCoreNLP)",
    "seed000": "policy article (seed 000)",
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="test,news-vlsp:test,spoken:test,covid:test,seed000")
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    systems = {
        "vntext": vntext_segmenter(),
        "pyvi": pyvi_segmenter(),
        "underthesea": underthesea_segmenter(),
    }
    rows = []
    for set_name in args.sets.split(","):
        try:
            gold = load(set_name)
        except CorpusMissing as exc:
            print(f"skipped {set_name}: {exc}", file=sys.stderr)
            continue
        texts = [" ".join(w) for w in gold]
        preds = {name: [seg(t) for t in texts] for name, seg in systems.items()}
        scores = {name: prf(gold, p) for name, p in preds.items()}
        per_sent = {name: counts(gold, p) for name, p in preds.items()}
        best = max(("pyvi", "underthesea"), key=lambda s: scores[s][2])
        rng = random.Random(13)
        n = len(gold)
        diffs = []
        for _ in range(args.samples):
            idx = [rng.randrange(n) for _ in range(n)]
            diffs.append(
                f1([per_sent["vntext"][i] for i in idx]) - f1([per_sent[best][i] for i in idx])
            )
        diffs.sort()
        lo, hi = diffs[int(0.025 * len(diffs))], diffs[int(0.975 * len(diffs)) - 1]
        row = {
            "set": set_name,
            "label": LABELS.get(set_name, set_name),
            "sentences": n,
            "syllables": sum(len(t.split()) for t in texts),
            **{f"{name}_f1": round(s[2], 4) for name, s in scores.items()},
            **{f"{name}_p": round(s[0], 4) for name, s in scores.items()},
            **{f"{name}_r": round(s[1], 4) for name, s in scores.items()},
            "best_peer": best,
            "diff": round(scores["vntext"][2] - scores[best][2], 4),
            "ci95": [round(lo, 4), round(hi, 4)],
            "p_not_better": round(sum(d <= 0 for d in diffs) / len(diffs), 3),
        }
        rows.append(row)
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
    if not args.json:
        print("| set | sentences | underthesea | pyvi | vntext | vntext − best peer [95% CI] |")
        print("|---|---:|---:|---:|---:|---|")
        for r in rows:
            print(
                f"| {r['label']} | {r['sentences']:,} | {r['underthesea_f1']:.4f} | "
                f"{r['pyvi_f1']:.4f} | **{r['vntext_f1']:.4f}** | {r['diff']:+.4f} "
                f"({r['best_peer']}) [{r['ci95'][0]:+.4f}, {r['ci95'][1]:+.4f}] |"
            )


if __name__ == "__main__":
    main()
