"""Bulk import of technology offers (partner exchanges: KISTI, KIAT, IPI, IMAG, Shanghai), of
technology requests (collected by provinces) and of experts (foreign experts and overseas
Vietnamese scientists; what is theirs alone is in ``import_experts``): CSV, XLSX or JSON, by
officers, all or nothing, with a per-row, per-field report, a dry run, and a background job
with progress for large files.

The file reading and its limits (rows, bytes, zip bombs), the report and the background-job
runner are the registry's (``caunoi.registry.imports``). Every row is checked like a form
(values, references, the record's own rules) before anything is written; then all rows are
written in bulk in one transaction, published (the officer's import is the approval), with
their audit events and search documents, so they are lexically searchable at the commit;
embeddings follow in the background.

Duplicates: a row duplicates a record of the same owner (the same organisation, or one of the
same name in the same country; without one, the importing officer), existing or earlier in
the file, when a title is near-identical in one language, or, across languages, when names,
numbers and the embeddings agree (``techmatch.duplicates``). A duplicate is an error of its
row (nothing is imported), or, with ``skip_duplicates``, left out and listed. A row in another
language than a record of the same owner, sharing no name or number with it but with close
embeddings (and, for short texts, a bridge term), is a possible duplicate: a warning of the
report, the import going on (at most ``CAUNOI_IMPORT_DUPLICATE_EMBED_MAX`` texts are embedded
for these; the rows beyond are counted in one warning). Experts are duplicates by ORCID or
by name and organisation, whoever entered them (``import_experts.ExpertDuplicates``).
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django_tasks import task

from caunoi.accounts.models import User
from caunoi.core.errors import DomainError
from caunoi.market import import_experts, services
from caunoi.market.models import Expert, Status, TechnologyOffer, TechnologyRequest
from caunoi.registry.imports import (
    ImportReport,
    RowError,
    background_rows,
    read_table,
    report_as_dict,
    report_from_dict,
    run_import_job,
)
from caunoi.registry.models import Organization
from caunoi.search.dense import EMBED_CHARS
from caunoi.taxonomy.models import Country, Field
from techmatch.duplicates import could_be_alike
from vntext.normalize import search_key

if TYPE_CHECKING:
    from caunoi.market.import_terms import Row
    from techmatch.lexical import Analyzed

COLUMNS = (
    "title_vi",
    "title_en",
    "summary_vi",
    "summary_en",
    "description",
    "innovation",
    "stage",
    "trl",
    "ip_status",
    "patent_numbers",
    "cooperation",
    "owner_organization",
    "country",
    "fields",
    "keywords",
    "source",
    "source_ref",
    "language",
    "valid_until",
    "price_min",
    "price_max",
    "price_currency",
    "price_negotiable",
    "needs_lab",
    "needs_equipment",
    "needs_staff",
    "needs_notes",
)
REQUEST_COLUMNS = (
    "title_vi",
    "title_en",
    "summary_vi",
    "summary_en",
    "need",
    "purpose",
    "preferred_countries",
    "preferred_owners",
    "characteristics",
    "cooperation",
    "min_trl",
    "staff_count",
    "staff_qualifications",
    "equipment",
    "has_lab",
    "budget_min",
    "budget_max",
    "currency",
    "prior_transfers",
    "owner_organization",
    "province",
    "size",
    "sector",
    "deadline",
    "confidentiality",
    "fields",
)
_LISTS = {"patent_numbers", "cooperation", "fields", "keywords", "preferred_countries"}
_FLAGS = {"price_negotiable", "needs_lab", "needs_equipment", "has_lab"}
_TRI_FLAGS = {"has_lab"}  # empty: not stated
_MONEY = {"price_min", "price_max", "budget_min", "budget_max"}
_INTS = {"trl", "needs_staff", "min_trl", "staff_count"}
_DATES = {"valid_until", "deadline"}
_DEFAULTED = {"source", "language", "price_currency", "currency", "confidentiality"}
_TRUE = {"1", "true", "yes", "y", "x", "có", "co"}
_FALSE = {"0", "false", "no", "n", "không", "khong"}
# Titles at least this similar (0..1, after normalisation) are the same offer.
SIMILAR = 0.9
# Imports of at least this many rows analyse their search texts in worker processes (below,
# starting the processes costs more than it saves; and imports small enough to run in a web
# request, ``CAUNOI_IMPORT_BACKGROUND_ROWS``, start none by default).
PARALLEL_ROWS = 1000
CHUNK = 200  # rows per task sent to a worker process
BLOCKING = True  # compare a row only with the candidates that could duplicate it (_Owner)
# Texts embedded at most, per import, to look for possible duplicates across languages among
# pairs sharing no name or number, those sharing a bridge term first: measured 1.6 s for 100
# texts of about 110 characters (16 ms each; a title with a long summary costs more), so at
# most a few seconds of an import. ``CAUNOI_IMPORT_DUPLICATE_EMBED_MAX`` overrides it.
POSSIBLE_EMBED_MAX = 200
POSSIBLE_PER_ROW = 20  # candidates a row is compared with for a possible duplicate, at most


AMBIGUOUS = Decimal("NaN")  # read_amount: a number that reads two ways
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")


def read_amount(text: str) -> Decimal | None:
    """An amount as partner exchanges (1,500,000.50) and provinces (1.500.000,5) write it:
    with both marks the last one is the decimal mark; one mark repeated between groups of
    three digits groups thousands; one mark once is the decimal mark unless three digits
    follow it ("1.500", "1,500": ``AMBIGUOUS``, refused rather than guessed). ``None``: not
    a number."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if not raw or raw.count("-") > 1:
        return None
    body = raw.lstrip("-")
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        dec = "." if body.rfind(".") > body.rfind(",") else ","
        head, _sep, tail = body.rpartition(dec)
        if not _GROUPED.fullmatch(head) and not head.isdigit():
            return None
        plain = head.replace("," if dec == "." else ".", "") + "." + tail
    elif dots + commas == 0:
        plain = body
    elif _GROUPED.fullmatch(body):
        if dots + commas == 1:
            return AMBIGUOUS
        plain = body.replace(".", "").replace(",", "")
    elif dots + commas == 1:
        plain = body.replace(",", ".")
    else:
        return None
    try:
        amount = Decimal(("-" if raw.startswith("-") else "") + plain)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _read_date(text: str) -> str | None:
    """A calendar date written YYYY-MM-DD or, as provinces write it, DD/MM/YYYY (also with
    one-digit day or month, or dashes and dots): the ISO text, or None when it is no date
    (the field's own error would be Django's English)."""
    import datetime as dt

    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    local = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif local:
        day, month, year = (int(g) for g in local.groups())
    else:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def max_rows() -> int:
    """Data rows per marketplace import file (``CAUNOI_MARKET_IMPORT_MAX_ROWS``), higher than
    the registry's: a partner exchange's whole database in one file."""
    return int(getattr(settings, "CAUNOI_MARKET_IMPORT_MAX_ROWS", 25_000))


