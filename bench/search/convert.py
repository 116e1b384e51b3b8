"""Convert the shared QA sets into retrieval sets: corpus.jsonl, queries.jsonl, qrels.tsv.

- uit: every distinct paragraph of uit-regulation-wiki-qa (train and test files) is the
  corpus; the *test* questions are the queries (``uit-train``: the train questions, used only
  to tune the fusion weight); a question's relevant passage is its own paragraph.
- xquad-en-vi: English questions against the Vietnamese paragraphs of XQuAD.
- xquad-vi-en: Vietnamese questions against the English paragraphs (the reverse).
- xquad-short-en-vi / xquad-short-vi-en: short sentences against their translations — each
  English question of XQuAD against the 1,190 Vietnamese questions (its own translation is
  the relevant one), and the reverse. Document ids carry the paragraph ("x007-<id>"), so the
  tuning half (x000–x119) and the held-out half stay those of the paragraph sets.

The data stays in ../shared/data; the converted files go to --out (outside the repository by
default).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = (HERE / ".." / ".." / ".." / "shared" / "data").resolve()


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing (the shared data sets are not present)"
        if os.environ.get("CI") == "true":
            raise SystemExit(message)
        print(f"skip: {message}", file=sys.stderr)
        raise SystemExit(0)
    return path


def _write(
    out: Path,
    name: str,
    corpus: list[dict[str, Any]],
    queries: list[dict[str, Any]],
    qrels: list[tuple[str, str]],
) -> None:
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    with (d / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for row in corpus:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (d / "queries.jsonl").open("w", encoding="utf-8") as fh:
        for row in queries:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (d / "qrels.tsv").open("w", encoding="utf-8") as fh:
        for qid, docid in qrels:
            fh.write(f"{qid}\t0\t{docid}\t1\n")
    print(f"{name}: {len(corpus)} passages, {len(queries)} queries", file=sys.stderr)


def _pid(text: str) -> str:
    return "p" + hashlib.sha1(text.encode()).hexdigest()[:12]


def uit(out: Path) -> None:
    base = shared("uit-regulation-wiki-qa")
    corpus: dict[str, dict[str, Any]] = {}
    split_queries: dict[str, list[dict[str, Any]]] = {"test": [], "train": []}
    split_qrels: dict[str, list[tuple[str, str]]] = {"test": [], "train": []}
    seen: set[str] = set()
    for split in ("train", "test"):
        for part in ("reg", "wiki"):
            data = json.loads((base / f"{split}_{part}.json").read_text(encoding="utf-8"))
            for article in data["data"]:
                for para in article["paragraphs"]:
                    pid = _pid(para["context"])
                    corpus.setdefault(
                        pid,
                        {"id": pid, "title": article.get("title") or "", "text": para["context"]},
                    )
                    for qa in para["qas"]:
                        qid = str(qa.get("id") or "").strip()
                        if not qid or qid in seen:  # 15 test questions have no id
                            qid = f"{split}-{part}-{len(seen)}"
                        seen.add(qid)
                        split_queries[split].append({"id": qid, "text": qa["question"]})
                        split_qrels[split].append((qid, pid))
    _write(out, "uit", list(corpus.values()), split_queries["test"], split_qrels["test"])
    _write(out, "uit-train", list(corpus.values()), split_queries["train"], split_qrels["train"])


def xquad(out: Path) -> None:
    base = shared("xquad-vi-en")
    vi = json.loads((base / "xquad.vi.json").read_text(encoding="utf-8"))
    en = json.loads((base / "xquad.en.json").read_text(encoding="utf-8"))
    paras = {
        "vi": [p for a in vi["data"] for p in a["paragraphs"]],
        "en": [p for a in en["data"] for p in a["paragraphs"]],
    }
    for q_lang, d_lang in (("en", "vi"), ("vi", "en")):
        corpus, queries, qrels = [], [], []
        for n, (qp, dp) in enumerate(zip(paras[q_lang], paras[d_lang], strict=True)):
            assert [q["id"] for q in qp["qas"]] == [q["id"] for q in dp["qas"]]
            pid = f"x{n:03d}"
            corpus.append({"id": pid, "text": dp["context"]})
            for qa in qp["qas"]:
                queries.append({"id": qa["id"], "text": qa["question"]})
                qrels.append((qa["id"], pid))
        _write(out, f"xquad-{q_lang}-{d_lang}", corpus, queries, qrels)
    for q_lang, d_lang in (("en", "vi"), ("vi", "en")):
        corpus, queries, qrels = [], [], []
        for n, (qp, dp) in enumerate(zip(paras[q_lang], paras[d_lang], strict=True)):
            for qq, dq in zip(qp["qas"], dp["qas"], strict=True):
                pid = f"x{n:03d}-{dq['id']}"
                corpus.append({"id": pid, "text": dq["question"]})
                queries.append({"id": qq["id"], "text": qq["question"]})
                qrels.append((qq["id"], pid))
        _write(out, f"xquad-short-{q_lang}-{d_lang}", corpus, queries, qrels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="/tmp/caunoi-bench-search", type=Path)
    args = parser.parse_args()
    uit(args.out)
    xquad(args.out)


if __name__ == "__main__":
    main()
