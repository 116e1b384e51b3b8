"""`caunoi eval-search` on a tiny corpus: a TREC run, timings on stderr, a clean store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db(transaction=True)

CORPUS = [
    {"id": "d1", "title": "Năng lượng", "text": "Hợp tác về năng lượng hạt nhân với Hoa Kỳ."},
    {"id": "d2", "text": "Thỏa thuận về bán dẫn với Hàn Quốc theo Quyết định 735/QĐ-TTg."},
    {"id": "d3", "text": "Chương trình an ninh lương thực với Nhật Bản."},
]
QUERIES = [
    {"id": "q1", "text": "nuclear energy cooperation with the US"},
    {"id": "q2", "text": "735/QD-TTg"},
    {"id": "q3", "text": "an ninh luong thuc"},
]


def write(path: Path, rows: list[dict[str, str]]) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return str(path)


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_run_file_and_timings(tmp_path: Path, capsys: Any, mode: str) -> None:
    from caunoi.search.models import SearchDocument

    out = tmp_path / "run.trec"
    call_command(
        "eval_search",
        corpus=write(tmp_path / "c.jsonl", CORPUS),
        queries=write(tmp_path / "q.jsonl", QUERIES),
        out=str(out),
        k=2,
        mode=mode,
    )
    lines = [line.split() for line in out.read_text().splitlines()]
    assert all(len(p) == 6 and p[1] == "Q0" and p[5] == f"caunoi-{mode}" for p in lines)
    top = {p[0]: p[2] for p in lines if p[3] == "1"}
    assert top["q2"] == "d2" and top["q3"] == "d3"
    if mode == "hybrid":
        assert top["q1"] == "d1"
    assert max(sum(1 for p in lines if p[0] == q) for q in top) <= 2
    timings = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert {"index_seconds", "query_p50_ms", "query_p95_ms"} <= timings.keys()
    assert not SearchDocument.objects.exists()  # the working database was not touched


def test_bad_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not found"):
        call_command(
            "eval_search", corpus="missing.jsonl", queries="q.jsonl", out=str(tmp_path / "r")
        )
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    with pytest.raises(CommandError, match="needs"):
        call_command("eval_search", corpus=str(bad), queries=str(bad), out=str(tmp_path / "r"))
