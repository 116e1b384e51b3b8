"""The functions behind ``caunoi extract`` and ``caunoi segment``."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from vntext.cli import extract_main, segment_main

SNIPPET = "Thực hiện Quyết định số 1851/QĐ-TTg ngày 27/12/2018 của Thủ tướng Chính phủ, Hàn Quốc."


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_extract_file(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    f = tmp_path / "doc.txt"
    f.write_text(SNIPPET, encoding="utf-8")
    assert extract_main(str(f)) == 0
    out = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert set(out) == {"legal_refs", "countries", "organizations", "amounts", "dates"}
    (ref,) = out["legal_refs"]
    assert ref["number"] == "1851/QĐ-TTg" and ref["issuer"] == "TTg" and ref["date"] == "2018-12-27"
    assert SNIPPET[ref["start"] : ref["end"]] == ref["text"]
    assert [c["iso2"] for c in out["countries"]] == ["KR"]


def test_segment_stdin(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(SNIPPET.encode("utf-8")))
    assert segment_main("-") == 0
    lines = capsysbinary.readouterr().out.decode("utf-8").splitlines()
    assert len(lines) == 1
    assert "Quyết_định" in lines[0].split() and "1851/QĐ-TTg" in lines[0].split()


def test_bad_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert extract_main(str(tmp_path / "missing.txt")) == 2
    assert "no such file" in capsys.readouterr().err
    assert segment_main(str(tmp_path)) == 2
    assert "directory" in capsys.readouterr().err
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02PK")
    assert extract_main(str(binary)) == 2
    assert "binary" in capsys.readouterr().err
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Hợp tác".encode("utf-16-le").replace(b"\x00", b"") + b"\xff")
    assert segment_main(str(latin)) == 2
    assert "UTF-8" in capsys.readouterr().err
