"""What a question asks: its content terms, the kind of answer it expects, its language.

Terms are folded syllables (``vntext.search_key``), so a question typed without diacritics
meets the same terms as one with them; adjacent content syllables also form bigram terms
(two-syllable words are most of the Vietnamese lexicon, so a bigram stands in for a word
without running the segmenter on every candidate sentence).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from vntext import find_countries, search_key
from vntext.stopwords import ENGLISH, VIETNAMESE


class Expect(StrEnum):
    """The kind of answer a question's wording asks for."""

    NUMBER = "number"
    DATE = "date"
    PERSON = "person"
    PLACE = "place"
    DEFINITION = "definition"
    REASON = "reason"
    LIST = "list"
    DURATION = "duration"  # a number of years, months, days ("how long")
    REFERENCE = "reference"  # a legal document ("thay thế quyết định nào?")
    NONE = "none"


# Kinds of legal document a question may ask for ("quyết định nào", "which decision").
_REFERENCE_VI = ("quyet dinh", "nghi dinh", "nghi quyet", "thong tu", "chi thi", "van ban")
_REFERENCE_EN = ("decision", "decree", "circular", "resolution", "law")

# Cue phrases, folded (what ``search_key`` makes of them), longest first within a kind.
# A question's cue is searched on word boundaries of its folded form.
_CUES: tuple[tuple[Expect, tuple[str, ...]], ...] = (
    (
        Expect.REFERENCE,
        tuple(f"{kind} {ask}" for kind in _REFERENCE_VI for ask in ("nao", "gi"))
        + tuple(f"{ask} {kind}" for kind in _REFERENCE_EN for ask in ("which", "what")),
    ),
    (
        Expect.DATE,
        (
            "khi nao",
            "bao gio",
            "luc nao",
            "nam nao",
            "nam bao nhieu",
            "ngay nao",
            "thang nao",
            "thoi gian nao",
            "thoi diem nao",
            "giai doan nao",
            "the ki nao",
            "when",
            "what year",
            "which year",
            "what date",
            "what century",
            "what time",
        ),
    ),
    # "bao lâu" stays a number: Vietnamese questions keep the reading they were tuned with
    (Expect.DURATION, ("how long", "how many years", "how many months", "how many days")),
    (
        Expect.NUMBER,
        (
            "bao nhieu",
            "may",
            "bao lau",
            "so luong",
            "ti le",
            "how many",
            "how much",
            "how long",
            "how old",
            "how far",
            "what percentage",
            "what percent",
            "what number",
            "budget",
            "cost",
            "funding",
        ),
    ),
    (Expect.PERSON, ("nguoi nao", "ai", "who", "whom", "whose")),
    (Expect.PLACE, ("o dau", "tai dau", "noi nao", "dau", "where", "what city", "which city")),
    (Expect.REASON, ("tai sao", "vi sao", "ly do", "li do", "why", "what reason")),
    (Expect.LIST, ("liet ke", "nhung gi", "gom nhung", "bao gom", "list")),
    (Expect.DEFINITION, ("la gi", "nghia la", "what is", "what are", "what does")),
)

# Words that carry the question's form, not its subject (folded).
_QUESTION_WORDS = frozenset(
    [
        "ai",
        "gi",
        "nao",
        "dau",
        "sao",
        "bao",
        "nhieu",
        "may",
        "khi",
        "luc",
        "nhu",
        "the",
        "ra",
        "hay",
        "khong",
        "chua",
        "co",
        "la",
        "duoc",
        "bi",
        "cua",
        "nhung",
        "cac",
        "mot",
        "vay",
        "a",
        "u",
        "nhe",
        "di",
        "roi",
        "se",
        "dang",
        "da",
        "thi",
        "ma",
        "o",
        "tai",
        "trong",
        "voi",
        "cho",
        "ve",
        "tu",
        "den",
        "va",
        "hoac",
        "de",
        "theo",
        "khac",
        "nay",
        "do",
        "kia",
        "ay",
        "which",
        "what",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "many",
        "much",
        "does",
        "did",
        "do",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "can",
        "could",
        "will",
        "would",
        "should",
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "and",
        "or",
        "as",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "be",
        "been",
        "being",
        "there",
        "their",
        "they",
        "he",
        "she",
        "his",
        "her",
        "him",
        "them",
        "we",
        "our",
        "you",
        "your",
        "i",
    ]
)
_STOP = frozenset(search_key(w) for w in VIETNAMESE | ENGLISH) | _QUESTION_WORDS
STOPWORDS = _STOP  # folded stop words and question words: what is not a content term

