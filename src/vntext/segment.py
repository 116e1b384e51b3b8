"""Vietnamese word segmentation and sentence splitting with protected spans.

``segment(text)`` returns the sentences of ``text`` as lists of words whose syllables are
joined by "_" (the VnCoreNLP/pyvi convention): ``[["Bộ", "Khoa_học", ...], ...]``.

How words are found: the text is normalised and cut into syllables and protected tokens
(:mod:`vntext.tokens`); protected tokens (legal numbers, dates, amounts, URLs, acronyms...)
are always single words; syllables are labelled B (begins a word) or I (continues one) by a
small linear-chain CRF stacked on pyvi's CRF. Its features are the syllables around the
position, pyvi's own labels, lookups and maximum matching in pyvi's and underthesea's word
lists, and lookups in the lexicon of its own training data (``data/ws_words.txt``); its weights
(``data/ws_crf.tsv``, CC BY-SA 4.0) were trained on the UD Vietnamese VTB *train* split and the
train part of a Viet Treebank news sample (see bench/segmentation/). Text that is already
segmented with underscores is recognised and its words are kept.
"""

from __future__ import annotations

import importlib.util
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from vntext.normalize import Normalized, normalize_with_offsets, place_tones
from vntext.tokens import Token, TokenKind, tokenize


@dataclass(frozen=True)
class Word:
    """A word of a sentence: its syllables joined by "_" and its span in the original text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence: its span in the original text and its words."""

    text: str
    start: int
    end: int
    words: tuple[Word, ...]


# ---------------------------------------------------------------------------------------------
# Sentence splitting


_ABBREVIATIONS_TEXT = (
    "tp ts ths pgs gs ks bs cn ncs mr mrs ms dr st jr co ltd inc vs v.v tr no nxb tt ph "
    "sđd đ/c gđ pgđ ub hđ q p"
)
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split(" "))
_TERMINAL = ".!?…"
_SPACES_RE = re.compile(r"\s*")
_CLOSERS = "\"'”’»)]"
_BULLET_RE = re.compile(r"[-–•+*▪●◦]\s|(?:\d{1,2}|[IVX]{1,4}|[a-zđ])[.)]\s")


