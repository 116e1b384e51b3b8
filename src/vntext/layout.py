"""From the lines of a document's pages to text a reader accepts.

``clean_document(pages)`` takes the lines a PDF, DOCX, HTML or text file gave (per page, with
the font size and vertical position when the format has them) and returns the clean text
with its blocks (paragraphs and footnotes, each with its page and, in normative documents,
its article label):

- word-segmented text (syllables joined by "_", punctuation spaced out, like the output of
  VnCoreNLP or pyvi) is restored to normal spelling (``restore_segmented``);
- running headers and footers (lines repeated at the top or foot of many pages; in a
  two-page document, a short line the same on both at the same height) and page numbers
  are dropped;
- footnotes (smaller lines at the foot of a page) are kept apart, linked to their page; in
  a text without pages, a trailing "Ghi chú" / "Chú thích" / "Notes" block whose every
  paragraph opens with a marker ("[1]", "1.", "(1)", "(*)"), or that opens with a dashed
  rule, gives one footnote per marker, labelled "[1]"
  (``note_references`` finds the body's "[1]" that point to it); in a text dump of a PDF
  (hard-wrapped lines, no pages), a line that opens with the next footnote number after the
  body has carried that number glued to a word ("khu vực2.", "vực(2)"), or a line opening
  "(*)" once the body carried a glued "(*)", starts a footnote, which runs
  to the next indented line, a short last line or the next footnote, and is labelled "[2]"
  (``split_text_footnotes``);
- in a text without pages, a web page's clutter (widget lines, a site menu, headlines
  after the "Nguồn: <url>" line) is dropped (``_drop_boilerplate``);
- hard line breaks are joined into paragraphs, words hyphenated across lines rejoined;
- the structure of normative documents (Phần / Chương / Mục / Điều / khoản / điểm) is
  detected and each block is labelled with its place, "Chương II, Mục 1, Điều 5 khoản 2
  điểm a" (the chapter and section when the document has them).

Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from vntext.segment import is_presegmented

# --- word-segmented text ---------------------------------------------------------------------

_JOINED = re.compile(r"(?<=[^\W\d_])_(?=[^\W_])|(?<=\d)_(?=[^\W\d_])")
_SPACE_BEFORE = re.compile(r"[ \t]+([,.;:!?%…)\]}”’])")
_SPACE_AFTER = re.compile(r"([(\[{“‘])[ \t]+")
_STRAIGHT_QUOTED = re.compile(r'"[ \t]+([^"\n]*?)[ \t]+"')


def restore_segmented(text: str, *, force: bool = False) -> str:
    """Undo word segmentation for display: "giai_đoạn đẩy_mạnh , hiện_đại" → "giai đoạn đẩy
    mạnh, hiện đại". Text that is not segmented is returned unchanged (``force``: the caller
    decided, e.g. for one line of a segmented document)."""
    if not force and not is_presegmented(text):
        return text
    out = _JOINED.sub(" ", text)
    out = _STRAIGHT_QUOTED.sub(r'"\1"', out)
    out = _SPACE_BEFORE.sub(r"\1", out)
    out = _SPACE_AFTER.sub(r"\1", out)
    return out


# --- lines and blocks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a page as extracted. ``size`` (font size) and ``y`` (distance from the
    page's bottom) are None for formats without them."""

    text: str
    size: float | None = None
    y: float | None = None
    # The line starts a new paragraph in the source (DOCX/HTML paragraphs, TXT blank lines).
    starts_paragraph: bool = False
    # Blank lines right before it in a plain text (0 for other formats).
    blank_before: int = 0


@dataclass(frozen=True)
class Block:
    """A paragraph or footnote of the clean text: ``text[start:end]``."""

    start: int
    end: int
    page: int | None
    kind: str = "body"  # "body" or "footnote"
    label: str = ""  # "Điều 5 khoản 2" in normative documents
    heading: bool = False  # a heading line (article title, chapter, all-caps title)


@dataclass
class CleanDocument:
    text: str
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    normative: bool = False
    dropped_lines: int = 0  # running headers, footers and page numbers removed

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]