# A folded Vietnamese syllable: initial consonant(s), one to three vowels, a final consonant
# (the same shape the search ranking uses to tell an English query from one typed without
# diacritics).
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)
_WORD = re.compile(r"[^\W_]+(?:[./-][^\W_]+)*")
_ACCENTED = re.compile(r"[^\x00-\x7f]")
_NAME = re.compile(r"(?<![\w])[A-ZÀ-ỸĐ][\w]*(?:[ -][A-ZÀ-ỸĐ0-9][\w]*)*")


@dataclass(frozen=True)
class Question:
    text: str
    terms: tuple[str, ...]  # folded content syllables, in order, unique
    bigrams: tuple[str, ...]  # adjacent content syllables "a b"
    expect: Expect
    foreign: bool  # not Vietnamese: lexical overlap with Vietnamese text means little
    foreign_terms: tuple[str, ...]  # what carries across languages: names, numbers
    # Folded words of the names (capitalised, not opening the question) and numbers it
    # names, in any language; an English question's countries also by their Vietnamese name.
    names: tuple[str, ...] = ()
    # An English question's words (or phrases: "how long") that the lexicon translates, each
    # with its Vietnamese renderings, folded ("replace" → "thay the"): the term counts as
    # present in a sentence that has one of them (``bridged``).
    bridge: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def lexical_terms(self) -> tuple[str, ...]:
        """The terms that can be looked for in Vietnamese text."""
        return self.foreign_terms if self.foreign else self.terms


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(search_key(text)))


def words(text: str) -> list[str]:
    """Folded words of a text, in order ("1851/QĐ-TTg" stays one word: "1851/qd-ttg").
    Cached: the same passages come back for many questions."""
    return list(_words(text))


_PART = re.compile(r"[./-]")


def code_parts(word: str) -> tuple[str, ...]:
    """The pieces of a folded code ("ipp3-vn-2025-01" → "ipp3", "vn", "2025", "01"; the
    word itself when it has no separator)."""
    return tuple(p for p in _PART.split(word) if p) if _PART.search(word) else (word,)


def part_of(piece: str, word: str) -> bool:
    """Whether ``piece`` is ``word`` or a run of its separated pieces ("qd-ttg" of
    "1851/qd-ttg")."""
    return re.search(rf"(?:^|[./-]){re.escape(piece)}(?:$|[./-])", word) is not None


def _digit(word: str) -> bool:
    return any(c.isdigit() for c in word)


def is_vietnamese_syllable(word: str) -> bool:
    return _SYLLABLE.fullmatch(word) is not None


