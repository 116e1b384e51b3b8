"""Money amounts, scaled quantities and percentages: "50.000 tỷ đồng", "85,4%", "10 triệu USD".

Vietnamese writes "1.234,5" where English writes "1,234.5", and the seeds mix both, sometimes in
one sentence ("3,240 tỷ đồng, chiếm tỷ trọng 6,21% GRDP"). Each number is read by these rules:

1. both "." and "," present: the last one is the decimal mark ("1.234,5" and "1,234.5");
2. one separator repeated: it groups thousands ("17,779,119", "1.000.000");
3. one separator once: followed by exactly three digits it groups thousands ("3,240",
   "50.000", "1,557"), unless the integer part is 0 or the number is a percentage; otherwise
   it is the decimal mark ("85,4", "7,59", "1.5");
4. context check: an amount of money beyond any plausible figure (more than 10^16 đồng or
   10^13 in a foreign currency, i.e. above Viet Nam's GDP) is re-read with its last separator
   as the decimal mark: "17,779,119 triệu USD" (FDI of one province) is 17,779.119 million.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vntext.normalize import normalize_with_offsets

_SEP = r"[\s_]+"

SCALES: dict[str, float] = {
    "nghìn tỷ": 1e12,
    "ngàn tỷ": 1e12,
    "nghìn tỉ": 1e12,
    "ngàn tỉ": 1e12,
    "triệu tỷ": 1e15,
    "trăm triệu": 1e8,
    "trăm nghìn": 1e5,
    "nghìn": 1e3,
    "ngàn": 1e3,
    "triệu": 1e6,
    "tỷ": 1e9,
    "tỉ": 1e9,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
CURRENCIES: dict[str, str] = {
    "đồng": "VND",
    "VNĐ": "VND",
    "VND": "VND",
    "vnđ": "VND",
    "đ": "VND",
    "USD": "USD",
    "US$": "USD",
    "$": "USD",
    "đô la Mỹ": "USD",
    "đô-la Mỹ": "USD",
    "đô la": "USD",
    "đô-la": "USD",
    "đôla": "USD",
    "EUR": "EUR",
    "Euro": "EUR",
    "euro": "EUR",
    "€": "EUR",
    "yên": "JPY",
    "Yên": "JPY",
    "JPY": "JPY",
    "won": "KRW",
    "Won": "KRW",
    "KRW": "KRW",
    "nhân dân tệ": "CNY",
    "NDT": "CNY",
    "CNY": "CNY",
    "bảng Anh": "GBP",
    "GBP": "GBP",
    "SGD": "SGD",
    "AUD": "AUD",
}
QUALIFIERS = (
    "lên tới",
    "lên đến",
    "xấp xỉ",
    "khoảng",
    "gần",
    "hơn",
    "trên",
    "dưới",
    "tới",
    "chừng",
)
_MAX_PLAUSIBLE = {"VND": 1e16}
_MAX_PLAUSIBLE_FOREIGN = 1e13


def _alt(words: list[str]) -> str:
    return "|".join(_SEP.join(re.escape(p) for p in w.split()) for w in words)


_SCALE_RE = _alt(sorted(SCALES, key=len, reverse=True))
_CUR_WORDS = sorted((c for c in CURRENCIES if c[0].isalpha()), key=len, reverse=True)
_NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_AMOUNT_RE = re.compile(
    rf"""
    (?<![\w.,/-])
    (?:(?P<qual>{_alt(list(QUALIFIERS))}){_SEP})?
    (?P<prefix>US\$|\$|€)?\s?
    (?P<num>{_NUMBER})
    (?![\d/]|[.,]\d|-\d)
    (?:
        (?P<pct>\s?%|{_SEP}phần{_SEP}trăm)
      | (?:{_SEP}(?P<scale>{_SCALE_RE}))?
        (?:\s?(?P<cur>{_alt(_CUR_WORDS)})(?![\w]))?
    )
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Amount:
    """An amount: ``value`` as written (after resolving separators) times ``multiplier``.

    ``unit`` is the scale word ("tỷ", "triệu", "%" or ""), ``currency`` an ISO 4217 code or "",
    ``amount`` the absolute quantity (value × multiplier), ``qualifier`` a hedge such as "gần".
    """

    text: str
    start: int
    end: int
    value: float
    unit: str
    multiplier: float
    currency: str
    amount: float
    qualifier: str

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "unit": self.unit,
            "multiplier": self.multiplier,
            "currency": self.currency,
            "amount": self.amount,
            "qualifier": self.qualifier,
        }


