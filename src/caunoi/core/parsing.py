"""Integers from request input. ``str.isdigit()`` accepts "²" and other Unicode digits that
``int()`` refuses (a 500), so request values are parsed here instead."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]{1,9}")  # nine digits: below 2^31, valid for every database


def parse_int(value: object) -> int | None:
    """A non-negative integer written in ASCII digits (at most nine), else ``None``."""
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None
