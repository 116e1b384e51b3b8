"""Train the stacked CRF word segmenter on the UD Vietnamese VTB *train* split.

Writes ``src/vntext/data/ws_crf.tsv`` (feature weights for labels B and I plus the transition
weights). Training needs ``python-crfsuite`` (already installed with pyvi's dependencies);
inference in vntext is pure Python and does not. The training data is CC BY-SA 4.0, so the
weights file is a derived work shipped under the same licence (see docs/vntext.md).

    .venv/bin/python bench/segmentation/train_crf.py [--c1 0.1 --c2 0.01]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path

import pycrfsuite  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO
from evaluate import load

sys.path.insert(0, str(REPO / "src"))
from vntext.normalize import normalize, place_tones
from vntext.segment import _pyvi_labels, features, lexicon_key, word_tokens

HEADER = """vntext word segmentation CRF: feature<TAB>weight(B)<TAB>weight(I)
Trained by bench/segmentation/train_crf.py on {sets}: the train split of the UD
Vietnamese-VTB treebank (UniversalDependencies/UD_Vietnamese-VTB: Nguyen Thi Luong, Ha My Linh,
Le Hong Phuong, Nguyen Thi Minh Huyen; from the VLSP Viet Treebank, Nguyen et al. 2009;
CC BY-SA 4.0) and the train part of train/Train_gold.txt of datquocnguyen/RDRsegmenter
(Viet Treebank news; Apache-2.0 repository). As a work derived from that data, this file is
licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/).
c1={c1} c2={c2}"""


DEFAULT_TRAIN = "train,news-vlsp:train"


FOLDS = 5  # the training lexicon is built jackknife-style, without the sentence's own fold
# (folds by sentence text, so that a sentence given twice is in one fold)

LEXICON_HEADER = """vntext word segmentation: multi-syllable words of the CRF's training data
(lowercased, one a line), written by bench/segmentation/train_crf.py from {sets}.
Derived from the UD Vietnamese-VTB treebank (CC BY-SA 4.0) and RDRsegmenter's Train_gold.txt
(Viet Treebank news, Apache-2.0 repository); licensed CC BY-SA 4.0."""


def gold_lexicon_words(words: list[str]) -> list[str]:
    """The sentence's multi-syllable gold words as lexicon keys."""
    out = []
    for w in words:
        syl = normalize(w).split()
        if 2 <= len(syl) <= 4 and all(x.isalpha() for x in syl):
            out.append(lexicon_key(syl))
    return out


def sentence_examples(
    words: list[str], lexicon: frozenset[str] | None = None
) -> tuple[list[list[str]], list[str]] | None:
    """Features and gold B/I labels of one gold sentence, or None if tokens cross words."""
    text = normalize(" ".join(words))
    toks = word_tokens(text)
    if not toks:
        return None
    # gold word starts in whitespace-free coordinates
    starts = set()
    pos = 0
    for w in words:
        starts.add(pos)
        pos += len("".join(normalize(w).split()))
    labels = []
    pos = 0
    for t in toks:
        n = len("".join(t.text.split()))
        labels.append("B" if pos in starts else "I")
        pos += n
    syl = [t.text for t in toks]
    pyvi = _pyvi_labels([place_tones(s, "new") for s in syl])
    return features(syl, [t.kind for t in toks], pyvi, lexicon), labels


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.001)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--train", default=DEFAULT_TRAIN, help="comma-separated sets (evaluate.py)")
    ap.add_argument("--min-weight", type=float, default=1e-4, help="drop smaller weights")
    ap.add_argument("--out", default=str(REPO / "src/vntext/data/ws_crf.tsv"))
    ap.add_argument("--lexicon-out", default=str(REPO / "src/vntext/data/ws_words.txt"))
    args = ap.parse_args()

    sentences = [words for set_name in args.train.split(",") for words in load(set_name)]
    fold_counts: list[Counter[str]] = [Counter() for _ in range(FOLDS)]
    folds = [zlib.crc32(" ".join(words).encode()) % FOLDS for words in sentences]
    for fold, words in zip(folds, sentences, strict=True):
        fold_counts[fold].update(gold_lexicon_words(words))
    total: Counter[str] = sum(fold_counts, Counter())
    lexicons = [frozenset(total - c) for c in fold_counts]  # words seen outside fold k
    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for fold, words in zip(folds, sentences, strict=True):
        ex = sentence_examples(words, lexicons[fold])
        if ex:
            trainer.append(*ex)
            n += 1
    print(f"{n} training sentences from {args.train}, lexicon of {len(total)} words")
    with open(args.lexicon_out, "w", encoding="utf-8") as fh:
        header = LEXICON_HEADER.format(sets=args.train)
        fh.write("".join(f"# {line}\n" for line in header.split("\n")))
        fh.write("".join(f"{w}\n" for w in sorted(total)))
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.possible_transitions": True,
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "model.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
    weights: dict[str, list[float]] = {}
    for (attr, label), w in info.state_features.items():
        weights.setdefault(attr, [0.0, 0.0])[0 if label == "B" else 1] = w
    trans = {(a, b): w for (a, b), w in info.transitions.items()}
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(
            "".join(
                f"# {line}\n"
                for line in HEADER.format(c1=args.c1, c2=args.c2, sets=args.train).split("\n")
            )
        )
        for src in ("B", "I"):
            fh.write(
                f"__transition_from_{src}__\t{trans.get((src, 'B'), 0.0):.4f}"
                f"\t{trans.get((src, 'I'), 0.0):.4f}\n"
            )
        for attr in sorted(weights):
            wb, wi = weights[attr]
            if abs(wb) < args.min_weight and abs(wi) < args.min_weight:
                continue
            fh.write(f"{attr}\t{wb:.4f}\t{wi:.4f}\n")
    print(f"wrote {len(weights)} features to {args.out}")


if __name__ == "__main__":
    main()
