"""Syllable-level tokenizer with protected spans that word segmentation must never split.

Protected tokens are URLs, e-mail addresses, legal document numbers ("1851/QĐ-TTg",
"20-NQ/TW", "01/2014/TT-BGDĐT"), dates ("27/12/2018", "11-4-2012"), numbers, amounts and
percentages ("50.000", "17,779,119", "85,4%"), hyphenated names and acronyms ("Xin-ga-po",
"V-KIST", "KH&CN", "A*STAR", "COVID-19") and dotted abbreviations ("TP.", "ThS."). Everything
else is a syllable (letters) or a punctuation mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal[
    "url",
    "email",
    "legal",
    "date",
    "amount",
    "number",
    "compound",
    "abbr",
    "word",
    "punct",
    "space",
]

# Upper-case letters that start a code in a legal number ("QĐ", "TTg", "BGDĐT", "HĐND").
_UP = "A-ZĐÀ-ỸĂÂÊÔƠƯ"
_CODE = rf"[{_UP}][{_UP}a-z0-9&]*"
# Document number: "1851/QĐ-TTg", "01/2014/TT-BGDĐT", "6089/BGDĐT-GDTX", "20-NQ/TW", "35/NQ-CP".
LEGAL_NUMBER = (
    rf"\d{{1,5}}[a-z]?(?:\s?/\s?(?:19|20)\d\d)?\s?/\s?{_CODE}(?:\s?[-–]\s?{_CODE})*(?:\s?/\s?{_CODE})?"
    rf"|\d{{1,5}}\s?[-–]\s?{_CODE}\s?/\s?{_CODE}(?:\s?[-–]\s?{_CODE})*"
)
DATE = (
    r"(?:[0-2]?\d|3[01])\s?[/.\-–]\s?(?:0?[1-9]|1[0-2])\s?[/.\-–]\s?(?:1[89]|20)\d\d"
    r"|(?:0?[1-9]|1[0-2])/(?:1[89]|20)\d\d"
    r"|[Tt]háng\s(?:0?[1-9]|1[0-2])(?:\s?/\s?(?:1[89]|20)\d\d)?"
)
ABBR = r"TP|Tp|tp|TS|ThS|Th|PGS|GS|KS|BS|CN|NCS|TW|Mr|Mrs|Ms|Dr|St|Jr|Co|Ltd|Inc|vs|v\.v"
INITIAL = r"[A-ZĐ]\.(?=\s[A-ZĐ])"  # "H. Minh": an initial keeps its dot
NUMBER = r"\d+(?:[.,]\d+)*(?:\s?%)?"
# A number with its scale word is one amount: "10 triệu", "1.400 tỉ", "50.000 nghìn tỷ".
AMOUNT = r"\d+(?:[.,]\d+)*\s(?:nghìn|ngàn|triệu|tỷ|tỉ)(?:\s(?:tỷ|tỉ))?(?![\w])"
_TOKEN_RE = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)[^\s<>"'()\[\]]+[^\s<>"'()\[\].,;:!?])
  | (?P<email>(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+)
  | (?P<legal>(?<![\w/])(?:{LEGAL_NUMBER})(?![\w/]))
  | (?P<date>(?<![\w/.,-])(?:{DATE})(?![\w/]|[.,-]\d))
  | (?P<abbr>(?<!\w)(?:(?:{ABBR})\.(?=\s|$)|{INITIAL}))
  | (?P<compound>(?:[^\W_]+|\d+)(?:[-&*+'’][^\W_]+)+
        |[^\W\d_]*\d+[^\W_]*[^\W\d_]+[^\W_]*|[^\W\d_]+\d+)
  | (?P<amount>(?<![\w.,]){AMOUNT})
  | (?P<number>(?<![\w.,]){NUMBER}(?![\w]))
  | (?P<word>[^\W\d_]+)
  | (?P<num2>\d+)
  | (?P<space>\s+)
  | (?P<punct>\.\.\.|…|-{{2,}}|={{2,}}|\*{{2,}}|\.{{4,}}|[^\w\s])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    """A token of the text: ``text == source[start:end]``."""

    text: str
    start: int
    end: int
    kind: TokenKind

    @property
    def protected(self) -> bool:
        """True for tokens that segmentation keeps as one word on their own."""
        return self.kind not in ("word", "punct", "space")


def tokenize(text: str, keep_spaces: bool = False) -> list[Token]:
    """Split ``text`` into syllables, punctuation and protected tokens, with offsets.

    The text should be normalised (see :func:`vntext.normalize.normalize`); offsets refer to
    the string given.
    """
    out: list[Token] = []
    pos = 0
    for m in _TOKEN_RE.finditer(text):
        if m.start() > pos:  # unmatched characters (should not happen): one punct token each
            out.extend(Token(text[k], k, k + 1, "punct") for k in range(pos, m.start()))
        kind = m.lastgroup or "punct"
        pos = m.end()
        if kind == "space" and not keep_spaces:
            continue
        if kind == "num2":
            kind = "number"
        out.append(Token(m.group(0), m.start(), m.end(), kind))  # type: ignore[arg-type]
    if pos < len(text):
        out.extend(Token(text[k], k, k + 1, "punct") for k in range(pos, len(text)))
    return out
