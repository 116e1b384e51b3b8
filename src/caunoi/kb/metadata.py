"""What a document says about itself (kind, number, issuer, signing date, title) and what it
mentions (legal references, countries, organisations, amounts), from ``vntext``.

The metadata is a first guess an officer corrects on the document's page; ingestion fills only
fields nobody has entered.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from caunoi.kb.models import Document, Kind, Mention, MentionKind
from vntext import extract
from vntext.legal import ISSUER_NAMES

HEAD = 2500  # the header of a normative document sits in its first characters

# The document's own kind, as its title line says it (upper case in normative documents).
_KIND_WORDS = (
    ("BIÊN BẢN GHI NHỚ", Kind.MOU),
    ("BẢN GHI NHỚ", Kind.MOU),
    ("MEMORANDUM OF UNDERSTANDING", Kind.MOU),
    ("THỎA THUẬN", Kind.AGREEMENT),
    ("THOẢ THUẬN", Kind.AGREEMENT),
    ("HIỆP ĐỊNH", Kind.AGREEMENT),
    ("AGREEMENT", Kind.AGREEMENT),
    ("NGHỊ QUYẾT", Kind.RESOLUTION),
    ("NGHỊ ĐỊNH", Kind.DECREE),
    ("QUYẾT ĐỊNH", Kind.DECISION),
    ("THÔNG TƯ", Kind.CIRCULAR),
    ("CHỈ THỊ", Kind.DIRECTIVE),
    ("LUẬT", Kind.LAW),
    ("KẾ HOẠCH", Kind.PLAN),
    ("CHƯƠNG TRÌNH", Kind.PLAN),
    ("BÁO CÁO", Kind.REPORT),
)
_NUMBER = re.compile(r"(?:^|\n)\s*Số\s*[:.]?\s*(\d{1,5}[^\s,;]*)", re.IGNORECASE)
_SUBJECT = re.compile(r"^(Về việc|V/v|Về|Phê duyệt|Ban hành|Quy định)\b", re.IGNORECASE)
# The document's own date: a "place, date" line of its header or signature block ("Hà Nội,
# ngày 18 tháng 3 năm 2024", "Seoul, 12/6/2025"), or a short line that is just a date. A date
# after a legal reference ("Quyết định số 1851/QĐ-TTg ngày 27/12/2018") is the quoted
# document's, never this one's.
_PLACE_DATE = re.compile(r"^[^\W\d_][^\W\d_ .'-]*(?:[ .'-]+[^\W\d_]+){0,4}\s*,\s*(?:ngày\s+)?\d")
_DATE_LINE = re.compile(r"^(?:ngày\s+)?\d", re.IGNORECASE)
# Titles: a source tag before an article ("TCCS - "), a site banner ("Vietnam.vn - …"), an
# author with a footnote mark after the title ("… Mai Hà *").
_SOURCE_TAG = re.compile(r"^[A-ZĐ&]{2,12}\s+[-–—]\s+(?=\S)")
_SITE = re.compile(r"\b[\w-]+\.(?:vn|com|net|org|gov|edu|info|io)(?:\.[a-z]{2})?\b", re.IGNORECASE)
_BODY_WORDS = ("Căn cứ", "Thực hiện", "Theo đề nghị")
_BODY_AFTER = re.compile(r"\s(?:Căn cứ|Thực hiện|Theo đề nghị)\s")
_ROMAN = re.compile(r"^[IVXLC]{1,6}\.\s")
_PLACE_AFTER = re.compile(r",\s*ngày\s+\d.*$")
_PLACE_BEFORE = re.compile(r",\s*(?:ngày\s+)?$")
_TITLE_KINDS = (("báo cáo", Kind.REPORT), ("report", Kind.REPORT), ("kế hoạch", Kind.PLAN))
_ISSUER_CODE = {code: name for name, code in reversed(ISSUER_NAMES)}
_ISSUER_CODE.update({"BKHCN": "Bộ Khoa học và Công nghệ", "BNG": "Bộ Ngoại giao"})


def _kind(paras: list[str]) -> tuple[str, int]:
    for i, p in enumerate(paras[:25]):
        line = p.strip().rstrip(".:")
        for word, kind in _KIND_WORDS:
            if line == word or (line.startswith(word + " ") and line.isupper()):
                return kind, i
    return "", -1


def guess(text: str, *, declared_title: str = "") -> dict[str, Any]:
    """Kind, number, issuer, signing date and title read from the start of the clean text."""
    head = text[:HEAD]
    paras = [p for p in head.split("\n\n") if p.strip()]
    out: dict[str, Any] = {}
    kind, at = _kind(paras)
    if kind:
        out["kind"] = kind
    found = extract(head)
    m = _NUMBER.search(head)
    number = ""
    if m:
        for ref in found["legal_refs"]:
            if int(str(ref["start"])) <= m.start(1) < int(str(ref["end"])) or ref[
                "text"
            ] == m.group(1):
                number = str(ref["number"])
                break
        if not number and "/" in m.group(1):
            number = m.group(1).rstrip(".")
    if number:
        out["number"] = number[:100]
        code = number.rsplit("-", 1)[-1] if "-" in number else ""
        if code in _ISSUER_CODE:
            out["issuer"] = _ISSUER_CODE[code]
    if "issuer" not in out and at >= 0:
        for org in found["organizations"]:
            if int(str(org["start"])) < 600:
                out["issuer"] = str(org["name"])[:300]
                break
    if at >= 0 or number:
        signed = _own_date(head, found) or _own_date(text[-1500:], extract(text[-1500:]))
        if signed:
            out["signed_on"] = signed
    title = ""
    if at >= 0:
        subject = ""
        for p in paras[at + 1 : at + 3]:
            p = p.strip()
            if _ARTICLE_LINE.match(p) or p.startswith(_BODY_WORDS) or _ROMAN.match(p):
                break  # the body starts: no subject line
            # A subject line the text dump glued to what follows: "… Chính phủ Thực hiện …",
            # "… và KISTI Hà Nội, ngày 5 tháng 9 năm 2024".
            if m := _BODY_AFTER.search(p):
                p = p[: m.start()].rstrip()
            if (m := _PLACE_AFTER.search(p)) and (cut := _place_start(p[: m.start()])) > 0:
                p = p[:cut].rstrip()
            if _SUBJECT.match(p) or (p and p[0].isupper() and len(p) < 300):
                subject = p
                break
        label = paras[at].strip().capitalize()
        title = f"{label} {number}".strip() + (
            f" {subject[0].lower()}{subject[1:]}" if subject else ""
        )
    elif declared_title and len(declared_title) > 3 and not _placeholder(declared_title):
        title = declared_title
    else:
        title = _first_title(paras)
    if title:
        title = _drop_author(title)
        out["title"] = " ".join(title.split())[:500]
        if "kind" not in out:
            low = out["title"].lower()
            for word, k in _TITLE_KINDS:
                if low.startswith(word + " "):
                    out["kind"] = k
                    break
    if "kind" not in out and not number and (genre := _genre(text, paras)):
        out["kind"] = genre
    return out


# A file's metadata title that is an editor's placeholder, not the document's: "untitled",
# "Microsoft Word - bao_cao.docx", "Document1", "Tài liệu1", a file name ("scan_0012.pdf").
_PLACEHOLDER = re.compile(
    r"^(?:untitled\b.*|không có tiêu đề|(?:microsoft\s+)?(?:word|excel|powerpoint)\s+-\s.*"
    r"|document\s*\d*|tài liệu\s*\d*|new document|title|tiêu đề"
    r"|\S+\.(?:docx?|pdf|odt|rtf|txt|html?))$",
    re.IGNORECASE,
)


def _placeholder(title: str) -> bool:
    """Whether a declared title is an editor's placeholder or a file name (no spaces, an
    underscore or digits-only word: "bao_cao_2024", "scan0012")."""
    t = " ".join(title.split())
    if _PLACEHOLDER.match(t):
        return True
    return " " not in t and ("_" in t or any(c.isdigit() for c in t))


# Cues of a news item: a "Nguồn:" line, a lead opening on its time and date ("Chiều
# 15/7/2025, …"), a short date line ("16/07/2025", "Thứ Tư, 16/07/2025 09:30").
_SOURCE_LINE = re.compile(r"(?:^|\n)\s*(?:Nguồn|Theo|Source)\s*:\s*\S", re.IGNORECASE)
_DATELINE = re.compile(
    r"^(?:Sáng|Chiều|Trưa|Tối|Đêm|Ngày|Hôm nay|Hôm qua)\s+(?:ngày\s+)?\d{1,2}/\d{1,2}\b"
)
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/(?:19|20)\d{2}\b")
# Cues of an article: an abstract, keywords or references heading, a by-line with an
# academic title ("TS. Nguyễn Văn A", "PGS.TS …"), an author's note mark ("… Mai Hà *"), a
# journal's name, entries of a reference list ("Tran, A. (2020). …").
_ARTICLE_HEAD = re.compile(
    r"(?:^|\n)\s*(?:Tóm tắt|Abstract|Từ khóa|Từ khoá|Keywords|Tài liệu tham khảo|References)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:GS|PGS|TS|ThS|NCS|Dr)\.\s*(?:TS\.\s*|TSKH\.\s*)?[A-ZĐ][^\W\d_]")
_AUTHOR_MARK = re.compile(r"[^\W\d_]\s\*$")
_REFERENCE_ENTRY = re.compile(r"(?:^|\n)[^\n(]{2,120}\((?:19|20)\d{2}\)\.\s")


def _genre(text: str, paras: list[str]) -> str:
    """ "news" or "article" from generic cues of a text that is no legal document, or "". A
    news item needs two of its cues (or one and no article cue); an article one cue."""
    first = [p.strip() for p in paras[:8]]
    news = 0
    if _SOURCE_LINE.search(text[-3000:]):
        news += 1
    if any(_DATELINE.match(p) for p in first):
        news += 1
    if any(len(p) < 120 and _DATE.search(p) for p in first):
        news += 1
    article = 0
    if _ARTICLE_HEAD.search(text[:5000]) or _ARTICLE_HEAD.search(text[-20000:]):
        article += 1
    if any(len(p) < 120 and (_BYLINE.match(p) or _AUTHOR_MARK.search(p)) for p in first):
        article += 1
    if any("tạp chí" in p.lower() or "journal" in p.lower() for p in first[:3]):
        article += 1
    if len(_REFERENCE_ENTRY.findall(text[-20000:])) >= 2:
        article += 1
    if first and _SOURCE_TAG.match(first[0]) and not news:
        article += 1  # "TCCS - …": a journal's tag before an essay
    if news >= 2 or (news and not article):
        return Kind.NEWS
    if article:
        return Kind.ARTICLE
    return ""


def _place_start(text: str) -> int:
    """Where the place name that ends ``text`` starts ("… và KISTI Hà Nội" → at "Hà"): one
    to four capitalised words (not acronyms); -1 when ``text`` does not end with one."""
    words = list(re.finditer(r"\S+", text))
    start = -1
    for w in reversed(words[-4:]):
        word = w.group()
        if not (word[:1].isupper() and word[1:].islower() and word.isalpha()):
            break
        start = w.start()
    return start


def _drop_author(title: str) -> str:
    """ "… giai đoạn mới Mai Hà *" → "… giai đoạn mới": the author's name (capitalised words)
    before a footnote mark at the end of a title."""
    t = title.rstrip()
    if not t.endswith(("*", "†")):
        return title
    words = t.rstrip("*† ").split()
    dropped = 0
    while words and dropped < 4 and words[-1][:1].isupper() and not words[-1].isupper():
        words.pop()
        dropped += 1
    return " ".join(words) if len(words) >= 3 else t.rstrip("*† ")


_ARTICLE_LINE = re.compile(r"^(?:Điều|ĐIỀU|Chương|CHƯƠNG)\s+\S+\s*[.:]")


def _own_date(text: str, found: dict[str, Any]) -> dt.date | None:
    """The first date of ``text`` on a line of its own header or signature block (see
    ``_PLACE_DATE``), skipping dates that belong to a quoted legal reference."""
    refs = [(int(str(r["start"])), int(str(r["end"]))) for r in found["legal_refs"]]
    for d in found["dates"]:
        start = int(str(d["start"]))
        a = text.rfind("\n", 0, start) + 1
        b = text.find("\n", start)
        line = text[a : b if b >= 0 else len(text)].strip()
        if any(e <= start and start - e < 40 and "\n" not in text[e:start] for _s, e in refs):
            continue  # "số 1851/QĐ-TTg ngày 27/12/2018": the quoted document's date
        own = _PLACE_DATE.match(line) and len(line) < 120
        own = own or (_DATE_LINE.match(line) and len(line) < 40)
        # "… và KISTI Hà Nội, ngày 5 tháng 9 năm 2024": a place line glued to the one above
        before = text[a:start]
        if not own and (m := _PLACE_BEFORE.search(before)):
            own = _place_start(before[: m.start()]) >= 0
        if not own:
            continue
        try:
            return dt.date.fromisoformat(str(d["date"]))
        except (TypeError, ValueError):
            continue
    return None


def _first_title(paras: list[str]) -> str:
    """An article's or text's title: its first short paragraph after any site banner, else
    the start of its first sentence (a source tag like "TCCS - " left out)."""
    for i, p in enumerate(paras[:3]):
        p = p.strip()
        if _SITE.search(p) and len(p) < 100 and i + 1 < len(paras):
            continue  # "Vietnam.vn - Nền tảng quảng bá Việt Nam": the site, not the article
        p = _SOURCE_TAG.sub("", p)
        if len(p) <= 200:
            return p
        end = re.search(r"[.!?](?:\s|$)", p)
        sentence = p[: end.start()] if end else p
        if len(sentence) <= 160:
            return sentence
        cut = sentence[:160].rsplit(" ", 1)[0].rstrip(" ,;:-–")
        return cut + "…"
    return ""


def mentions(document: Document) -> list[Mention]:
    """The mentions of the document's clean text, one row per occurrence."""
    found = extract(document.clean_text)
    rows: list[Mention] = []

    def add(kind: str, item: dict[str, Any], key: Any) -> None:
        rows.append(
            Mention(
                document=document,
                kind=kind,
                text=str(item["text"])[:300],
                key=str(key)[:300],
                start=int(item["start"]),
                end=int(item["end"]),
            )
        )

    for ref in found["legal_refs"]:
        if ref.get("number"):
            add(MentionKind.LEGAL_REF, ref, ref["number"])
    for c in found["countries"]:
        if c["iso2"] != "VN":
            add(MentionKind.COUNTRY, c, c["iso2"])
    for o in found["organizations"]:
        add(MentionKind.ORGANIZATION, o, o["key"])
    for a in found["amounts"]:
        if a.get("currency"):
            add(MentionKind.AMOUNT, a, f"{a.get('amount') or a.get('value')} {a['currency']}")
    return rows
