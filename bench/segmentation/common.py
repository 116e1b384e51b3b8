"""Shared helpers for the segmentation benchmarks: data loading and word-span F1."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("CAUNOI_SHARED", REPO.parent / "shared"))
UD_DIR = SHARED / "data" / "ud-vietnamese-vtb"
SEEDS = SHARED / "seeds"

Segmenter = Callable[[str], list[str]]  # sentence text -> words (syllables joined by space)


def read_conllu(path: Path) -> list[list[str]]:
    """Gold sentences as lists of words; a word's syllables are separated by single spaces."""
    sents: list[list[str]] = []
    cur: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        cur.append(" ".join(cols[1].split()))
    if cur:
        sents.append(cur)
    return sents


def read_underscored(path: Path) -> list[list[str]]:
    """A text already segmented with underscores (seed 000): one sentence per line."""
    sents = []
    for line in path.read_text(encoding="utf-8").splitlines():
        toks = line.split()
        if toks:
            sents.append([t.replace("_", " ") for t in toks])
    return sents


def spans(words: Iterable[str]) -> set[tuple[int, int]]:
    """Word spans over the sentence with all whitespace and underscores removed."""
    out = set()
    pos = 0
    for w in words:
        n = len("".join(w.replace("_", " ").split()))
        if n:
            out.add((pos, pos + n))
            pos += n
    return out


def prf(gold: list[list[str]], pred: list[list[str]]) -> tuple[float, float, float]:
    tp = ng = npred = 0
    for g, p in zip(gold, pred, strict=True):
        gs, ps = spans(g), spans(p)
        tp += len(gs & ps)
        ng += len(gs)
        npred += len(ps)
    precision = tp / npred if npred else 0.0
    recall = tp / ng if ng else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def underthesea_segmenter() -> Segmenter:
    from underthesea import word_tokenize

    def run(text: str) -> list[str]:
        return list(word_tokenize(text))

    return run


def pyvi_segmenter() -> Segmenter:
    from pyvi import ViTokenizer

    def run(text: str) -> list[str]:
        return [w.replace("_", " ") for w in ViTokenizer.tokenize(text).split()]

    return run
