"""From document to record: the draft registry record an agreement, MoU or project decision
proposes, each value with the passage it was read from and a confidence.

``draft(text, kind, title)`` reads the clean text of a document with ``vntext`` (legal
references, dates, organisations, countries, amounts) and a few phrases of Vietnamese
agreements and decisions ("có hiệu lực kể từ ngày ký", "Mã số dự án:", "Nhà tài trợ:").
It returns ``None`` for a document that is neither, else ``(target, values)`` where target is
"agreement" or "project" and values maps a field of the registry's form to a ``Proposed``
(stored as JSON on ``RecordProposal.values``). Organisations are named by their key (the
gazetteer's, which the registry's partners carry; or a registry partner's found by its
name), countries by ISO code, fields of S&T by code. Nothing here writes anything.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from vntext import extract, gazetteer

HEAD = 1500  # the title, place and date, and the preamble naming the parties
NAMES_IN = 20_000  # registry partners' names are looked for in this much of the text

AGREEMENT = "agreement"
PROJECT = "project"


@dataclass
class Proposed:
    """One proposed value: what, from which span of the clean text, how sure."""

    value: Any
    start: int = 0
    end: int = 0
    confidence: float = 0.5
    note: str = ""
    # Filled from the passages by the caller: where the span sits.
    page: int | None = None
    label: str = ""
    passage: int | None = None
    quote: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        if not out["extra"]:
            out.pop("extra")
        return out


# --- what the document is --------------------------------------------------------------------

_AGREEMENT_TITLES = (
    ("BIÊN BẢN GHI NHỚ", "mou"),
    ("BẢN GHI NHỚ", "mou"),
    ("MEMORANDUM OF UNDERSTANDING", "mou"),
    ("HIỆP ĐỊNH", "intergovernmental"),
    ("NGHỊ ĐỊNH THƯ", "protocol"),
    ("THƯ Ý ĐỊNH", "loi"),
    ("LETTER OF INTENT", "loi"),
    ("THỎA THUẬN", "other"),
    ("THOẢ THUẬN", "other"),
    ("AGREEMENT", "other"),
    ("HỢP ĐỒNG", "contract"),
)
# The decision's subject (or its first article) approves a project: "Phê duyệt dự án …",
# "Về việc phê duyệt Văn kiện dự án …", "Điều 1. Phê duyệt dự án …"; a decision that only
# mentions an approval further on ("cử đoàn … về việc phê duyệt văn kiện dự án") is no such.
_PROJECT_DECISION = re.compile(
    r"^(?:Điều\s+1\.\s*)?(?:về\s+việc\s+)?phê\s+duyệt\s+(?:[^\n.]{0,40}?\s)?dự\s+án",
    re.IGNORECASE,
)


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for chunk in text.split("\n\n"):
        stripped = chunk.strip()
        if stripped:
            out.append((pos + chunk.index(stripped[0]), stripped))
        pos += len(chunk) + 2
    return out


def _title_line(paras: list[tuple[int, str]]) -> tuple[int, str, str] | None:
    """(index, agreement kind, heading) of an agreement's own title line."""
    for i, (_start, p) in enumerate(paras[:12]):
        line = p.rstrip(".:").upper() if len(p) < 120 else ""
        for word, kind in _AGREEMENT_TITLES:
            if line == word or (line.startswith(word + " ") and len(line) < 100):
                return i, kind, p
    return None


def target_of(text: str, kind: str) -> str:
    """ "agreement", "project" or "" for what the document is."""
    paras = _paragraphs(text[:HEAD])
    if kind in ("agreement", "mou") or _title_line(paras) is not None:
        return AGREEMENT
    if kind == "decision" or any(p.upper().startswith("QUYẾT ĐỊNH") for _s, p in paras[:12]):
        for _s, p in paras[:14]:
            if _PROJECT_DECISION.search(p) and len(p) < 400:
                return PROJECT
    return ""


# --- shared readers -----------------------------------------------------------------------------

