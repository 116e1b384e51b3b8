"""Gazetteer-driven recognition of countries and organisations in Vietnamese (or English) text.

Names are matched on word units (letters and digits, with "-", "&" and "*" inside a unit, so
"Xin-ga-po", "V-KIST", "KH&CN" and "A*STAR" are one unit each; "_" separates units so that
pre-segmented text such as "Hàn_Quốc" matches). Longest match wins. Case rules: a unit of a name
that has a capital after its first letter (an acronym: "ASEAN", "VinaREN") must match exactly;
the first unit of a capitalised name must start with a capital in the text; the other units
match in any case ("Nhật bản", "BỘ KHOA HỌC VÀ CÔNG NGHỆ"). Short names that are also ordinary
words or given names ("Anh", "Nga", "Đức", "Pháp", "Mỹ"...) are rejected after "tiếng"
(languages) and when a capitalised word touches them (person names: "Nguyễn Minh Đức").
An organisation name followed by its acronym in brackets is one mention:
"Cơ quan Năng lượng nguyên tử quốc tế (IAEA)".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from vntext.gazetteer import Country, Organization, countries, organizations
from vntext.normalize import normalize, normalize_with_offsets

_UNIT_RE = re.compile(r"[^\W_]+(?:[-&*][^\W_]+)*")

# Single-unit names that are also common words, pronouns or given names.
_AMBIGUOUS = frozenset(
    {
        "anh",
        "nga",
        "đức",
        "pháp",
        "áo",
        "ý",
        "mỹ",
        "nhật",
        "bỉ",
        "séc",
        "síp",
        "sát",
        "lào",
        "úc",
        "chad",
        "jordan",
        "georgia",
        "jersey",
        "guernsey",
        "turkey",
        "mali",
        "niger",
        "guinea",
        "dominica",
        "korea",
    }
)
# ISO 3166 alpha-3 codes that collide with words or acronyms common in our documents.
_ISO3_STOP_TEXT = (
    "AND ARE CAN PER TON MAR BEN GIN DOM COL GAB GUM HUN JAM MAC PAN POL SUR TUN VAT FIN IND "
    "MAF COM CAF ATA BES FRO NIC GIB LIE MNE TCA SPM NER TGO SOM GRD BRB ASM MLT SEN LBR"
)
_ISO3_STOP = frozenset(_ISO3_STOP_TEXT.split(" "))
# Acronyms too ambiguous to stand alone ("công nghệ CAS", "công tác HTQT", "QĐ-TTg").
_LONE_ACRONYM_STOP_TEXT = (
    "CAS EC HTQT TTg MLC STEX DOE KI IE UD CTU STI IOP IBT IMS AGI NRI DOS ASU DST IIA SBA KIT "
    "MSU MTC ABI CEA ISC CNR NRF MIC MOF MOH UN"
)
_LONE_ACRONYM_STOP = frozenset(_LONE_ACRONYM_STOP_TEXT.split(" ")) | {"MOST China", "TA CR"}
_STANDARDS = frozenset({"ISO", "IEC"})


@dataclass(frozen=True)
class _Unit:
    text: str
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class _Name:
    units: tuple[str, ...]  # the name's units as written in the gazetteer
    keys: tuple[str, ...]
    target: str  # iso2 or organisation key


def _units(text: str) -> list[_Unit]:
    return [
        _Unit(m.group(0), m.group(0).lower(), m.start(), m.end()) for m in _UNIT_RE.finditer(text)
    ]


def _build(names: Iterable[tuple[str, str]]) -> dict[str, list[_Name]]:
    index: dict[str, list[_Name]] = {}
    seen: set[tuple[tuple[str, ...], str]] = set()
    for name, target in names:
        units = tuple(u.text for u in _units(normalize(name)))
        if not units or (units, target) in seen:
            continue
        seen.add((units, target))
        keys = tuple(u.lower() for u in units)
        index.setdefault(keys[0], []).append(_Name(units, keys, target))
    for cands in index.values():
        cands.sort(key=lambda n: -len(n.keys))
    return index


@cache
def _country_index() -> dict[str, list[_Name]]:
    pairs: list[tuple[str, str]] = []
    for c in countries():
        for name in (c.name_vi, c.name_en, *c.aliases):
            pairs.append((name, c.iso2))
        if c.iso3 not in _ISO3_STOP:
            pairs.append((c.iso3, c.iso2))
    return _build(pairs)


@cache
def _org_index() -> dict[str, list[_Name]]:
    pairs: list[tuple[str, str]] = []
    for o in organizations():
        for name in (o.name_vi, o.name_en, *o.aliases):
            pairs.append((name, o.key))
        if o.acronym and o.acronym not in _LONE_ACRONYM_STOP:
            pairs.append((o.acronym, o.key))
    return _build(pairs)


def _is_acronym_unit(u: str) -> bool:
    return any(c.isupper() for c in u[1:]) or (len(u) == 1 and u.isupper())


def _case_ok(name: _Name, found: list[_Unit]) -> bool:
    for k, (want, got) in enumerate(zip(name.units, found, strict=True)):
        if _is_acronym_unit(want) or (len(name.units) == 1 and want.isupper()):
            if want != got.text:
                return False
        elif k == 0 and want[0].isupper() and not got.text[0].isupper():
            return False
    return True


def _capitalised(u: _Unit) -> bool:
    return u.text[0].isupper() and u.text.isalpha()


def _context_ok(view: str, units: list[_Unit], i: int, j: int, name: _Name) -> bool:
    """Reject ambiguous one-word names used as words, languages or parts of person names."""
    if len(name.keys) != 1:
        return True
    key = name.keys[0]
    if name.units[0] in _STANDARDS:  # "ISO 9001", "ISO/IEC 17025" are standards
        after = view[units[i].end : units[i].end + 3]
        before = view[max(0, units[i].start - 1) : units[i].start]
        if re.match(r"\s?\d|/", after) or before == "/":
            return False
    if key not in _AMBIGUOUS:
        return True
    if i > 0:
        prev = units[i - 1]
        gap = view[prev.end : units[i].start]
        if prev.key == "tiếng" and gap.strip() == "":
            return False
        if _capitalised(prev) and gap.strip(" _") == "" and "\n" not in gap:
            return False
    if j < len(units):
        nxt = units[j]
        gap = view[units[j - 1].end : nxt.start]
        if _capitalised(nxt) and gap.strip(" _") == "" and "\n" not in gap:
            return False
    return True


def _scan(view: str, index: dict[str, list[_Name]]) -> list[tuple[int, int, str]]:
    units = _units(view)
    out: list[tuple[int, int, str]] = []
    i = 0
    n = len(units)
    while i < n:
        hit = None
        for name in index.get(units[i].key, ()):
            j = i + len(name.keys)
            if j > n:
                continue
            if tuple(u.key for u in units[i:j]) != name.keys:
                continue
            if not _case_ok(name, units[i:j]) or not _context_ok(view, units, i, j, name):
                continue
            hit = (name, j)
            break
        if hit is None:
            i += 1
            continue
        name, j = hit
        out.append((units[i].start, units[j - 1].end, name.target))
        i = j
    return out


@dataclass(frozen=True)
class CountryMention:
    """A mention of a country; ``iso2`` is the registry's id, ``name`` its Vietnamese name."""

    text: str
    start: int
    end: int
    iso2: str
    name: str

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "iso2": self.iso2,
            "name": self.name,
        }


