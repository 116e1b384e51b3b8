"""Vietnamese alphabetical order (the collation key for sorting names).

The Vietnamese alphabet puts ă and â after a, đ after d, ê after e, ô and ơ after o, ư after
u; tones are compared only when the letters tie, in the dictionary order: no mark, grave
(huyền), hook (hỏi), tilde (ngã), acute (sắc), dot below (nặng). A plain code-point sort puts
"Á", "Đ" and "Ô" after "Y"; ``sort_key`` does not.
"""

from __future__ import annotations

import unicodedata

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Combining marks that make a letter of its own (breve, circumflex, horn) and tone marks.
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str) -> list[tuple[int, int, str]]:
    """(letter rank, tone, fallback char) per base character of ``text``."""
    out: list[tuple[int, int, str]] = []
    for ch in unicodedata.normalize("NFD", text.casefold()):
        if unicodedata.combining(ch):
            if not out:
                continue
            rank, tone, base = out[-1]
            if ch in _TONES:
                out[-1] = (rank, _TONES[ch], base)
            elif base in "aeo" and ch == "\u0302":
                new = {"a": "â", "e": "ê", "o": "ô"}[base]
                out[-1] = (_RANK[new], tone, new)
            elif base == "a" and ch in _LETTER_MARKS:
                new = _LETTER_MARKS[ch]
                out[-1] = (_RANK[new], tone, new)
            elif base in "ou" and ch == "\u031b":  # horn
                new = {"o": "ơ", "u": "ư"}[base]
                out[-1] = (_RANK[new], tone, new)
            continue
        if ch == "đ":
            out.append((_RANK["đ"], 0, ch))
        elif ch in _RANK:
            out.append((_RANK[ch], 0, ch))
        elif ch.isspace():
            out.append((-1, 0, " "))  # a space sorts before any letter: "Ba Lan" < "Bahamas"
        else:
            out.append((len(_ALPHABET) + ord(ch), 0, ch))
    return out


def sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """A key that sorts Vietnamese text alphabetically: letters first, then tones."""
    letters = _letters(text)
    return (tuple(r for r, _, _ in letters), tuple(t for _, t, _ in letters), text)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_BASE = len(_DIGITS)
_OFFSET = _BASE * _BASE  # every letter code starts with "1" or later; "0" separates the tones
_MAX = _BASE**3 - _OFFSET - 1


def sort_string(text: str, *, max_letters: int = 72) -> str:
    """``sort_key`` as a string that sorts the same way by plain byte order, for a database
    column: each letter's rank as three base-36 characters (at least ``100``), then ``0``,
    then one digit per tone. Only ``0-9a-z`` are used, so locale collations (which ignore
    punctuation) order it as the bytes do too. Texts longer than ``max_letters`` letters
    are compared on their first ``max_letters``."""
    letters = _letters(text)[:max_letters]
    parts = []
    for rank, _tone, _ch in letters:
        value = min(rank + 2, _MAX) + _OFFSET  # the space (-1) becomes the smallest
        parts.append(
            _DIGITS[value // _BASE**2] + _DIGITS[value // _BASE % _BASE] + _DIGITS[value % _BASE]
        )
    return "".join(parts) + "0" + "".join(str(t) for _r, t, _c in letters)
