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
            data[name] = "on" if text.lower() in ("1", "true", "yes", "x", "có", "co") else ""
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


def import_file(*, user: User, entity: Entity, name: str, content: bytes) -> ImportReport:
    """Validate every row, then create all of them in one transaction, or none."""
    if not entity.importable:
        raise DomainError(_("This kind of record cannot be imported."))
    if len(content) > settings.CAUNOI_IMPORT_MAX_BYTES:
        raise DomainError(_("The file is too large."))
    report = ImportReport(entity=entity.slug)
    rows = read_table(name, content)
    report.rows = len(rows)
    if not rows:
        report.errors.append(RowError(0, "", _("The file has no data rows.")))
        return report
    lookups = _Lookups()
    forms = []
    for index, raw in enumerate(rows, start=2):
        data, ref_errors = row_to_form_data(entity, raw, lookups)
        form = entity.form(data=data, user=user)
        for fname, message in ref_errors:
            report.errors.append(RowError(index, fname, message))
        if not form.is_valid():
            for fname, field_errors in form.errors.items():
                report.errors += [RowError(index, fname, str(m)) for m in field_errors]
        forms.append((index, form))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for index, form in forms:
                try:
                    entity.save(user, entity.model(), form)
                except DomainError as exc:
                    for fname, texts in (exc.errors or {"__all__": [exc.message]}).items():
                        report.errors += [RowError(index, fname, t) for t in texts]
            if report.errors:
                raise _Rollback
    except _Rollback:
        return report
    report.created = len(forms)
    return report


class _Rollback(Exception):
    pass
