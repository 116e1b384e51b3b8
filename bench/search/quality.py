"""Retrieval quality: caunoi eval-search (lexical, dense, hybrid) and bm25s on each set.

Usage: python bench/search/quality.py [--sets uit xquad-en-vi xquad-vi-en] [--modes ...]
Needs the converted sets (bench/search/convert.py). Embeddings are cached by text in
$WORK/embcache (CAUNOI_EMBED_CACHE), so the dense and hybrid runs embed each corpus once;
the cache does not change any score. Writes $WORK/results.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from evaluate import evaluate, read_qrels, read_run  # noqa: E402

# The venv that runs this script (the project's .venv in the documented commands).
BIN = Path(sys.executable).parent
CAUNOI = str(BIN / "caunoi")
PYTHON = sys.executable


def run_caunoi(work: Path, name: str, mode: str, env: dict[str, str]) -> dict[str, object]:
    d = work / name
    out = d / f"run-{mode}.trec"
    with tempfile.TemporaryDirectory() as cwd:
        started = time.perf_counter()
        proc = subprocess.run(
            [
                CAUNOI,
                "eval-search",
                "--corpus",
                str(d / "corpus.jsonl"),
                "--queries",
                str(d / "queries.jsonl"),
                "--out",
                str(out),
                "--k",
                "100",
                "--mode",
                mode,
            ],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode:
        raise SystemExit(f"eval-search failed on {name}/{mode}:\n{proc.stderr}")
    timings = json.loads(proc.stderr.strip().splitlines()[-1])
    timings["wall_seconds"] = round(time.perf_counter() - started, 1)
    return {"run": str(out), "timings": timings}


def run_bm25s(work: Path, name: str) -> dict[str, object]:
    d = work / name
    out = d / "run-bm25s.trec"
    proc = subprocess.run(
        [
            PYTHON,
            str(HERE / "bm25s_baseline.py"),
            "--corpus",
            str(d / "corpus.jsonl"),
            "--queries",
            str(d / "queries.jsonl"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return {"run": str(out), "timings": json.loads(proc.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", default="/tmp/caunoi-bench-search", type=Path)
    parser.add_argument("--sets", nargs="+", default=["uit", "xquad-en-vi", "xquad-vi-en"])
    parser.add_argument("--modes", nargs="+", default=["bm25s", "lexical", "dense", "hybrid"])
    args = parser.parse_args()
    env = {**os.environ, "CAUNOI_EMBED_CACHE": str(args.work / "embcache")}
    results_path = args.work / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    for name in args.sets:
        if not (args.work / name / "qrels.tsv").exists():
            raise SystemExit(f"{args.work / name} missing: run bench/search/convert.py first")
        qrels = read_qrels(args.work / name / "qrels.tsv")
        for mode in args.modes:
            r = (
                run_bm25s(args.work, name)
                if mode == "bm25s"
                else run_caunoi(args.work, name, mode, env)
            )
            r["scores"] = evaluate(qrels, read_run(Path(str(r["run"]))))
            results.setdefault(name, {})[mode] = r
            results_path.write_text(json.dumps(results, indent=1))
            s = r["scores"]
            print(
                f"{name:12} {mode:8} "
                + " ".join(f"{k}={v:.3f}" for k, v in s.items())
                + f"  {r['timings']}",
                flush=True,
            )
    print("\n| set | system | MRR@10 | nDCG@10 | Recall@10 |\n|---|---|---|---|---|")
    for name, by_mode in results.items():
        for mode, r in by_mode.items():
            s = r["scores"]
            print(
                f"| {name} | {mode} | {s['MRR@10']:.3f} | {s['nDCG@10']:.3f} | "
                f"{s['Recall@10']:.3f} |"
            )


if __name__ == "__main__":
    main()
