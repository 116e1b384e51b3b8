"""All-or-nothing import of partners, agreements and projects from CSV or XLSX.

Every row is validated with the same form as the UI; if any row has an error nothing is
written and the report names each bad row and field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from caunoi.accounts.models import Unit, User
from caunoi.core.errors import DomainError
from caunoi.registry.entities import Entity
from caunoi.registry.models import Agreement, Organization, Project
from caunoi.taxonomy.models import Country, Field


@dataclass
class RowError:
    row: int  # 1-based data row number, as a spreadsheet user counts (header is row 1)
    field: str
    message: str


@dataclass
class ImportReport:
    entity: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(name: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX file as dicts keyed by the header."""
    ext = Path(name).suffix.lower()
    if ext == ".xlsx":
        from openpyxl import load_workbook

        if not content.startswith(b"PK\x03\x04"):
            raise DomainError(_("The file is not a valid XLSX workbook."))
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for broken files
            raise DomainError(_("The file is not a valid XLSX workbook.")) from exc
        sheet = workbook.worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            return []
        header = [str(h or "").strip() for h in values[0]]
        return [
            {h: v for h, v in zip(header, row, strict=False) if h}
            for row in values[1:]
            if any(v not in (None, "") for v in row)
        ]
    if ext == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DomainError(_("A CSV file must be UTF-8 encoded.")) from exc
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        return [
            {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
            for row in reader
            if any((v or "").strip() for v in row.values() if isinstance(v, str))
        ]
    raise DomainError(_("Unsupported file type. Accepted: CSV, XLSX."))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> str:
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text


def _split(value: Any) -> list[str]:
    return [t.strip() for t in _text(value).replace(",", ";").split(";") if t.strip()]


def _choice(model: Any, name: str, value: str) -> str:
    """Accept a choice by its code or its label in Vietnamese or English."""
    choices = model._meta.get_field(name).choices or []
    folded = value.casefold()
    for code, label in choices:
        if folded == str(code).casefold():
            return str(code)
        for lang in ("vi", "en"):
            with translation.override(lang):
                if folded == str(label).casefold():
                    return str(code)
    return value


_TRUE = {"1", "true", "yes", "x", "có", "co"}
_FALSE = {"", "0", "false", "no", "không", "khong"}

# Form fields that stand for one import column (errors are reported under the column).
_FORM_TO_COLUMN = {
    "foreign_countries": "foreign_parties",
    "foreign_organizations": "foreign_parties",
    "vn_state": "vietnamese_parties",
    "vn_organizations": "vietnamese_parties",
    "aliases_text": "aliases",
}

# One example row per importable entity, for the downloadable template.
EXAMPLES: dict[str, dict[str, str]] = {
    "partners": {
        "key": "kiat",
        "name_vi": "Viện Xúc tiến Công nghệ Công nghiệp Hàn Quốc",
        "name_en": "Korea Institute for Advancement of Technology",
        "acronym": "KIAT",
        "kind": "fund",
        "country": "KR",
        "website": "https://www.kiat.or.kr/",
        "fields": "semiconductors",
        "is_public": "không",
    },
    "agreements": {
        "title_vi": "Bản ghi nhớ hợp tác về bán dẫn với Hàn Quốc",
        "title_en": "MoU on semiconductor cooperation with Korea",
        "kind": "mou",
        "level": "ministry",
        "status": "signed",
        "signed_on": "15/03/2025",
        "expires_on": "14/03/2030",
        "auto_renew": "không",
        "foreign_parties": "KR",
        "vietnamese_parties": "VN",
        "fields": "semiconductors",
        "is_public": "không",
    },
    "projects": {
        "title_vi": "Dự án hỗ trợ kỹ thuật về vật liệu bán dẫn",
        "kind": "oda",
        "planned_start": "01/01/2026",
        "is_public": "không",
    },
}


def column_names(entity: Entity) -> dict[str, str]:
    """Headers import understands, folded, to the column code: the code, ``Label [code]``
    and the label alone in Vietnamese and English."""
    from caunoi.registry import exports

    names: dict[str, str] = {}
    for code in exports.export_columns(entity):
        names[code.casefold()] = code
        for lang in ("vi", "en"):
            with translation.override(lang):
                names[exports.column_label(entity, code).casefold()] = code
                names[exports.header(entity, code).casefold()] = code
    return names


def _normalise_headers(entity: Entity, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = column_names(entity)
    out = []
    for raw in rows:
        row = {}
        for header, value in raw.items():
            text = str(header).strip()
            if text.endswith("]") and "[" in text:
                text = text[text.rindex("[") + 1 : -1].strip()
            row[names.get(text.casefold(), text)] = value
        out.append(row)
    return out


class _Lookups:
    """Resolves references in import cells, each table read once."""

    def __init__(self) -> None:
        self.orgs = {o.key: o.pk for o in Organization.objects.only("pk", "key")}
        self.countries = set(Country.objects.values_list("iso2", flat=True))
        self.fields = dict(Field.objects.values_list("slug", "pk"))
        self.fields.update(dict(Field.objects.values_list("code", "pk")))
        self.units = dict(Unit.objects.values_list("code", "pk"))


def row_to_form_data(
    entity: Entity, raw: dict[str, Any], lookups: _Lookups
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Translate one row to form data; returns also reference errors (field, message)."""
    model = entity.model
    data: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    concrete = {f.name: f for f in model._meta.concrete_fields}
    for column, value in raw.items():
        name = column.strip()
        if name in (
            "id",
            "vietnamese_parties",
            "foreign_parties",
            "fields",
            "aliases",
            "participants",
        ):
            continue
        f = concrete.get(name)
        if f is None:
            continue
        text = _text(value)
        if f.is_relation:
            if not text:
                continue
            target = f.related_model
            if target is Organization:
                if text not in lookups.orgs:
                    errors.append((name, _("Unknown organisation key “%s”.") % text))
                    continue
                data[name] = lookups.orgs[text]
            elif target is Country:
                if text.upper() not in lookups.countries:
                    errors.append((name, _("Unknown country code “%s”.") % text))
                    continue
                data[name] = text.upper()
            elif target is Unit:
                unit_pk = lookups.units.get(text)
                if unit_pk is None and text.isdigit():
                    unit_pk = int(text)
                if unit_pk is None:
                    errors.append((name, _("Unknown unit “%s”.") % text))
                    continue
                data[name] = unit_pk
            else:
                data[name] = text
        elif f.get_internal_type() == "DateField":
            data[name] = _date(value)
        elif f.get_internal_type() == "BooleanField":
            folded = text.casefold()
            if folded in _TRUE:
                data[name] = "on"
            elif folded in _FALSE:
                data[name] = ""
            else:
                errors.append(
                    (
                        name,
                        _(
                            "“%s” is not a yes/no value; "
                            "use có, không, yes, no, 1, 0, true or false."
                        )
                        % text,
                    )
                )
        elif f.choices:
            data[name] = _choice(model, name, text)
        else:
            data[name] = text
    if "fields" in raw:
        ids = []
        for token in _split(raw["fields"]):
            if token not in lookups.fields:
                errors.append(("fields", _("Unknown field of S&T “%s”.") % token))
            else:
                ids.append(lookups.fields[token])
        data["fields"] = ids
    if model is Organization and "aliases" in raw:
        data["aliases_text"] = "\n".join(_split(raw["aliases"]))
    if model is Agreement:
        for column, side in (("foreign_parties", "foreign"), ("vietnamese_parties", "vn")):
            countries, orgs = [], []
            for token in _split(raw.get(column)):
                if len(token) == 2 and token.upper() in lookups.countries:
                    if side == "vn" and token.upper() != "VN":
                        errors.append((column, _("“%s” is not the Vietnamese side.") % token))
                        continue
                    countries.append(token.upper())
                elif token in lookups.orgs:
                    orgs.append(lookups.orgs[token])
                else:
                    errors.append((column, _("Unknown party “%s”.") % token))
            if side == "foreign":
                data["foreign_countries"] = countries
                data["foreign_organizations"] = orgs
            else:
                data["vn_state"] = "on" if "VN" in countries else ""
                data["vn_organizations"] = orgs
    if model is Project and "participants" in raw:
        partners = []
        for token in _split(raw["participants"]):
            if token in lookups.orgs:
                partners.append(lookups.orgs[token])
            else:
                errors.append(("participants", _("Unknown organisation key “%s”.") % token))
        data["participants"] = partners
    for name in ("countries", "coverage"):
        if name in raw and name in {f.name for f in model._meta.many_to_many}:
            codes = [t.upper() for t in _split(raw[name])]
            unknown = [c for c in codes if c not in lookups.countries]
            errors += [(name, _("Unknown country code “%s”.") % c) for c in unknown]
            data[name] = [c for c in codes if c in lookups.countries]
    return data, errors


def _existing(entity: Entity, user: User, raw: dict[str, Any]) -> tuple[Any, str]:
    """The record a row updates (partners by ``key``, others by ``id``), else None; with
    an error message when the row names a record the user may not change."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from caunoi.registry import selectors

    if entity.model is Organization:
        key = _text(raw.get("key"))
        pk = (
            Organization.objects.filter(key=key).values_list("pk", flat=True).first()
            if key
            else None
        )
        if pk is None:
            return None, ""
        column = "key"
    else:
        text = _text(raw.get("id"))
        if not text:
            return None, ""
        if not text.isdigit():
            return None, _("“%s” is not a record id.") % text
        pk, column = int(text), "id"
    try:
        return selectors.record_for_user(entity, user, pk, write=True), ""
    except Http404:
        return None, _("There is no record with %(column)s “%(value)s”.") % {
            "column": column,
            "value": raw.get(column),
        }
    except PermissionDenied:
        return None, _("You may not change the record with %(column)s “%(value)s”.") % {
            "column": column,
            "value": raw.get(column),
        }


def _with_current_values(entity: Entity, user: User, instance: Any, data: dict[str, Any]) -> None:
    """Fill the form fields a row leaves out with the record's current values, so an
    update changes only the columns the file has."""
    current = entity.form(instance=instance, user=user)
    for name, bound in current.fields.items():
        if name in data:
            continue
        value = current.initial.get(name, bound.initial)
        if callable(value):
            value = value()
        if isinstance(value, list | tuple | set) or hasattr(value, "all"):
            items = value.all() if hasattr(value, "all") else value
            value = [getattr(v, "pk", v) for v in items]
        elif hasattr(value, "pk"):
            value = value.pk
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value


def _stale_version(instance: Any, raw: dict[str, Any]) -> str:
    """The error of a row whose ``version`` column names an older version of the record it
    updates (empty: no column, or the current version)."""
    text = _text(raw.get("version"))
    if instance is None or not text:
        return ""
    if not text.isdigit():
        return _("“%s” is not a version number.") % text
    if int(text) != instance.version:
        return _(
            "The record has been changed since version %(old)s (it is now at version %(new)s); "
            "export it again and reapply this row."
        ) % {"old": text, "new": instance.version}
    return ""


def import_file(*, user: User, entity: Entity, name: str, content: bytes) -> ImportReport:
    """Validate every row, then create or update all of them in one transaction, or none.

    A row with the ``id`` of a record (``key`` of an organisation) updates that record; a
    row identical to the record changes nothing. A ``version`` column, when the row has it,
    must name the record's current version (else the row is an error): a file exported
    before someone else's change cannot undo it. Without it the row updates as it is."""
    if not entity.importable:
        raise DomainError(_("This kind of record cannot be imported."))
    if len(content) > settings.CAUNOI_IMPORT_MAX_BYTES:
        raise DomainError(_("The file is too large."))
    report = ImportReport(entity=entity.slug)
    rows = _normalise_headers(entity, read_table(name, content))
    report.rows = len(rows)
    if not rows:
        report.errors.append(RowError(0, "", _("The file has no data rows.")))
        return report
    lookups = _Lookups()
    forms = []
    columns = set(entity.export_columns)
    for index, raw in enumerate(rows, start=2):
        instance, problem = _existing(entity, user, raw)
        if problem:
            report.errors.append(
                RowError(index, "key" if entity.model is Organization else "id", problem)
            )
            continue
        data, ref_errors = row_to_form_data(entity, raw, lookups)
        stale = _stale_version(instance, raw)
        if stale:
            report.errors.append(RowError(index, "version", stale))
            continue
        if instance is not None:
            _with_current_values(entity, user, instance, data)
        form = entity.form(data=data, instance=instance, user=user)
        for fname, message in ref_errors:
            report.errors.append(RowError(index, fname, message))
        if data.get("is_public") and "is_public" not in form.fields:
            report.errors.append(
                RowError(
                    index,
                    "is_public",
                    _("Only an administrator may publish records; leave is_public empty or 0."),
                )
            )
        if not form.is_valid():
            for fname, field_errors in form.errors.items():
                column = _FORM_TO_COLUMN.get(fname, fname)
                if column not in columns and column != "__all__":
                    column = "__all__"
                report.errors += [RowError(index, column, str(m)) for m in field_errors]
        forms.append((index, instance, form))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for index, instance, form in forms:
                if instance is not None and not form.has_changed():
                    report.unchanged += 1
                    continue
                try:
                    entity.save(user, instance or entity.model(), form)
                except DomainError as exc:
                    for fname, texts in (exc.errors or {"__all__": [exc.message]}).items():
                        column = _FORM_TO_COLUMN.get(fname, fname)
                        report.errors += [RowError(index, column, t) for t in texts]
                if instance is None:
                    report.created += 1
                else:
                    report.updated += 1
            if report.errors:
                raise _Rollback
    except _Rollback:
        report.created = report.updated = report.unchanged = 0
        return report
    return report


class _Rollback(Exception):
    pass
