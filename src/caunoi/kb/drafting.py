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

from vntext import extract

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
_PROJECT_DECISION = re.compile(r"phê\s+duyệt\s+(?:[^\n.]{0,40}?\s)?dự\s+án", re.IGNORECASE)


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
        line = p.rstrip(".:").upper() if len(p) < 80 else ""
        for word, kind in _AGREEMENT_TITLES:
            if line == word or (line.startswith(word + " ") and len(line) < 60):
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
    r"((?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+\s){0,3}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+),\s*"
    r"(ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})",
)
_SIGNED_ON = re.compile(r"\bký\s+(?:kết\s+)?(?:tại\s+[^,\n]{1,40},\s*)?(ngày\s+\d)", re.IGNORECASE)
_FROM_SIGNING = re.compile(
    r"có\s+hiệu\s+lực\s+(?:thi\s+hành\s+)?(?:\d{1,2}\s+năm\s+)?(?:kể\s+)?từ\s+ngày\s+ký",
    re.IGNORECASE,
)
_FROM_DATE = re.compile(
    r"có\s+hiệu\s+lực\s+(?:thi\s+hành\s+)?(?:kể\s+)?từ\s+(ngày\s+\d)", re.IGNORECASE
)
_DURATION = re.compile(
    r"(?:thời\s+hạn|hiệu\s+lực|giá\s+trị)(?:\s+trong)?(?:\s+thời\s+hạn)?\s+(\d{1,2})\s+năm",
    re.IGNORECASE,
)
_UNTIL = re.compile(r"(?:hiệu\s+lực|giá\s+trị)[^.\n]{0,60}?\bđến\s+(ngày\s+\d)", re.IGNORECASE)
_AUTO_RENEW = re.compile(r"(?:tự\s+động\s+(?:được\s+)?gia\s+hạn|renewed\s+automatically)", re.I)
_BASIS_CUE = re.compile(r"(?:căn\s+cứ|trên\s+cơ\s+sở|theo|thực\s+hiện)\s*$", re.IGNORECASE)


def _date_at(found: dict[str, list[dict[str, Any]]], pos: int) -> dict[str, Any] | None:
    for d in found["dates"]:
        if int(d["start"]) <= pos < int(d["end"]) or int(d["start"]) == pos:
            return d
    return None


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
    "P01": ("trí tuệ nhân tạo",),
    "P02": ("bán dẫn", "vi mạch"),
    "P03": ("chuyển đổi số",),
    "P04": ("dữ liệu lớn", "điện toán đám mây"),
    "P09": ("năng lượng tái tạo", "năng lượng mới", "pin mặt trời", "điện gió"),
    "P10": ("hydro",),
    "P11": ("lưu trữ năng lượng", "pin lưu trữ"),
    "P12": ("công nghệ sinh học",),
    "P16": ("nông nghiệp công nghệ cao", "nông nghiệp thông minh"),
    "P17": ("năng lượng nguyên tử", "bức xạ"),
    "P18": ("công nghệ vũ trụ", "vệ tinh"),
    "P19": ("vật liệu mới", "vật liệu tiên tiến"),
    "P21": ("lượng tử",),
    "P25": ("sở hữu trí tuệ",),
    "P27": ("đổi mới sáng tạo", "khởi nghiệp"),
    "1.2": ("thông tin khoa học", "cơ sở dữ liệu khoa học"),
    "2.5": ("vật liệu",),
}


def _fields(text: str, names: dict[str, str]) -> Proposed | None:
    low = text.lower()
    hits: list[tuple[int, int, str]] = []
    for code, name in names.items():
        phrases = (*FIELD_PHRASES.get(code, ()), name.lower()) if name else ()
        phrases = phrases or FIELD_PHRASES.get(code, ())
        for phrase in phrases:
            if len(phrase) < 5:
                continue
            at = low.find(phrase)
            if at >= 0:
                hits.append((at, at + len(phrase), code))
                break
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


def _org_candidates(
    text: str,
    found: dict[str, list[dict[str, Any]]],
    registry: Iterable[tuple[str, str, str, str]],
) -> list[dict[str, Any]]:
    """Organisations of the gazetteer, and registry partners found by their Vietnamese name
    or acronym in the first ``NAMES_IN`` characters (``registry``: key, name, acronym,
    country), in order of appearance."""
    orgs = [dict(o) for o in found["organizations"]]
    known = {o["key"] for o in orgs}
    text = text[:NAMES_IN]
    for key, name, acronym, country in registry:
        if key in known:
            continue
        for needle in (name, acronym):
            if not needle or len(needle) < (3 if needle is acronym else 10):
                continue
            pattern = r"\b" + re.escape(needle) + r"\b"
            m = re.search(pattern, text)
            if m:
                orgs.append(
                    {
                        "key": key,
                        "text": m.group(0),
                        "start": m.start(),
                        "end": m.end(),
                        "country": country,
                        "by_name": True,
                    }
                )
                known.add(key)
                break
    return sorted(orgs, key=lambda o: int(o["start"]))


