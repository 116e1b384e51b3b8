"""One call that finds everything ``caunoi extract`` reports, with offsets into the input."""

from __future__ import annotations

from vntext.amounts import find_amounts_in_view
from vntext.dates import find_dates_in_view
from vntext.entities import find_countries_in_view, find_organizations_in_view
from vntext.legal import find_legal_refs_in_view
from vntext.normalize import normalize_with_offsets


def extract(text: str) -> dict[str, list[dict[str, object]]]:
    """Legal references, countries, organisations, amounts and dates found in ``text``.

    Every item has ``text``, ``start`` and ``end`` with ``text == input[start:end]``; the
    other fields are documented in docs/vntext.md. The text is normalised once for all
    recognisers.
    """
    norm = normalize_with_offsets(text)
    view = norm.text

    def span(s: int, e: int) -> dict[str, object]:
        a, b = norm.original_span(s, e)
        return {"text": text[a:b], "start": a, "end": b}

    legal = [{**span(s, e), "title": "", **f} for s, e, f in find_legal_refs_in_view(view)]
    countries = [
        {**span(s, e), "iso2": c.iso2, "name": c.name_vi}
        for s, e, c in find_countries_in_view(view)
    ]
    organizations = [
        {
            **span(s, e),
            "key": o.key,
            "name": o.name_vi,
            "name_en": o.name_en,
            "acronym": o.acronym,
            "kind": o.kind,
            "country": o.country,
        }
        for s, e, o in find_organizations_in_view(view)
    ]
    amounts = [{**span(s, e), **f} for s, e, f in find_amounts_in_view(view)]
    dates = [{**span(s, e), "date": iso} for s, e, iso in find_dates_in_view(view)]
    return {
        "legal_refs": legal,
        "countries": countries,
        "organizations": organizations,
        "amounts": amounts,
        "dates": dates,
    }
