"""Entry points behind ``caunoi extract FILE|-`` and ``caunoi segment FILE|-``.

Both read UTF-8 text from a file or from standard input ("-"), write UTF-8 to standard output
and return a process exit code: 0 on success, 2 with a message on standard error when the input
is missing, unreadable, a directory or not UTF-8 text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from vntext.extract import extract
from vntext.segment import segment

EXIT_BAD_INPUT = 2


class InputError(Exception):
    """The input cannot be read as UTF-8 text."""


def read_text(path: str) -> str:
    """The text of ``path`` ("-" for standard input), or :class:`InputError`."""
    if path == "-":
        data = sys.stdin.buffer.read()
        where = "standard input"
    else:
        p = Path(path)
        where = str(p)
        if not p.exists():
            raise InputError(f"{where}: no such file")
        if p.is_dir():
            raise InputError(f"{where}: is a directory, expected a text file")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"{where}: cannot read ({exc.strerror or exc})") from exc
    if b"\x00" in data[:8192]:
        raise InputError(f"{where}: looks like a binary file; expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where}: not valid UTF-8 (byte {exc.start}); convert it to UTF-8 text first"
        ) from exc


def _write(out: str) -> None:
    sys.stdout.buffer.write(out.encode("utf-8"))
    sys.stdout.buffer.flush()


def extract_main(path: str) -> int:
    """Print the JSON of :func:`vntext.extract.extract` for the file (or "-")."""
    try:
        text = read_text(path)
    except InputError as exc:
        print(f"caunoi extract: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    _write(json.dumps(extract(text), ensure_ascii=False, indent=2) + "\n")
    return 0


def segment_main(path: str) -> int:
    """Print one sentence per line, words separated by spaces, syllables joined by "_"."""
    try:
        text = read_text(path)
    except InputError as exc:
        print(f"caunoi segment: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    lines = [" ".join(words) for words in segment(text)]
    _write("".join(line + "\n" for line in lines))
    return 0