def _after_ref(found: dict[str, list[dict[str, Any]]], start: int) -> bool:
    """An organisation right after a legal reference is its issuer, not a party."""
    return any(0 <= start - int(r["end"]) <= 30 for r in found["legal_refs"])


def _legal_basis(
    text: str, found: dict[str, list[dict[str, Any]]], own_number: str
) -> Proposed | None:
    refs: list[dict[str, Any]] = []
    for r in found["legal_refs"]:
        number = str(r.get("number") or "")
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
    m = _PLACE_DATE.search(text[:HEAD])
    if m:
        d = _date_at(found, m.start(2))
        signed = _iso(d["date"]) if d else None
        if signed:
            out["signed_on"] = Proposed(signed.isoformat(), m.start(2), m.end(2), 0.9)
            place = m.group(1).strip()
            out["signed_place"] = Proposed(place, m.start(1), m.end(1), 0.8)
    if signed is None:
        m2 = _SIGNED_ON.search(text)
        d = _date_at(found, m2.start(1)) if m2 else None
        if m2 and d and (signed := _iso(d["date"])):
            out["signed_on"] = Proposed(signed.isoformat(), m2.start(), int(d["end"]), 0.7)
    # Entry into force and expiry.
    effective: dt.date | None = None
    m3 = _FROM_SIGNING.search(text)
    if m3 and signed:
        effective = signed
        out["effective_on"] = Proposed(effective.isoformat(), m3.start(), m3.end(), 0.85)
    else:
        m4 = _FROM_DATE.search(text)
        d = _date_at(found, m4.start(1)) if m4 else None
        if m4 and d and (effective := _iso(d["date"])):
            out["effective_on"] = Proposed(effective.isoformat(), m4.start(), int(d["end"]), 0.9)
    m5 = _UNTIL.search(text)
    d = _date_at(found, m5.start(1)) if m5 else None
    if m5 and d and (until := _iso(d["date"])):
        out["expires_on"] = Proposed(until.isoformat(), m5.start(), int(d["end"]), 0.85)
    else:
        m6 = _DURATION.search(text)
        start_day = effective or signed
        if m6 and start_day:
            years = int(m6.group(1))
            out["expires_on"] = Proposed(
                _add_years(start_day, years).isoformat(),
                m6.start(),
                m6.end(),
                0.75,
                note=f"+{years}",
            )
    m7 = _AUTO_RENEW.search(text)
    if m7:
        out["auto_renew"] = Proposed(True, m7.start(), m7.end(), 0.9)
    # Status: signed when a signing date was found; in force from its entry into force.
    if signed:
        status = "in_force" if effective and effective <= today else "signed"
        expires = _iso(out["expires_on"].value) if "expires_on" in out else None
        if status == "in_force" and expires and expires < today:
            status = "signed"  # the officer decides what happened since
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
    states = [c for c in found["countries"] if c["iso2"] != "VN"]
    if intergovernmental or "foreign_organizations" not in out:
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
        if name.lower().startswith("bộ "):
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
_NAMED = re.compile(r"Tên\s+dự\s+án\s*:\s*([^\n]{5,400}?)\.?\s*(?:\n|$)", re.IGNORECASE)
_CODE = re.compile(r"Mã\s+(?:số\s+)?(?:dự\s+án\s*)?:\s*([A-Za-z0-9][\w./-]{1,58}[\w])", re.I)
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
    low = text.lower()
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
    # Duration: "Thời gian thực hiện: từ ngày … đến ngày …" or "2025 - 2027".
    m3 = _DURATION_CUE.search(text)
    if m3:
        a, b = _line_at(text, m3.end())
        days = [d for d in found["dates"] if a <= int(d["start"]) < b]
        if len(days) >= 2:
            for name, d in (("planned_start", days[0]), ("planned_end", days[1])):
                if day := _iso(d["date"]):
                    out[name] = Proposed(day.isoformat(), int(d["start"]), int(d["end"]), 0.85)
        elif y := _YEARS.search(text, m3.end(), b):
            out["planned_start"] = Proposed(f"{y.group(1)}-01-01", y.start(1), y.end(1), 0.6)
            out["planned_end"] = Proposed(f"{y.group(2)}-12-31", y.start(2), y.end(2), 0.6)
    # Budget: the largest amount with a currency on a line about the money.
    best = None
    for amount in found["amounts"]:
        if not amount.get("currency"):
            continue
        a, b = _line_at(text, int(amount["start"]))
        if not _MONEY_CUE.search(text[a:b]):
            continue
        value = float(amount.get("amount") or amount.get("value") or 0)
        if best is None or value > best[0]:
            best = (value, amount)
    if best is not None:
        value, amount = best
        span = (int(amount["start"]), int(amount["end"]))
        out["budget"] = Proposed(f"{value:.2f}", *span, 0.8)
        out["currency"] = Proposed(str(amount["currency"]), *span, 0.85)
    start = _iso(out["planned_start"].value) if "planned_start" in out else None
    if start:
        s = out["planned_start"]
        out["status"] = Proposed(
            "implementation" if start <= today else "pipeline", s.start, s.end, 0.5
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