# "Hà Nội, ngày 5 tháng 9 năm 2024": a place of capitalised words (a paragraph joined to the
# line above by the cleaning still has it), then the date.
_PLACE_DATE = re.compile(
    r"((?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+[ ]){0,3}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+),[ ]*"
    r"(ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})",
)
# A place: up to four capitalised words ("Buenos Aires", "La Habana", "New Delhi", "Băng Cốc").
_PLACE = r"((?:[A-ZĐÀ-Ỹ][\w'’-]*[ ]){0,3}[A-ZĐÀ-Ỹ][\w'’-]*)"
# Cues before the date of signing (the text just before a date ends with one) and the place
# after it: "Làm tại Buenos Aires ngày …", "ký ngày … tại Hà Nội", "Signed in Daejeon on …",
# "Done at Seoul this …", "Signed on … in Can Tho", an English header "New Delhi, …".
_SIGNED_BEFORE = (
    re.compile(rf"(?:[Ll]àm|[Kk]ý(?:\s+kết)?)\s+tại\s+{_PLACE}\s*,?\s*(?:vào\s+)?(?:ngày\s+)?$"),
    re.compile(
        rf"(?:[Ss]igned|[Dd]one|[Mm]ade|[Cc]oncluded)\s+(?:at|in)\s+{_PLACE}\s*,?\s*(?:on(?:\s+the)?|this)?\s*$"
    ),
    re.compile(r"\b[Kk]ý(?:\s+kết)?\s+(?:vào\s+)?(?:ngày\s+)?$"),
    re.compile(r"\b(?:[Ss]igned|[Dd]one)\s+(?:on(?:\s+the)?|this)\s*$"),
    re.compile(rf"(?:^|\n){_PLACE},\s*$"),
)
_PLACE_AFTER = re.compile(rf"\s*,?\s*(?:tại|at|in)\s+{_PLACE}")
_SIGNED_ON = re.compile(r"\bký\s+(?:kết\s+)?(?:tại\s+[^,\n]{1,40},\s*)?(ngày\s+\d)", re.IGNORECASE)
_EN_IN_FORCE = (
    r"(?:enter(?:s|ed)?\s+into\s+force|come(?:s)?\s+into\s+(?:force|effect)|"
    r"take(?:s)?\s+effect|be(?:come)?\s+effective)"
)
_FROM_SIGNING = re.compile(
    r"(?:có\s+hiệu\s+lực\s+(?:thi\s+hành\s+)?(?:\d{1,2}\s+năm\s+)?(?:kể\s+)?từ\s+ngày\s+ký"
    r"|(?:thời\s+hạn|giá\s+trị)[^.\n]{0,30}?kể\s+từ\s+ngày\s+ký"
    r"|(?:valid|in\s+force)[^.\n]{0,40}?\bfrom\s+the\s+date\s+of\s+(?:its\s+)?(?:signature|signing)"
    rf"|{_EN_IN_FORCE}\s+(?:on|from|as\s+of|upon)\s+(?:the\s+)?(?:date\s+of\s+)?"
    r"(?:its\s+)?(?:signature|signing))",
    re.IGNORECASE,
)
_FROM_DATE = re.compile(
    rf"(?:có\s+hiệu\s+lực\s+(?:thi\s+hành\s+)?(?:kể\s+)?từ|{_EN_IN_FORCE}\s+(?:on|from|as\s+of))\s+",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_DURATION = re.compile(
    r"(?:(?:thời\s+hạn|hiệu\s+lực|giá\s+trị)(?:\s+trong)?(?:\s+thời\s+hạn)?\s+(\d{1,2})\s+năm"
    r"|(?:period|term)\s+of\s+|valid\s+for\s+(?:a\s+period\s+of\s+)?|in\s+force\s+for\s+"
    r"(?:a\s+period\s+of\s+)?)(?:(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"(?:\s*\(\d{1,2}\))?\s+years?\b)?",
    re.IGNORECASE,
)
_UNTIL = re.compile(
    r"(?:(?:hiệu\s+lực|giá\s+trị)[^.\n]{0,60}?\bđến|"
    r"(?:in\s+force|valid|effective)\s+(?:until|till|through))\s+",
    re.IGNORECASE,
)
_AUTO_RENEW = re.compile(
    r"(?:tự\s+động\s+(?:được\s+)?gia\s+hạn|renewed\s+automatically|automatically\s+"
    r"(?:be\s+)?(?:renewed|extended)|tacitly\s+renewed)",
    re.I,
)
_BASIS_CUE = re.compile(r"(?:căn\s+cứ|trên\s+cơ\s+sở|theo|thực\s+hiện)\s*$", re.IGNORECASE)


def _date_at(found: dict[str, list[dict[str, Any]]], pos: int) -> dict[str, Any] | None:
    for d in found["dates"]:
        if int(d["start"]) <= pos < int(d["end"]) or int(d["start"]) == pos:
            return d
    return None


def _date_after(found: dict[str, list[dict[str, Any]]], pos: int, within: int = 12) -> Any:
    """The first full date starting within ``within`` characters after ``pos`` ("ngày" and
    "this" may stand between)."""
    for d in found["dates"]:
        if pos <= int(d["start"]) <= pos + within and _iso(d["date"]):
            return d
    return None


def _month_bound(value: str, end: bool) -> dt.date | None:
    """A month ("2024-07") as its first or last day; a full date as itself."""
    if day := _iso(value):
        return day
    m = re.fullmatch(r"(\d{4})-(\d{2})", str(value))
    if not m:
        return None
    first = dt.date(int(m.group(1)), int(m.group(2)), 1)
    if not end:
        return first
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _signing(
    text: str, found: dict[str, list[dict[str, Any]]]
) -> tuple[Proposed | None, Proposed | None]:
    """The date and place of signing: "Hà Nội, ngày …" in the header, else a date right after
    a signing cue (Vietnamese or English), the place before or after it."""
    m = _PLACE_DATE.search(text[:HEAD])
    if m:
        d = _date_at(found, m.start(2))
        if d and (day := _iso(d["date"])):
            # A country or organisation the cleaning joined before the place is no part of
            # it ("… Vương quốc Thái Lan Băng Cốc, ngày …").
            a = m.start(1)
            for other in (*found["countries"], *found["organizations"]):
                if a <= int(other["end"]) < m.end(1) and int(other["start"]) <= a + 1:
                    a = int(other["end"]) + 1
            return (
                Proposed(day.isoformat(), m.start(2), m.end(2), 0.9),
                Proposed(text[a : m.end(1)].strip(), a, m.end(1), 0.8),
            )
    for d in found["dates"]:
        day = _iso(d["date"])
        start = int(d["start"])
        if day is None:
            continue
        before = text[max(0, start - 80) : start]
        for i, cue in enumerate(_SIGNED_BEFORE):
            c = cue.search(before)
            if c is None or (i == 4 and start > HEAD):
                continue
            date = Proposed(day.isoformat(), start, int(d["end"]), 0.85 if i != 2 else 0.7)
            base = start - len(before)
            if c.groups() and c.group(1):
                place = c.group(1)
                return date, Proposed(place, base + c.start(1), base + c.end(1), 0.75)
            after = _PLACE_AFTER.match(text, int(d["end"]), int(d["end"]) + 60)
            if after:
                return date, Proposed(after.group(1), after.start(1), after.end(1), 0.7)
            return date, None
    return None, None


