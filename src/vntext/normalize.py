"""Normalisation and folding of Vietnamese text for indexing and matching.

``normalize`` gives one canonical spelling of the same text (NFC, one tone-mark placement,
clean whitespace, PDF artefacts removed); ``fold`` removes every diacritic (including đ→d) and
lowercases; ``search_key`` also unifies spelling variants (qui/quy, kĩ/kỹ) so that a query and a
document written with different conventions meet. Display text is never replaced: extraction
works on a normalised view and maps offsets back with :func:`normalize_with_offsets`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

ToneStyle = Literal["old", "new"]

# The five Vietnamese tone marks as combining characters (grave, acute, tilde, hook, dot below).
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Vowel-quality marks that stay on their letter: circumflex, breve, horn.
_QUALITY = frozenset("\u0302\u0306\u031b")
_VOWELS = frozenset("aeiouy")
_VALID_QUALITY = {
    "a": ("\u0302", "\u0306"),
    "e": ("\u0302",),
    "o": ("\u0302", "\u031b"),
    "u": ("\u031b",),
}
_CODAS = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})

# Characters that PDF extraction and word processors leave behind.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), "")
_SPACES = dict.fromkeys(
    map(
        ord,
        "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
        "\u202f\u205f\u3000\t\x0b\x0c",
    ),
    " ",
)
_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2212"), "-")
_VOWEL_LETTERS = "aăâeêioôơuưy"


def _vowel_classes() -> tuple[str, str]:
    plain, toned = [], []
    for v in _VOWEL_LETTERS + _VOWEL_LETTERS.upper():
        plain.append(v)
        for tone in sorted(_TONES):
            toned.append(unicodedata.normalize("NFC", v + tone))
    return "".join(plain + toned), "".join(toned)


_ANY_VOWEL, _TONED_VOWEL = _vowel_classes()
# Only a tone mark next to another vowel can be misplaced: "hoà", "qúy", not "hàng".
_CANDIDATE_PAIR_RE = re.compile(rf"[{_TONED_VOWEL}][{_ANY_VOWEL}]|[{_ANY_VOWEL}][{_TONED_VOWEL}]")


def _letters(nfd: str) -> list[tuple[str, str]]:
    """Split a decomposed word into (base letter, combining marks) pairs."""
    out: list[tuple[str, str]] = []
    for ch in nfd:
        if unicodedata.combining(ch) and out:
            base, marks = out[-1]
            out[-1] = (base, marks + ch)
        else:
            out.append((ch, ""))
    return out


def _tone_index(bases: str, marks: list[str], style: ToneStyle) -> int | None:
    """Index of the letter that carries the tone in a Vietnamese syllable, or None."""
    n = len(bases)
    i = 0
    while i < n and bases[i] not in _VOWELS:
        i += 1
    if i == n:
        return None
    # "qu" and "gi" onsets: the u / i belongs to the onset when another vowel follows.
    followed_by_vowel = i + 1 < n and bases[i + 1] in _VOWELS
    qu_onset = i > 0 and bases[i - 1] == "q" and bases[i] == "u"
    gi_onset = i == 1 and bases[0] == "g" and bases[i] == "i" and not marks[i]
    if followed_by_vowel and (qu_onset or gi_onset):
        i += 1
    j = i
    while j < n and bases[j] in _VOWELS:
        j += 1
    if bases[j:] not in _CODAS or j - i > 3:
        return None
    nucleus = range(i, j)
    marked = [k for k in nucleus if _QUALITY.intersection(marks[k])]
    if marked:
        return marked[-1]
    if j < n:  # closed syllable: the last vowel
        return j - 1
    size = j - i
    if size == 3:
        return i + 1
    if size == 2:
        pair = bases[i:j]
        if style == "new" and pair in ("oa", "oe", "uy"):
            return i + 1
        return i
    return i


@lru_cache(maxsize=65536)
def _place_tone(word: str, style: ToneStyle) -> str:
    nfd = unicodedata.normalize("NFD", word)
    if not _TONES.intersection(nfd):
        return word
    letters = _letters(nfd)
    tone_marks = [m for _, ms in letters for m in ms if m in _TONES]
    if len(tone_marks) != 1:
        return word
    bases = "".join(b.lower() for b, _ in letters)
    if bases.startswith("đ") or bases.startswith("\u0111"):
        bases = "d" + bases[1:]
    marks = ["".join(m for m in ms if m not in _TONES) for _, ms in letters]
    for base, mark in zip(bases, marks, strict=True):
        if mark and mark not in _VALID_QUALITY.get(base, ()):
            return word  # not a Vietnamese letter ("û", "ë"): leave the word alone
    k = _tone_index(bases, marks, style)
    if k is None:
        return word
    rebuilt = "".join(
        b + marks[idx] + (tone_marks[0] if idx == k else "") for idx, (b, _) in enumerate(letters)
    )
    result = unicodedata.normalize("NFC", rebuilt)
    return result if len(result) == len(word) else word


def place_tones(text: str, style: ToneStyle = "old") -> str:
    """Move tone marks to one canonical position in every Vietnamese syllable.

    ``old`` (the default, and the convention of the UD treebank and most current text) writes
    "hòa", "khỏe", "thủy"; ``new`` writes "hoà", "khoẻ", "thuỷ". Syllables with a coda or a
    vowel-quality mark are unambiguous and unchanged ("hoàn", "quyết"). Text is expected in NFC.
    """
    pieces: list[str] = []
    pos = 0
    n = len(text)
    for m in _CANDIDATE_PAIR_RE.finditer(text):
        start = m.start()
        if start < pos:
            continue  # another pair inside a word already handled
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        end = m.end()
        while end < n and text[end].isalpha():
            end += 1
        pieces.append(text[pos:start])
        word = text[start:end]
        if end < n and unicodedata.combining(text[end]):
            pieces.append(word)  # a stray mark follows: leave the word alone
        else:
            pieces.append(_place_tone(word, style))
        pos = end
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def _clean_char(ch: str) -> str:
    """The replacement of one NFC character in the normalised view (may be empty or longer)."""
    if ch in _LIGATURES:
        return _LIGATURES[ch]
    o = ord(ch)
    if o in _ZERO_WIDTH:
        return ""
    if o in _SPACES:
        return " "
    if o in _DASHES:
        return "-"
    if ch == "\r":
        return "\n"
    cat = unicodedata.category(ch)
    if cat == "Cc" and ch != "\n":
        return " "
    if cat in ("Co", "Cs", "Cn"):
        return " "
    return ch


@dataclass(frozen=True)
class Normalized:
    """A normalised view of a text with the way back to the original offsets.

    ``starts[k]`` and ``ends[k]`` delimit the original characters that produced character ``k``
    of ``text`` (one NFC cluster may yield several characters, as ligatures do).
    """

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    original_length: int

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open span ``[start, end)`` of the view to the original text."""
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else self.original_length
            return pos, pos
        return self.starts[start], self.ends[end - 1]