def _contains(folded: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", folded) is not None


def expectation(text: str) -> Expect:
    folded = " ".join(words(text))
    for kind, cues in _CUES:
        if any(_contains(folded, cue) for cue in cues):
            return kind
    return Expect.NONE


def analyze(text: str) -> Question:
    ws = words(text)
    alpha = [w for w in ws if w.isalpha()]
    non_viet = [w for w in alpha if not is_vietnamese_syllable(w)]
    accented = bool(_ACCENTED.search(text))
    # An English question: words that cannot be Vietnamese syllables, and no diacritics.
    foreign = not accented and bool(alpha) and len(non_viet) / len(alpha) >= 0.25
    # "số" before a number or code is the reference's own label, optional in writing
    # ("Quyết định [số] 1851/QĐ-TTg"): it says nothing the number does not.
    ws = [
        w
        for i, w in enumerate(ws)
        if not (w == "so" and _digit(ws[i + 1] if i + 1 < len(ws) else ""))
    ]
    content = [w for w in dict.fromkeys(ws) if w not in _STOP]
    bigrams = [f"{a} {b}" for a, b in itertools.pairwise(ws) if a not in _STOP and b not in _STOP]
    crossing: list[str] = []
    bridge: list[tuple[str, tuple[str, ...]]] = []
    if foreign:
        # Names and numbers carry across languages; so do the Vietnamese names of the
        # countries the question names ("Korea" → "han quoc"), and the words the lexicon
        # translates ("replace" → "thay thế"), each counted as one term.
        bridge = translations(ws)
        bridged = {key for key, _ in bridge}
        covered = {w for key, _ in bridge for w in _key_words(key)}
        crossing = [
            w
            for w in content
            if (not is_vietnamese_syllable(w) or not w.isalpha()) and w not in covered
        ]
        crossing = [w for w in crossing if len(w) > 2 or w.isdigit()]
        crossing.extend(bridged)
        for m in find_countries(text):
            crossing.extend(words(m.name))
        crossing = list(dict.fromkeys(crossing))
    named: list[str] = []
    for name in _NAME.finditer(text):
        # the pattern's letter ranges take lower-case accented letters too: keep the words
        # that really start with a capital or a digit
        parts = name.group(0).replace("-", " ").split()
        found = [
            w
            for part, w in zip(parts, words(name.group(0)), strict=False)
            if part[0].isupper() or part[0].isdigit()
        ]
        if name.start() == 0 or text[name.start() - 1] in "\"'“(":
            found = found[1:]  # the question's first word, or a quoted one, is capitalised anyway
        named.extend(w for w in found if w not in _STOP)
    named.extend(w for w in ws if _digit(w))
    if foreign:
        for m in find_countries(text):
            named.extend(words(m.name))
    # A code names one thing: "1851/QĐ-TTg" is one name whether or not its number was also
    # caught alone (the share of names a sentence holds must not depend on how it was typed).
    named = [w for w in named if not any(w != o and part_of(w, o) for o in named)]
    return Question(
        text=text,
        names=tuple(dict.fromkeys(named)),
        terms=tuple(content),
        bigrams=tuple(dict.fromkeys(bigrams)),
        expect=expectation(text),
        foreign=foreign,
        foreign_terms=tuple(crossing),
        bridge=tuple(bridge),
    )


# --- the English → Vietnamese lexicon ---------------------------------------------------

LEXICON = Path(__file__).with_name("data") / "en_vi.tsv"
_LONGEST = 4  # words in the lexicon's longest English phrase that is looked for


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    """The lexicon (``data/en_vi.tsv``): folded English word or phrase → its folded
    Vietnamese renderings, senses merged when a word has several lines."""
    out: dict[str, dict[str, None]] = {}
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, _, vietnamese = line.partition("\t")
        key = " ".join(words(english))
        for raw in vietnamese.split("|"):
            folded = " ".join(words(raw))
            if key and folded:
                out.setdefault(key, {})[folded] = None
                _WRITTEN.setdefault(folded, raw.strip())
    return {k: tuple(v) for k, v in out.items()}


_WRITTEN: dict[str, str] = {}  # a folded rendering → as the lexicon writes it


def retrieval_query(text: str) -> str:
    """What the assistant retrieves passages with: the question, and for an English one
    also the first Vietnamese rendering of each word the lexicon translates, as written
    ("What is the budget of the IPP3 project?" + "kinh phí dự án"), so that the lexical
    ranking meets Vietnamese passages on more than the question's names and numbers."""
    q = analyze(text)
    if not q.bridge:
        return text
    lexicon()
    extra = [_WRITTEN.get(senses[0], senses[0]) for _, senses in q.bridge]
    return f"{text} {' '.join(dict.fromkeys(extra))}"


def lemmas(word: str) -> list[str]:
    """The word and the base forms it may be of (plural -s/-es/-ies, -ed, -ing), most
    likely first: "agreements" → "agreement", "signed" → "sign", "studies" → "study"."""
    out = [word]
    if len(word) <= 3 or not word.isalpha():
        return out
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    for suffix in ("ed", "ing"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            out.extend([stem, stem + "e"])
            if len(stem) > 3 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # "planned" → "plan"
            if suffix == "ed" and stem.endswith("i"):
                out.append(stem[:-1] + "y")  # "applied" → "apply"
    return list(dict.fromkeys(out))


def _key_words(key: str) -> list[str]:
    return key.lstrip("~").split()


def _bridge_key(english: str) -> str:
    """The term an English word or phrase stands as: itself, or "~word" when the word could
    be read as a Vietnamese syllable ("long"), so that the syllable written in Vietnamese
    text is not taken for it."""
    return f"~{english}" if is_vietnamese_syllable(english) else english


def translations(ws: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The lexicon's entries for a question's folded words: phrases first (longest first,
    their last word lemmatised: "how long", "entered into force"), then single content
    words (lemmatised); each as (term, its Vietnamese renderings and, for a word that
    cannot be a Vietnamese syllable, the English word itself)."""
    table = lexicon()
    used = [False] * len(ws)
    found: list[tuple[int, str, tuple[str, ...]]] = []
    for n in range(_LONGEST, 1, -1):
        for i in range(len(ws) - n + 1):
            if any(used[i : i + n]):
                continue
            head = ws[i : i + n - 1]
            for last in lemmas(ws[i + n - 1]):
                phrase = " ".join([*head, last])
                if phrase in table:
                    found.append((i, phrase, table[phrase]))
                    used[i : i + n] = [True] * n
                    break
    for i, w in enumerate(ws):
        if used[i] or w in _STOP or not w.isalpha():
            continue
        for lemma in lemmas(w):
            if lemma in table:
                senses = table[lemma]
                if not is_vietnamese_syllable(w):
                    senses = (*senses, w)  # an English passage writes the word itself
                found.append((i, w, senses))
                used[i] = True
                break
    found.sort()
    out: dict[str, tuple[str, ...]] = {}
    for _, english, senses in found:
        out.setdefault(_bridge_key(english), senses)
    return list(out.items())


# Vietnamese numerals whose folded syllable is also another word: "năm" is five and year
# ("nam" is also south), "sáu" six and "sau" after, "bảy" seven and "bay" fly, "tám" eight
# and "tạm" temporary. Such a syllable renders an English number word only where it counts
# something (``numeral_at``), and any other English word only where it does not.
AMBIGUOUS_NUMERALS = frozenset(["nam", "sau", "bay", "tam"])
NUMBER_WORDS = frozenset(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
)
# What a numeral stands before (folded first syllables): a larger unit of the number
# ("năm mươi", "năm trăm") or what is counted ("năm người", "năm dự án", "năm năm").
_COUNT_UNITS = frozenset(["muoi", "tram", "nghin", "ngan", "trieu", "ty", "ti", "chuc"])
_COUNTED = frozenset(
    [
        *("nguoi", "du", "de", "nam", "thang", "ngay", "tuan", "gio", "phut", "giay", "lan"),
        *("cai", "con", "chiec", "ben", "nuoc", "quoc", "don", "to", "doanh", "doan", "hiep"),
        *("van", "dieu", "khoan", "diem", "muc", "chuong", "phan", "nhiem", "linh", "nhom"),
        *("loai", "buoc", "giai", "tinh", "truong", "vien", "bo", "nganh", "chuyen", "nha"),
        *("cuoc", "san", "khoa", "lop", "tieu", "dong"),
    ]
)
# Before which "năm" is the year even before a counted word ("mỗi năm", "hằng năm").
_PER_YEAR = frozenset(["hang", "moi", "tung", "cac", "nhung", "cuoi", "dau", "giua"])


def numeral_at(folded: Sequence[str], i: int) -> bool:
    """Whether the folded word at ``i`` stands as a numeral: before a larger unit of the
    number or before what it counts ("năm người", "năm dự án"), not after a word that makes
    it the year ("hằng năm", "mỗi năm"); "năm 2020", "trong năm", "năm học" are the year."""
    if i + 1 >= len(folded) or (i > 0 and folded[i - 1] in _PER_YEAR):
        return False
    after = folded[i + 1]
    return after in _COUNT_UNITS or after in _COUNTED


def _sense_in(key: str, sense: str, present: set[str], folded: Sequence[str]) -> bool:
    """Whether a one-word rendering of ``key`` is in the sentence as that sense: an
    ambiguous numeral as a numeral for an English number word, otherwise as the other word."""
    if sense not in present:
        return False
    if sense not in AMBIGUOUS_NUMERALS:
        return True
    number = key.lstrip("~") in NUMBER_WORDS
    return any(w == sense and numeral_at(folded, i) == number for i, w in enumerate(folded))


def sense_spans(key: str, sense: str, folded: Sequence[str]) -> list[int]:
    """Where a rendering of ``key`` starts in the folded words (``bridged``'s reading)."""
    parts = sense.split()
    n = len(parts)
    starts = [i for i in range(len(folded) - n + 1) if list(folded[i : i + n]) == parts]
    if n == 1 and sense in AMBIGUOUS_NUMERALS:
        number = key.lstrip("~") in NUMBER_WORDS
        starts = [i for i in starts if numeral_at(folded, i) == number]
    return starts


def bridged(q: Question, present: set[str], folded: Sequence[str]) -> set[str]:
    """The question's translated terms a sentence holds: those one of whose renderings is
    among its folded words ``folded`` (a phrase as a run of them), ``present`` being their
    set; an ambiguous numeral ("năm") as the sense it has there (``numeral_at``)."""
    if not q.bridge:
        return set()
    joined = ""
    out = set()
    for key, senses in q.bridge:
        for sense in senses:
            if " " not in sense:
                hit = _sense_in(key, sense, present, folded)
            else:
                joined = joined or " " + " ".join(folded) + " "
                hit = f" {sense} " in joined
            if hit:
                out.add(key)
                break
    return out