_PAGE_NUMBER = re.compile(
    r"^[\s\-–—.]*(?:(?:trang|page|tr\.)\s*)?\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?[\s\-–—.]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_WS = re.compile(r"\s+")

# Structure of normative documents.
_PART = re.compile(r"^(Phần|PHẦN)\s+(thứ\s+\w+|[IVXLC]+|\d+)\b", re.IGNORECASE)
_CHAPTER = re.compile(r"^(Chương|CHƯƠNG)\s+([IVXLC]+|\d+)\b")
_SECTION = re.compile(r"^(Mục|MỤC)\s+(\d+|[IVXLC]+)\b")
_ARTICLE = re.compile(r"^(Điều|ĐIỀU)\s+(\d+[a-z]?)\s*[.:]")
_CLAUSE = re.compile(r"^(\d{1,3})\.\s")
_POINT = re.compile(r"^([a-zđ])\)\s")
# Lines that start a paragraph whatever came before.
_STARTER = re.compile(
    r"^(?:(?:Phần|Chương|Mục|Điều|PHẦN|CHƯƠNG|MỤC|ĐIỀU)\s+\S+|Nơi nhận\s*:"
    r"|\d{1,3}(?:\.\d{1,3})*[.)]\s|\[\d{1,3}\]\s|[a-zđ]\)\s|[IVXLC]{1,6}\.\s|[-–•+*▪●]\s)"
)
_DASH_ITEM = re.compile(r"^[-–]\s")
_RECIPIENTS = re.compile(r"^Nơi nhận\s*:")
_ENDS_SENTENCE = re.compile(r"[.!?:;…\"”’)]\s*$")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
# A trailing notes block of a text file: its heading line, then one note per marker line.
_NOTES_HEADING = re.compile(r"^(?:ghi chú|chú thích|chú giải|notes|footnotes)\s*:?$", re.IGNORECASE)
_FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|[*†‡¹²³⁴⁵⁶⁷⁸⁹⁰]+)(?:[.)]|\s)")


