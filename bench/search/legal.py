"""Convert public Vietnamese legal retrieval sets into corpus.jsonl / queries.jsonl / qrels.tsv.

- ``alqac-dev`` / ``alqac-test``: ALQAC 2023 (Automated Legal Question Answering Competition,
  task 1, legal document retrieval). The corpus is every article of the 17 laws of its legal
  corpus (2,249 articles: the Civil Code, the Constitution, the laws on marriage and family,
  education, tourism, drugs, …); an article's title is "<law>, Điều <n>. <heading>", its
  text the article's body. Queries are the labelled questions: true/false statements
  ("…, đúng hay sai?"), multiple-choice stems and open questions. ``alqac-dev`` is the
  training file (100 queries; tune on it only), ``alqac-test`` the private test file (110
  queries; report it). A query's relevant passages are its ``relevant_articles``.
- ``uit-reg-dev`` / ``uit-reg-test``: the regulations part of uit-regulation-wiki-qa (the
  visible shared set): the train / test questions whose passage is a university regulation,
  against the whole UIT corpus (169 passages, regulations and Wikipedia).

The ALQAC files are read from a git repository brought onto this machine (``--alqac`` or
``CAUNOI_ALQAC_REPO``: its git directory or a checkout) at ``--alqac-commit`` — by default the
public repository DucLong06/ALQAC2023, which carries the competition's files in ``data/``.
Nothing is copied into this repository; the converted sets go to ``--out`` with a
``SOURCE.json`` naming the repository, commit and paths they came from. The competition
distributed its data for research without a stated licence: keep the converted files
local.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from convert import _pid, _write, shared  # noqa: E402

ALQAC_REPO = "DucLong06/ALQAC2023"
ALQAC_LAW = "data/training/all_articles_2023.json"
ALQAC_SPLITS = {"alqac-dev": "data/raw/train.json", "alqac-test": "data/raw/private_test.json"}


def _git(repo: Path, *args: str) -> bytes:
    git_dir = repo / ".git" if (repo / ".git").exists() else repo
    return subprocess.check_output(["git", f"--git-dir={git_dir}", *args])


def _doc_id(key: str) -> str:
    """A TREC-safe id ("Luật_Du_lịch@11"): run files split on spaces."""
    return key.replace(" ", "_")


def alqac(out: Path, repo: Path, commit: str) -> None:
    commit = _git(repo, "rev-parse", commit).decode().strip()
    articles: dict[str, str] = json.loads(_git(repo, "show", f"{commit}:{ALQAC_LAW}"))
    corpus = []
    for key, body in articles.items():
        law, number = key.rsplit("@", 1)
        heading, _, text = body.partition("\n")
        corpus.append(
            {
                "id": _doc_id(key),
                "title": f"{law}, Điều {number}. {heading.strip()}",
                "text": text.strip(),
            }
        )
    sources: dict[str, Any] = {
        "repository": f"https://github.com/{ALQAC_REPO}",
        "commit": commit,
        "corpus": ALQAC_LAW,
    }
    for name, path in ALQAC_SPLITS.items():
        rows = json.loads(_git(repo, "show", f"{commit}:{path}"))
        queries, qrels = [], []
        for n, q in enumerate(rows):
            rel = [f"{r['law_id']}@{r['article_id']}" for r in q.get("relevant_articles", [])]
            rel = [_doc_id(r) for r in rel if r in articles]
            if not rel:
                continue
            qid = f"{name}-{n}-{q['question_id']}"
            queries.append({"id": qid, "text": q["text"], "type": q.get("question_type", "")})
            qrels.extend((qid, r) for r in rel)
        _write(out, name, corpus, queries, qrels)
        sources[name] = path
    (out / "alqac-SOURCE.json").write_text(json.dumps(sources, indent=1, ensure_ascii=False))


def uit_regulations(out: Path) -> None:
    base = shared("uit-regulation-wiki-qa")
    corpus: dict[str, dict[str, Any]] = {}
    queries: dict[str, list[dict[str, Any]]] = {"train": [], "test": []}
    qrels: dict[str, list[tuple[str, str]]] = {"train": [], "test": []}
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
                    if part != "reg":
                        continue
                    for k, qa in enumerate(para["qas"]):
                        qid = f"{split}-reg-{pid}-{k}"
                        queries[split].append({"id": qid, "text": qa["question"]})
                        qrels[split].append((qid, pid))
    _write(out, "uit-reg-dev", list(corpus.values()), queries["train"], qrels["train"])
    _write(out, "uit-reg-test", list(corpus.values()), queries["test"], qrels["test"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="/tmp/caunoi-bench-search", type=Path)
    parser.add_argument("--alqac", default=os.environ.get("CAUNOI_ALQAC_REPO", ""))
    parser.add_argument("--alqac-commit", default="HEAD")
    args = parser.parse_args()
    uit_regulations(args.out)
    if not args.alqac:
        message = "ALQAC: no repository given (--alqac or CAUNOI_ALQAC_REPO)"
        if os.environ.get("CI") == "true":
            raise SystemExit(message)
        print(f"skip: {message}", file=sys.stderr)
        return
    alqac(args.out, Path(args.alqac), args.alqac_commit)


if __name__ == "__main__":
    main()