def max_bytes() -> int:
    """Bytes per marketplace import file (``CAUNOI_MARKET_IMPORT_MAX_BYTES``)."""
    return int(getattr(settings, "CAUNOI_MARKET_IMPORT_MAX_BYTES", 64 * 1024 * 1024))


def read_offers(name: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of a CSV, XLSX or JSON (a list of objects) file; lists in CSV/XLSX cells are
    separated by semicolons. At most ``max_rows()`` rows."""
    if Path(name).suffix.lower() != ".json":
        return list(read_table(name, content, limit=max_rows()))
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DomainError(_("The JSON file could not be read.")) from exc
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DomainError(_("A JSON import is a list of objects, one per record."))
    if len(data) > max_rows():
        raise DomainError(
            _("The file has more than %(limit)d rows; split it into smaller files.")
            % {"limit": max_rows()}
        )
    return data


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [p.strip() for p in str(value).split(";") if p.strip()]


def _title_keys(*titles: str) -> list[str]:
    keys = (" ".join(re.sub(r"[^\w]+", " ", search_key(t)).split()) for t in titles if t)
    return [k for k in keys if k]


def _near(keys: list[str], others: list[str]) -> bool:
    for a in keys:
        for b in others:
            if a == b:
                return True
            if not could_be_alike(len(a), len(b)):
                continue
            m = SequenceMatcher(None, a, b, autojunk=False)
            if (
                m.real_quick_ratio() >= SIMILAR
                and m.quick_ratio() >= SIMILAR
                and m.ratio() >= SIMILAR
            ):
                return True
    return False


class _Rows:
    """Resolves one row's references and values, collecting errors per field."""

    def __init__(self, user: User, kind: ImportKind) -> None:
        self.user = user
        self.model = kind.model
        self.columns = kind.columns
        self.orgs: dict[str, Organization | None] = {}
        self.names = {c.lower(): c for c in self.columns}  # headers are read in any case
        self._fields: dict[str, Field] | None = None
        self._countries: dict[str, Country] | None = None

    def fields(self) -> dict[str, Field]:
        """Fields of S&T by slug and by code, read once per import."""
        if self._fields is None:
            every = list(Field.objects.all())
            self._fields = {f.slug: f for f in every} | {f.code: f for f in every}
        return self._fields

    def countries(self) -> dict[str, Country]:
        if self._countries is None:
            self._countries = {c.pk: c for c in Country.objects.all()}
        return self._countries
        self.seen: dict[tuple[str, Any], list[list[str]]] = {}

    def column(self, header: Any) -> str | None:
        """The column a header names (``Title_VI``, `` TRL ``), None when it names none."""
        return self.names.get(str(header).strip().lower())

    def columns_of(self, raw: dict[str, Any]) -> dict[str, Any]:
        """A row keyed by its columns; unknown headers are left out (reported once, by the
        import, on the header row)."""
        out: dict[str, Any] = {}
        for header, value in raw.items():
            name = self.column(header)
            if name is not None and (name not in out or out[name] in (None, "")):
                out[name] = value
        return out

    def convert(
        self, raw: dict[str, Any], errors: dict[str, str]
    ) -> tuple[dict[str, Any], list[Any]]:
        data: dict[str, Any] = {}
        fields: list[Any] = []
        raw = self.columns_of(raw)
        for name in self.columns:
            if name not in raw:
                continue
            value = raw[name]
            if name == "languages":
                data[name] = import_experts.read_languages(value, errors)
                continue
            if name in _LISTS:
                items = _as_list(value)
                if name == "fields":
                    found = self.fields()
                    missing = [i for i in items if i not in found]
                    if missing:
                        errors[name] = _("Unknown fields of S&T: %s.") % ", ".join(missing)
                    fields = list({found[i].pk: found[i] for i in items if i in found}.values())
                elif name == "preferred_countries":
                    data[name] = [i.upper() for i in items]
                else:
                    data[name] = items
                continue
            text = "" if value is None else str(value).strip()
            if name == "orcid":
                data[name] = import_experts.read_orcid(text)
                continue
            if name == "owner_organization":
                if text:
                    if text.lower() not in self.orgs:
                        # Keys in any case (``KISTI``); an exact key first when two differ
                        # only in case.
                        same = list(Organization.objects.filter(key__iexact=text)[:5])
                        exact = [o for o in same if o.key == text]
                        self.orgs[text.lower()] = (exact or same)[0] if same else None
                    data[name] = self.orgs[text.lower()]
                    if data[name] is None:
                        errors[name] = pgettext("market", "Unknown organisation key “%s”.") % text
                continue
            if name == "country":
                data[name] = self.countries().get(text.upper()) if text else None
                if text and data[name] is None:
                    errors[name] = _("Unknown country code “%s”.") % text
                continue
            if name in _FLAGS:
                low = text.lower()
                if name in _TRI_FLAGS and low == "" and value is not False:
                    data[name] = None
                elif low in _TRUE or value is True:
                    data[name] = True
                elif low in _FALSE or low == "" or value is False:
                    data[name] = False
                else:
                    errors[name] = _("Enter yes or no.")
                continue
            if name in _MONEY:
                if not text:
                    data[name] = None
                    continue
                amount: Decimal | None
                if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    cell = Decimal(str(value))  # a number cell (XLSX, JSON) is no text
                    amount = cell if cell.is_finite() else None
                else:
                    amount = read_amount(text)
                if amount is AMBIGUOUS:
                    errors[name] = (
                        _(
                            "“%s” could be read two ways: write the thousands without a "
                            "separator or with several groups (1500, 1.500.000 or 1,500,000) "
                            "and the decimals after the last mark (2,5 or 2.5)."
                        )
                        % text
                    )
                elif amount is None:
                    errors[name] = _("Enter a number.")
                else:
                    data[name] = amount
                continue
            if name in _INTS:
                if text and not text.isdigit():
                    errors[name] = pgettext("market", "Enter a whole number.")
                else:
                    data[name] = int(text) if text else None
                continue
            if name in _DATES:
                day = text[:10] if re.match(r"\d{4}-", text) else text
                iso = _read_date(day) if day else None
                if day and iso is None:
                    errors[name] = (
                        _(
                            "“%s” is not a valid date; write it as DD/MM/YYYY or YYYY-MM-DD, "
                            "e.g. 31/12/2027."
                        )
                        % text
                    )
                    continue
                data[name] = iso
                continue
            if name == "confidentiality" and not text:
                # A request a province collected names an enterprise that did not choose to
                # be named: anonymous unless the file says otherwise.
                data[name] = "anonymous"
                continue
            if name in _DEFAULTED and not text:
                continue
            data[name] = text
        return data, fields


# --- kinds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportKind:
    slug: str  # "offers", "requests", "experts": the URL, the API's `kind`, the job
    model: Any
    columns: tuple[str, ...]
    label: Any  # the job's and the page's title
    example: dict[str, str]  # the template's example row
    # What the written records' search documents read besides their fields.
    related: tuple[str, ...] = ("owner_organization",)
    # Decides the duplicates (``check``, ``field_of``, ``possible``, ``unchecked``,
    # ``embedded``); None: near-identical titles of the same owner (``_Duplicates``).
    duplicates: Callable[[ImportKind, User], Any] | None = None
    notes: dict[str, Any] = dc_field(default_factory=dict)  # column → the template's note


IMPORT_KINDS: dict[str, ImportKind] = {
    "offers": ImportKind(
        "offers",
        TechnologyOffer,
        COLUMNS,
        gettext_lazy("Import technology offers"),
        {
            "title_vi": "Cảm biến khí MEMS công suất thấp",
            "title_en": "Low-power MEMS gas sensor",
            "summary_vi": "Cảm biến đo CO và NO2 cho trạm quan trắc, bằng sáng chế KR 10-2215678.",
            "summary_en": "A CO and NO2 sensor for monitoring stations, patent KR 10-2215678.",
            "stage": "prototype",
            "trl": "6",
            "ip_status": "granted",
            "patent_numbers": "KR 10-2215678",
            "cooperation": "licence;technical",
            "owner_organization": "kiat",
            "country": "KR",
            "fields": "semiconductors",
            "keywords": "MEMS;cảm biến khí",
            "source": "kiat",
            "language": "vi",
            "valid_until": "2027-12-31",
        },
        related=("country", "owner_organization"),
    ),
    "requests": ImportKind(
        "requests",
        TechnologyRequest,
        REQUEST_COLUMNS,
        gettext_lazy("Import technology requests"),
        {
            "title_vi": "Cần công nghệ sấy lạnh trái cây",
            "summary_vi": "Sấy lạnh xoài và thanh long giữ màu, công suất 2 tấn/ngày.",
            "need": "Sấy lạnh ở 40–45 °C, độ ẩm sản phẩm dưới 12 %.",
            "purpose": "Xuất khẩu trái cây sấy",
            "preferred_countries": "KR;JP",
            "cooperation": "licence",
            "min_trl": "6",
            "staff_count": "4",
            "has_lab": "không",
            "budget_max": "2000000000",
            "currency": "VND",
            "province": "Đồng Tháp",
            "confidentiality": "anonymous",
            "fields": "high-tech-agriculture",
        },
    ),
    "experts": ImportKind(
        "experts",
        Expert,
        import_experts.COLUMNS,
        gettext_lazy("Import experts"),
        import_experts.EXAMPLE,
        related=("country", "owner_organization"),
        duplicates=import_experts.ExpertDuplicates,
        notes=import_experts.NOTES,
    ),
}


def import_kind(slug: str) -> ImportKind:
    found = IMPORT_KINDS.get(slug)
    if found is None:
        raise DomainError(
            _("Unknown kind of import “%s”; use offers, requests or experts.") % slug,
            errors={"kind": [_("Use offers, requests or experts.")]},
        )
    return found


def can_import(user: Any) -> bool:
    """Bulk imports (partner exchanges, provinces' collections) are an officer's work."""
    return services.is_officer(user) and bool(getattr(user, "is_active", False))


def template_file(kind: ImportKind, fmt: str) -> tuple[bytes, str]:
    """The downloadable template of a kind: its columns and one example row, as CSV, XLSX or
    JSON; returns the bytes and the content type."""
    row = [kind.example.get(c, "") for c in kind.columns]
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(kind.columns)
        writer.writerow(row)
        return ("\ufeff" + out.getvalue()).encode(), "text/csv; charset=utf-8"
    if fmt == "json":
        body = json.dumps(
            [{c: v for c, v in zip(kind.columns, row, strict=True) if v}],
            ensure_ascii=False,
            indent=2,
        )
        return body.encode(), "application/json"
    if fmt == "xlsx":
        import io

        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = kind.slug
        sheet.append(list(kind.columns))
        sheet.append(row)
        if kind.notes:  # a second sheet: the import reads the first one only
            notes = book.create_sheet(_("notes"))
            notes.append([_("column"), _("how to fill it")])
            for column in kind.columns:
                if column in kind.notes:
                    notes.append([column, str(kind.notes[column])])
        raw = io.BytesIO()
        book.save(raw)
        return raw.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    raise Http404


# --- duplicates ------------------------------------------------------------------------------


@dataclass
class _Candidate:
    label: str  # "offer #12 “title”" or "row 5"
    keys: list[str]  # folded titles, for the same-language near-identity
    sides: dict[str, str]  # language → "title. summary"


def _sides(title_vi: str, summary_vi: str, title_en: str, summary_en: str) -> dict[str, str]:
    out = {}
    for lang, title, summary in (("vi", title_vi, summary_vi), ("en", title_en, summary_en)):
        text = ". ".join(p.strip() for p in (title, summary) if p and p.strip())
        if text:
            out[lang] = text[:EMBED_CHARS]
    return out


def _owner_key(user: User, org: Organization | None) -> tuple[str, ...]:
    """Same owner: the same organisation, or one of the same name in the same country (a
    partner exchange's organisation entered twice); without one, the importing user."""
    if org is None:
        return ("user", str(user.pk))
    name = " ".join(re.sub(r"[^\w]+", " ", search_key(org.name_vi or org.name_en)).split())
    return ("org", name, str(org.country_id or ""))


class _Owner:
    """The candidates of one owner (existing records, then earlier rows), indexed so that a
    row is compared only with those that could duplicate it, in their order:

    - those sharing a name or number with it (anchors: the only ones that may duplicate
      across languages, as a pair sharing none is ruled out without an embedding);
    - per language both have, those where one of the two has no number in it (texts with
      numbers that share none are two records, ``different_numbers``; sharing one, they are
      above);
    - those with no language in common (their titles are still compared).

    Any other pair has different numbers in a language both have, so it is not a duplicate:
    the same decisions as comparing every pair, without the quadratic time for an owner with
    thousands of rows."""

    def __init__(self) -> None:
        from techmatch.duplicates import RULE

        self.items: list[_Candidate] = []
        # If a pair sharing no anchor could need an embedding, every pair is compared.
        self.blocked = BLOCKING and not RULE.needs_cosine(0.0)
        self.by_anchor: dict[str, list[int]] = {}
        self.with_side: dict[str, list[int]] = {}
        self.bare: dict[str, list[int]] = {}  # language → candidates with no number in it
        self.by_langs: dict[frozenset[str], list[int]] = {}

    def add(self, c: _Candidate) -> None:
        from techmatch.duplicates import anchors, numbers

        at = len(self.items)
        self.items.append(c)
        if not self.blocked:
            return
        for a in {a for text in c.sides.values() for a in anchors(text)}:
            self.by_anchor.setdefault(a, []).append(at)
        for lang, text in c.sides.items():
            self.with_side.setdefault(lang, []).append(at)
            if not numbers(text):
                self.bare.setdefault(lang, []).append(at)
        self.by_langs.setdefault(frozenset(c.sides), []).append(at)

    def candidates(self, me: _Candidate) -> list[_Candidate]:
        from techmatch.duplicates import anchors, numbers

        if not self.blocked:
            return list(self.items)
        found: set[int] = set()
        for a in {a for text in me.sides.values() for a in anchors(text)}:
            found.update(self.by_anchor.get(a, ()))
        for lang, text in me.sides.items():
            found.update((self.bare if numbers(text) else self.with_side).get(lang, ()))
        mine = frozenset(me.sides)
        for langs, ats in self.by_langs.items():
            if not langs & mine:
                found.update(ats)
        return [self.items[at] for at in sorted(found)]


class _Duplicates:
    """Decides, per row, whether it duplicates a record of the same owner or an earlier row:
    near-identical titles in one language, else names/numbers and embeddings across
    languages (``techmatch.duplicates``). Pairs the anchors alone rule out are never
    embedded; the others are embedded once, together."""

    def __init__(self, kind: ImportKind, user: User) -> None:
        self.kind = kind
        self.user = user
        self.by_owner: dict[tuple[str, ...], _Owner] = {}
        self.embedded = 0
        self.possible: dict[int, str] = {}  # row → warning: a possible duplicate
        self.unchecked = 0  # rows with such pairs left uncompared (over the embedding budget)
        self._orgs: dict[tuple[str, ...], list[int]] | None = None  # owner key → organisations
        self._keys: dict[int, tuple[str, ...]] = {}
        self._bridge: Any = None
        self._bridge_terms: dict[str, frozenset[str]] = {}
        self._overflow: set[int] = set()  # rows not even collected for a possible duplicate

    def owner_key(self, org: Organization | None) -> tuple[str, ...]:
        if org is None:
            return _owner_key(self.user, org)
        if org.pk not in self._keys:
            self._keys[org.pk] = _owner_key(self.user, org)
        return self._keys[org.pk]

    def _same_owner(self, key: tuple[str, ...]) -> list[int]:
        """The organisations of this owner key (read once per import)."""
        if self._orgs is None:
            self._orgs = {}
            for o in Organization.objects.only("pk", "name_vi", "name_en", "country_id"):
                self._orgs.setdefault(_owner_key(self.user, o), []).append(o.pk)
        return self._orgs.get(key, [])

    def _existing(self, key: tuple[str, ...], org: Organization | None) -> _Owner:
        if key in self.by_owner:
            return self.by_owner[key]
        qs = self.kind.model._default_manager.exclude(status=Status.WITHDRAWN)
        if org is None:
            qs = qs.filter(owner_user=self.user, owner_organization=None)
        else:
            qs = qs.filter(owner_organization__in=self._same_owner(key) or [org.pk])
        noun = (
            _("technology offer") if self.kind.model is TechnologyOffer else _("technology request")
        )
        found = _Owner()
        for pk, tv, te, sv, se in qs.values_list(
            "pk", "title_vi", "title_en", "summary_vi", "summary_en"
        ):
            label = _("%(noun)s #%(id)d “%(title)s”") % {"noun": noun, "id": pk, "title": tv or te}
            found.add(_Candidate(label, _title_keys(tv, te), _sides(tv, sv, te, se)))
        self.by_owner[key] = found
        return found

    def check(self, rows: list[tuple[int, dict[str, Any]]]) -> dict[int, str]:
        """Row number → the message naming what it duplicates, for the rows that do."""
        from techmatch.duplicates import (
            POSSIBLE,
            RULE,
            anchors,
            different_numbers,
            near_identical,
            overlap,
        )

        found: dict[int, str] = {}
        pending: list[tuple[int, _Candidate, _Candidate]] = []  # to decide with embeddings
        maybe: list[tuple[int, _Candidate, _Candidate]] = []  # possible duplicates (warnings)
        for index, data in rows:
            org = data.get("owner_organization")
            key = self.owner_key(org)
            owner = self._existing(key, org)
            keys = _title_keys(data.get("title_vi", ""), data.get("title_en", ""))
            me = _Candidate(
                _("row %d") % index,
                keys,
                _sides(
                    data.get("title_vi", ""),
                    data.get("summary_vi", ""),
                    data.get("title_en", ""),
                    data.get("summary_en", ""),
                ),
            )
            mine: list[_Candidate] = []
            for other in owner.candidates(me):
                shared = me.sides.keys() & other.sides.keys()
                distinct = any(
                    different_numbers(me.sides[lang], other.sides[lang]) for lang in shared
                )
                if (keys and not distinct and _near(keys, other.keys)) or any(
                    near_identical(me.sides[lang], other.sides[lang]) for lang in shared
                ):
                    found[index] = other.label
                    break
                # Across languages only when the two share none (else compared above).
                if not shared and any(
                    RULE.needs_cosine(overlap(anchors(a), anchors(b)))
                    for a in me.sides.values()
                    for b in other.sides.values()
                ):
                    pending.append((index, me, other))
                elif not shared and not any(
                    different_numbers(a, b) for a in me.sides.values() for b in other.sides.values()
                ):
                    # no shared name or number, and not two model or patent numbers: at most
                    # a possible duplicate
                    mine.append(other)
            if mine and index not in found:
                if len(maybe) >= 4 * self._budget():  # far beyond what is embedded
                    self._overflow.add(index)
                else:
                    # those sharing a bridge term first; a few per row are enough to warn
                    if len(mine) <= 10 * POSSIBLE_PER_ROW:
                        mine.sort(key=lambda other: not self._bridged(me, other))
                    maybe.extend((index, me, other) for other in mine[:POSSIBLE_PER_ROW])
            owner.add(me)
        pending = [p for p in pending if p[0] not in found]
        self._overflow -= found.keys()
        maybe = self._affordable([p for p in maybe if p[0] not in found])
        texts = sorted(
            {t for _i, a, b in (*pending, *maybe) for t in (*a.sides.values(), *b.sides.values())}
        )
        vectors: Any = _embed(texts) if texts else None
        self.embedded += len(texts)
        at = {t: i for i, t in enumerate(texts)}
        for index, me, other in pending:
            if index in found:
                continue
            for a in me.sides.values():
                for b in other.sides.values():
                    cos = float(vectors[at[a]] @ vectors[at[b]])
                    if RULE.is_duplicate(cos, overlap(anchors(a), anchors(b))):
                        found[index] = other.label
        for index, me, other in maybe:
            if index in found or index in self.possible:
                continue
            for a in me.sides.values():
                for b in other.sides.values():
                    cos = float(vectors[at[a]] @ vectors[at[b]])
                    bridged = bool(self._terms(a) & self._terms(b))
                    if POSSIBLE.is_possible(cos, bridged, min(len(a), len(b))):
                        self.possible[index] = _(
                            "Possible duplicate of %(what)s of the same owner in another "
                            "language (no shared name or number, close meaning: %(cos)s); "
                            "imported, check it."
                        ) % {"what": other.label, "cos": number_format(cos, 2)}
        return {
            index: _("Duplicates %(what)s of the same owner.") % {"what": label}
            for index, label in found.items()
        }

    def _terms(self, text: str) -> frozenset[str]:
        """The text's bridge terms (``techmatch.duplicates.bridge_terms``): the matching's
        term bridge (the taxonomy's field names in both languages, read once per import) and
        its loanwords."""
        from techmatch.duplicates import bridge_terms

        if text not in self._bridge_terms:
            if self._bridge is None:
                from caunoi.market.matching import term_bridge

                self._bridge = term_bridge()
            self._bridge_terms[text] = bridge_terms(text, self._bridge)
        return self._bridge_terms[text]

    def field_of(self, index: int) -> str:
        """The column a duplicate is reported on."""
        return "title"

    def _bridged(self, me: _Candidate, other: _Candidate) -> bool:
        return any(
            self._terms(a) & self._terms(b) for a in me.sides.values() for b in other.sides.values()
        )

    def _affordable(
        self, maybe: list[tuple[int, _Candidate, _Candidate]]
    ) -> list[tuple[int, _Candidate, _Candidate]]:
        """The possible-duplicate pairs whose texts fit the embedding budget, those sharing a
        bridge term first (then in the file's order); the rows left are counted in
        ``unchecked``."""
        budget = self._budget()
        texts: set[str] = set()
        kept: list[tuple[int, _Candidate, _Candidate]] = []
        for p in sorted(maybe, key=lambda p: not self._bridged(p[1], p[2])):
            new = {*p[1].sides.values(), *p[2].sides.values()} - texts
            if len(texts) + len(new) <= budget:
                texts |= new
                kept.append(p)
        left = ({p[0] for p in maybe} | self._overflow) - {p[0] for p in kept}
        self.unchecked = len(left)
        return sorted(kept, key=lambda p: p[0])

    def _budget(self) -> int:
        return int(getattr(settings, "CAUNOI_IMPORT_DUPLICATE_EMBED_MAX", POSSIBLE_EMBED_MAX))


def _duplicates(kind: ImportKind, user: User) -> Any:
    """The kind's duplicate check (``ImportKind.duplicates``; by default ``_Duplicates``)."""
    return (kind.duplicates or _Duplicates)(kind, user)


def _embed(texts: list[str]) -> Any:
    """Unit vectors of texts as passages (the search service's engine)."""
    import numpy as np

    from caunoi.search.dense import embed_passages

    vectors = np.asarray(embed_passages(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


# --- the import ------------------------------------------------------------------------------


@dataclass
class MarketImportReport(ImportReport):
    dry_run: bool = False
    skipped: list[RowError] = dc_field(default_factory=list)  # duplicates left out on request
    embedded: int = 0  # texts embedded to decide duplicates across languages
    # possible duplicates across languages (imported all the same), and row 0: rows not compared
    warnings: list[RowError] = dc_field(default_factory=list)


def report_dict(report: ImportReport, *, committed: bool) -> dict[str, Any]:
    out = report_as_dict(report, committed=committed)
    if isinstance(report, MarketImportReport):
        out["dry_run"] = report.dry_run
        out["skipped"] = [
            {"row": e.row, "field": e.field, "message": e.message} for e in report.skipped
        ]
        out["warnings"] = [
            {"row": e.row, "field": e.field, "message": e.message} for e in report.warnings
        ]
    return out


def report_load(data: dict[str, Any]) -> MarketImportReport:
    base = report_from_dict(data)
    return MarketImportReport(
        entity=base.entity,
        rows=base.rows,
        created=base.created,
        errors=base.errors,
        dry_run=bool(data.get("dry_run")),
        skipped=[
            RowError(int(e["row"]), str(e["field"]), str(e["message"]))
            for e in data.get("skipped", [])
        ],
        warnings=[
            RowError(int(e["row"]), str(e["field"]), str(e["message"]))
            for e in data.get("warnings", [])
        ],
    )


def import_records(
    kind: str,
    *,
    user: User,
    rows: list[dict[str, Any]],
    progress: Callable[[int, int], None] | None = None,
    before_commit: Callable[[ImportReport], None] | None = None,
    dry_run: bool = False,
    skip_duplicates: bool = False,
) -> MarketImportReport:
    """Import rows of one kind, ``offers``, ``requests`` (collected by provinces) or
    ``experts``, in one transaction: every row valid, or nothing written (``import_rows``).
    An unknown kind is refused (``import_kind``)."""
    return import_rows(
        import_kind(kind),
        user=user,
        rows=rows,
        progress=progress,
        before_commit=before_commit,
        dry_run=dry_run,
        skip_duplicates=skip_duplicates,
    )


# The kinds by name (earlier callers, the benchmarks).
import_offers = partial(import_records, "offers")
import_requests = partial(import_records, "requests")


def import_rows(
    kind: ImportKind,
    *,
    user: User,
    rows: list[dict[str, Any]],
    progress: Callable[[int, int], None] | None = None,
    before_commit: Callable[[ImportReport], None] | None = None,
    dry_run: bool = False,
    skip_duplicates: bool = False,
) -> MarketImportReport:
    """Validate every row (values, references, the record's own rules), find duplicates,
    then write all rows at once, published, or none.

    A duplicate (same owner, near-identical title or summary in either language) is an error
    of its row, so nothing is imported; with ``skip_duplicates`` it is left out and listed in
    ``skipped`` instead. ``dry_run`` writes nothing and returns the same report (``created``
    is then how many rows would be created). The records, their fields, audit events and
    search documents are written in bulk in one transaction, so they are lexically
    searchable when it commits; their embeddings follow as a background job
    (``embed_missing``), and the matches as one full recompute."""
    if not can_import(user):
        raise DomainError(_("Only officers may import marketplace records."))
    report = MarketImportReport(entity=kind.slug, rows=len(rows), dry_run=dry_run)
    if not rows:  # the file's own error: row 0, shown without a row number
        report.errors.append(RowError(0, "", _("The file has no data rows.")))
        return report
    resolver = _Rows(user, kind)
    valid: list[tuple[int, dict[str, Any], list[Any]]] = []
    total = len(rows)
    # The search terms are the slow part: analysed in worker processes while this one goes on
    # validating, checking duplicates and writing (nothing is analysed for a dry run).
    analysis = _Analysis(kind, user, 1 if dry_run or total < PARALLEL_ROWS else import_workers())
    try:
        _validate(kind, user, rows, resolver, valid, report, analysis, progress)
        return _finish(
            kind, user, valid, report, analysis, progress, before_commit, dry_run, skip_duplicates
        )
    finally:
        analysis.close()


def _validate(
    kind: ImportKind,
    user: User,
    rows: list[dict[str, Any]],
    resolver: _Rows,
    valid: list[tuple[int, dict[str, Any], list[Any]]],
    report: MarketImportReport,
    analysis: _Analysis,
    progress: Callable[[int, int], None] | None,
) -> None:
    model = kind.model
    total = len(rows)
    unknown: set[str] = set()
    for index, raw in enumerate(rows, start=2):  # row 1 is the header
        if isinstance(raw, dict):
            for header in raw:
                if resolver.column(header) is None and str(header) not in unknown:
                    # Once for the file (not on every data row): on the header row, or
                    # where a JSON object first names it when the first one does not.
                    unknown.add(str(header))
                    at = 1 if index == 2 else index
                    report.errors.append(
                        RowError(at, str(header), pgettext("market", "Unknown column."))
                    )
        if not isinstance(raw, dict):
            report.errors.append(RowError(index, "", _("A row must be an object of columns.")))
            continue
        errors: dict[str, str] = {}
        data, fields = resolver.convert(raw, errors)
        probe = model(owner_user=user, **{k: v for k, v in data.items() if k not in errors})
        for name, messages in _record_errors(probe).items():
            errors.setdefault(name, " ".join(messages))
        for name, message in errors.items():
            report.errors.append(RowError(index, name, message))
        if not errors:
            valid.append((index, data, fields))
            if not report.errors:
                analysis.add(probe, fields)
        if progress is not None and (index - 1) % 200 == 0:
            progress(index - 1, total)
    analysis.flush()


def _finish(
    kind: ImportKind,
    user: User,
    valid: list[tuple[int, dict[str, Any], list[Any]]],
    report: MarketImportReport,
    analysis: _Analysis,
    progress: Callable[[int, int], None] | None,
    before_commit: Callable[[ImportReport], None] | None,
    dry_run: bool,
    skip_duplicates: bool,
) -> MarketImportReport:
    total = report.rows
    if report.errors:  # no need for duplicates or terms: nothing is imported
        analysis.close()
    seen = _last_pk(kind)
    dups = _duplicates(kind, user)
    duplicates = dups.check([(index, data) for index, data, _f in valid])
    report.embedded = dups.embedded
    _warn(report, dups, duplicates)
    if _refuse_duplicates(report, duplicates, skip_duplicates, dups.field_of):
        return report
    keep = [(index, data, fields) for index, data, fields in valid if index not in duplicates]
    if dry_run:
        report.created = len(keep)
        return report
    with transaction.atomic():
        _serialise_imports(kind)
        if _last_pk(kind) != seen:
            # Records of this kind were written since the check (another import, a save):
            # check the kept rows again against them, now that no other import can write.
            recheck = _duplicates(kind, user)
            again = recheck.check([(index, data) for index, data, _f in keep])
            if _refuse_duplicates(report, again, skip_duplicates, recheck.field_of):
                return report
            keep = [row for row in keep if row[0] not in again]
        report.created = _write(kind, user, keep, analysis)
        if before_commit is not None:
            before_commit(report)
    if progress is not None:
        progress(total, total)
    return report


def _warn(report: MarketImportReport, dups: Any, duplicates: dict[int, str]) -> None:
    """The possible duplicates into the report's warnings (not for rows that are duplicates),
    and, first, how many rows were not compared for them (over the embedding budget)."""
    if dups.unchecked:
        report.warnings.append(
            RowError(
                0,
                "",
                _(
                    "%(n)d rows in another language than records of the same owner, sharing "
                    "no name or number with them, were not compared for possible duplicates "
                    "(more texts than this import embeds)."
                )
                % {"n": dups.unchecked},
            )
        )
    for index, message in sorted(dups.possible.items()):
        if index not in duplicates:
            report.warnings.append(RowError(index, "title", message))


def _refuse_duplicates(
    report: MarketImportReport,
    duplicates: dict[int, str],
    skip_duplicates: bool,
    field_of: Callable[[int], str],
) -> bool:
    """Duplicates into the report (skipped, or errors refusing the file, on the column
    ``field_of`` names); whether it is refused."""
    for index, message in sorted(duplicates.items()):
        (report.skipped if skip_duplicates else report.errors).append(
            RowError(index, field_of(index), message)
        )
    report.skipped.sort(key=lambda e: e.row)
    report.errors.sort(key=lambda e: (e.row, e.field))
    return bool(report.errors)


def _last_pk(kind: ImportKind) -> int:
    """The newest record of the kind: a later one means something was written since."""
    return int(kind.model._default_manager.aggregate(last=Max("pk"))["last"] or 0)


_IMPORT_LOCK = 0x43414E49  # the first key of the marketplace imports' advisory locks


def _serialise_imports(kind: ImportKind) -> None:
    """One import of a kind writes at a time, so two imports of one file (two officers, a
    double click) cannot both pass the duplicate check. PostgreSQL: a transaction-scoped
    advisory lock; SQLite: the transaction itself (``IMMEDIATE``) holds the only write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            key = zlib.crc32(kind.slug.encode()) & 0x7FFFFFFF
            cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_IMPORT_LOCK, key])


def import_workers() -> int:
    """Processes analysing an import's search texts (``CAUNOI_IMPORT_WORKERS``; 1: none, the
    importing process analyses them itself)."""
    workers = getattr(settings, "CAUNOI_IMPORT_WORKERS", None) or os.cpu_count() or 1
    return max(1, int(workers))


class _Draft:
    """A valid row's record before it is written, as its search source sees the written one:
    the same attributes, its fields as the database returns them (``Field`` ordering). Only
    the texts it gives are used, and only when the written record gives the same ones."""

    def __init__(self, record: Any, fields: list[Any]) -> None:
        self._record = record
        self._fields = sorted(fields, key=lambda f: (f.kind, f.code))

    def __getattr__(self, name: str) -> Any:
        if name == "fields":
            return self
        return getattr(self._record, name)

    def all(self) -> list[Any]:  # ``record.fields.all()``
        return self._fields

    def get_absolute_url(self) -> str:
        return ""


def candidate_kind(kind: ImportKind) -> str | None:
    """The matching's name of the kind when its records are candidates (offers, experts)."""
    from caunoi.market.matching import KINDS

    return next((name for name, (model, _source) in KINDS.items() if model is kind.model), None)


class _Analysis:
    """The search terms of the rows' documents, computed ahead in worker processes.

    While the importing process validates, checks duplicates and writes, ``workers``
    processes (``spawn``: a fresh interpreter with the analyzer only, no database) analyse
    the title, body and hidden text each valid row's document will have, in chunks. When the
    documents are written, ``terms`` takes the terms analysed ahead for exactly the texts of
    the written record, and analyses here any other (a row whose texts could not be foreseen,
    a chunk no worker has started yet, a failed worker): the stored terms are the same as
    without workers. With ``workers`` 1 nothing runs ahead."""

    def __init__(self, kind: ImportKind, user: User, workers: int) -> None:
        from caunoi.search.sources import source_for_model

        self.kind = kind
        self.user = user
        self.source = source_for_model(kind.model)
        self.pool: Any = None
        if workers > 1 and self.source is not None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:
                self.pool = ProcessPoolExecutor(
                    workers, mp_context=multiprocessing.get_context("spawn")
                )
            except (OSError, ValueError, NotImplementedError):
                self.pool = None
        self.now: Any = None
        self.pending: list[Row] = []
        self.chunks: list[tuple[list[Row], Any]] = []
        self.known: dict[tuple[str, str, str], list[str]] = {}
        # the matching's analyses of the candidates' texts, by (language, text)
        self.candidates: dict[tuple[str, str], Analyzed] = {}
        self.match_kind = candidate_kind(kind)

    def add(self, probe: Any, fields: list[Any]) -> None:
        """Foresee the texts of a valid row's document (``probe``: the unsaved record of its
        values, made published here as ``_new_record`` writes it)."""
        if self.pool is None:
            return
        from django.utils import timezone

        self.now = self.now or timezone.now()
        probe.status, probe.reviewed_by = Status.PUBLISHED, self.user
        probe.published_at = probe.created_at = probe.updated_at = self.now
        try:
            doc = self.source.build(_Draft(probe, fields))  # type: ignore[union-attr]
        except Exception:  # not foreseeable: analysed when written
            return
        self.pending.append(((doc.title, doc.body, doc.extra), self._candidate(probe, fields)))
        if len(self.pending) >= CHUNK:
            self.flush()

    def _candidate(self, probe: Any, fields: list[Any]) -> tuple[str, str] | None:
        """The language and text the matching will analyse of the record as a candidate."""
        from caunoi.market import matching
        from techmatch.index import record_text

        if self.match_kind is None:
            return None
        try:
            codes = tuple(sorted(f.code for f in fields))
            record = matching.target_record(self.match_kind, probe, None, codes)
        except Exception:  # not foreseeable: analysed when written
            return None
        # plain strings: the workers load no Django, so nothing may unpickle as a model enum
        return str(record.lang), str(record_text(record))

    def flush(self) -> None:
        if self.pool is None or not self.pending:
            return
        from caunoi.market.import_terms import terms_of

        chunk, self.pending = self.pending, []
        try:
            self.chunks.append((chunk, self.pool.submit(terms_of, chunk)))
        except Exception:  # no worker can start (broken pool, a daemonic process): analysed here
            self.close()

    def _collect(self) -> None:
        """Wait for the workers' chunks, analysing here, from the end, those none has taken."""
        from caunoi.market.import_terms import terms_of

        chunks = self.chunks
        self.chunks = []
        while chunks:
            chunk, future = chunks[-1]
            if future.cancel():  # not started: this process takes it
                chunks.pop()
                self._keep(chunk, terms_of(chunk))
                continue
            chunk, future = chunks.pop(0)
            try:
                results = future.result()
            except Exception:  # a worker failed: analysed when written
                continue
            self._keep(chunk, results)

    def _keep(self, chunk: list[Row], results: list[tuple[list[str], Analyzed | None]]) -> None:
        for (texts, cand), (terms, analysed) in zip(chunk, results, strict=True):
            self.known[texts] = terms
            if cand is not None and analysed is not None:
                self.candidates[cand] = analysed

    def candidate_analyses(self) -> dict[tuple[str, str], Analyzed]:
        """The candidates' analyses made ahead (all chunks collected)."""
        if self.chunks:
            self._collect()
        return self.candidates

    def terms(self, data: Any) -> list[str]:
        from caunoi.search.indexing import document_terms

        if self.chunks:
            self._collect()
        found = self.known.get((data.title, data.body, data.extra))
        return found if found is not None else document_terms(data)

    def close(self) -> None:
        if self.pool is not None:
            # All collected: the workers are idle and exit at once; else do not wait for them.
            self.pool.shutdown(wait=not self.chunks, cancel_futures=True)
            self.pool = None
            self.chunks = [(c, f) for c, f in self.chunks if f.done() and not f.cancelled()]


def _record_errors(probe: Any) -> dict[str, list[str]]:
    """The record's own errors (fields, rules, constraints), as ``services.validation_errors``
    but without re-reading the references ``_Rows`` has just resolved."""
    from django.core.exceptions import ValidationError

    from caunoi.registry.services import _validation_errors

    errors: dict[str, list[str]] = {}
    try:
        # The check constraints (TRL 1-9) repeat the fields' validators, which run here; a
        # database check per row and constraint would dominate a large import's time.
        probe.full_clean(
            exclude=["owner_user", "owner_organization", "country", "reviewed_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        errors.update(_validation_errors(exc))
        for name, problems in getattr(exc, "error_dict", {}).items():
            if any(p.code == "invalid_choice" for p in problems):
                errors[name] = [_choice_error(probe, name, problems)]
    return errors


def _choice_error(probe: Any, name: str, problems: list[Any]) -> str:
    """A bad single choice with the codes the column accepts (an import file writes codes,
    as the template does), like the lists' ``Choose values among: …``."""
    problem = next(p for p in problems if p.code == "invalid_choice")
    value = (problem.params or {}).get("value", getattr(probe, name, ""))
    allowed = [str(code) for code, _label in probe._meta.get_field(name).flatchoices if code]
    return _("“%(value)s” is not a valid choice; choose one of: %(allowed)s.") % {
        "value": value,
        "allowed": ", ".join(allowed),
    }


def _new_record(model: Any, data: dict[str, Any], user: User, now: Any) -> Any:
    """An imported record as written: published, the officer's import being the approval."""
    return model(
        **data,
        owner_user=user,
        status=Status.PUBLISHED,
        reviewed_by=user,
        published_at=now,
        created_at=now,
        updated_at=now,
    )


def _write(
    kind: ImportKind,
    user: User,
    keep: list[tuple[int, dict[str, Any], list[Any]]],
    analysis: _Analysis | None = None,
) -> int:
    """The valid rows as published records, in bulk: records, fields, audit events, search
    documents; embeddings and matches queued for the commit."""
    from django.utils import timezone

    from caunoi.accounts.models import AuditEvent
    from caunoi.accounts.services import audit_many
    from caunoi.market import tasks
    from caunoi.search.indexing import bulk_write_analyzed, document_terms
    from caunoi.search.sources import source_for_model

    model = kind.model
    now = timezone.now()
    records = [_new_record(model, data, user, now) for _i, data, _f in keep]
    records = model._default_manager.bulk_create(records, batch_size=500)
    if records and records[0].pk is None:  # a backend that does not return ids
        raise DomainError(_("This database cannot import in bulk."))
    through = model.fields.through
    links = [
        through(**{f"{model._meta.model_name}_id": r.pk, "field_id": f.pk})
        for r, (_i, _d, fields) in zip(records, keep, strict=True)
        for f in fields
    ]
    through.objects.bulk_create(links, batch_size=2000)
    audit_many(
        actor=user,
        action=AuditEvent.Action.IMPORT,
        instances=records,
        changes={"status": ["", Status.PUBLISHED]},
    )
    source = source_for_model(model)
    if source is not None:
        ids = [r.pk for r in records]
        for start in range(0, len(ids), 2000):
            chunk = (
                model._default_manager.filter(pk__in=ids[start : start + 2000])
                .select_related(*kind.related)
                .prefetch_related("fields")
                .order_by("pk")
            )
            built = [(r.pk, source.build(r)) for r in chunk]
            bulk_write_analyzed(
                source.kind,
                (
                    (pk, data, analysis.terms(data) if analysis else document_terms(data))
                    for pk, data in built
                ),
            )
        if getattr(settings, "CAUNOI_SEARCH_EMBED", "inline") == "inline":
            transaction.on_commit(_embed_later, robust=True)
    match_kind = candidate_kind(kind)
    if match_kind is not None:
        _store_candidate_analyses(match_kind, records, keep, analysis)
    tasks.schedule_import()
    return len(records)


def _store_candidate_analyses(
    match_kind: str,
    records: list[Any],
    keep: list[tuple[int, dict[str, Any], list[Any]]],
    analysis: _Analysis | None,
) -> None:
    """The written candidates' analyses stored (``CandidateAnalysis``), in the import's
    transaction, so the recompute it queues finds them as a later one would: those the
    workers made ahead where the text is the one written, the others made here."""
    from caunoi.market import matching

    known = analysis.candidate_analyses() if analysis is not None else {}
    made = [
        matching.target_record(match_kind, r, None, tuple(sorted(f.code for f in fields)))
        for r, (_i, _d, fields) in zip(records, keep, strict=True)
    ]
    matching.candidate_analyses(match_kind, made, known=known, new=True)


def _embed_later() -> None:
    from caunoi.search.tasks import embed_missing_enqueue

    embed_missing_enqueue()


# --- files and the background job ----------------------------------------------------------


def import_upload(
    *,
    user: User,
    name: str,
    content: bytes,
    kind: str = "offers",
    dry_run: bool = False,
    skip_duplicates: bool = False,
) -> MarketImportReport | Any:
    """Import a file now, or with more than ``CAUNOI_IMPORT_BACKGROUND_ROWS`` rows as a
    background job with progress (returns the ``Job``). The type and size are checked here."""
    from caunoi.jobs.services import job_enqueue

    spec = import_kind(kind)
    if not can_import(user):
        raise DomainError(_("Only officers may import marketplace records."))
    if Path(name).suffix.lower() not in (".csv", ".xlsx", ".json"):
        raise DomainError(_("Unsupported file type. Accepted: CSV, XLSX, JSON."))
    if len(content) > max_bytes():
        raise DomainError(_("The file is too large."))
    rows = read_offers(name, content)
    if len(rows) <= background_rows():
        return import_rows(
            spec, user=user, rows=rows, dry_run=dry_run, skip_duplicates=skip_duplicates
        )
    return job_enqueue(
        import_market_task,
        spec.slug,
        user.pk,
        rows,
        translation.get_language() or settings.LANGUAGE_CODE,
        dry_run,
        skip_duplicates,
        label=spec.label,
        user=user,
        total=len(rows),
    )


@task()
def import_market_task(
    kind: str,
    user_id: int,
    rows: list[dict[str, Any]],
    language: str,
    dry_run: bool = False,
    skip_duplicates: bool = False,
) -> dict[str, Any]:
    """The background import (``registry.imports.run_import_job``: the report is written to
    the job inside the transaction, so a retry after the commit does not import twice)."""
    spec = IMPORT_KINDS[kind]
    return run_import_job(
        user_id=user_id,
        language=language,
        total=len(rows),
        run=lambda user, progress, before_commit: import_rows(
            spec,
            user=user,
            rows=rows,
            progress=progress,
            before_commit=before_commit,
            dry_run=dry_run,
            skip_duplicates=skip_duplicates,
        ),
        as_dict=report_dict,
    )
