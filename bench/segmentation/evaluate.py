"""Word-span F1 and throughput of vntext's segmenter against underthesea and pyvi alone.

    .venv/bin/python bench/segmentation/evaluate.py [--sets test,dev,seed000] [--systems ...]

Each gold sentence is rebuilt as plain text (syllables separated by single spaces, seed 000's
underscores removed) and given to every segmenter as one sentence. A word is scored by its
character span in the sentence with all whitespace and underscores removed, so the systems'
different handling of punctuation and numbers cannot shift the comparison. F1 is micro-averaged
over words. Throughput counts whitespace-separated syllables of the input (punctuation
included) per second of wall time on one core, after a warm-up sentence.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpora
from common import (
    REPO,
    SEEDS,
    UD_DIR,
    Segmenter,
    prf,
    pyvi_segmenter,
    read_conllu,
    read_underscored,
    underthesea_segmenter,
)

sys.path.insert(0, str(REPO / "src"))


def vntext_segmenter() -> Segmenter:
    from vntext.segment import segment_words

    def run(text: str) -> list[str]:
        return segment_words(text)

    return run


def pyvi_protected_segmenter() -> Segmenter:
    """Ablation: vntext's normalisation and protected spans, but pyvi's labels without the
    stacked CRF (shows what the CRF adds on top of protection)."""
    from vntext.normalize import normalize, place_tones
    from vntext.segment import _pyvi_labels, word_tokens

    def run(text: str) -> list[str]:
        toks = word_tokens(normalize(text))
        labels = _pyvi_labels([place_tones(t.text, "new") for t in toks])
        words: list[str] = []
        for i, (tok, lab) in enumerate(zip(toks, labels, strict=True)):
            joinable = i > 0 and tok.kind == "word" and toks[i - 1].kind == "word"
            if lab == "I_W" and joinable and words:
                words[-1] += " " + tok.text
            else:
                words.append(tok.text)
        return words

    return run


def underthesea_protected_segmenter() -> Segmenter:
    """Ablation: underthesea run on the stretches between vntext's protected tokens."""
    from underthesea import word_tokenize

    from vntext.normalize import normalize
    from vntext.segment import word_tokens

    def run(text: str) -> list[str]:
        words: list[str] = []
        stretch: list[str] = []
        for tok in word_tokens(normalize(text)):
            if tok.kind in ("word", "punct"):
                stretch.append(tok.text)
                continue
            if stretch:
                words.extend(word_tokenize(" ".join(stretch)))
                stretch = []
            words.append(tok.text)
        if stretch:
            words.extend(word_tokenize(" ".join(stretch)))
        return words

    return run


SYSTEMS = {
    "underthesea": underthesea_segmenter,
    "pyvi": pyvi_segmenter,
    "pyvi+protect": pyvi_protected_segmenter,
    "underthesea+protect": underthesea_protected_segmenter,
    "vntext": vntext_segmenter,
}


def load(name: str) -> list[list[str]]:
    """A gold set: ``train``/``dev``/``test`` (UD VTB), ``seed000``, or ``GENRE:SPLIT`` for the
    other genres of ``corpora.py`` (``news-vlsp:test``, ``spoken:test``, ``covid:test``)."""
    if name in ("train", "dev", "test"):
        return read_conllu(UD_DIR / f"vi_vtb-ud-{name}.conllu")
    if name == "seed000":
        return read_underscored(next(SEEDS.glob("000_*.txt")))
    if ":" in name:
        genre, split = name.split(":", 1)
        if genre in corpora.GENRES:
            return corpora.load(genre, split)
    raise SystemExit(f"unknown set {name}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="test,seed000")
    ap.add_argument("--systems", default="underthesea,pyvi,underthesea+protect,pyvi+protect,vntext")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = []
    for set_name in args.sets.split(","):
        gold = load(set_name)
        texts = [" ".join(words) for words in gold]
        n_syl = sum(len(t.split()) for t in texts)
        for sys_name in args.systems.split(","):
            seg = SYSTEMS[sys_name]()
            seg(texts[0])  # warm-up: model loading is not throughput
            t0 = time.perf_counter()
            pred = [seg(t) for t in texts]
            dt = time.perf_counter() - t0
            p, r, f = prf(gold, pred)
            row = {
                "set": set_name,
                "system": sys_name,
                "sentences": len(gold),
                "syllables": n_syl,
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f, 4),
                "syllables_per_s": round(n_syl / dt),
            }
            rows.append(row)
            if args.json:
                print(json.dumps(row))
            else:
                print(
                    f"{set_name:8} {sys_name:20} P={p:.4f} R={r:.4f} F1={f:.4f} "
                    f"{n_syl / dt:9.0f} syl/s"
                )


if __name__ == "__main__":
    main()
