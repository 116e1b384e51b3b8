"""Tune the fusion's lexical weight on the UIT *train* questions (never on the test sets).

Runs ``caunoi eval-search --mode hybrid`` with CAUNOI_SEARCH_LEX_WEIGHT set to each value.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from evaluate import evaluate, read_qrels, read_run  # noqa: E402
from quality import run_caunoi  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", default="/tmp/caunoi-bench-search", type=Path)
    parser.add_argument("--set", default="uit-train")
    parser.add_argument("--weights", nargs="+", type=float, default=[0.3, 0.4, 0.5, 0.6, 0.7])
    args = parser.parse_args()
    qrels = read_qrels(args.work / args.set / "qrels.tsv")
    for w in args.weights:
        env = {
            **os.environ,
            "CAUNOI_EMBED_CACHE": str(args.work / "embcache"),
            "CAUNOI_SEARCH_LEX_WEIGHT": str(w),
        }
        r = run_caunoi(args.work, args.set, "hybrid", env)
        s = evaluate(qrels, read_run(Path(str(r["run"]))))
        print(f"w={w:.2f} " + " ".join(f"{k}={v:.4f}" for k, v in s.items()), flush=True)


if __name__ == "__main__":
    main()
