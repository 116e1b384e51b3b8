"""Optimistic concurrency for every app: record versions, the guarded version claim, the
refusal naming what was saved meanwhile, audit snapshots and diffs, and `ETag` / `If-Match`.

A record with a `version` column is written only after `claim_version` raised it in the
database from the version the writer read; the API names that version in `ETag` and takes it
back in `If-Match` (412 when stale, 428 when required and missing).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from caunoi.core.errors import ConflictError

# Fields that only the system sets; never taken from input, never in an audit diff.
SYSTEM_FIELDS = {"id", "created_at", "updated_at", "created_by", "sort_name", "version"}

# Fields where a writer's None means "keep what is saved", so a None sent is no conflict.
KEPT_WHEN_NONE = ("owner_unit", "is_public")


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value, for the audit trail."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return value


def snapshot(instance: models.Model, m2m_names: Iterable[str]) -> dict[str, Any]:
    """Every field the user may set (and the named many-to-many ones), in plain form."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SYSTEM_FIELDS:
            continue
        data[field.name] = plain(getattr(instance, field.name, None))
    if instance.pk:
        for name in m2m_names:
            data[name] = plain(list(getattr(instance, name).all()))
    return data


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`{field: [before, after]}` for each field of `after` whose value changed."""
    return {
        key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)
    }


def record_conflict(
    instance: models.Model,
    data: Mapping[str, Any] | None = None,
    m2m: Mapping[str, Iterable[Any]] | None = None,
) -> ConflictError:
    """The refusal of a write based on an older version, with the saved value of every field
    the writer sent that differs from what they sent."""
    current = type(instance)._default_manager.filter(pk=instance.pk).first()
    if current is None:
        return ConflictError(_("The record has been deleted by someone else."))
    theirs: dict[str, Any] = {}
    yours: dict[str, Any] = {}
    for name, value in (data or {}).items():
        if name in SYSTEM_FIELDS or (value is None and name in KEPT_WHEN_NONE):
            continue
        try:
            saved = getattr(current, name)
        except (AttributeError, ObjectDoesNotExist):
            continue
        if saved != value and plain(saved) != plain(value):
            theirs[name], yours[name] = plain(saved), plain(value)
    for name, values in (m2m or {}).items():
        saved = plain(list(getattr(current, name).all()))
        if saved != plain(list(values)):
            theirs[name], yours[name] = saved, plain(list(values))
    message = _(
        "The record has been changed by someone else since you opened it; nothing was saved. "
        "Compare the saved values with yours and apply your changes again."
    )
    errors = {
        name: [_("Saved meanwhile: %s") % (", ".join(v) if isinstance(v, list) else v)]
        for name, v in theirs.items()
    }
    return ConflictError(
        message,
        current=theirs,
        yours=yours,
        version=current.version,  # type: ignore[attr-defined]
        errors=errors,
    )


def claim_version(
    instance: models.Model,
    expected: int | None,
    data: Mapping[str, Any] | None = None,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    *,
    conflict: Callable[[], ConflictError] | None = None,
) -> None:
    """Raise the record's version by one in the database, in this transaction, refusing
    (`ConflictError`) when it is no longer `expected` (None: no check, still raised).

    The refusal is `conflict()` when given (an app's own wording), else `record_conflict`
    of the fields in `data` and `m2m`. The guarded UPDATE takes the row's lock, so of two
    concurrent writers that read the same version exactly one gets through; the other is
    told what is saved now.
    """
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    guarded = rows if expected is None else rows.filter(version=expected)
    if not guarded.update(version=models.F("version") + 1):
        raise conflict() if conflict is not None else record_conflict(instance, data, m2m)
    instance.version = rows.values_list("version", flat=True).get()  # type: ignore[attr-defined]


# --- HTTP: ETag / If-Match ------------------------------------------------------------------


class PreconditionRequired(Exception):
    """A write that must name the version it is based on (`If-Match`) did not (428)."""

    @property
    def message(self) -> str:
        return _("Send the record's ETag in the If-Match header (read it with GET).")


_ETAG = re.compile(r'(?:W/)?"(\d+)-(\d+)"')


def etag(record: Any) -> str:
    """The record's entity tag: its id and version (`"12-3"`)."""
    return f'"{record.pk}-{record.version}"'


def if_match_version(request: HttpRequest, record: Any, *, required: bool) -> int | None:
    """The version `If-Match` names for this record (None: `*`, or absent where optional).

    Absent where required raises `PreconditionRequired` (428); a tag that does not name this
    record is refused as a mismatch (`ConflictError`, 412)."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        if required:
            raise PreconditionRequired
        return None
    if header == "*":
        return None
    for tag in header.split(","):
        found = _ETAG.fullmatch(tag.strip())
        if found and int(found[1]) == record.pk:
            return int(found[2])
    raise ConflictError(
        _("If-Match does not name a version of this record; read it again (GET)."),
        version=record.version,
        errors={"If-Match": [_("Expected %s.") % etag(record)]},
    )