def _sentence_bounds(view: str) -> list[tuple[int, int]]:
    """Sentence spans in the normalised view (see module docstring for the rules)."""
    bounds: list[tuple[int, int]] = []
    n = len(view)
    start = 0
    i = 0

    def emit(end: int) -> None:
        nonlocal start
        s, e = start, end
        while s < e and view[s].isspace():
            s += 1
        while e > s and view[e - 1].isspace():
            e -= 1
        if s < e:
            bounds.append((s, e))
        start = end

    while i < n:
        ch = view[i]
        if ch in _TERMINAL:
            j = i + 1
            while j < n and (view[j] in _TERMINAL or view[j] in _CLOSERS):
                j += 1
            if j >= n:
                break
            if not view[j].isspace():
                i = j
                continue
            k = j
            while k < n and view[k].isspace():
                k += 1
            if k >= n:
                break
            nxt = view[k]
            if ch == "." and _is_abbreviation(view, i, start):
                i = j
                continue
            if nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘(«[-–•" or "\n" in view[j:k]:
                emit(j)
            i = k
            continue
        if ch == "\n":
            k = i
            while k < n and view[k].isspace():
                k += 1
            if k >= n:
                break
            line_start = view.rfind("\n", 0, i) + 1
            prev_line = view[line_start:i].strip()
            nxt = view[k]
            if (
                not prev_line
                or prev_line[-1] in ":;"
                or (_BULLET_RE.match(view, k) and _ends_item(prev_line))
                or (
                    nxt.isupper()
                    and _is_heading(prev_line, own_line=_starts_at(view, start, line_start))
                )
            ):
                emit(i)
            i = k
            continue
        i += 1
    emit(n)
    return bounds


def _is_abbreviation(view: str, dot: int, sent_start: int) -> bool:
    k = dot
    while k > sent_start and not view[k - 1].isspace():
        k -= 1
    word = view[k:dot].lower()
    if word in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():  # an initial: "Nguyễn V. A."
        return True
    # an enumerator at the start of a line or sentence: "1." "II." "a."
    at_start = _SPACES_RE.match(view, sent_start).end() >= k  # type: ignore[union-attr]
    return at_start and (word.isdigit() or re.fullmatch(r"[ivx]{1,4}", word) is not None)


def _ends_item(line: str) -> bool:
    """A bullet on the next line starts a new sentence after a finished line or list item
    (a PDF can also wrap "châu Á\n- Thái Bình Dương" so that a dash opens the line)."""
    return line[-1] in _TERMINAL + _CLOSERS + ":;" or _BULLET_RE.match(line + " ") is not None


def _starts_at(view: str, sent_start: int, line_start: int) -> bool:
    """True when the current sentence began on the line starting at ``line_start``."""
    return _SPACES_RE.match(view, sent_start).end() >= line_start  # type: ignore[union-attr]


def _is_heading(line: str, own_line: bool) -> bool:
    """An upper-case line, or a short line that is a sentence of its own (a title).

    A short line that continues a sentence begun on an earlier line is a PDF hard wrap
    ("hợp tác với Liên minh⏎Châu Âu"), however short it is.
    """
    letters = [c for c in line if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True
    return own_line and len(line) < 40 and line[-1] not in ",-"


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in the original ``text``.

    A sentence ends at ".", "!", "?" or "…" (with closing quotes or brackets) followed by a
    capital, a digit, an opening quote or a line break, except after a known abbreviation
    ("TP.", "ThS.", "v.v."), a one-letter initial or a list enumerator ("1.", "II.").
    Line breaks inside a sentence (PDF hard wraps) do not end it; a line break does end one
    after ":" or ";", before a bullet or enumerator that follows a finished line or another
    list item, or after a title (an upper-case line, or a short line a sentence starts on).
    """
    norm = normalize_with_offsets(text)
    return [norm.original_span(s, e) for s, e in _sentence_bounds(norm.text)]


# ---------------------------------------------------------------------------------------------
# The CRF


@dataclass(frozen=True)
class _Model:
    weights: dict[str, tuple[float, float]]
    transitions: tuple[tuple[float, float], tuple[float, float]]  # [prev][cur], 0=B 1=I


@cache
def _model() -> _Model:
    text = resources.files("vntext").joinpath("data", "ws_crf.tsv").read_text(encoding="utf-8")
    return _parse_model(text)


def _parse_model(text: str) -> _Model:
    """Weights from the TSV written by bench/segmentation/train_crf.py."""
    weights: dict[str, tuple[float, float]] = {}
    trans = ((0.0, 0.0), (0.0, 0.0))
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, wb, wi = line.split("\t")
        if name == "__transition_from_B__":
            trans = ((float(wb), float(wi)), trans[1])
        elif name == "__transition_from_I__":
            trans = (trans[0], (float(wb), float(wi)))
        else:
            weights[name] = (float(wb), float(wi))
    return _Model(weights, trans)


def _read_package_text(package: str, *parts: str) -> str:
    """A data file of an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - dependencies
        return ""
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:  # pragma: no cover
        return ""


@cache
def _dictionary() -> frozenset[str]:
    """Multi-syllable words, lowercased, canonical tone placement.

    The union of pyvi's word list (MIT) and underthesea's Viet74K list (Apache-2.0 package),
    both read from the installed packages, not copied into ours.
    """
    lines: list[str] = []
    for text in (
        _read_package_text("pyvi", "models", "words.txt"),
        _read_package_text("underthesea", "corpus", "data", "Viet74K.txt"),
    ):
        lines.extend(
            w for w in (" ".join(line.split()) for line in text.lower().split("\n")) if " " in w
        )
    # one pass of NFC and tone placement over the whole list is much faster than per word
    canonical = place_tones(unicodedata.normalize("NFC", "\n".join(lines))).split("\n")
    words = {w for w in canonical if w.count(" ") < MAX_WORD}
    return frozenset(words)


MAX_WORD = 4  # longest dictionary word (in syllables) used by the features


_PYVI_LOCK = threading.Lock()


def _pyvi_features(syllables: Sequence[str]) -> list[dict[str, object]]:
    """Exactly pyvi's ``ViTokenizer.sent2features``, computed with less overhead."""
    from pyvi.ViTokenizer import ViTokenizer

    bi_grams, tri_grams = ViTokenizer.bi_grams, ViTokenizer.tri_grams
    low = [w.lower() for w in syllables]
    upper = [w.isupper() for w in syllables]
    title = [w.istitle() for w in syllables]
    n = len(syllables)
    feats: list[dict[str, object]] = []
    for i, w in enumerate(syllables):
        f: dict[str, object] = {
            "bias": 1.0,
            "word.lower()": low[i],
            "word.isupper()": upper[i],
            "word.istitle()": title[i],
            "word.isdigit()": w.isdigit(),
        }
        if i > 0:
            f["-1:word.lower()"] = low[i - 1]
            f["-1:word.istitle()"] = title[i - 1]
            f["-1:word.isupper()"] = upper[i - 1]
            f["-1:word.bi_gram()"] = low[i - 1] + " " + low[i] in bi_grams
            if i > 1:
                f["-2:word.tri_gram()"] = f"{low[i - 2]} {low[i - 1]} {low[i]}" in tri_grams
        if i < n - 1:
            f["+1:word.lower()"] = low[i + 1]
            f["+1:word.istitle()"] = title[i + 1]
            f["+1:word.isupper()"] = upper[i + 1]
            f["+1:word.bi_gram()"] = low[i] + " " + low[i + 1] in bi_grams
            if i < n - 2:
                f["+2:word.tri_gram()"] = f"{low[i]} {low[i + 1]} {low[i + 2]}" in tri_grams
        feats.append(f)
    return feats


def _pyvi_labels(syllables: Sequence[str]) -> list[str]:
    """pyvi's own CRF labels ("B_W"/"I_W") for our syllables (new-style tone placement)."""
    from pyvi.ViTokenizer import ViTokenizer

    feats = _pyvi_features(syllables)
    with _PYVI_LOCK:  # one shared crfsuite tagger: never let two threads interleave on it
        return list(ViTokenizer.model.tagger_.tag(feats))


def _shape(s: str) -> str:
    if s.isdigit():
        return "D"
    if not s[0].isalpha():
        return "P"
    if s.isupper():
        return "U" if len(s) > 1 else "T"
    if s[0].isupper():
        return "T"
    return "L"


def _max_match(low: Sequence[str], dic: frozenset[str], backward: bool) -> list[str]:
    """B/I labels from greedy longest dictionary match, left-to-right or right-to-left."""
    n = len(low)
    labels = ["B"] * n
    if backward:
        j = n
        while j > 0:
            size = 1
            for k in range(min(MAX_WORD, j), 1, -1):
                if " ".join(low[j - k : j]) in dic:
                    size = k
                    break
            for t in range(j - size + 1, j):
                labels[t] = "I"
            j -= size
    else:
        i = 0
        while i < n:
            size = 1
            for k in range(min(MAX_WORD, n - i), 1, -1):
                if " ".join(low[i : i + k]) in dic:
                    size = k
                    break
            for t in range(i + 1, i + size):
                labels[t] = "I"
            i += size
    return labels


@cache
def _lexicon() -> frozenset[str]:
    """Multi-syllable words of the CRF's training data (``data/ws_words.txt``), lowercased,
    syllables separated by spaces, canonical tone placement."""
    text = resources.files("vntext").joinpath("data", "ws_words.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def lexicon_key(syllables: Sequence[str]) -> str:
    """How a word is looked up in the training lexicon."""
    return " ".join(syllables).lower()


def features(
    syllables: Sequence[str],
    kinds: Sequence[str],
    pyvi: Sequence[str],
    lexicon: frozenset[str] | None = None,
) -> list[list[str]]:
    """CRF features of each syllable (shared by training in bench/ and by inference).

    ``lexicon`` replaces the packaged training lexicon (training uses one built without the
    sentence's own fold, so that the CRF learns how far to trust it on unseen text).
    """
    low = [s.lower() for s in syllables]
    shapes = [_shape(s) for s in syllables]
    dic = _dictionary()
    lex = _lexicon() if lexicon is None else lexicon
    fmm = _max_match(low, dic, backward=False)
    bmm = _max_match(low, dic, backward=True)
    n = len(low)
    out: list[list[str]] = []
    for i in range(n):
        w0 = low[i]
        p = pyvi[i]
        mm = fmm[i] + bmm[i]
        f = [
            f"w0={w0}",
            f"s0={shapes[i]}",
            f"k0={kinds[i]}",
            f"py={p}",
            f"mm={mm}",
            f"py,mm={p}{mm}",
        ]
        if i > 0:
            wm = low[i - 1]
            bi = wm + " " + w0
            indict = bi in dic
            f += [
                f"w-1={wm}",
                f"w-1w0={wm}|{w0}",
                f"s-1s0={shapes[i - 1]}{shapes[i]}",
                f"k-1={kinds[i - 1]}",
                f"d-1={int(indict)}",
                f"py,d-1={p}{int(indict)}",
                f"py-1,py={pyvi[i - 1]}{p}",
            ]
            if i > 1:
                tri = low[i - 2] + " " + bi
                f.append(f"d-2={int(tri in dic)}")
                f.append(f"w-2w-1={low[i - 2]}|{wm}")
                if i > 2:
                    f.append(f"d-3={int(low[i - 3] + ' ' + tri in dic)}")
            if i + 1 < n:
                f.append(f"d-1+1={int(bi + ' ' + low[i + 1] in dic)}")
        if i + 1 < n:
            wp = low[i + 1]
            f += [
                f"w+1={wp}",
                f"w0w+1={w0}|{wp}",
                f"d+1={int(w0 + ' ' + wp in dic)}",
                f"py+1={pyvi[i + 1]}",
                f"mm+1={fmm[i + 1]}{bmm[i + 1]}",
            ]
            if i + 2 < n:
                f.append(f"d+2={int(w0 + ' ' + wp + ' ' + low[i + 2] in dic)}")
        # the training lexicon: is a word of 2-4 syllables starting / ending / spanning here?
        ends = "".join(
            str(k) for k in (2, 3, 4) if i - k + 1 >= 0 and " ".join(low[i - k + 1 : i + 1]) in lex
        )
        starts = "".join(
            str(k) for k in (2, 3, 4) if i + k <= n and " ".join(low[i : i + k]) in lex
        )
        across = int(
            0 < i < n - 1
            and (" ".join(low[i - 1 : i + 2]) in lex or " ".join(low[i - 1 : i + 3]) in lex)
        )
        f += [f"le={ends}", f"ls={starts}", f"lx={across}", f"py,le={p}{ends}"]
        out.append(f)
    return out


def _viterbi(feats: list[list[str]], forced_b: Sequence[bool], model: _Model) -> list[int]:
    weights = model.weights
    (bb, bi), (ib, ii) = model.transitions
    neg = float("-inf")
    scores_b: list[float] = []
    scores_i: list[float] = []
    back: list[tuple[int, int]] = []
    prev_b = prev_i = 0.0
    for t, fs in enumerate(feats):
        eb = ei = 0.0
        for name in fs:
            w = weights.get(name)
            if w is not None:
                eb += w[0]
                ei += w[1]
        if t == 0:
            cur_b, cur_i = eb, neg
            back.append((0, 0))
        else:
            from_b_to_b, from_i_to_b = prev_b + bb, prev_i + ib
            from_b_to_i, from_i_to_i = prev_b + bi, prev_i + ii
            arg_b = 0 if from_b_to_b >= from_i_to_b else 1
            arg_i = 0 if from_b_to_i >= from_i_to_i else 1
            cur_b = max(from_b_to_b, from_i_to_b) + eb
            cur_i = max(from_b_to_i, from_i_to_i) + ei
            back.append((arg_b, arg_i))
        if forced_b[t]:
            cur_i = neg
        scores_b.append(cur_b)
        scores_i.append(cur_i)
        prev_b, prev_i = cur_b, cur_i
    n = len(feats)
    labels = [0] * n
    if n == 0:
        return labels
    state = 0 if prev_b >= prev_i else 1
    for t in range(n - 1, -1, -1):
        labels[t] = state
        state = back[t][state]
    return labels


def label_syllables(tokens: Sequence[Token]) -> list[bool]:
    """For each token, True when it begins a new word (B) and False when it continues one."""
    if not tokens:
        return []
    syllables = [t.text for t in tokens]
    kinds = [t.kind for t in tokens]
    # pyvi's word list uses the new tone style; one pass over the joined syllables (normalised
    # text holds no control characters, so "\x1f" cannot occur inside a token)
    pyvi = _pyvi_labels(place_tones("\x1f".join(syllables), "new").split("\x1f"))
    feats = features(syllables, kinds, pyvi)
    forced = [
        i == 0
        or t.kind != "word"
        or tokens[i - 1].kind != "word"
        or tokens[i - 1].end == t.start  # glued to the previous token: not a syllable boundary
        for i, t in enumerate(tokens)
    ]
    labels = _viterbi(feats, forced, _model())
    return [lab == 0 for lab in labels]


# ---------------------------------------------------------------------------------------------
# Word tokens: the tokenizer's protected spans, adjusted to the treebanks' conventions

_SPACE_RE = re.compile(r"\S+")


def _is_initials(parts: Sequence[Token]) -> bool:
    """Letters glued by dots that form one word: bylines and initials ("N.ẨN", "T.Ư",
    "N.V.P", "J.Mitchell", "TP.HCM"): every part capitalised, and either a part is a single
    letter or every part is upper case."""
    words = parts[::2]
    if len(words) < 2 or not all(t.kind == "word" and t.text[0].isupper() for t in words):
        return False
    return any(len(t.text) == 1 for t in words) or all(t.text.isupper() for t in words)


def word_tokens(text: str) -> list[Token]:
    """Tokens for segmentation: :func:`vntext.tokens.tokenize`, then two adjustments.

    * A number and its scale word ("51,9 tỉ", "10 triệu") and a number with a spaced
      percent sign ("80 %") are separate words, as in the VLSP treebank, UD's train split and
      VnCoreNLP's output (glued "85,4%" stays one token).
    * Letters glued by dots with no space ("N.ẨN", "T.Ư", "N.V.P.", "TP.HCM") are one word,
      and so is a day/month or fraction written without spaces ("24/7", "70/82").
    * A single letter followed by its dot and a space is one word with the dot: an initial or
      a one-letter abbreviation ("ông H. nói", "P. 18", "Q. 1"), as all the treebanks write it.
    """
    out: list[Token] = []
    for tok in tokenize(text):
        if tok.kind == "amount" or (tok.kind == "number" and " " in tok.text):
            for m in _SPACE_RE.finditer(tok.text):
                piece = m.group(0)
                kind: TokenKind = (
                    "number" if piece[0].isdigit() else "punct" if piece == "%" else "word"
                )
                out.append(Token(piece, tok.start + m.start(), tok.start + m.end(), kind))
        else:
            out.append(tok)
    merged: list[Token] = []
    i = 0
    n = len(out)
    while i < n:
        j = i + 1  # extend a glued run word . word . word
        while (
            j + 1 < n
            and out[j].text == "."
            and out[j - 1].end == out[j].start == out[j + 1].start - 1
            and out[j + 1].kind == "word"
        ):
            j += 2
        if (
            i + 2 < n
            and out[i].kind == out[i + 2].kind == "number"
            and out[i + 1].text == "/"
            and out[i].end == out[i + 1].start == out[i + 2].start - 1
            and out[i].text.isdigit()
            and out[i + 2].text.isdigit()
        ):  # a day/month or a fraction: "24/7", "70/82"
            merged.append(
                Token(text[out[i].start : out[i + 2].end], out[i].start, out[i + 2].end, "number")
            )
            i += 3
        elif (
            j == i + 1
            and out[i].kind == "word"
            and len(out[i].text) == 1
            and i + 1 < n
            and out[i + 1].text == "."
            and out[i + 1].start == out[i].end
            and (i + 2 == n or out[i + 2].start > out[i + 1].end)
        ):  # a one-letter initial or abbreviation keeps its dot: "ông H. nói", "P. 18", "Q. 1"
            end = out[i + 1].end
            merged.append(Token(text[out[i].start : end], out[i].start, end, "abbr"))
            i += 2
        elif j > i + 1 and _is_initials(out[i:j]):
            if (
                j < n
                and out[j].text == "."
                and out[j].start == out[j - 1].end
                and len(out[j - 1].text) == 1  # "N.V.P." keeps its final dot
            ):
                j += 1
            merged.append(
                Token(text[out[i].start : out[j - 1].end], out[i].start, out[j - 1].end, "abbr")
            )
            i = j
        else:  # not initials: the whole glued run stays as it is (and is not rescanned)
            merged.extend(out[i:j])
            i = j
    return merged


# ---------------------------------------------------------------------------------------------
# Public API

_UNDERSCORED_RE = re.compile(r"[^\W\d_]_[^\W\d_]")


def is_presegmented(text: str) -> bool:
    """True when ``text`` is already word-segmented with underscores (like seed 000)."""
    hits = len(_UNDERSCORED_RE.findall(text))
    words = text.count(" ") + 1
    return hits >= 3 and hits >= 0.05 * words


def _words_presegmented(norm: Normalized, s: int, e: int) -> list[Word]:
    out = []
    for m in re.finditer(r"\S+", norm.text[s:e]):
        a, b = norm.original_span(s + m.start(), s + m.end())
        out.append(Word(m.group(0), a, b))
    return out


def _words_from_tokens(norm: Normalized, tokens: Sequence[Token]) -> list[Word]:
    begins = label_syllables(tokens)
    groups: list[list[Token]] = []
    for tok, begin in zip(tokens, begins, strict=True):
        if begin or not groups:
            groups.append([tok])
        else:
            groups[-1].append(tok)
    out = []
    for g in groups:
        text = "_".join("_".join(t.text.split()) for t in g)
        a, b = norm.original_span(g[0].start, g[-1].end)
        out.append(Word(text, a, b))
    return out


def segment_spans(text: str) -> list[Sentence]:
    """Sentences of ``text`` with their words, all with offsets into the original text."""
    norm = normalize_with_offsets(text)
    preseg = is_presegmented(norm.text)
    out = []
    for s, e in _sentence_bounds(norm.text):
        if preseg:
            words = _words_presegmented(norm, s, e)
        else:
            toks = [
                Token(t.text, t.start + s, t.end + s, t.kind) for t in word_tokens(norm.text[s:e])
            ]
            words = _words_from_tokens(norm, toks)
        a, b = norm.original_span(s, e)
        out.append(Sentence(text[a:b], a, b, tuple(words)))
    return out


def segment(text: str) -> list[list[str]]:
    """The words of each sentence, syllables joined by "_": ``[["Khoa_học", "và", ...]]``."""
    return [[w.text for w in sent.words] for sent in segment_spans(text)]


def segment_words(text: str) -> list[str]:
    """Segment one sentence (no sentence splitting); words have syllables joined by "_"."""
    norm = normalize_with_offsets(text)
    if is_presegmented(norm.text):
        return norm.text.split()
    return [w.text for w in _words_from_tokens(norm, word_tokens(norm.text))]


def to_underscored(text: str) -> str:
    """One sentence per line, words separated by spaces, syllables joined by "_"."""
    return "\n".join(" ".join(words) for words in segment(text))
