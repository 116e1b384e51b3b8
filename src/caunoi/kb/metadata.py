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
        for d in found["dates"]:
            try:
                out["signed_on"] = dt.date.fromisoformat(str(d["date"]))
            except (TypeError, ValueError):
                continue
            break
    title = ""
    if at >= 0:
        subject = ""
        for p in paras[at + 1 : at + 3]:
            if _SUBJECT.match(p.strip()) or (p and p[0].isupper() and len(p) < 300):
                subject = p.strip()
                break
        label = paras[at].strip().capitalize()
        title = f"{label} {number}".strip() + (
            f" {subject[0].lower()}{subject[1:]}" if subject else ""
        )
    elif declared_title and len(declared_title) > 3:
        title = declared_title
    elif paras and len(paras[0]) <= 200:
        title = paras[0].strip()
    if title:
        out["title"] = " ".join(title.split())[:500]
    return out


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