@dataclass(frozen=True)
class OrganizationMention:
    """A mention of a gazetteer organisation; ``key`` is the registry's id."""

    text: str
    start: int
    end: int
    key: str
    name: str
    name_en: str
    acronym: str
    kind: str
    country: str

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "key": self.key,
            "name": self.name,
            "name_en": self.name_en,
            "acronym": self.acronym,
            "kind": self.kind,
            "country": self.country,
        }


def find_countries_in_view(view: str) -> list[tuple[int, int, Country]]:
    """(start, end, country) of every country mention in an already normalised text."""
    by_iso = {c.iso2: c for c in countries()}
    return [(s, e, by_iso[t]) for s, e, t in _scan(view, _country_index())]


def find_organizations_in_view(view: str) -> list[tuple[int, int, Organization]]:
    """(start, end, organisation) of every organisation mention in a normalised text."""
    by_key = {o.key: o for o in organizations()}
    bracket = re.compile(r"[\s_]*\([\s_]*([^()\n]{1,20}?)[\s_]*\)")
    hits = _scan(view, _org_index())
    out: list[tuple[int, int, Organization]] = []
    skip_until = -1
    for s, e, key in hits:
        if s < skip_until:
            continue
        org = by_key[key]
        # "Name (ACRONYM)" is one mention.
        m = bracket.match(view, e)
        if m and m.group(1) in {org.acronym, *org.aliases} - {""}:
            e = m.end()
            skip_until = e
        out.append((s, e, org))
    return out


def find_countries(text: str) -> list[CountryMention]:
    """Mentions of countries in ``text`` with ISO 3166-1 alpha-2 codes and original offsets."""
    norm = normalize_with_offsets(text)
    out = []
    for s, e, c in find_countries_in_view(norm.text):
        a, b = norm.original_span(s, e)
        out.append(CountryMention(text[a:b], a, b, c.iso2, c.name_vi))
    return out


def find_organizations(text: str) -> list[OrganizationMention]:
    """Mentions of gazetteer organisations in ``text`` with their keys and original offsets."""
    norm = normalize_with_offsets(text)
    out = []
    for s, e, o in find_organizations_in_view(norm.text):
        a, b = norm.original_span(s, e)
        out.append(
            OrganizationMention(
                text[a:b], a, b, o.key, o.name_vi, o.name_en, o.acronym, o.kind, o.country
            )
        )
    return out