def _key(line: str) -> str:
    return _DIGITS.sub("#", _WS.sub(" ", line.strip().lower()))


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _drop_running(pages: list[list[Line]]) -> tuple[list[list[Line]], int]:
    """Remove page numbers and lines repeated at the top or foot of many pages."""
    dropped = 0
    edge = 3
    repeated: set[str] = set()
    if len(pages) >= 3:
        counts: Counter[str] = Counter()
        for lines in pages:
            seen = {_key(ln.text) for ln in lines[:edge] + lines[-edge:]}
            counts.update(k for k in seen if k)
        threshold = max(3, int(0.4 * len(pages)))
        repeated = {k for k, n in counts.items() if n >= threshold}
    if len(pages) >= 4:
        # Odd and even pages apart: a journal's name on odd pages and the article's title on
        # even ones are running headers too, even in a short article (two pages of a parity
        # suffice when the line is at the edge of nearly every page of that parity, the first
        # page aside, and is no heading of the document's structure).
        for group in (pages[2::2], pages[1::2]):  # the first page (a title page) aside
            texts: dict[str, str] = {}
            counts = Counter()
            for lines in group:
                edges = {_key(ln.text): ln.text.strip() for ln in lines[:edge] + lines[-edge:]}
                counts.update(k for k in edges if k)
                texts.update(edges)
            need = max(2, -(-4 * len(group) // 5))  # 80% of the pages of that parity
            repeated |= {
                k
                for k, n in counts.items()
                if n >= need and len(texts[k]) <= 100 and not _STARTER.match(texts[k])
            }
    if len(pages) == 2:
        repeated = _repeated_on_two(pages, edge)
    out = []
    for lines in pages:
        n = len(lines)
        kept = []
        for i, ln in enumerate(lines):
            at_edge = i < edge or i >= n - edge
            if at_edge and (_key(ln.text) in repeated or _PAGE_NUMBER.match(ln.text)):
                dropped += 1
                continue
            kept.append(ln)
        out.append(kept)
    return out, dropped


def _repeated_on_two(pages: list[list[Line]], edge: int) -> set[str]:
    """The running header or footer of a two-page document: a short line that is the same,
    word for word, among the top (or foot) lines of both pages and is no heading of the
    document's structure (nor, where positions are known, at a different height)."""
    first, second = pages
    out: set[str] = set()
    for part in (slice(0, edge), slice(-edge, None)):
        theirs = {ln.text.strip(): ln for ln in second[part]}
        for ln in first[part]:
            text = ln.text.strip()
            other = theirs.get(text)
            if other is None or not text or len(text) > 100 or _STARTER.match(text):
                continue
            if ln.y is not None and other.y is not None and abs(ln.y - other.y) > 2:
                continue
            out.add(_key(text))
    return out


def _body_size(pages: list[list[Line]]) -> float | None:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            if ln.size:
                sizes[round(ln.size, 1)] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else None


def _split_footnotes(lines: list[Line], body: float | None) -> tuple[list[Line], list[list[Line]]]:
    """The page's body lines, and its footnotes (each a list of lines) from its foot."""
    if body is None or not lines:
        return lines, []
    cut = len(lines)
    while cut > 0:
        ln = lines[cut - 1]
        if ln.size is None or ln.size >= 0.9 * body:
            break
        cut -= 1
    if cut == len(lines) or cut == 0:
        return lines, []
    notes: list[list[Line]] = []
    for ln in lines[cut:]:
        if not notes or _FOOTNOTE_MARK.match(ln.text):
            notes.append([ln])
        else:
            notes[-1].append(ln)
    return lines[:cut], notes


_TEXT_NOTE = re.compile(r"^\s*(?:\(([1-9]\d{0,2})\)|([1-9]\d{0,2}))\s+\S")
_STAR_NOTE = re.compile(r"^\s*(?:\(\*\)|\*)\s*[^\W\d_]")
_MAX_NOTE_LINES = 40


_GLUED = r"(?:[^\W\d_]|[%)\]”\"’])({n})(?!\d)(?=[.,;:!?)”\"’…]*(?:\s|$))"
# "(1)" or "(*)" glued to the word or sign before it ("sau:(*)", "khu vực(2)"), "word*".
_GLUED_PAREN = r"(?<=\S)(\({n}\))"
_GLUED_STAR = re.compile(r"(?<=\S)(\(\*\))|(?<=[^\W\d_])(\*)(?=[.,;:!?)”\"’…]*(?:\s|$))")


def _glued_marker(text: str, n: int) -> bool:
    """Whether ``text`` carries footnote marker ``n`` glued to a word, as a text dump shows a
    superscript: "khu vực2.", "chiếm 85%1.", "tổ chức10,", "khu vực(2)"."""
    return bool(re.search(_GLUED.format(n=n), text) or re.search(_GLUED_PAREN.format(n=n), text))


def _note_start(text: str, seen: str, expected: int, star: bool) -> str:
    """The marker ("2", "*") of the footnote that ``text`` opens, given the body read so far
    (its marker must be there, glued), or ""."""
    m = _TEXT_NOTE.match(text)
    if m and int(m.group(1) or m.group(2)) == expected and _glued_marker(seen, expected):
        return str(expected)
    if star and _STAR_NOTE.match(text) and _GLUED_STAR.search(seen):
        return "*"
    return ""


def split_text_footnotes(lines: Sequence[Line]) -> tuple[list[Line], list[tuple[str, list[Line]]]]:
    """The body lines of a text dump of a PDF and its footnotes, as (marker, lines).

    A footnote starts at a line opening with the next expected number (1, 2, 3 …, also
    "(1)") once the body read so far carries that number as a glued marker ("vực2", "vực(2)"),
    or with "(*)" / "*" once the body carries "(*)" or "word*" (an author's note, marker
    "*"); it runs until an indented line (the dump's next page or paragraph), a page-number
    line, the start of the next footnote, or after a line clearly shorter than its others. A
    candidate longer than 40 lines is not a footnote and stays in the body. Lines keep their
    original text (leading spaces count).
    """
    body: list[Line] = []
    notes: list[tuple[str, list[Line]]] = []
    expected = 1
    star = True  # one author's note marked "*"
    seen = ""  # the body text since the last footnote block, where markers are looked for
    i = 0
    n_lines = len(lines)
    while i < n_lines:
        ln = lines[i]
        if not _note_start(ln.text, seen, expected, star):
            body.append(ln)
            if ln.text.strip():
                seen = (seen + " " + ln.text.strip())[-4000:]
            i += 1
            continue
        block: list[tuple[str, list[Line]]] = []
        j = i
        ok = True
        nxt_expected, nxt_star = expected, star
        while j < n_lines:
            marker = _note_start(lines[j].text, seen, nxt_expected, nxt_star)
            if not marker:
                break
            if marker == "*":
                nxt_star = False
            else:
                nxt_expected += 1
            note = [lines[j]]
            widest = len(lines[j].text.strip())
            j += 1
            while j < n_lines:
                t = lines[j].text
                if not t.strip():
                    j += 1
                    continue
                if (
                    t[:1].isspace()
                    or _PAGE_NUMBER.match(t)
                    or _note_start(t, seen, nxt_expected, nxt_star)
                ):
                    break
                note.append(lines[j])
                widest = max(widest, len(t.strip()))
                j += 1
                if len(t.strip()) < 0.6 * widest:
                    break  # its last line
                if len(note) > _MAX_NOTE_LINES:
                    ok = False
                    break
            if not ok:
                break
            block.append((marker, note))
        if not ok or not block:
            body.append(ln)
            seen = (seen + " " + ln.text.strip())[-4000:]
            i += 1
            continue
        notes.extend(block)
        expected, star = nxt_expected, nxt_star
        seen = ""
        i = j
    return body, notes


def _join(prev: str, nxt: str) -> str:
    if _HYPHENATED.search(prev) and nxt[:1].islower():
        return prev[:-1] + nxt
    return prev + " " + nxt


# A heading numbered on several levels ("3.2.1. Triển khai hợp tác …").
_MULTI_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s")
# Words that carry an all-caps heading on to its next line ("CỤC ỨNG DỤNG / VÀ PHÁT TRIỂN").
_CAPS_LINK = re.compile(r"^(?:VÀ|CỦA|VỀ|CHO|TRONG|VỚI|ĐẾN|GIỮA|TẠI|THEO|AND|OF|FOR)\s")
_CAPS_LINK_END = re.compile(r"\s(?:VÀ|CỦA|VỀ|CHO|TRONG|VỚI|ĐẾN|GIỮA|TẠI|THEO|AND|OF|FOR)$")


def _breaks_before(prev: str, line: Line, width: float, start: str = "") -> bool:
    """Whether ``line`` starts a new paragraph after the line ``prev`` (hard-wrapped text)
    of the paragraph that began with the line ``start``."""
    text = line.text
    if (
        _is_caps(prev)
        and _is_caps(text)
        and not _ENDS_SENTENCE.search(prev)
        and (_CAPS_LINK.match(text) or _CAPS_LINK_END.search(prev))
    ):
        return False  # an all-caps heading continued on the next line
    if (
        _MULTI_NUMBERED.match(start or prev)
        and len(start) + len(prev) < 300
        and not _ENDS_SENTENCE.search(prev)
        and text[:1].isupper()
        and not _is_caps(text.split(" ", 1)[0])
    ):
        return True  # "3.2.1. … đối tác ưu tiên" / "Xuất phát từ …": the heading ends
    full = len(prev) >= 0.85 * width
    if _DASH_ITEM.match(text) and full and not _ENDS_SENTENCE.search(prev):
        return False  # "Châu Á\n- Thái Bình Dương": a dash that happens to start the line
    if _STARTER.match(text):
        return True
    heading = any(r.match(prev) for r in (_ARTICLE, _CHAPTER, _SECTION, _PART))
    if heading and len(prev) < 0.85 * width:
        return True  # a heading line: "Điều 5. Phạm vi điều chỉnh" stands alone when short
    if _is_caps(prev) != _is_caps(text):
        return True
    if _ENDS_SENTENCE.search(prev) and len(prev) < 0.85 * width:
        return True
    return bool(text[:1].isupper() and len(prev) < 0.6 * width)


def _looks_hard_wrapped(lines: Sequence[Line]) -> bool:
    """Text files that are a PDF's text: short lines, most not ending a sentence."""
    texts = [ln.text for ln in lines if ln.text]
    if len(texts) < 8:
        return False
    lengths = sorted(len(t) for t in texts)
    median = lengths[len(lengths) // 2]
    open_ended = sum(1 for t in texts if not _ENDS_SENTENCE.search(t)) / len(texts)
    return 30 <= median <= 130 and open_ended > 0.5


@dataclass
class _Para:
    text: str
    page: int | None
    last: str = ""  # its last source line
    first: str = ""  # its first source line


def _continues(text: str) -> bool:
    """Whether a line reads as the rest of a sentence (it opens on a lower-case word)."""
    return text[:1].islower() and not _STARTER.match(text)


def _blank_starts(pages: list[list[Line]], paged: bool) -> set[tuple[int, int]]:
    """The lines (page index, line index) of hard-wrapped text that a blank line opens as a
    new paragraph.

    A text file: its blank lines end paragraphs, unless the dump is double-spaced (a blank
    line before nearly every line, sentences running on across them: more than a fifth of
    the lines after a blank open on a lower-case word); then only a longer run of blank
    lines than its usual single one ends a paragraph, before a line that does not continue
    a sentence. A PDF: a vertical gap between two lines of a page of more than 1.6 times the
    document's usual line spacing (an empty line) ends a paragraph."""
    out: set[tuple[int, int]] = set()
    if not paged:
        after = [ln for lines in pages for ln in lines[1:] if ln.blank_before]
        if not after:
            return out
        double = sum(1 for ln in after if _continues(ln.text)) > 0.2 * len(after)
        need = 2 if double else 1
        for p, lines in enumerate(pages):
            for i, ln in enumerate(lines):
                if (
                    i
                    and ln.blank_before >= need
                    and not (double and _continues(ln.text))
                    # a page number between blank lines is no paragraph, nor what follows it
                    and not _PAGE_NUMBER.match(ln.text)
                    and not _PAGE_NUMBER.match(lines[i - 1].text)
                ):
                    out.add((p, i))
        return out
    gaps: list[float] = []
    for lines in pages:
        for a, b in pairwise(lines):
            if a.y is not None and b.y is not None and a.y > b.y:
                gaps.append(a.y - b.y)
    if len(gaps) < 4:
        return out
    usual = sorted(gaps)[len(gaps) // 2]
    for p, lines in enumerate(pages):
        for i in range(1, len(lines)):
            a, b = lines[i - 1], lines[i]
            if a.y is not None and b.y is not None and a.y - b.y > 1.6 * usual:
                out.add((p, i))
    return out


def _paragraphs(pages: list[list[Line]], paged: bool) -> list[_Para]:
    all_lines = [ln for lines in pages for ln in lines]
    hard = paged or _looks_hard_wrapped(all_lines)
    lengths = sorted(len(ln.text) for ln in all_lines if ln.text)
    width = float(lengths[int(0.9 * (len(lengths) - 1))]) if lengths else 80.0
    blank = _blank_starts(pages, paged) if hard else set()
    paras: list[_Para] = []
    for number, lines in enumerate(pages, start=1):
        page = number if paged else None
        for i, ln in enumerate(lines):
            if not ln.text:
                continue
            # Text whose lines are paragraphs (web pages, DOCX, most text files) keeps them;
            # hard-wrapped lines are joined within a paragraph, which a blank line ends.
            if (
                hard
                and paras
                and (number - 1, i) not in blank
                and not _breaks_before(paras[-1].last, ln, width, paras[-1].first)
            ):
                paras[-1].text = _join(paras[-1].text, ln.text)
                paras[-1].last = ln.text
                continue
            paras.append(_Para(ln.text, page, ln.text, ln.text))
    return paras


def _labels(paras: list[_Para]) -> tuple[list[str], list[bool], bool]:
    """The label and heading flag of each paragraph; whether the document is normative.

    The label says where a paragraph of a normative document sits: its chapter and section
    when the document has them, then its article, clause and point ("Chương II, Mục 1,
    Điều 5 khoản 2 điểm a"; "Chương II" for a chapter's heading before its first article).
    A part ("Phần thứ hai") starts its chapters afresh; a chapter its sections."""
    articles = sum(1 for p in paras if _ARTICLE.match(p.text))
    normative = articles >= 2
    labels: list[str] = []
    headings: list[bool] = []
    chapter = section = article = clause = point = ""
    for p in paras:
        t = p.text
        heading = False
        if _PART.match(t) and normative and len(t) < 200 and not _ENDS_SENTENCE.search(t):
            chapter = section = article = clause = point = ""
            heading = True
        elif m := _CHAPTER.match(t):
            chapter, section, article, clause, point = f"Chương {m.group(2)}", "", "", "", ""
            heading = True
        elif (m := _SECTION.match(t)) and normative:
            section = f"Mục {m.group(2)}"
            article, clause, point = "", "", ""  # a section ends the article before it
            heading = True
        elif m := _ARTICLE.match(t):
            article, clause, point = f"Điều {m.group(2)}", "", ""
            heading = len(t) < 200
        elif _RECIPIENTS.match(t):
            # the recipients and the signature close the document, outside its articles
            chapter = section = article = clause = point = ""
        elif article and (m := _CLAUSE.match(t)):
            clause, point = f"khoản {m.group(1)}", ""
        elif article and (m := _POINT.match(t)):  # also a point right under an article
            point = f"điểm {m.group(1)}"
        elif _is_caps(t) and len(t) < 200:
            heading = True
        elif _MULTI_NUMBERED.match(t) and len(t) < 200 and not _ENDS_SENTENCE.search(t):
            heading = True  # "3.2.1. Triển khai hợp tác theo lĩnh vực ưu tiên"
        if not normative:
            labels.append("")
        else:
            where = " ".join(x for x in (article, clause, point) if x)
            labels.append(", ".join(x for x in (chapter, section, where) if x))
        headings.append(heading)
    return labels, headings, normative


def clean_document(pages: Sequence[Sequence[Line]], *, paged: bool = True) -> CleanDocument:
    """Clean text and blocks from the lines of each page (``paged=False``: one page that is
    not a real page, e.g. a text file or web page)."""
    segmented = is_presegmented("\n".join(ln.text for lines in pages for ln in lines))
    dump_notes: list[tuple[str, list[Line]]] = []
    if not paged and len(pages) == 1 and _looks_hard_wrapped(pages[0]):
        kept_lines, dump_notes = split_text_footnotes(pages[0])
        pages = [kept_lines]

    def tidy(text: str) -> str:
        if segmented:
            text = restore_segmented(text, force=True)
        return _WS.sub(" ", text).strip()

    raw = [[replace(ln, text=tidy(ln.text)) for ln in lines] for lines in pages]
    raw = [[ln for ln in lines if ln.text] for lines in raw]
    dropped = 0
    if paged:
        raw, dropped = _drop_running(raw)
    body = _body_size(raw)
    bodies: list[list[Line]] = []
    notes: list[tuple[int, list[Line]]] = []
    for number, lines in enumerate(raw, start=1):
        kept, page_notes = _split_footnotes(lines, body)
        bodies.append(kept)
        notes.extend((number, n) for n in page_notes)
    paras = _paragraphs(bodies, paged)
    if not paged and len(raw) == 1 and paras:
        # A lone page number or running marker at the very top of a text dump ("1").
        while paras and _PAGE_NUMBER.match(paras[0].text):
            paras.pop(0)
            dropped += 1
    if not paged:
        paras, cut = _drop_boilerplate(paras)
        dropped += cut
    text_notes: list[tuple[str, str]] = []
    if not paged:
        end, text_notes = _trailing_notes(paras)
        paras = paras[:end]  # the heading or rule and its notes leave the body
    labels, headings, normative = _labels(paras)
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for para, label, heading in zip(paras, labels, headings, strict=True):
        if parts:
            pos += 2
        blocks.append(Block(pos, pos + len(para.text), para.page, "body", label, heading))
        parts.append(para.text)
        pos += len(para.text)
    for page, lines in notes:
        text = ""
        for ln in lines:
            text = _join(text, ln.text) if text else ln.text
        if parts:
            pos += 2
        blocks.append(Block(pos, pos + len(text), page, "footnote"))
        parts.append(text)
        pos += len(text)
    for marker, lines in dump_notes:
        text = ""
        for ln in lines:
            t = tidy(ln.text)
            if t:
                text = _join(text, t) if text else t
        if parts:
            pos += 2
        blocks.append(Block(pos, pos + len(text), None, "footnote", f"[{marker}]"))
        parts.append(text)
        pos += len(text)
    for marker, text in text_notes:
        if parts:
            pos += 2
        blocks.append(Block(pos, pos + len(text), None, "footnote", marker))
        parts.append(text)
        pos += len(text)
    return CleanDocument(
        text="\n\n".join(parts),
        blocks=blocks,
        pages=len(pages) if paged else None,
        normative=normative,
        dropped_lines=dropped,
    )


_RULE = re.compile(r"^[-_–—=]{5,}(?:\s+[-–](?=\s))?\s*")
_NOTE_OPEN = re.compile(
    r"^(?:\[(\d{1,3})\]|\((\d{1,3}|\*{1,3})\)|(\d{1,3})[.)]|(\*{1,3}))\s*(?=\S)"
)


def _note_marker(text: str) -> str:
    """ "[1]" or "[*]" for a paragraph opening with a note marker ("[1]", "(1)", "1.", "1)",
    "(*)", "*"), else ""."""
    m = _NOTE_OPEN.match(text)
    if m is None or len(text) <= m.end():
        return ""
    return f"[{next(g for g in m.groups() if g)}]"


# Lines of a web page's widgets, not of its text.
_WIDGET = re.compile(
    r"^(?:img|image|ảnh|photo|no data|no videos? available|loading\.*|đang tải\.*"
    r"|(?:bình luận|comments?|ý kiến)\s*(?:\(\d+\))?|chia sẻ|share|in bài|print|xem thêm|đọc thêm"
    r"|read more|quảng cáo|advertisement|cùng chuyên mục|cùng tác giả|tin liên quan"
    r"|bài liên quan|tin cùng chuyên mục|related(?: articles| news)?|tags?:?|từ khóa:?)$",
    re.IGNORECASE,
)
_SOURCE_URL = re.compile(r"^(?:Nguồn|Source)\s*:\s*(?:https?://|www\.)\S+$", re.IGNORECASE)
_MENU_RUN = 5


def _menu_item(text: str) -> bool:
    return len(text) <= 30 and len(text.split()) <= 4 and not _ENDS_SENTENCE.search(text)


def _drop_boilerplate(paras: list[_Para]) -> tuple[list[_Para], int]:
    """A web page's clutter out of its text: widget lines ("img", "Bình luận (0)", "No
    data", "Cùng chuyên mục"), runs of five or more very short lines (a site menu), and
    what follows a "Nguồn: <url>" line when it is such clutter or a list of headlines (no
    paragraph of it ends a sentence, or a widget line is among its first). Returns the
    paragraphs kept and how many were dropped."""
    n = len(paras)
    for i, para in enumerate(paras):
        if _SOURCE_URL.match(para.text) and i + 1 < n:
            tail = paras[i + 1 :]
            clutter = any(_WIDGET.match(t.text) for t in tail[:3]) or not any(
                _ENDS_SENTENCE.search(t.text) and len(t.text) > 80 for t in tail
            )
            if clutter:
                paras = paras[: i + 1]
                break
    # A menu is before the text's first sentence paragraph or after its last (a table's
    # short cells inside the text are no menu).
    long = [i for i, q in enumerate(paras) if len(q.text) > 80 and _ENDS_SENTENCE.search(q.text)]
    first, last = (long[0], long[-1]) if long else (len(paras), -1)
    kept: list[_Para] = []
    run: list[_Para] = []
    for i, p in enumerate([*paras, None]):
        outside = i < first or i > last
        if p is not None and outside and _menu_item(p.text) and not _STARTER.match(p.text):
            run.append(p)
            continue
        if len(run) < _MENU_RUN:
            kept.extend(r for r in run if not _WIDGET.match(r.text))
        run = []
        if p is not None and not _WIDGET.match(p.text):
            kept.append(p)
    return kept, n - len(kept)


def _trailing_notes(paras: list[_Para]) -> tuple[int, list[tuple[str, str]]]:
    """A text file's notes, as (where the body ends, [(marker as "[1]", text)]): the
    paragraphs after a last "Ghi chú" / "Chú thích" / "Notes" heading, or from a paragraph
    that opens with a dashed rule ("-------- (1) Quyết định …", the rule left out), when every
    one of them opens with a marker ("[1]", "1.", "1)", "(1)", "(*)", "*"). A paragraph
    holding several notes ("(1) … (2) …") gives one per marker. Nothing when the block is not
    all notes."""
    for h in range(len(paras) - 1, -1, -1):
        text = paras[h].text
        if (rule := _RULE.match(text)) and h + 1 >= len(paras) - 20:
            first = text[rule.end() :]
            block = ([first] if first else []) + [p.text for p in paras[h + 1 :]]
            out = []
            for para in block:
                if not _note_marker(para):
                    return len(paras), []
                for part in _split_notes(para):
                    out.append((_note_marker(part) or _note_marker(para), part))
            return (h, out) if out else (len(paras), [])
        if h <= len(paras) - 2 and _NOTES_HEADING.match(text):
            out = []
            for note in paras[h + 1 :]:
                marker = _note_marker(note.text)
                if not marker:
                    return len(paras), []
                out.append((marker, note.text))
            return h, out
    return len(paras), []


def _split_notes(text: str) -> list[str]:
    """A paragraph of numbered notes glued together, "(1) … (2) …", one per marker (only
    the next numbers in order)."""
    m = _NOTE_OPEN.match(text)
    number = m.group(2) if m else None
    if not number or not number.isdigit():
        return [text]
    parts = []
    n = int(number)
    rest = text
    while (nxt := re.search(rf"\s\({n + 1}\)\s", rest)) is not None:
        parts.append(rest[: nxt.start()].strip())
        rest = rest[nxt.start() :].strip()
        n += 1
    parts.append(rest)
    return parts


def note_references(text: str, glued: Collection[int] = ()) -> list[tuple[int, int, str]]:
    """Where a body text refers to a note: "[1]" markers, as (start, end, "[1]"), and for
    the numbers in ``glued`` (a text dump's footnotes) the digits glued to a word, "vực2." →
    the span of "2" as "[2]"."""
    out = [(m.start(), m.end(), m.group(0)) for m in _NOTE_REF.finditer(text)]
    for n in glued:
        if m := re.search(_GLUED.format(n=n), text):
            out.append((m.start(1), m.end(1), f"[{n}]"))
    return sorted(out)


_NOTE_REF = re.compile(r"\[\d{1,3}\]")


def text_lines(text: str) -> list[Line]:
    """A plain text's lines; a blank line before a line marks a new paragraph (and how many
    blank lines there were is kept: a double-spaced dump has one before every line)."""
    out: list[Line] = []
    blanks = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            blanks += 1
            continue
        out.append(Line(raw, starts_paragraph=blanks > 0 or not out, blank_before=blanks))
        blanks = 0
    return out


# --- language and passages -------------------------------------------------------------------

_VI_LETTERS = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")


def guess_language(text: str) -> str:
    """ "vi" when Vietnamese letters are common, "en" for other Latin text, "other" else."""
    letters = [c for c in text.lower() if c.isalpha()]
    if not letters:
        return "other"
    vi = sum(1 for c in letters if c in _VI_LETTERS)
    if vi >= 0.03 * len(letters):
        return "vi"
    ascii_share = sum(1 for c in letters if c.isascii()) / len(letters)
    return "en" if ascii_share > 0.9 else "other"


@dataclass(frozen=True)
class Span:
    """A passage: ``text[start:end]`` of the clean text, with its page, label and kind."""

    start: int
    end: int
    page: int | None
    label: str
    kind: str


def passages(doc: CleanDocument, *, target: int = 700, limit: int = 1400) -> list[Span]:
    """Paragraph- or article-sized spans of the clean text, in reading order.

    Short paragraphs join the next ones of the same article (a heading always joins what it
    heads) until about ``target`` characters; a paragraph longer than ``limit`` is cut at
    sentence ends. In normative documents a passage never mixes two clauses nor two articles
    (every "Điều N." starts a passage, even after a heading), so its label says exactly
    where it is, and its page is that of its first paragraph. Footnotes are passages of their own.
    """
    from vntext.segment import sentences

    out: list[Span] = []
    group: list[Block] = []

    def close() -> None:
        if not group:
            return
        label = next((b.label for b in group if not b.heading), group[-1].label)
        out.append(Span(group[0].start, group[-1].end, group[0].page, label, "body"))
        group.clear()

    for block in doc.blocks:
        if block.kind == "footnote":
            close()
            out.append(Span(block.start, block.end, block.page, block.label, "footnote"))
            continue
        length = block.end - block.start
        if length > limit:
            close()
            text = doc.text[block.start : block.end]
            a = 0
            for _s, e in sentences(text):
                if e - a >= target:
                    out.append(
                        Span(block.start + a, block.start + e, block.page, block.label, "body")
                    )
                    a = e
                    while a < len(text) and text[a].isspace():
                        a += 1
            if a < len(text):
                out.append(Span(block.start + a, block.end, block.page, block.label, "body"))
            continue
        if group:
            size = block.end - group[0].start
            heads = all(b.heading for b in group)
            starts_article = bool(_ARTICLE.match(doc.text[block.start : block.end]))
            has_article = any(_ARTICLE.match(doc.text[b.start : b.end]) for b in group)
            if heads:
                # A heading joins what it heads, unless that is too long to share a passage;
                # a new article never joins the previous one's heading.
                if (
                    size > limit
                    or (block.label != group[-1].label and not doc.normative)
                    or (starts_article and has_article)
                ):
                    close()
            elif block.label != group[-1].label or size > target or block.heading:
                close()  # a heading opens the passage of what it heads
        group.append(block)
        if not block.heading and block.end - group[0].start >= target:
            close()
    close()
    return out
