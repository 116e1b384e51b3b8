"""References to legal and administrative documents: "Quyết định số 1851/QĐ-TTg ngày 27/12/2018".

A reference is found in one of four shapes:

1. a kind word and a document number: "Nghị quyết số 20-NQ / TW, ngày 31-10-2012";
2. a document number alone whose type code names the kind: "và 15/2020/QĐ-UBND";
3. a kind word with a date and an issuer but no number: "Quyết định ngày 27/12/2018 của
   Thủ tướng Chính phủ", a Party resolution named by its plenum: "Nghị quyết Trung ương 6
   khóa XI", or a law named by its title and year: "Luật Chuyển giao công nghệ năm 2017"
   (issuer "QH", the title in ``title``);
4. a capitalised kind word with a bare number, as documents are nicknamed: "Đề án 1851".

The number is normalised without spaces ("20-NQ/TW"); the type code ("QĐ") and the issuer code
("TTg") are read from it, the year from the number when it carries one, otherwise from the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vntext.dates import iso_date
from vntext.normalize import normalize_with_offsets

_SEP = r"[\s_]+"


def _words(phrase: str) -> str:
    return _SEP.join(re.escape(w) for w in phrase.split())


# Longest first so that "Thông tư liên tịch" wins over "Thông tư".
KINDS: tuple[str, ...] = (
    "Chương trình hành động",
    "Thông tư liên tịch",
    "Nghị quyết liên tịch",
    "Quyết định",
    "Nghị quyết",
    "Nghị định thư",
    "Nghị định",
    "Thông tư",
    "Bộ luật",
    "Luật",
    "Pháp lệnh",
    "Chỉ thị",
    "Công văn",
    "Công điện",
    "Hướng dẫn",
    "Kế hoạch",
    "Chương trình",
    "Thông báo",
    "Hiệp định",
    "Kết luận",
    "Quy định",
    "Quy chế",
    "Đề án",
    "Tờ trình",
    "Báo cáo",
    "Văn bản",
    "Thỏa thuận",
    "Sắc lệnh",
    "Lệnh",
)
_KIND_CANON = {k.lower(): k for k in KINDS}

# Type codes that open a document number, and the kind they denote.
TYPE_CODES: dict[str, str] = {
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
    "NQLT": "Nghị quyết liên tịch",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "CTr": "Chương trình hành động",
    "KL": "Kết luận",
    "QĐi": "Quy định",
    "QC": "Quy chế",
    "BC": "Báo cáo",
    "TTr": "Tờ trình",
    "CĐ": "Công điện",
    "PL": "Pháp lệnh",
    "L": "Lệnh",
    "ĐA": "Đề án",
}

# Issuers named in words after "của", mapped to the code used in document numbers.
ISSUER_NAMES: tuple[tuple[str, str], ...] = (
    ("Thủ tướng Chính phủ", "TTg"),
    ("Thủ tướng", "TTg"),
    ("Ủy ban Thường vụ Quốc hội", "UBTVQH"),
    ("Ban Chấp hành Trung ương", "TW"),
    ("Hội nghị Trung ương", "TW"),
    ("Bộ Chính trị", "TW"),
    ("Ban Bí thư", "TW"),
    ("Chính phủ", "CP"),
    ("Quốc hội", "QH"),
    ("Chủ tịch nước", "CTN"),
    ("Hội đồng nhân dân", "HĐND"),
    ("HĐND", "HĐND"),
    ("Ủy ban nhân dân", "UBND"),
    ("UBND", "UBND"),
    ("Tỉnh ủy", "TU"),
    ("Thành ủy", "TU"),
    ("Bộ Khoa học và Công nghệ", "BKHCN"),
    ("Bộ KH&CN", "BKHCN"),
    ("Bộ Giáo dục và Đào tạo", "BGDĐT"),
    ("Bộ Tài chính", "BTC"),
    ("Bộ Kế hoạch và Đầu tư", "BKHĐT"),
    ("Bộ Công Thương", "BCT"),
    ("Bộ Lao động - Thương binh và Xã hội", "BLĐTBXH"),
    ("Bộ Ngoại giao", "BNG"),
    ("Bộ Thông tin và Truyền thông", "BTTTT"),
    ("Bộ Y tế", "BYT"),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "BNNPTNT"),
    ("Bộ Tài nguyên và Môi trường", "BTNMT"),
    ("Bộ Nội vụ", "BNV"),
    ("Bộ Tư pháp", "BTP"),
    ("Bộ Xây dựng", "BXD"),
    ("Bộ Giao thông vận tải", "BGTVT"),
    ("Sở Khoa học và Công nghệ", "SKHCN"),
)

_KIND_RE = "|".join(_words(k) for k in KINDS)
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
_SLASH = r"\s?/\s?"
_DASH = r"(?:\s?[-–]\s?|[-–]\s*\n\s*)"
_NUM = r"\d{1,5}[a-z]?"
_YEAR = r"(?:19|20)\d\d"
NUMBER = (
    rf"{_NUM}(?:{_SLASH}{_YEAR})?{_SLASH}{_CODE}(?:{_DASH}{_CODE})*(?:{_SLASH}{_CODE})?"
    rf"|{_NUM}{_DASH}{_CODE}{_SLASH}{_CODE}(?:{_DASH}{_CODE})*"
)
_NUMBER_RE = re.compile(rf"(?<![\w/.-])(?:{NUMBER})(?![\w/]|-\w)")
_KIND_NUMBER_RE = re.compile(
    rf"(?P<kind>(?i:{_KIND_RE})){_SEP}(?:(?i:số)\s?:?{_SEP}?)?(?P<number>{NUMBER})(?![\w/]|-\w)"
)
_KIND_BARE_RE = re.compile(
    rf"(?<![\w])(?P<kind>{_KIND_RE}){_SEP}(?:số{_SEP})?(?P<number>\d{{2,5}})"
    rf"(?![\w/.,%-]|\s?[.,]\d|{_SEP}(?:năm|tháng|ngày|tuổi|người|triệu|tỷ|nghìn|%))"
)
_KIND_ALONE_RE = re.compile(rf"(?<![\w])(?P<kind>(?i:{_KIND_RE}))(?![\w])")
_PLENUM_RE = re.compile(
    rf"(?P<kind>Nghị{_SEP}quyết){_SEP}(?:(?:Hội{_SEP}nghị|Hội{_SEP}nghị{_SEP}lần{_SEP}thứ)"
    rf"{_SEP})?Trung{_SEP}ương{_SEP}(?:lần{_SEP}thứ{_SEP})?\d{{1,2}}{_SEP}(?:khóa|khoá)"
    rf"{_SEP}[IVXL]+\b"
)
_TITLE_STOP = "có|được|đã|từ|vào|trong|là|sẽ|của|cho|theo|tại|này|đó|thì|mà|với|năm"
_LAW_RE = re.compile(
    rf"(?<![\w])(?P<kind>Bộ{_SEP}luật|Luật){_SEP}"
    rf"(?P<title>[A-ZĐ][^\W\d_]*(?:{_SEP}(?!(?:{_TITLE_STOP})(?![\w]))[^\W\d_]+){{0,8}}?)"
    rf"{_SEP}(?:(?:năm|ban{_SEP}hành{_SEP}năm){_SEP})?(?P<year>{_YEAR})(?![\w/])"
)
# "Luật Sở hữu trí tuệ số 50/2005/QH11": a titled law or ordinance with its number.
_TITLED_NUMBER_RE = re.compile(
    rf"(?<![\w])(?P<kind>Bộ{_SEP}luật|Luật|Pháp{_SEP}lệnh){_SEP}"
    rf"(?P<title>[A-ZĐ][^\W\d_]*(?:{_SEP}(?!(?:{_TITLE_STOP}|số)(?![\w]))[^\W\d_]+){{0,8}}?)"
    rf"{_SEP}số{_SEP}(?P<number>{NUMBER})(?![\w/]|-\w)"
)
_DATE_CLAUSE_RE = re.compile(
    rf"[\s,_]*\(?\s*(?:(?:ban{_SEP}hành|ký){_SEP})?ngày{_SEP}"
    rf"(?:(?P<d>[0-3]?\d)\s?(?P<s>[/.-])\s?(?P<m>[01]?\d)\s?(?P=s)\s?(?P<y>{_YEAR})"
    rf"|(?P<d2>[0-3]?\d){_SEP}tháng{_SEP}(?P<m2>[01]?\d)(?:{_SEP}|\s?,\s?)năm{_SEP}(?P<y2>{_YEAR}))"
    r"(?![\w/])",
    re.IGNORECASE,
)
_ISSUER_CLAUSE_RE = re.compile(
    rf"[\s,_]*của{_SEP}(?P<who>{'|'.join(_words(n) for n, _ in ISSUER_NAMES)})(?![\w])"
)
_ISSUER_CODES = {re.sub(r"\s+", " ", n).lower(): c for n, c in ISSUER_NAMES}


@dataclass(frozen=True)
class LegalRef:
    """One reference to a legal or administrative document; offsets into the original text."""

    text: str
    start: int
    end: int
    kind: str
    number: str
    type_code: str
    issuer: str
    year: int | None
    date: str | None
    title: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "number": self.number,
            "type_code": self.type_code,
            "issuer": self.issuer,
            "year": self.year,
            "date": self.date,
            "title": self.title,
        }


@dataclass(frozen=True)
class ParsedNumber:
    """The parts of a document number such as "01/2014/TT-BGDĐT"."""

    number: str
    type_code: str
    issuer: str
    year: int | None


def parse_number(raw: str) -> ParsedNumber:
    """Normalise a document number and read its type code, issuer code and year.

    >>> parse_number("20-NQ / TW")
    ParsedNumber(number='20-NQ/TW', type_code='NQ', issuer='TW', year=None)
    >>> parse_number("01/2014/TT-BGDĐT")
    ParsedNumber(number='01/2014/TT-BGDĐT', type_code='TT', issuer='BGDĐT', year=2014)
    """
    number = re.sub(r"\s+", "", raw).replace("–", "-")
    parts = number.split("/")
    year = None
    if len(parts) >= 3 and re.fullmatch(_YEAR, parts[1]):
        year = int(parts[1])
        codes = "/".join(parts[2:])
    else:
        codes = "/".join(parts[1:])
    head = parts[0]
    type_code = issuer = ""
    if "-" in head and not head.split("-", 1)[0].isalpha():
        # Party style "20-NQ/TW": the type code follows the dash, the issuer the slash.
        type_code = head.split("-", 1)[1]
        issuer = codes.split("-")[0].split("/")[0]
    else:
        pieces = re.split(r"[-/]", codes)
        if pieces and pieces[0] in TYPE_CODES:
            type_code = pieces[0]
            issuer = pieces[1] if len(pieces) > 1 else ""
        elif pieces:
            issuer = pieces[0]
    return ParsedNumber(number, type_code, issuer, year)


def _kind_from(kind_text: str | None, type_code: str, issuer: str) -> str:
    if kind_text:
        return _KIND_CANON.get(re.sub(r"[\s_]+", " ", kind_text).lower(), kind_text)
    if type_code in TYPE_CODES:
        return TYPE_CODES[type_code]
    if re.fullmatch(r"QH\d*", issuer):
        return "Luật"
    return "Công văn"


def _date_after(view: str, pos: int) -> tuple[int, str | None] | None:
    m = _DATE_CLAUSE_RE.match(view, pos)
    if not m:
        return None
    if m.group("d"):
        iso = iso_date(int(m.group("d")), int(m.group("m")), int(m.group("y")))
    else:
        iso = iso_date(int(m.group("d2")), int(m.group("m2")), int(m.group("y2")))
    return m.end(), iso


def _issuer_after(view: str, pos: int) -> tuple[int, str] | None:
    m = _ISSUER_CLAUSE_RE.match(view, pos)
    if not m:
        return None
    name = re.sub(r"[\s_]+", " ", m.group("who")).lower()
    return m.end(), _ISSUER_CODES.get(name, "")


def _year_of(parsed_year: int | None, iso: str | None) -> int | None:
    if parsed_year is not None:
        return parsed_year
    return int(iso[:4]) if iso else None


def find_legal_refs_in_view(view: str) -> list[tuple[int, int, dict[str, object]]]:
    """(start, end, fields) of each reference in an already normalised text, in order."""
    found: list[tuple[int, int, dict[str, object]]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(s: int, e: int, fields: dict[str, object]) -> None:
        found.append((s, e, fields))
        taken.append((s, e))

    def numbered(s: int, number_end: int, kind_text: str | None, raw: str, title: str = "") -> None:
        p = parse_number(raw)
        end = number_end
        iso = None
        dated = _date_after(view, number_end)
        if dated:
            end, iso = dated
        add(
            s,
            end,
            {
                "kind": _kind_from(kind_text, p.type_code, p.issuer),
                "number": p.number,
                "type_code": p.type_code,
                "issuer": p.issuer,
                "year": _year_of(p.year, iso),
                "date": iso,
                "title": title,
            },
        )

    for m in _TITLED_NUMBER_RE.finditer(view):
        title = re.sub(r"[\s_]+", " ", m.group("title"))
        numbered(m.start(), m.end("number"), m.group("kind"), m.group("number"), title)
    for m in _KIND_NUMBER_RE.finditer(view):
        if not free(m.start(), m.end()):
            continue
        numbered(m.start(), m.end("number"), m.group("kind"), m.group("number"))
    for m in _NUMBER_RE.finditer(view):
        if free(m.start(), m.end()):
            p = parse_number(m.group(0))
            if p.type_code or p.year or re.fullmatch(r"QH\d*", p.issuer):
                numbered(m.start(), m.end(), None, m.group(0))
    for m in _PLENUM_RE.finditer(view):
        if free(m.start(), m.end()):
            add(
                m.start(),
                m.end(),
                {
                    "kind": "Nghị quyết",
                    "number": "",
                    "type_code": "NQ",
                    "issuer": "TW",
                    "year": None,
                    "date": None,
                },
            )
    for m in _KIND_BARE_RE.finditer(view):
        number = m.group("number")
        if free(m.start(), m.end()) and not re.fullmatch(_YEAR, number):
            add(
                m.start(),
                m.end(),
                {
                    "kind": _kind_from(m.group("kind"), "", ""),
                    "number": number,
                    "type_code": "",
                    "issuer": "",
                    "year": None,
                    "date": None,
                },
            )
    for m in _LAW_RE.finditer(view):
        if free(m.start(), m.end()):
            add(
                m.start(),
                m.end(),
                {
                    "kind": _kind_from(m.group("kind"), "", ""),
                    "number": "",
                    "type_code": "",
                    "issuer": "QH",
                    "year": int(m.group("year")),
                    "date": None,
                    "title": re.sub(r"[\s_]+", " ", m.group("title")),
                },
            )
    for m in _KIND_ALONE_RE.finditer(view):
        if not free(m.start(), m.end()):
            continue
        # "Nghị quyết ngày 22/3/2018 của Bộ Chính trị" or "Nghị quyết của Bộ Chính trị ngày
        # 22/3/2018": without a number, the date and the issuer together identify it.
        dated = _date_after(view, m.end())
        issued = _issuer_after(view, dated[0]) if dated and dated[1] else None
        end = issued[0] if issued else 0
        if not issued:
            issued = _issuer_after(view, m.end())
            dated = _date_after(view, issued[0]) if issued else None
            end = dated[0] if dated else 0
        if not issued or not dated or dated[1] is None:
            continue
        add(
            m.start(),
            end,
            {
                "kind": _kind_from(m.group("kind"), "", ""),
                "number": "",
                "type_code": "",
                "issuer": issued[1],
                "year": _year_of(None, dated[1]),
                "date": dated[1],
            },
        )
    found.sort(key=lambda x: x[0])
    return found


def find_legal_refs(text: str) -> list[LegalRef]:
    """Every reference to a legal or administrative document in ``text``, in order."""
    norm = normalize_with_offsets(text)
    out = []
    for s, e, f in find_legal_refs_in_view(norm.text):
        a, b = norm.original_span(s, e)
        year = f["year"]
        date = f["date"]
        out.append(
            LegalRef(
                text=text[a:b],
                start=a,
                end=b,
                kind=str(f["kind"]),
                number=str(f["number"]),
                type_code=str(f["type_code"]),
                issuer=str(f["issuer"]),
                year=year if isinstance(year, int) else None,
                date=date if isinstance(date, str) else None,
                title=str(f.get("title", "")),
            )
        )
    return out
