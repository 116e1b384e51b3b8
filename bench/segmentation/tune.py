"""Train a candidate CRF into a temporary file and score it on the dev sets only.

    .venv/bin/python bench/segmentation/tune.py [--train train,news-vlsp:train]
        [--dev dev,news-vlsp:dev,spoken:dev] [--c1 0.1 --c2 0.001] [--keep PATH]

Used for every feature and hyper-parameter choice, so that the test parts of each genre are
never looked at while choosing. The shipped model is written by ``train_crf.py``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, prf

HERE = Path(__file__).resolve().parent

sys.path.insert(0, str(REPO / "src"))


def use_model(path: str) -> None:
    """Make vntext use the weights in ``path`` instead of its packaged model."""
    import importlib

    segment = importlib.import_module("vntext.segment")

    text = Path(path).read_text(encoding="utf-8")
    model = segment._parse_model(text)
    segment._model = lambda: model  # type: ignore[assignment]
    lex_path = Path(path).with_suffix(".words.txt")
    if lex_path.exists():
        lines = lex_path.read_text(encoding="utf-8").splitlines()
        lexicon = frozenset(w for w in lines if w and not w.startswith("#"))
        segment._lexicon = lambda: lexicon  # type: ignore[assignment]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", default="train,news-vlsp:train")
    ap.add_argument("--dev", default="dev,news-vlsp:dev,spoken:dev")
    ap.add_argument("--c1", default="0.1")
    ap.add_argument("--c2", default="0.001")
    ap.add_argument("--iterations", default="200")
    ap.add_argument("--min-weight", default="0.0001")
    ap.add_argument("--model", help="score this weights file instead of training one")
    ap.add_argument("--keep", help="also copy the trained weights here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.model or str(Path(tmp) / "ws.tsv")
        if not args.model:
            cmd = [sys.executable, str(HERE / "train_crf.py"), "--train", args.train]
            cmd += ["--c1", args.c1, "--c2", args.c2, "--iterations", args.iterations]
            cmd += ["--min-weight", args.min_weight, "--out", path]
            cmd += ["--lexicon-out", str(Path(path).with_suffix(".words.txt"))]
            subprocess.run(cmd, check=True)
        if args.keep:
            for suffix in (".tsv", ".words.txt"):
                src = Path(path).with_suffix(suffix)
                if src.exists():
                    Path(args.keep).with_suffix(suffix).write_bytes(src.read_bytes())
        size = Path(path).stat().st_size
        use_model(path)
        from evaluate import load

        from vntext.segment import segment_words

        scores = []
        for set_name in args.dev.split(","):
            gold = load(set_name)
            pred = [segment_words(" ".join(words)) for words in gold]
            f = prf(gold, pred)[2]
            scores.append(f)
            print(f"{set_name:14} F1={f:.4f}")
        print(f"mean F1={sum(scores) / len(scores):.4f}  model {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