def _iso(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# Fields of S&T by code, from phrases that name them (a field's own name also counts).
FIELD_PHRASES: dict[str, tuple[str, ...]] = {
    "P01": ("trí tuệ nhân tạo", "artificial intelligence"),
    "P02": ("bán dẫn", "vi mạch", "semiconductor"),
    "P03": ("chuyển đổi số",),
    "P04": ("dữ liệu lớn", "điện toán đám mây"),
    "P09": ("năng lượng tái tạo", "năng lượng mới", "pin mặt trời", "điện gió", "renewable energy"),
    "P10": ("hydro",),
    "P11": ("lưu trữ năng lượng", "pin lưu trữ"),
    "P12": ("công nghệ sinh học", "biotechnology"),
    "P13": ("vắc-xin", "vaccine"),
    "P15": ("biến đổi khí hậu", "climate change"),
    "P16": ("nông nghiệp công nghệ cao", "nông nghiệp thông minh", "high-tech agriculture"),
    "P17": ("năng lượng nguyên tử", "bức xạ"),
    "P18": ("công nghệ vũ trụ", "vệ tinh", "space technology"),
    "P19": ("vật liệu mới", "vật liệu tiên tiến"),
    "P21": ("lượng tử",),
    "P25": ("sở hữu trí tuệ",),
    "P27": ("đổi mới sáng tạo", "khởi nghiệp"),
    "1.2": ("thông tin khoa học", "cơ sở dữ liệu khoa học"),
    "2.5": ("vật liệu",),
}


def _fields(text: str, names: dict[str, str]) -> Proposed | None:
    """Fields of S&T whose name or phrases occur in the text. A field found only inside
    another field's phrase ("sinh học" in "công nghệ sinh học") is not proposed."""
    low = text.lower()
    found: dict[str, list[tuple[int, int]]] = {}
    for code in {*names, *FIELD_PHRASES}:
        if names and code not in names:
            continue
        name = names.get(code, "")
        phrases = {*FIELD_PHRASES.get(code, ()), *((name.lower(),) if name else ())}
        for phrase in phrases:
            if len(phrase) < 5:
                continue
            for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", low):
                found.setdefault(code, []).append((m.start(), m.end()))
    hits: list[tuple[int, int, str]] = []
    for code, spans in found.items():
        free = [
            (a, b)
            for a, b in spans
            if not any(
                other != code and oa <= a and b <= ob and (ob - oa) > (b - a)
                for other, ospans in found.items()
                for oa, ob in ospans
            )
        ]
        if free:
            hits.append((*min(free), code))
    if not hits:
        return None
    hits.sort()
    codes = sorted({c for _a, _b, c in hits})
    first = hits[0]
    return Proposed(
        codes,
        first[0],
        first[1],
        0.5,
        extra={"spans": [[a, b, c] for a, b, c in hits]},
    )


def _name_variants(name: str, country: str) -> list[tuple[str, str]]:
    """(needle, qualifier country) to look for: the name itself, and the name without a
    trailing qualifier naming its country ("Department of Science and Technology (India)",
    "Bộ Khoa học, Công nghệ và Môi trường Cu-ba"), which then counts only when a mention of
    that country follows it closely ("…, Government of the Republic of India")."""
    out = [(name, "")]
    base = re.sub(r"\s*\([^()]{2,40}\)\s*$", "", name)
    if base != name and country:
        out.append((base, country))
    elif country and (c := gazetteer.country_by_iso2(country)):
        for cname in (c.name_vi, c.name_en):
            if cname and name.endswith(" " + cname) and len(name) - len(cname) > 12:
                out.append((name[: -len(cname)].rstrip(" ,"), country))
    return out


def _org_candidates(
    text: str,
    found: dict[str, list[dict[str, Any]]],
    registry: Iterable[tuple[Any, ...]],
) -> list[dict[str, Any]]:
    """Organisations of the gazetteer, and registry partners found by their Vietnamese or
    English name, an alias (ignoring case) or their acronym (as written) in the first
    ``NAMES_IN`` characters (``registry``: key, name, acronym, country and optionally more
    names), in order of appearance. Of two overlapping finds the longer is kept ("Bộ Khoa
    học, Công nghệ và Môi trường Cộng hòa Cu-ba" is Cuba's ministry, not "Bộ Khoa học,
    Công nghệ")."""
    orgs = [dict(o) for o in found["organizations"]]
    text = text[:NAMES_IN]
    countries = found["countries"]
    for row in registry:
        key, name, acronym, country = row[:4]
        names = [name, *(row[4] if len(row) > 4 else ())]
        needles: list[tuple[str, str, bool]] = []
        for n in names:
            if n and len(n) >= 10:
                needles += [(v, q, True) for v, q in _name_variants(n, country)]
        if acronym and len(acronym) >= 3:
            needles.append((acronym, "", False))
        for needle, qualifier, fold in needles:
            if len(needle) < (10 if fold else 3):
                continue
            pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
            for m in re.finditer(pattern, text, re.IGNORECASE if fold else 0):
                if qualifier and not any(
                    c["iso2"] == qualifier
                    and 0 <= int(c["start"]) - m.end() <= 60
                    and not re.search(r"\s(?:và|and)\s", text[m.end() : int(c["start"])])
                    for c in countries
                ):
                    continue
                end = int(
                    next(
                        (
                            c["end"]
                            for c in countries
                            if qualifier
                            and c["iso2"] == qualifier
                            and 0 <= int(c["start"]) - m.end() <= 60
                        ),
                        m.end(),
                    )
                )
                orgs.append(
                    {
                        "key": key,
                        "text": m.group(0),
                        "start": m.start(),
                        "end": m.end(),
                        "span_end": end,
                        "country": country,
                        "by_name": True,
                    }
                )
                break
            else:
                continue
            break
    # Of overlapping finds keep the longer; the same key found again is kept (later text).
    orgs.sort(key=lambda o: (int(o["start"]), -int(o["end"])))
    kept: list[dict[str, Any]] = []
    for o in orgs:
        clash = next(
            (
                k
                for k in kept
                if int(o["start"]) < int(k["end"]) and int(k["start"]) < int(o["end"])
            ),
            None,
        )
        if clash is None:
            kept.append(o)
        elif int(o["end"]) - int(o["start"]) > int(clash["end"]) - int(clash["start"]):
            kept[kept.index(clash)] = o
    return sorted(kept, key=lambda o: int(o["start"]))


# --- parties the registry does not hold yet ----------------------------------------------------

_ORG_WORDS_VI = (
    "Trường",
    "Đại học",
    "Học viện",
    "Viện",
    "Trung tâm",
    "Bộ",
    "Cơ quan",
    "Ủy ban",
    "Uỷ ban",
    "Sở",
    "Công ty",
    "Tập đoàn",
    "Quỹ",
    "Hội",
    "Liên đoàn",
    "Liên hiệp",
    "Phòng thí nghiệm",
    "Cục",
    "Tổ chức",
    "Hiệp hội",
)
_ORG_WORDS_EN = (
    "University",
    "Institute",
    "Academy",
    "Centre",
    "Center",
    "Ministry",
    "Department",
    "Agency",
    "Foundation",
    "Council",
    "Company",
    "Corporation",
    "Laboratory",
    "College",
    "School",
    "Organisation",
    "Organization",
    "Association",
    "Fund",
    "Authority",
    "Research",
)
_KIND_WORDS = (
    ("university", ("trường", "đại học", "học viện", "university", "college", "school")),
    (
        "research_institute",
        (
            "viện",
            "trung tâm nghiên cứu",
            "phòng thí nghiệm",
            "institute",
            "laboratory",
            "research",
            "academy",
        ),
    ),
    (
        "government_agency",
        (
            "bộ ",
            "cơ quan",
            "ủy ban",
            "uỷ ban",
            "sở ",
            "cục",
            "ministry",
            "department",
            "agency",
            "authority",
            "council",
        ),
    ),
    ("company", ("công ty", "tập đoàn", "company", "corporation", "ltd", "inc.", "group")),
    ("fund", ("quỹ", "foundation", "fund")),
)
_PARTY_LINE = re.compile(
    r"(?:^|(?<=\s))(?:Bên\s+[A-D]|BÊN\s+[A-D]|Giữa|GIỮA|Và|VÀ|Between|BETWEEN|And|AND)\s*:\s*"
    r"(?P<rest>[^\n]+)",
    re.MULTILINE,
)
_BETWEEN = re.compile(r"\b(?:giữa|between)\s+(?:the\s+)?", re.IGNORECASE)
_BETWEEN_STOP = re.compile(
    r"\s+(?:về|on|in\s+the\s+field|for|giai\s+đoạn|nhằm|trong\s+lĩnh\s+vực)\s|[.;:\n]"
)
_SPLIT = re.compile(r"\s+(?:và|and)\s+|,\s+", re.IGNORECASE)


def kind_of(name: str) -> str:
    """A partner's kind guessed from the words of its name (the officer corrects it)."""
    low = name.lower() + " "
    for kind, words in _KIND_WORDS:
        if any(low.startswith(w) or f" {w}" in f" {low}" for w in words):
            return kind
    return "other"


def _looks_like_org(name: str) -> bool:
    if not 6 <= len(name) <= 150:
        return False
    if any(name.lower().startswith(w.lower() + " ") for w in _ORG_WORDS_VI):
        return True
    return name[:1].isupper() and any(re.search(rf"\b{w}\b", name) for w in _ORG_WORDS_EN)


def _tidy(name: str) -> str:
    name = re.sub(r"^(?:the|bên)\s+", "", name.strip(" ,;:-–"), flags=re.IGNORECASE)
    name = re.sub(r"\s*\((?:sau đây|hereinafter)[^)]*\)?", "", name, flags=re.IGNORECASE)
    name = " ".join(name.split())
    if name.isupper():  # "ĐẠI HỌC KHOA HỌC ỨNG DỤNG HANZE"
        name = name[:1] + name[1:].lower()
        name = " ".join(w[:1].upper() + w[1:] for w in name.split())
    return name


def _new_parties(
    text: str,
    found: dict[str, list[dict[str, Any]]],
    orgs: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Organisations named as parties ("Bên B: …", "Giữa: …", "giữa … và …", "between …
    and …") that are neither in the gazetteer nor in the registry: name, country when a
    country is named with it, a guessed kind, the span."""
    head = text[:HEAD]
    spans = [(int(o["start"]), int(o.get("span_end", o["end"]))) for o in orgs]
    countries = found["countries"]
    pieces: list[tuple[int, int, int]] = []  # start, end, end of the tail to look for a country
    for m in _PARTY_LINE.finditer(text[: HEAD * 2]):
        rest = m.group("rest")
        cut = re.search(
            r"\s*(?:[,;(]|\s[-–]\s|Địa chỉ|\s(?:Bên\s+[A-D]|Và|And|Đại diện)\s*:|$)", rest
        )
        end = m.start("rest") + (cut.start() if cut else len(rest))
        tail = text.find("\nBên ", m.end())
        tail = min(tail if tail > 0 else m.end() + 200, m.end() + 200)
        pieces.append((m.start("rest"), end, tail))
    for m in _BETWEEN.finditer(head):
        stop = _BETWEEN_STOP.search(head, m.end())
        region_end = stop.start() if stop else min(len(head), m.end() + 300)
        # Cut the region at "và"/"and"/"," outside known organisations and countries; a piece
        # that does not start like an organisation joins the one before it.
        masked = list(head[m.end() : region_end])
        for a, b in spans + [(int(c["start"]), int(c["end"])) for c in countries]:
            for i in range(max(a, m.end()), min(b, region_end)):
                masked[i - m.end()] = "x"
        region = "".join(masked)
        bounds, pos = [], 0
        for sp in _SPLIT.finditer(region):
            bounds.append((pos, sp.start(), sp.end()))
            pos = sp.end()
        bounds.append((pos, len(region), len(region)))
        merged: list[list[int]] = []
        for a, b, _c in bounds:
            piece = head[m.end() + a : m.end() + b]
            if merged and not (
                _looks_like_org(_tidy(piece))
                or any(sa <= m.end() + a < sb for sa, sb in spans)
                or any(int(c["start"]) == m.end() + a for c in countries)
            ):
                merged[-1][1] = b
            else:
                merged.append([a, b])
        for a, b in merged:
            pieces.append((m.end() + a, m.end() + b, min(m.end() + b + 40, region_end + 40)))
    out: list[dict[str, Any]] = []
    for start, end, tail in pieces:
        raw = text[start:end]
        name = _tidy(re.split(r"\s*[,(]", raw, maxsplit=1)[0])
        name = re.sub(r"\s+(?:nước|Vương\s+quốc|Cộng\s+hòa)$", "", name)
        if not _looks_like_org(name):
            continue
        a = start + max(0, raw.find(name[:5])) if name else start
        if any(sa < end and a < sb for sa, sb in spans):
            continue  # a known organisation
        if any(int(c["start"]) <= a and int(c["end"]) >= end for c in countries):
            continue  # a state
        if re.match(r"(?:Chính\s+phủ|Government)\b", name):
            continue
        inside = [c for c in countries if start <= int(c["start"]) < max(end, tail)]
        country = next((str(c["iso2"]) for c in inside), "")
        if not country and re.search(r"Việt\s+Nam|Viet\s*Nam", name):
            country = "VN"
        if any(n["name"].casefold() == name.casefold() for n in out):
            continue
        out.append(
            {
                "name": name[:300],
                "country": country,
                "kind": kind_of(name),
                "start": a,
                "end": a + len(name),
            }
        )
    return out


def _new_partners(new: list[dict[str, Any]]) -> Proposed:
    """The proposed new partners as one value: name, country, kind and the form field they
    fill (``vn_organizations``, ``foreign_organizations``, ``lead_organization`` …)."""
    first = new[0]
    return Proposed(
        [{k: n[k] for k in ("name", "country", "kind", "field")} for n in new],
        int(first["start"]),
        int(first["end"]),
        0.5,
        extra={"spans": [[int(n["start"]), int(n["end"])] for n in new]},
    )


def _after_ref(found: dict[str, list[dict[str, Any]]], start: int) -> bool:
    """An organisation right after a legal reference is its issuer, not a party."""
    return any(0 <= start - int(r["end"]) <= 30 for r in found["legal_refs"])


def _legal_basis(
    text: str, found: dict[str, list[dict[str, Any]]], own_number: str
) -> Proposed | None:
    refs: list[dict[str, Any]] = []
    for r in found["legal_refs"]:
        number = str(r.get("number") or "")
        # English texts write the Vietnamese codes without "Đ": 08/2014/ND-CP, 25/QD-TTg.
        number = re.sub(r"(?<![A-ZĐ])(N|Q)D(?=-|/|$)", r"\1Đ", number)
        r = {**r, "number": number}
        if not number or number == own_number or any(number == x["number"] for x in refs):
            continue
        cued = bool(_BASIS_CUE.search(text[max(0, int(r["start"]) - 30) : int(r["start"])]))
        refs.append({**r, "cued": cued})
    if not refs:
        return None
    chosen = [r for r in refs if r["cued"]] or refs
    words = "; ".join(f"{r.get('kind') or ''} số {r['number']}".strip() for r in chosen)
    first = chosen[0]
    return Proposed(
        words[:500],
        int(first["start"]),
        int(first["end"]),
        0.85 if first["cued"] else 0.5,
        extra={"numbers": [r["number"] for r in chosen]},
    )


# --- agreements -------------------------------------------------------------------------------


def _agreement(
    text: str,
    title: str,
    number: str,
    found: dict[str, list[dict[str, Any]]],
    orgs: list[dict[str, Any]],
    today: dt.date,
) -> dict[str, Proposed]:
    out: dict[str, Proposed] = {}
    paras = _paragraphs(text[:HEAD])
    heading = _title_line(paras)
    kind, title_at = "other", 0
    if heading is not None:
        i, kind, words = heading
        title_at = i
        out["kind"] = Proposed(kind, paras[i][0], paras[i][0] + len(words), 0.9)
    # Title: the heading and the subject below it.
    subject = paras[title_at + 1] if heading is not None and title_at + 1 < len(paras) else None
    if subject is not None and (joined := _PLACE_DATE.search(subject[1])):
        subject = (subject[0], subject[1][: joined.start()].strip())  # the place and date
    if subject is not None and 10 < len(subject[1]) < 400:
        start = paras[title_at][0]
        head_word = paras[title_at][1].strip().capitalize()
        body = subject[1][0].lower() + subject[1][1:]
        out["title_vi"] = Proposed(
            " ".join(f"{head_word} {body}".split())[:500],
            start,
            subject[0] + len(subject[1]),
            0.85,
        )
    elif title:
        out["title_vi"] = Proposed(title[:500], 0, 0, 0.5)
    # Place and date of signing.
    signed: dt.date | None = None
    signed_on, place = _signing(text, found)
    if signed_on is not None:
        out["signed_on"] = signed_on
        signed = _iso(signed_on.value)
    if place is not None:
        out["signed_place"] = place
    # Entry into force and expiry.
    effective: dt.date | None = None
    m3 = _FROM_SIGNING.search(text)
    if m3 and signed:
        effective = signed
        out["effective_on"] = Proposed(effective.isoformat(), m3.start(), m3.end(), 0.85)
    else:
        for m4 in _FROM_DATE.finditer(text):
            d = _date_after(found, m4.end())
            if d and (effective := _iso(d["date"])):
                out["effective_on"] = Proposed(
                    effective.isoformat(), m4.start(), int(d["end"]), 0.9
                )
                break
    until = None
    for m5 in _UNTIL.finditer(text):
        d = _date_after(found, m5.end())
        if d and (until := _iso(d["date"])):
            out["expires_on"] = Proposed(until.isoformat(), m5.start(), int(d["end"]), 0.85)
            break
    # Entry into force on a condition ("kể từ ngày nhận được thông báo sau cùng", "upon the
    # last notification"): its term runs from a day the text does not give.
    conditional = effective is None and re.search(
        r"có\s+hiệu\s+lực\s+(?:kể\s+)?từ\s+ngày\s+(?!ký)|enter\s+into\s+force\s+(?:on|upon)"
        r"\s+(?:the\s+)?(?:date\s+of\s+)?(?:the\s+)?(?:receipt|last|latter|later)",
        text,
        re.IGNORECASE,
    )
    if until is None and not conditional:
        start_day = effective or signed
        for m6 in _DURATION.finditer(text):
            words = m6.group(1) or m6.group(2)
            if not words or not start_day:
                continue
            years = int(words) if words.isdigit() else _NUMBER_WORDS[words.lower()]
            out["expires_on"] = Proposed(
                _add_years(start_day, years).isoformat(),
                m6.start(),
                m6.end(),
                0.75,
                note=f"+{years}",
            )
            break
    m7 = _AUTO_RENEW.search(text)
    if m7:
        out["auto_renew"] = Proposed(True, m7.start(), m7.end(), 0.9)
    # Status: signed when a signing date was found; in force from its entry into force.
    if signed:
        status = "in_force" if effective and effective <= today else "signed"
        expires = _iso(out["expires_on"].value) if "expires_on" in out else None
        if status == "in_force" and expires and expires < today:
            # Past its expiry: expired, as the registry's daily job would mark it, unless it
            # renews itself (the officer decides what happened since).
            status = "signed" if m7 else "expired"
        s = out["signed_on"]
        out["status"] = Proposed(status, s.start, s.end, 0.6)
    # Parties: organisations in the title and preamble (not an issuer after a reference).
    end = HEAD
    heads = [o for o in orgs if int(o["start"]) < end and not _after_ref(found, int(o["start"]))]
    vn = [o for o in heads if o.get("country") == "VN"]
    foreign = [o for o in heads if o.get("country") and o.get("country") != "VN"]

    def keys(items: list[dict[str, Any]]) -> Proposed | None:
        if not items:
            return None
        unique: list[str] = []
        for o in items:
            if o["key"] not in unique:
                unique.append(str(o["key"]))
        first = items[0]
        conf = 0.8 if not first.get("by_name") else 0.65
        return Proposed(unique, int(first["start"]), int(first["end"]), conf)

    intergovernmental = kind == "intergovernmental" or bool(
        re.search(r"giữa\s+Chính\s+phủ", text[:HEAD], re.IGNORECASE)
    )
    if (p := keys(vn)) and not intergovernmental:
        out["vn_organizations"] = p
    if (p := keys(foreign)) and not intergovernmental:
        out["foreign_organizations"] = p
    new = [] if intergovernmental else _new_parties(text, found, orgs)
    for n in new:
        n["field"] = "vn_organizations" if n["country"] == "VN" else "foreign_organizations"
    if new:
        out["new_partners"] = _new_partners(new)
    states = [
        c
        for c in found["countries"]
        if c["iso2"] != "VN"
        and not re.search(r"tiếng\s+$", text[max(0, int(c["start"]) - 8) : int(c["start"])])
    ]
    new_foreign = any(n["field"] == "foreign_organizations" for n in new)
    if intergovernmental or ("foreign_organizations" not in out and not new_foreign):
        if states:
            first = states[0]
            codes = sorted({str(c["iso2"]) for c in states if int(c["start"]) < HEAD}) or [
                str(first["iso2"])
            ]
            out["foreign_countries"] = Proposed(
                codes, int(first["start"]), int(first["end"]), 0.75 if intergovernmental else 0.5
            )
        if intergovernmental:
            vn_country = next((c for c in found["countries"] if c["iso2"] == "VN"), None)
            if vn_country:
                out["vn_state"] = Proposed(
                    True, int(vn_country["start"]), int(vn_country["end"]), 0.75
                )
    # Level: from the kind and the Vietnamese party.
    level, level_span = "agency", (0, 0)
    if intergovernmental:
        level = "government"
    elif vn:
        name = str(vn[0]["text"])
        level_span = (int(vn[0]["start"]), int(vn[0]["end"]))
        if name.lower().startswith(("bộ ", "ministry ", "the ministry ")):
            level = "ministry"
        elif re.match(r"(?:sở|ủy ban nhân dân|ubnd)\b", name.lower()):
            level = "province"
    out["level"] = Proposed(level, *level_span, 0.6 if vn or intergovernmental else 0.3)
    if kind == "other" and level in ("ministry", "government"):
        out["kind"] = Proposed(
            "ministry" if level == "ministry" else "intergovernmental",
            out["kind"].start if "kind" in out else 0,
            out["kind"].end if "kind" in out else 0,
            0.6,
        )
    if basis := _legal_basis(text, found, number):
        out["legal_basis"] = basis
    # Summary: the objective (the first article's body).
    m8 = re.search(r"Điều\s+1\.[^\n]*\n\n([^\n]{20,600})", text)
    if m8:
        out["summary"] = Proposed(m8.group(1).strip(), m8.start(1), m8.end(1), 0.6)
    return out


# --- project decisions ------------------------------------------------------------------------

_QUOTED = re.compile(r"dự\s+án\s*[“\"«]([^”\"»\n]{5,400})[”\"»]", re.IGNORECASE)
# The project's name runs to the end of its line, or to the next item when the cleaning joined
# the items into one line ("Tên dự án: … - Nhà tài trợ: …", "… Mã số: …").
_ITEM_CUES = (
    r"Mã\s+số|Mã\s+dự\s+án|Nhà\s+tài\s+trợ|Bên\s+tài\s+trợ|Cơ\s+quan\s+tài\s+trợ|Chủ\s+dự\s+án|"
    r"Cơ\s+quan\s+chủ\s+(?:trì|quản)|Đơn\s+vị\s+chủ\s+trì|Đối\s+tác|Thời\s+gian\s+thực\s+hiện|"
    r"Địa\s+điểm|Kinh\s+phí|Tổng\s+(?:vốn|kinh\s+phí|mức)|Mục\s+tiêu|Nội\s+dung"
)
_NAMED = re.compile(
    rf"Tên\s+dự\s+án\s*:\s*(.{{5,400}}?)\.?\s*(?:\n|$|(?:[-–;]\s*|\d{{1,2}}\.\s+)?(?:{_ITEM_CUES})\b)",
    re.IGNORECASE,
)
_NEXT_ITEM = re.compile(rf"(?:[-–;]\s*|\d{{1,2}}\.\s+)(?:{_ITEM_CUES})\b", re.IGNORECASE)
_CODE = re.compile(r"Mã\s+(?:số\s+)?(?:dự\s+án\s*)?:\s*([^\W_][\w./-]{1,58}[^\W_])", re.I)
_LEAD = re.compile(
    r"(?:Chủ\s+dự\s+án|Cơ\s+quan\s+chủ\s+trì|Đơn\s+vị\s+chủ\s+trì|Cơ\s+quan\s+chủ\s+quản)\s*:",
    re.IGNORECASE,
)
_FUNDER = re.compile(r"(?:Nhà\s+tài\s+trợ|Bên\s+tài\s+trợ|Cơ\s+quan\s+tài\s+trợ)\s*:", re.I)
_PARTNER = re.compile(r"(?:Đối\s+tác(?:\s+nước\s+ngoài)?(?:\s+thực\s+hiện)?)\s*:", re.I)
_DURATION_CUE = re.compile(r"Thời\s+gian\s+thực\s+hiện\s*:?", re.IGNORECASE)
_YEARS = re.compile(r"(?:từ\s+năm\s+)?(20\d\d)\s*(?:-|–|đến(?:\s+năm)?)\s*(20\d\d)")
_MONEY_CUE = re.compile(r"(?:kinh\s+phí|tổng\s+vốn|ngân\s+sách|vốn\s+viện\s+trợ)", re.I)


def _line_at(text: str, pos: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return a, (len(text) if b < 0 else b)


def _first_org_after(
    orgs: list[dict[str, Any]], text: str, cue: re.Pattern[str]
) -> list[dict[str, Any]]:
    m = cue.search(text)
    if not m:
        return []
    _a, b = _line_at(text, m.end())
    # The item ends with its line, or at the next item when the cleaning joined them.
    if nxt := _NEXT_ITEM.search(text, m.end(), b):
        b = nxt.start()
    return [o for o in orgs if m.end() <= int(o["start"]) < b]


def _project(
    text: str,
    title: str,
    found: dict[str, list[dict[str, Any]]],
    orgs: list[dict[str, Any]],
    today: dt.date,
) -> dict[str, Proposed]:
    out: dict[str, Proposed] = {}
    m = _NAMED.search(text) or _QUOTED.search(text[:HEAD])
    if m:
        out["title_vi"] = Proposed(m.group(1).strip().rstrip("."), m.start(1), m.end(1), 0.85)
    elif title:
        out["title_vi"] = Proposed(title[:500], 0, 0, 0.4)
    if m2 := _CODE.search(text):
        out["code"] = Proposed(m2.group(1), m2.start(1), m2.end(1), 0.9)
    # The kind from the decision's own text, not from the titles of the documents it cites
    # ("Căn cứ Nghị định … về quản lý và sử dụng vốn ODA và vốn vay ưu đãi").
    low = re.sub(
        r"(?im)^(?:căn\s+cứ|theo\s+đề\s+nghị|xét\s+đề\s+nghị)[^\n]*",
        lambda c: " " * len(c.group(0)),
        text,
    ).lower()
    kind, cue = "bilateral", None
    for word, k in (
        ("nghị định thư", "protocol"),
        ("vốn vay", "loan"),
        ("oda", "oda"),
        ("viện trợ", "oda"),
        ("đa phương", "multilateral"),
    ):
        at = low.find(word)
        if at >= 0:
            kind, cue = k, (at, at + len(word))
            break
    out["kind"] = Proposed(kind, *(cue or (0, 0)), 0.75 if cue else 0.3)
    if lead := [o for o in _first_org_after(orgs, text, _LEAD) if o.get("country") == "VN"]:
        o = lead[0]
        out["lead_organization"] = Proposed(str(o["key"]), int(o["start"]), int(o["end"]), 0.85)
    if funder := _first_org_after(orgs, text, _FUNDER):
        o = funder[0]
        out["funder"] = Proposed(str(o["key"]), int(o["start"]), int(o["end"]), 0.85)
    partners = [o for o in _first_org_after(orgs, text, _PARTNER) if o.get("country") != "VN"]
    if partners:
        o = partners[0]
        out["participants"] = Proposed(
            sorted({str(p["key"]) for p in partners}), int(o["start"]), int(o["end"]), 0.8
        )
    new = []
    for name, pattern in (
        ("lead_organization", _LEAD),
        ("funder", _FUNDER),
        ("participants", _PARTNER),
    ):
        if name in out or not (c := pattern.search(text)):
            continue
        _a, b = _line_at(text, c.end())
        stop = re.search(
            rf"\s*(?:[,;(.]|\s[-–]\s|$|(?:\d{{1,2}}\.\s+)?(?:{_ITEM_CUES})\b)", text[c.end() : b]
        )
        raw = text[c.end() : c.end() + (stop.start() if stop else b - c.end())]
        label = _tidy(raw)
        if not _looks_like_org(label):
            continue
        start = c.end() + raw.find(label[:5]) if label[:5] in raw else c.end()
        line_countries = [x for x in found["countries"] if start <= int(x["start"]) < b]
        country = (
            "VN"
            if name == "lead_organization"
            else next((str(x["iso2"]) for x in line_countries), "")
        )
        new.append(
            {
                "name": label,
                "country": country,
                "kind": kind_of(label),
                "field": name,
                "start": start,
                "end": start + len(label),
            }
        )
    if new:
        out["new_partners"] = _new_partners(new)
    # Duration: "Thời gian thực hiện: từ ngày … đến ngày …" or "2025 - 2027".
    m3 = _DURATION_CUE.search(text)
    if m3:
        a, b = _line_at(text, m3.end())
        days = [d for d in found["dates"] if a <= int(d["start"]) < b]
        if len(days) >= 2:
            # Full dates, or months ("từ tháng 7/2024 đến tháng 6/2027": first and last day).
            for name, d, end in (("planned_start", days[0], False), ("planned_end", days[1], True)):
                if day := _month_bound(str(d["date"]), end):
                    sure = 0.85 if _iso(d["date"]) else 0.7
                    out[name] = Proposed(day.isoformat(), int(d["start"]), int(d["end"]), sure)
        elif y := _YEARS.search(text, m3.end(), b):
            out["planned_start"] = Proposed(f"{y.group(1)}-01-01", y.start(1), y.end(1), 0.6)
            out["planned_end"] = Proposed(f"{y.group(2)}-12-31", y.start(2), y.end(2), 0.6)
    # Budget: on a line about the money, the amount right after its cue (a total first:
    # "Tổng vốn: 3.200.000 USD, trong đó … vốn đối ứng 7.150.000.000 đồng"), else the largest.
    best = None
    for amount in found["amounts"]:
        if not amount.get("currency"):
            continue
        a, b = _line_at(text, int(amount["start"]))
        before = text[a : int(amount["start"])]
        cues = list(_MONEY_CUE.finditer(before))
        if not cues and not _MONEY_CUE.search(text[a:b]):
            continue
        value = float(amount.get("amount") or amount.get("value") or 0)
        # Rank: a total right after its cue, then an amount right after a cue, then any.
        gap = before[cues[-1].end() :] if cues else "x" * 99
        first = bool(cues) and not re.search(r"\d", gap) and len(gap) < 40
        total = first and bool(re.search(r"tổng", before[cues[-1].start() - 6 :], re.I))
        rank = (total, first, value)
        if best is None or rank > best[0]:
            best = (rank, amount)
    if best is not None:
        _rank, amount = best
        value = float(amount.get("amount") or amount.get("value") or 0)
        span = (int(amount["start"]), int(amount["end"]))
        out["budget"] = Proposed(f"{value:.2f}", *span, 0.8)
        out["currency"] = Proposed(str(amount["currency"]), *span, 0.85)
    begins = _iso(out["planned_start"].value) if "planned_start" in out else None
    if begins:
        s = out["planned_start"]
        out["status"] = Proposed(
            "implementation" if begins <= today else "pipeline", s.start, s.end, 0.5
        )
    m4 = re.search(r"(?:Mục\s+tiêu(?:\s+của\s+dự\s+án)?\s*:\s*)([^\n]{20,600})", text)
    if m4:
        out["description"] = Proposed(m4.group(1).strip(), m4.start(1), m4.end(1), 0.6)
    return out


def draft(
    text: str,
    *,
    kind: str,
    title: str = "",
    number: str = "",
    field_names: dict[str, str] | None = None,
    registry_orgs: Iterable[tuple[str, str, str, str]] = (),
    today: dt.date | None = None,
) -> tuple[str, dict[str, Proposed]] | None:
    """The draft record a document proposes, or None when it is no agreement, MoU or project
    decision. ``field_names`` maps field codes to Vietnamese names; ``registry_orgs`` lists the
    registry's partners (key, name, acronym, country) to find beyond the gazetteer."""
    target = target_of(text, kind)
    if not target:
        return None
    found = extract(text)
    orgs = _org_candidates(text, found, registry_orgs)
    day = today or dt.date.today()
    if target == AGREEMENT:
        values = _agreement(text, title, number, found, orgs, day)
    else:
        values = _project(text, title, found, orgs, day)
    if fields := _fields(text, field_names or {}):
        values["fields"] = fields
    for p in values.values():
        p.quote = text[p.start : p.end][:300] if p.end > p.start else ""
    return target, values
