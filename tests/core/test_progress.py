"""Command progress: one line per tenth when the output is not a terminal, one line rewritten
in place when it is."""

from __future__ import annotations

import io

from caunoi.core.progress import ProgressLine


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_not_a_terminal_gets_a_line_per_tenth() -> None:
    out = io.StringIO()
    progress = ProgressLine("embed", out)
    for done in range(16, 1333, 16):
        progress(done, 1333)
    progress(1333, 1333)
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue() and out.getvalue().endswith("\n")
    assert all(line.startswith("embed: ") and line.count("/") == 1 for line in lines)
    assert 9 <= len(lines) <= 11  # not one per update (83 of them)
    assert lines[-1] == "embed: 1333/1333"


def test_a_terminal_gets_one_line_rewritten() -> None:
    out = _Terminal()
    progress = ProgressLine("embed", out)
    progress(16, 32)
    progress(32, 32)
    assert out.getvalue() == "\rembed: 16/32\rembed: 32/32\n"
