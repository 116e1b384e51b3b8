"""Questions the registry answers from its records, as a structured intent.

"Việt Nam đã ký bao nhiêu hiệp định với Hàn Quốc?" → count agreements, country KR;
"Which agreements expire in 2027?" → list agreements, expiry year 2027;
"Danh sách dự án ODA với Phần Lan" → list projects of kind ODA, country FI;
"Các thỏa thuận thực hiện Quyết định 1851/QĐ-TTg" → list agreements with that legal basis.

Vietnamese and English, with or without diacritics: cues are matched on folded words.
A question is a registry question only when it names a record type *and* asks for a count
or a list of them ("bao nhiêu", "danh sách", "which", "các … nào", a plural opening the
question); "Hiệp định với Hàn Quốc quy định gì về sở hữu trí tuệ?" asks about a text, and is
left to the documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from kbanswer.question import Expect, expectation, words
from vntext import countries, find_countries, find_legal_refs, search_key

Operation = Literal["count", "list"]

# Record types (the registry's list slugs) and the folded phrases that name them.
_ENTITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "agreements",
        (
            "hiep dinh",
            "thoa thuan",
            "ban ghi nho",
            "nghi dinh thu",
            "van kien hop tac",
            "agreement",
            "agreements",
            "memorandum",
            "memoranda",
            "mou",
            "mous",
            "treaty",
            "treaties",
        ),
    ),
    ("projects", ("du an", "nhiem vu nghi dinh thu", "nhiem vu hop tac", "project", "projects")),
    ("memberships", ("tu cach thanh vien", "thanh vien cua to chuc", "membership", "memberships")),
    ("delegations", ("doan ra", "doan vao", "doan cong tac", "delegation", "delegations")),
    ("events", ("hoi nghi", "hoi thao", "events")),
    (
        "partners",
        ("doi tac", "to chuc doi tac", "partner", "partners"),
    ),
)
_COUNT = ("bao nhieu", "so luong", "may", "how many", "number of", "count")
_LIST = (
    "danh sach",
    "liet ke",
    "nhung",
    "cac",
    "nao",
    "which",
    "list",
    "show",
    "all",
    "tat ca",
)
# Questions about what a text says, not about which records exist.
_ABOUT_TEXT = (
    "quy dinh gi",
    "noi dung",
    "quy dinh ve",
    "dieu khoan",
    "what does",
    "say about",
    "provisions",
    "la gi",
    "nghia la",
    "what is the",
    "about",
    "purpose",
    "muc dich",
)
_KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "agreements": (
        ("ban ghi nho", "mou"),
        ("memorandum", "mou"),
        ("mou", "mou"),
        ("mous", "mou"),
        ("nghi dinh thu", "protocol"),
        ("protocol", "protocol"),
        ("lien chinh phu", "intergovernmental"),
        ("intergovernmental", "intergovernmental"),
        ("thu y dinh", "loi"),
    ),
    "projects": (
        ("oda", "oda"),
        ("vay", "loan"),
        ("loan", "loan"),
        ("nghi dinh thu", "protocol"),
        ("song phuong", "bilateral"),
        ("bilateral", "bilateral"),
        ("da phuong", "multilateral"),
        ("multilateral", "multilateral"),
    ),
}
_STATUS: dict[str, tuple[tuple[str, str], ...]] = {
    "agreements": (
        ("sap het han", "expiring"),
        ("expiring soon", "expiring"),
        ("con hieu luc", "in_force"),
        ("dang co hieu luc", "in_force"),
        ("in force", "in_force"),
        ("active", "in_force"),
        ("da het han", "expired"),
        ("expired", "expired"),
        ("dang dam phan", "negotiating"),
        ("under negotiation", "negotiating"),
        ("cham dut", "terminated"),
        ("terminated", "terminated"),
    ),
    "projects": (
        ("dang thuc hien", "implementation"),
        ("dang trien khai", "implementation"),
        ("ongoing", "implementation"),
        ("da ket thuc", "closed"),
        ("completed", "closed"),
        ("closed", "closed"),
    ),
}
_EXPIRES = ("het han", "het hieu luc", "expire", "expires", "expiring", "expiry", "expired")
# folded as questions are ("ký" → "ki": the spelling is unified)
_SIGNED = tuple(
    " ".join(words(p)) for p in ("đã ký", "được ký", "ký kết", "ký với", "signed", "sign")
)
_STARTS = ("bat dau", "khoi dong", "start", "started", "starting", "begin", "began")
_OUTGOING = ("doan ra", "outgoing", "outbound")
_INCOMING = ("doan vao", "incoming", "inbound")
_ENDS = ("ket thuc", "end", "ends", "ended", "finish", "finished")
_YEAR = re.compile(r"(?<![\d/.-])(19[5-9]\d|20\d\d)(?![\d/.-])")
_NUMBER_REF = re.compile(r"\d+(?:/\d{4})?[/-][A-Za-zĐđ&]+(?:[-/][A-Za-zĐđ&]+)*")
# Questions asking who, why, when or where are about a text, not a count or list of records.
_NOT_COUNTS = frozenset((Expect.PERSON, Expect.REASON, Expect.DATE, Expect.PLACE))
_HOME = "VN"  # Viet Nam is one side of every record; naming it filters nothing


@dataclass(frozen=True)
class RegistryIntent:
    operation: Operation
    entity: str  # the registry's list slug: "agreements", "projects", …
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    kind: str = ""  # a value of the record type's kind choices
    status: str = ""
    date_field: str = ""  # "signed", "expires", "starts", "ends" ("" when no year is asked)
    year_from: int | None = None
    year_to: int | None = None
    legal_basis: str = ""  # a document number ("1851/QĐ-TTg") or its nickname ("Đề án 1851")
    signed: bool = False  # "đã ký", "signed": only records signed (with a signing date)
    direction: str = ""  # delegations: "out" (đoàn ra, outgoing), "in" (đoàn vào, incoming)
    cues: tuple[str, ...] = field(default_factory=tuple)  # what was recognised, for display


def _has(folded: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", folded) is not None


def _first(folded: str, phrases: tuple[str, ...]) -> int:
    found = [
        m.start() for p in phrases for m in re.finditer(rf"(?<![\w]){re.escape(p)}(?!\w)", folded)
    ]
    return min(found) if found else -1


@cache
def _folded_countries() -> tuple[tuple[str, str], ...]:
    """Folded names and aliases of countries (several words, or one long word: "an", "y",
    "nga" are ordinary words once the diacritics are gone), longest first."""
    names: dict[str, str] = {}
    for c in countries():
        for name in (c.name_vi, c.name_en, *c.aliases):
            key = " ".join(words(name))
            if not key or (" " not in key and len(key) < 6):
                continue
            names.setdefault(key, c.iso2)
    return tuple(sorted(names.items(), key=lambda kv: -len(kv[0])))


def _countries(text: str, folded: str) -> list[str]:
    found = [m.iso2 for m in find_countries(text)]
    if all(c == _HOME for c in found):  # nothing found, or only Vietnam ("Viet Nam" needs no
        # diacritics): the folded names find the partner written without them
        rest = f" {folded} "
        for name, iso2 in _folded_countries():
            if f" {name} " in rest:
                found.append(iso2)
                rest = rest.replace(f" {name} ", " | ")
    return [c for c in dict.fromkeys(found) if c != _HOME]


def _legal_basis(text: str) -> str:
    refs = find_legal_refs(text)
    if refs:
        ref = refs[0]
        return ref.number if "/" in ref.number or "-" in ref.number else ref.text
    m = _NUMBER_REF.search(text)
    return m.group(0) if m else ""


def named_date_field(text: str, entity: str) -> str:
    """The date a question names for its year ("expires", "ends", "starts", "signed"), or ""
    when it names none (a parsed intent then has the entity's default)."""
    folded = " ".join(words(text))
    if any(_has(folded, p) for p in _EXPIRES):
        return "expires"
    if entity == "projects" and any(_has(folded, p) for p in _ENDS):
        return "ends"
    if entity == "projects" and any(_has(folded, p) for p in _STARTS):
        return "starts"
    if any(_has(folded, p) for p in _SIGNED):
        return "signed"
    return ""


def _years(text: str, folded: str) -> tuple[int | None, int | None]:
    cleaned = _NUMBER_REF.sub(" ", text)
    years = [int(y) for y in _YEAR.findall(cleaned)]
    if not years:
        return None, None
    if len(years) >= 2:
        return min(years[:2]), max(years[:2])
    y = years[0]
    if any(_has(folded, w) for w in ("truoc", "before", "until", "by")):
        return None, y - (0 if any(_has(folded, w) for w in ("until", "by")) else 1)
    if any(_has(folded, w) for w in ("sau", "after", "since", "tu")):
        return y + (0 if any(_has(folded, w) for w in ("since", "tu")) else 1), None
    return y, y


def _positions(ws: list[str], phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    """Word spans (start, end) where any of the phrases occurs."""
    out: list[tuple[int, int]] = []
    for p in phrases:
        pw = p.split()
        n = len(pw)
        out.extend((i, i + n) for i in range(len(ws) - n + 1) if ws[i : i + n] == pw)
    return out


def _near_before(cues: list[tuple[int, int]], at: int, gap: int = 3) -> bool:
    """A cue that ends at most ``gap`` words before ``at`` ("bao nhiêu [ODA] dự án")."""
    return any(0 <= at - end <= gap for _, end in cues)


def parse_registry_question(text: str) -> RegistryIntent | None:
    """The registry intent of a question, or None when it is not a registry question.

    The count or list cue must bear on the record type: it comes just before it ("bao nhiêu
    hiệp định", "các dự án", "which agreements") or "nào"/"which" just after it ("hiệp định
    nào"); "Đoàn ra phải được phê duyệt trước bao nhiêu ngày?" counts days, not delegations.
    """
    ws = words(text)
    folded = " ".join(ws)
    if not folded:
        return None
    entity = ""
    at, stop = -1, -1
    for slug, phrases in _ENTITIES:
        for start, end in _positions(ws, phrases):
            if at < 0 or start < at:
                entity, at, stop = slug, start, end
    if not entity:
        return None
    if any(_has(folded, p) for p in _ABOUT_TEXT):
        return None
    if expectation(text) in _NOT_COUNTS:  # "who is responsible for the projects …"
        return None
    cues: list[str] = [entity]
    after = ws[stop : stop + 4]
    if _near_before(_positions(ws, _COUNT), at):
        operation: Operation = "count"
    elif (
        _near_before(_positions(ws, _LIST), at)
        or any(w in ("nao", "which") for w in after)
        or (at == 0 and ws[0] in ("agreements", "projects", "partners", "events"))
    ):
        operation = "list"
    else:
        return None
    cues.append(operation)
    kind = next((v for p, v in _KINDS.get(entity, ()) if _has(folded, p)), "")
    status = next((v for p, v in _STATUS.get(entity, ()) if _has(folded, p)), "")
    year_from, year_to = _years(text, folded)
    date_field = ""
    if year_from is not None or year_to is not None:
        if any(_has(folded, p) for p in _EXPIRES):
            date_field = "expires"
            if status == "expired":
                status = ""  # "expired in 2024" is a date, not the status
        elif entity == "projects" and any(_has(folded, p) for p in _ENDS):
            date_field = "ends"
        elif entity == "projects":
            date_field = "starts"
        elif entity == "agreements" or any(_has(folded, p) for p in _SIGNED):
            date_field = "signed"
        else:
            date_field = "date"
    elif entity == "agreements" and not status and any(_has(folded, p) for p in _EXPIRES):
        status = "expired"
    signed = entity == "agreements" and any(_has(folded, p) for p in _SIGNED)
    direction = ""
    if entity == "delegations":
        out = any(_has(folded, p) for p in _OUTGOING)
        inc = any(_has(folded, p) for p in _INCOMING)
        direction = "out" if out and not inc else "in" if inc and not out else ""
    basis = _legal_basis(text) if entity in ("agreements", "projects") else ""
    found = _countries(text, folded)
    return RegistryIntent(
        operation=operation,
        entity=entity,
        countries=tuple(found),
        kind=kind,
        status=status,
        date_field=date_field,
        year_from=year_from,
        year_to=year_to,
        legal_basis=basis,
        signed=signed,
        direction=direction,
        cues=tuple(cues),
    )


def is_registry_question(text: str) -> bool:
    return parse_registry_question(text) is not None


__all__ = ["RegistryIntent", "is_registry_question", "parse_registry_question", "search_key"]
