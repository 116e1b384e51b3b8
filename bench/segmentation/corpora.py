"""Loaders for word-segmented Vietnamese corpora of other genres (cross-genre evaluation).

None of these corpora is copied into the repository. Each loader reads the corpus from where
its public repository was cloned, given by an environment variable (or ``--corpora`` in the
scripts, a folder holding the clones under their repository names). A location may be a normal
checkout or a bare git directory; in the latter case files are read with ``git show`` at the
commit recorded below, so the figures can be reproduced exactly.

* ``news-vlsp`` (``VNTEXT_WS_RDRSEGMENTER``): datquocnguyen/RDRsegmenter @ e15dfca,
  ``train/Train_gold.txt``; Apache-2.0 (the repository's licence).
* ``spoken`` (``VNTEXT_WS_TUECL``): UniversalDependencies/UD_Vietnamese-TueCL @ c4461c6,
  ``vi_tuecl-ud-test.conllu``; CC BY-SA 4.0.
* ``covid`` (``VNTEXT_WS_PHONER``): VinAIResearch/PhoNER_COVID19 @ 9af190a,
  ``data/word/{train,dev,test}_word.conll``; research and education use only, no
  redistribution.

Splits (deterministic, by document or sentence index, so no sentence of a test part is ever
used for training or tuning):

* ``news-vlsp``: 2,995 lines of Tuổi Trẻ news articles (2003-2004) from the Viet Treebank in
  the VLSP convention (names joined: "Nguyễn_Duy_Hùng"). Documents start at a timestamp line
  ("2004/03/16 22:06:26"), which is metadata and dropped. Document ``i``: ``i % 10`` in {0, 1}
  → test, {2, 3} → dev, otherwise train.
* ``spoken``: the 100 sentences of the TueCL treebank (subtitles, talks, educational videos),
  UD convention, gold by hand. Too small to train on: sentence ``i`` with ``i % 4 == 3`` → dev
  (25), the other 75 → test; it has no train part.
* ``covid``: COVID-19 news (PhoNER_COVID19), word level. Its words come from RDRsegmenter
  (VnCoreNLP) with entity spans kept whole, not from hand annotation, so it measures agreement
  with the VnCoreNLP convention (that of seed 000), a silver standard. Its licence allows
  research use only and forbids redistribution: it is used here for evaluation only, never for
  training the shipped weights. Its own splits are kept (test: 3,000 sentences).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path


class CorpusMissing(Exception):
    """The corpus is not on this machine (its location variable is unset or wrong)."""


SOURCES = {
    "news-vlsp": (
        "VNTEXT_WS_RDRSEGMENTER",
        "datquocnguyen/RDRsegmenter",
        "e15dfcaca292af2e049a9ef5a258fedf4dc236e6",
    ),
    "spoken": (
        "VNTEXT_WS_TUECL",
        "UniversalDependencies/UD_Vietnamese-TueCL",
        "c4461c65d4875a9bf85517ea83eae82e470cd198",
    ),
    "covid": (
        "VNTEXT_WS_PHONER",
        "VinAIResearch/PhoNER_COVID19",
        "9af190aa76adcfad0a2d14fab9bcab2b252c9c2e",
    ),
}

GENRES = tuple(SOURCES)
CORPORA_DIR = os.environ.get("VNTEXT_WS_CORPORA", "")


def _location(genre: str) -> Path:
    var, repo, _ = SOURCES[genre]
    value = os.environ.get(var)
    if value:
        return Path(value)
    if CORPORA_DIR:
        base = Path(CORPORA_DIR)
        for name in (repo.replace("/", "+"), repo.split("/")[1], repo.replace("/", "_")):
            if (base / name).exists():
                loc = base / name
                return loc / "repo" if (loc / "repo").is_dir() else loc
    raise CorpusMissing(f"{genre}: set {var} (a clone of {repo}) or VNTEXT_WS_CORPORA")


def read_text(genre: str, path: str) -> str:
    """A file of the genre's repository: from a checkout, or ``git show`` from a git dir."""
    loc = _location(genre)
    _, repo, commit = SOURCES[genre]
    if (loc / path).is_file():
        return (loc / path).read_text(encoding="utf-8")
    git_dir = loc / ".git" if (loc / ".git").exists() else loc
    try:
        out = subprocess.run(
            ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise CorpusMissing(f"{genre}: cannot read {path} of {repo} at {loc}") from exc
    return out.stdout.decode("utf-8")


def _conllu_sentences(text: str) -> list[list[str]]:
    sents: list[list[str]] = []
    cur: list[str] = []
    for line in text.splitlines():
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


_TIMESTAMP_RE = re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}$")


def _news_vlsp(split: str) -> list[list[str]]:
    docs: list[list[list[str]]] = []
    for line in read_text("news-vlsp", "train/Train_gold.txt").splitlines():
        line = line.strip()
        if not line:
            continue
        if _TIMESTAMP_RE.match(line) or not docs:
            docs.append([])
            if _TIMESTAMP_RE.match(line):
                continue
        docs[-1].append([w.replace("_", " ") for w in line.split()])
    out = []
    for i, doc in enumerate(docs):
        part = "test" if i % 10 in (0, 1) else "dev" if i % 10 in (2, 3) else "train"
        if part == split:
            out.extend(doc)
    return out


def _spoken(split: str) -> list[list[str]]:
    sents = _conllu_sentences(read_text("spoken", "vi_tuecl-ud-test.conllu"))
    if split == "train":
        return []
    out = []
    for i, s in enumerate(sents):
        part = "test" if i % 4 != 3 else "dev"
        if part == split:
            out.append(s)
    return out


def _covid(split: str) -> list[list[str]]:
    text = read_text("covid", f"data/word/{split}_word.conll")
    sents: list[list[str]] = []
    cur: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        cur.append(line.split()[0].replace("_", " "))
    if cur:
        sents.append(cur)
    return sents


def load(genre: str, split: str) -> list[list[str]]:
    """Gold sentences of a genre's split as lists of words (syllables separated by spaces)."""
    if split not in ("train", "dev", "test"):
        raise ValueError(split)
    loaders = {"news-vlsp": _news_vlsp, "spoken": _spoken, "covid": _covid}
    return loaders[genre](split)
