"""The cross-genre corpus loaders of bench/segmentation, on small hand-made stand-ins."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "segmentation"


@pytest.fixture()
def corpora(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.syspath_prepend(str(BENCH))
    module = importlib.import_module("corpora")
    return module


def _news_file(docs: int) -> str:
    lines = []
    for d in range(docs):
        lines.append(f"2004/03/{d + 1:02d} 22:06:26")
        lines.append(f"Bài số {d} về khoa_học và công_nghệ")
        lines.append(f"Nguyễn_Duy_Hùng cho_biết {d} .")
    return "\n".join(lines) + "\n"


def test_news_splits_by_document_and_drop_timestamps(
    corpora, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "train").mkdir()
    (tmp_path / "train" / "Train_gold.txt").write_text(_news_file(20), encoding="utf-8")
    monkeypatch.setenv("VNTEXT_WS_RDRSEGMENTER", str(tmp_path))
    parts = {s: corpora.load("news-vlsp", s) for s in ("train", "dev", "test")}
    assert [len(parts[s]) for s in ("train", "dev", "test")] == [24, 8, 8]  # 12/4/4 documents
    sentences = [" ".join(w) for s in parts.values() for w in s]
    assert len(set(sentences)) == len(sentences)  # no sentence in two parts
    assert not any("22:06:26" in s for s in sentences)
    first = parts["test"][0]
    assert first == ["Bài", "số", "0", "về", "khoa học", "và", "công nghệ"]
    assert parts["test"][1] == ["Nguyễn Duy Hùng", "cho biết", "0", "."]


def test_reads_a_bare_git_directory_at_the_recorded_commit(
    corpora, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    conllu = (
        "# text = Cô ấy đi\n1\tCô ấy\t_\t_\t_\t_\t0\troot\t_\t_\n2\tđi\t_\t_\t_\t_\t1\tx\t_\t_\n\n"
    )
    (work / "vi_tuecl-ud-test.conllu").write_text(conllu * 8, encoding="utf-8")
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org")
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def git(*args: str) -> str:
        out = subprocess.run(
            ["git", *args], cwd=work, check=True, capture_output=True, text=True, env=env
        )
        return out.stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "x")
    commit = git("rev-parse", "HEAD")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    var, repo, _ = corpora.SOURCES["spoken"]
    monkeypatch.setitem(corpora.SOURCES, "spoken", (var, repo, commit))
    monkeypatch.setenv(var, str(bare))
    test, dev = corpora.load("spoken", "test"), corpora.load("spoken", "dev")
    assert (len(test), len(dev), corpora.load("spoken", "train")) == (6, 2, [])
    assert test[0] == ["Cô ấy", "đi"]


def test_missing_corpus_says_which_variable(
    corpora, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("VNTEXT_WS_TUECL", raising=False)
    monkeypatch.setattr(corpora, "CORPORA_DIR", str(tmp_path))
    with pytest.raises(corpora.CorpusMissing, match="VNTEXT_WS_TUECL"):
        corpora.load("spoken", "test")
    assert sys.modules["corpora"] is corpora
