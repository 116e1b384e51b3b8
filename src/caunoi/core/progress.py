"""Progress of a long command on stderr ("embed: 160/1333").

On a terminal the line is rewritten in place; anywhere else (a log file, a pipe, CI) each
update that crosses another tenth of the total is a line of its own, so the output never runs
together as "embed: 16/1333embed: 32/1333…".
"""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressLine:
    """``progress(done, total)`` callable writing "label: done/total"."""

    def __init__(self, label: str, stream: TextIO | None = None, *, steps: int = 10) -> None:
        self.label = label
        self.stream = stream
        self.steps = max(1, steps)
        self._last_step = -1

    def __call__(self, done: int, total: int) -> None:
        stream = self.stream or sys.stderr
        tty = bool(getattr(stream, "isatty", lambda: False)())
        if tty:
            stream.write(f"\r{self.label}: {done}/{total}")
            if done >= total:
                stream.write("\n")
            stream.flush()
            return
        step = self.steps if total <= 0 or done >= total else done * self.steps // total
        if step == self._last_step:
            return
        self._last_step = step
        stream.write(f"{self.label}: {done}/{total}\n")
        stream.flush()