def parse_number(raw: str, percent: bool = False) -> float:
    """Read a number with "." and "," by the rules in the module docstring (rules 1-3)."""
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        dec = "." if raw.rfind(".") > raw.rfind(",") else ","
        grp = "," if dec == "." else "."
        return float(raw.replace(grp, "").replace(dec, "."))
    sep = "." if dots else "," if commas else ""
    if not sep:
        return float(raw)
    count = dots or commas
    if count > 1:
        groups = raw.split(sep)
        if all(len(g) == 3 for g in groups[1:]):
            return float(raw.replace(sep, ""))
        # irregular groups: treat the last separator as decimal mark
        head, _, tail = raw.rpartition(sep)
        return float(head.replace(sep, "") + "." + tail)
    head, tail = raw.split(sep)
    if len(tail) == 3 and head != "0" and not percent:
        return float(head + tail)
    return float(head + "." + tail)


def _reread_decimal(raw: str) -> float:
    """Read ``raw`` with its last separator as the decimal mark and the others as groups."""
    k = max(raw.rfind("."), raw.rfind(","))
    if k < 0:
        return float(raw)
    return float(re.sub(r"[.,]", "", raw[:k]) + "." + raw[k + 1 :])


def _norm_words(s: str) -> str:
    return re.sub(r"[\s_]+", " ", s)


def find_amounts_in_view(view: str) -> list[tuple[int, int, dict[str, object]]]:
    """(start, end, fields) of every amount in an already normalised text."""
    out: list[tuple[int, int, dict[str, object]]] = []
    for m in _AMOUNT_RE.finditer(view):
        raw = m.group("num")
        pct = m.group("pct")
        scale = m.group("scale")
        cur_word = m.group("cur")
        prefix = m.group("prefix")
        if not (pct or scale or cur_word or prefix):
            continue
        if cur_word == "đ" and scale is None and not re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
            continue  # a bare "5 đ" is too ambiguous to be money
        value = parse_number(raw, percent=bool(pct))
        unit = "%" if pct else _norm_words(scale) if scale else ""
        multiplier = 0.01 if pct else SCALES.get(unit, 1.0)
        currency = ""
        if cur_word:
            currency = CURRENCIES.get(_norm_words(cur_word), "")
        elif prefix:
            currency = CURRENCIES[prefix]
        limit = _MAX_PLAUSIBLE.get(currency, _MAX_PLAUSIBLE_FOREIGN)
        if currency and value * multiplier > limit and re.search(r"[.,]", raw):
            value = _reread_decimal(raw)
        if m.group("qual"):
            start = m.start("qual")
        else:
            start = m.start("prefix") if prefix else m.start("num")
        out.append(
            (
                start,
                m.end(),
                {
                    "value": value,
                    "unit": unit,
                    "multiplier": multiplier,
                    "currency": currency,
                    "amount": value * multiplier,
                    "qualifier": _norm_words(m.group("qual") or ""),
                },
            )
        )
    return out


def find_amounts(text: str) -> list[Amount]:
    """Money amounts, scaled quantities ("10 nghìn lượt") and percentages in ``text``."""
    norm = normalize_with_offsets(text)
    out = []
    for s, e, f in find_amounts_in_view(norm.text):
        a, b = norm.original_span(s, e)
        out.append(
            Amount(
                text=text[a:b],
                start=a,
                end=b,
                value=float(str(f["value"])),
                unit=str(f["unit"]),
                multiplier=float(str(f["multiplier"])),
                currency=str(f["currency"]),
                amount=float(str(f["amount"])),
                qualifier=str(f["qualifier"]),
            )
        )
    return out
