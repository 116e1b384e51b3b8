"""CSV and XLSX export of a filtered list; the columns are the ones import accepts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from caunoi.accounts.models import Unit
from caunoi.core.charts import csv_safe  # the importer undoes it (``imports._unquote``)
from caunoi.registry.entities import Entity
from caunoi.registry.models import Agreement, Organization
from caunoi.taxonomy.models import Country

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ref(value: Any) -> str:
    """A reference to another record, in the form import reads back."""
    if value is None:
        return ""
    if isinstance(value, Organization):
        return value.key
    if isinstance(value, Country):
        return value.iso2
    if isinstance(value, Unit):
        return value.code
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def _parties(agreement: Agreement, side: str) -> str:
    return "; ".join(
        p.country_id if p.country_id else _ref(p.organization)
        for p in agreement.parties.all()
        if p.side == side
    )


def export_value(record: models.Model, name: str) -> Any:
    if name == "foreign_parties" and isinstance(record, Agreement):
        return _parties(record, "foreign")
    if name == "vietnamese_parties" and isinstance(record, Agreement):
        return _parties(record, "vn")
    if name == "fields":
        return "; ".join(f.slug for f in record.fields.all())  # type: ignore[attr-defined]
    if name == "aliases":
        return "; ".join(getattr(record, "aliases", None) or [])
    if name == "participants":  # a project's implementing partners
        return "; ".join(
            p.organization.key
            for p in record.participants.all()  # type: ignore[attr-defined]
            if p.role == "implementing"
        )
    field = record._meta.get_field(name)
    if field.many_to_many:
        return "; ".join(_ref(v) for v in getattr(record, name).all())
    value = getattr(record, name)
    if isinstance(value, models.Model):
        return _ref(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


# Columns that are not model fields, with their headers.
_LABELS = {
    "id": "id",
    "foreign_parties": "foreign parties",
    "vietnamese_parties": "Vietnamese parties",
    "fields": "fields of S&T",
    "participants": "foreign partners (implementing)",
}


def column_label(entity: Entity, name: str) -> str:
    """The header of a column in the active language (the code follows it in brackets)."""
    if name.endswith(("_name", "_label")) and name not in _field_names(entity):
        base, _sep, suffix = name.rpartition("_")
        text = _("name") if suffix == "name" else _("label")
        return f"{column_label(entity, base)} – {text}"
    if name in _LABELS:
        return _(_LABELS[name])
    try:
        return str(getattr(entity.model._meta.get_field(name), "verbose_name", name))
    except Exception:  # not a model field
        return name


def _field_names(entity: Entity) -> set[str]:
    return {f.name for f in entity.model._meta.get_fields()}


def header(entity: Entity, name: str) -> str:
    """``Label [code]``: people read the label, import reads the code (or the label)."""
    return f"{capfirst(column_label(entity, name))} [{name}]"


def _companion(entity: Entity, name: str) -> str:
    """A column written beside a code: the name of an organisation or a country, the label
    of a choice. Import ignores it."""
    try:
        field = entity.model._meta.get_field(name)
    except Exception:
        return ""
    if (
        field.is_relation
        and field.related_model in (Organization, Country)
        and not field.many_to_many
    ):
        return f"{name}_name"
    if getattr(field, "choices", None):
        return f"{name}_label"
    return ""


def export_columns(entity: Entity) -> list[str]:
    """The import columns, each code followed by its companion (name or label) if any."""
    columns = []
    for name in entity.export_columns:
        columns.append(name)
        companion = _companion(entity, name)
        if companion:
            columns.append(companion)
    return columns


def _companion_value(record: models.Model, name: str) -> str:
    base = name.rpartition("_")[0]
    if name.endswith("_label"):
        return str(getattr(record, f"get_{base}_display")())
    value = getattr(record, base)
    return "" if value is None else str(value)


def _hidden(record: models.Model, name: str, reader: Any) -> bool:
    """Whether a column names a record the reader may not read (written empty, as on the
    pages: the same audience rule as the record's own)."""
    from caunoi.registry.selectors import ref_visible

    if reader is None:
        return False
    if name in ("foreign_parties", "vietnamese_parties"):
        orgs = [p.organization for p in record.parties.all()]  # type: ignore[attr-defined]
    elif name == "participants":
        orgs = [p.organization for p in record.participants.all()]  # type: ignore[attr-defined]
    else:
        base = name.rpartition("_")[0] if name.endswith("_name") else name
        try:
            field = record._meta.get_field(base)
        except Exception:
            return False
        if not field.many_to_one:
            return False
        orgs = [getattr(record, base)]
    return not all(ref_visible(reader, o) for o in orgs if o is not None)


def export_rows(
    entity: Entity, records: Iterable[models.Model], reader: Any = None
) -> Iterable[list[Any]]:
    columns = export_columns(entity)
    companions = set(columns) - set(entity.export_columns)
    yield [header(entity, name) for name in columns]
    for record in records:
        yield [
            ""
            if _hidden(record, name, reader)
            else _companion_value(record, name)
            if name in companions
            else export_value(record, name)
            for name in columns
        ]


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """An XLSX cell; text is always written as a string, never as a formula (openpyxl
    makes any text starting with ``=`` a formula)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def export_response(
    entity: Entity, qs: models.QuerySet[Any], fmt: str, reader: Any = None
) -> HttpResponse:
    qs = qs.prefetch_related("fields")
    stamp = timezone.localdate().isoformat()
    filename = f"caunoi-{entity.slug}-{stamp}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
        writer = csv.writer(buffer)
        for row in export_rows(entity, qs.iterator(chunk_size=1000), reader):
            writer.writerow([csv_safe(v) for v in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(entity.slug)
        for row in export_rows(entity, qs.iterator(chunk_size=1000), reader):
            sheet.append([xlsx_cell(sheet, v) for v in row])
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
