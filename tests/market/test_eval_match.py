"""`caunoi eval-match` (ARCHITECTURE.md contract): JSONL offers and requests in, a TREC run
out, timings on stderr; bad input is a clear error and a non-zero exit."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

OFFERS = [
    {"id": "o-chip", "title": "Chip design", "text": "Semiconductor chip design and "
     "packaging know-how for microcontrollers.", "lang": "en", "country": "KR", "trl": 7},
    {"id": "o-rice", "title": "Giống lúa", "text": "Giống lúa chịu mặn cho đồng bằng sông "
     "Cửu Long, năng suất cao.", "lang": "vi", "country": "JP", "trl": 8},
    {"id": "o-solar", "title": "Solar", "text": "Thin-film solar panels for rooftops.",
     "lang": "en", "country": "DE", "trl": 9},
]  # fmt: skip
REQUESTS = [
    {"id": "r-chip", "text": "Cần công nghệ thiết kế chip bán dẫn cho vi điều khiển", "lang": "vi"},
    {"id": "r-rice", "text": "salt-tolerant rice varieties for the Mekong delta", "lang": "en"},
]


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def run(tmp_path: Path, mode: str) -> list[list[str]]:
    out = tmp_path / "run.trec"
    err = io.StringIO()
    call_command(
        "eval_match",
        offers=str(write(tmp_path / "o.jsonl", OFFERS)),
        requests=str(write(tmp_path / "r.jsonl", REQUESTS)),
        out=str(out),
        k=2,
        mode=mode,
        stderr=err,
    )
    assert json.loads(err.getvalue())["requests"] == len(REQUESTS)
    return [line.split() for line in out.read_text().splitlines()]


@pytest.mark.parametrize("mode", ["hybrid", "lexical"])
def test_writes_a_trec_run_ranking_the_right_offer_first(tmp_path: Path, mode: str) -> None:
    lines = run(tmp_path, mode)
    assert all(len(line) == 6 and line[1] == "Q0" for line in lines)
    by_request: dict[str, list[str]] = {}
    for qid, _q0, docid, rank, _score, _tag in lines:
        by_request.setdefault(qid, []).append(docid)
        assert int(rank) == len(by_request[qid])
    assert all(len(docs) <= 2 for docs in by_request.values())
    assert by_request["r-chip"][0] == "o-chip"  # "chip" is written alike in both languages
    if mode == "hybrid":  # the rice request shares no word with any offer: dense tells
        assert by_request["r-rice"][0] == "o-rice"
    else:  # lexically nothing matches it ("for" and "the" are no shared subject)
        assert "r-rice" not in by_request


def test_bad_input_is_an_error_naming_the_line(tmp_path: Path) -> None:
    offers = write(tmp_path / "o.jsonl", [*OFFERS, {"id": "o-bad", "text": "x", "trl": 12}])
    requests = write(tmp_path / "r.jsonl", REQUESTS)
    with pytest.raises(CommandError, match=r"o\.jsonl.*4|4.*trl|trl"):
        call_command(
            "eval_match", offers=str(offers), requests=str(requests), out=str(tmp_path / "x")
        )
    with pytest.raises(CommandError, match="not found"):
        call_command("eval_match", offers="missing.jsonl", requests=str(requests), out="x")
