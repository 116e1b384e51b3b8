"""What the bulk import (``imports.py``) needs to know of experts — foreign experts and
overseas Vietnamese scientists, collected by the international-cooperation units: their
columns, how their cells read (languages written ``en:C1; fr:B2``, ORCIDs also as links),
and when a row is the same person as an existing expert or an earlier row.

Everything else (the file, the per-row, per-field report, the all-or-nothing transaction,
``--dry-run`` and ``--skip-duplicates``, the background job) is the import's own, the same
as for offers and requests.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caunoi.market.models import Expert, Status, split_languages
from vntext.normalize import search_key

COLUMNS = (
    "name",
    "category",
    "profile",
    "affiliation",
    "country",
    "languages",
    "orcid",
    "availability",
    "owner_organization",
    "fields",
)

EXAMPLE = {
    "name": "Nguyễn Thị Minh Châu",
    "category": "overseas_vn",
    "profile": "Nghiên cứu vật liệu bán dẫn hữu cơ cho cảm biến sinh học; 12 năm tại Pháp.",
    "affiliation": "Đại học Paris-Saclay",
    "country": "FR",
    "languages": "vi:C2; fr:C1; en:B2",
    "orcid": "0000-0002-1825-0097",
    "availability": "Tư vấn từ xa; sang Việt Nam 2 tuần mỗi năm",
    "fields": "semiconductors",
}

# What the template's notes sheet says of the columns that need it.
NOTES = {
    "name": gettext_lazy("Required: the expert's full name."),
    "category": gettext_lazy("domestic, foreign or overseas_vn (an overseas Vietnamese expert)."),
    "affiliation": gettext_lazy(
        "The organisation the expert works for, as written (with the name, it tells two "
        "experts apart)."
    ),
    "country": gettext_lazy("ISO 3166 two-letter code: FR, KR, US…"),
    "languages": gettext_lazy(
        "Each language as its ISO 639-1 code, a colon and its CEFR level (A1, A2, B1, B2, C1, "
        "C2), separated by semicolons: en:C1; fr:B2. In JSON also a list of "
        "{“language”: “en”, “level”: “C1”}."
    ),
    "orcid": gettext_lazy(
        "0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097; the check digit is verified."
    ),
    "owner_organization": gettext_lazy("Registry key of the organisation that owns the profile."),
    "fields": gettext_lazy("Fields of S&T, slugs or codes, separated by semicolons."),
}

_ORCID_LINK = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)


def read_orcid(text: str) -> str:
    """An ORCID as stored: a link to orcid.org is reduced to its identifier, a final ``x``
    written ``X`` (its form and check digit are the model's rules)."""
    bare = _ORCID_LINK.sub("", text.strip()).strip().strip("/")
    return bare[:-1] + "X" if bare.endswith("x") else bare


def read_languages(value: Any, errors: dict[str, str]) -> list[Any]:
    """A ``languages`` cell: ``en:C1; fr:B2`` (``models.split_languages``) or, in JSON, a list
    of ``{"language", "level"}`` objects (or of ``"en:C1"`` texts). Unknown codes and levels
    are left to the model's rule (``models.language_problems``), which names each one."""
    if value in (None, ""):
        return []
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return [
            {k: (str(v).strip() if isinstance(v, str) else v) for k, v in item.items()}
            for item in value
        ]
    text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    found, bad = split_languages(text)
    if bad:
        errors["languages"] = _(
            "Languages: write each language as its code, a colon and its CEFR level, "
            "separated by semicolons (en:C1; fr:B2); “%(item)s” is not."
        ) % {"item": bad[0][:40]}
    return found


def person_key(name: str, affiliation: str) -> tuple[str, str]:
    """Name and organisation folded (case, diacritics, punctuation, spacing ignored):
    ``Nguyễn Thị Minh Châu`` is ``NGUYEN THI MINH CHAU``."""

    def fold(text: str) -> str:
        return " ".join(re.sub(r"[^\w]+", " ", search_key(text or "")).split())

    return fold(name), fold(affiliation)


class ExpertDuplicates:
    """A row is a duplicate of an existing, non-withdrawn expert (whoever entered it) or of
    an earlier row when it has the same ORCID, or the same name and organisation with case,
    diacritics and punctuation ignored (an empty organisation is the same only as an empty
    one); not when both have ORCIDs and they differ (two people of the same name).

    The same interface as the title-based check of offers and requests (``check``,
    ``field_of``; no possible duplicates, nothing embedded)."""

    def __init__(self, kind: Any, user: Any) -> None:
        self.embedded = 0
        self.possible: dict[int, str] = {}
        self.unchecked = 0
        self._fields: dict[int, str] = {}
        self._orcids: dict[str, str] = {}  # ORCID → what has it
        self._people: dict[tuple[str, str], list[tuple[str, str]]] = {}  # key → (ORCID, what)
        rows = Expert.objects.exclude(status=Status.WITHDRAWN).values_list(
            "pk", "name", "affiliation", "orcid"
        )
        for pk, name, affiliation, orcid in rows.order_by("pk"):
            what = _("expert #%(id)d “%(name)s”") % {"id": pk, "name": name}
            self._add(name, affiliation, orcid, what)

    def _add(self, name: str, affiliation: str, orcid: str, what: str) -> None:
        if orcid:
            self._orcids.setdefault(orcid, what)
        self._people.setdefault(person_key(name, affiliation), []).append((orcid, what))

    def check(self, rows: list[tuple[int, dict[str, Any]]]) -> dict[int, str]:
        """Row number → the message naming what it duplicates, for the rows that do."""
        found: dict[int, str] = {}
        for index, data in rows:
            name, affiliation = data.get("name", ""), data.get("affiliation", "")
            orcid = data.get("orcid", "")
            if orcid and orcid in self._orcids:
                found[index] = _("Same ORCID as %(what)s.") % {"what": self._orcids[orcid]}
                self._fields[index] = "orcid"
                continue
            same = [
                what
                for other, what in self._people.get(person_key(name, affiliation), [])
                if not (orcid and other and other != orcid)
            ]
            if same:
                found[index] = _("Same name and organisation as %(what)s.") % {"what": same[0]}
                self._fields[index] = "name"
                continue
            self._add(name, affiliation, orcid, _("row %d") % index)
        return found

    def field_of(self, index: int) -> str:
        """The column a duplicate is reported on: ``orcid`` or ``name``."""
        return self._fields.get(index, "name")
