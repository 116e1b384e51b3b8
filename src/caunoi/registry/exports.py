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

from caunoi.accounts.models import Unit
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


def export_rows(entity: Entity, records: Iterable[models.Model]) -> Iterable[list[Any]]:
    yield list(entity.export_columns)
    for record in records:
        yield [export_value(record, name) for name in entity.export_columns]


def export_response(entity: Entity, qs: models.QuerySet[Any], fmt: str) -> HttpResponse:
    qs = qs.prefetch_related("fields")
    stamp = timezone.localdate().isoformat()
    filename = f"caunoi-{entity.slug}-{stamp}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
        writer = csv.writer(buffer)
        for row in export_rows(entity, qs.iterator(chunk_size=1000)):
            writer.writerow(row)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(entity.slug)
        for row in export_rows(entity, qs.iterator(chunk_size=1000)):
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