_UNCLEAN_RE = re.compile("  | \n|\n |^ | $|[\ufb00-\ufb06\u2010-\u2012\u2212]")


def _is_clean(text: str) -> bool:
    """True when normalisation would only move tone marks (the common case, checked fast)."""
    return (
        text.replace("\n", "").isprintable()
        and unicodedata.is_normalized("NFC", text)
        and _UNCLEAN_RE.search(text) is None
    )


def normalize_with_offsets(text: str, style: ToneStyle = "old") -> Normalized:
    """Normalise ``text`` like :func:`normalize` and keep the map back to original offsets."""
    n = len(text)
    if _is_clean(text):
        # nothing to clean: offsets are the identity (tone placement keeps lengths)
        return Normalized(place_tones(text, style), tuple(range(n)), tuple(range(1, n + 1)), n)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    last_space = True  # drop leading spaces and collapse runs of horizontal whitespace
    while i < n:
        if text[i] == "\r" and i + 1 < n and text[i + 1] == "\n":
            i += 1  # CRLF is one line break
            continue
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        for ch in cluster:
            for r in _clean_char(ch):
                if r == " ":
                    if last_space:
                        continue
                    last_space = True
                elif r == "\n":
                    if out and out[-1] == " ":
                        out.pop()
                        starts.pop()
                        ends.pop()
                    last_space = True
                else:
                    if unicodedata.combining(r) and out and out[-1] not in " \n":
                        # a mark separated from its base by a removed character: recompose
                        # the last cluster with it
                        k = len(out) - 1
                        while k > 0 and unicodedata.combining(out[k]):
                            k -= 1
                        composed = unicodedata.normalize("NFC", "".join(out[k:]) + r)
                        first = starts[k]
                        del out[k:], starts[k:], ends[k:]
                        out.extend(composed)
                        starts.extend([first] * len(composed))
                        ends.extend([j] * len(composed))
                        last_space = False
                        continue
                    last_space = False
                out.append(r)
                starts.append(i)
                ends.append(j)
        i = j
    while out and out[-1] == " ":
        out.pop()
        starts.pop()
        ends.pop()
    normalized = place_tones("".join(out), style)
    return Normalized(normalized, tuple(starts), tuple(ends), n)


def normalize(text: str, style: ToneStyle = "old") -> str:
    """Canonical form of ``text`` for indexing and comparison.

    NFC; one tone-mark placement (see :func:`place_tones`); soft hyphens, zero-width
    characters and stray control characters removed; ligatures expanded; non-breaking and
    other Unicode spaces turned into plain spaces; runs of spaces collapsed and spaces at line
    ends dropped (line breaks are kept). Idempotent.
    """
    return normalize_with_offsets(text, style).text


_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L"})


def fold(text: str) -> str:
    """Remove every diacritic (đ→d included) and lowercase: "Hợp tác" → "hop tac". Idempotent."""
    nfd = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in nfd if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


# Spelling variants that are the same word for a reader: qui/quy, and i/y at the end of an open
# syllable after the consonants that allow both ("kĩ"/"kỹ", "lí"/"lý", "Mĩ"/"Mỹ").
_QUI_RE = re.compile(r"(?<![^\W\d_])(qu)i(?![^\W\d_])", re.IGNORECASE)
_IY_RE = re.compile(r"(?<![^\W\d_])([hklmstHKLMST])y(?![^\W\d_])")


def canonical_spelling(text: str) -> str:
    """Unify spelling variants for search: "qui" → "quy", final "i"/"y" after h k l m s t → "i".

    Apply to text that is already normalised and lowercased or folded (tone marks must be
    removed or placed canonically first); :func:`search_key` does all of this.
    """
    text = _QUI_RE.sub(lambda m: m.group(1) + ("Y" if m.group(0)[-1].isupper() else "y"), text)
    return _IY_RE.sub(lambda m: m.group(1) + "i", text)


def search_key(text: str) -> str:
    """The form used by the search analyzer: normalised, folded, spelling variants unified,
    whitespace collapsed to single spaces."""
    return " ".join(canonical_spelling(fold(normalize(text))).split())
