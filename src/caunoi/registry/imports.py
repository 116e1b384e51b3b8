"""All-or-nothing import of partners, agreements and projects from CSV or XLSX.

Every row is validated with the same form as the UI; if any row has an error nothing is
written and the report names each bad row and field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task

from caunoi.accounts.models import Unit, User
from caunoi.core.charts import FORMULA_STARTS
from caunoi.core.errors import DomainError
from caunoi.core.parsing import parse_int
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


class ImportLimitError(DomainError):
    """A file refused by an import limit before it was read to the end.

    ``rows_read`` is how many data rows were parsed when the limit stopped the reading (0
    when the zip directory alone refused it)."""

    def __init__(self, message: str, *, rows_read: int = 0) -> None:
        super().__init__(message)
        self.rows_read = rows_read


def max_rows() -> int:
    return int(getattr(settings, "CAUNOI_IMPORT_MAX_ROWS", 5000))


def _too_many_rows(rows_read: int, limit: int | None = None) -> ImportLimitError:
    limit = max_rows() if limit is None else limit
    return ImportLimitError(
        _(
            "The file has more than %(limit)d data rows; at most %(limit)d rows can be "
            "imported at once. Split it into smaller files."
        )
        % {"limit": limit},
        rows_read=rows_read,
    )


def check_xlsx_archive(content: bytes) -> None:
    """Refuse a workbook whose zip members would unpack too large, or are compressed
    suspiciously well (a zip bomb), from the zip directory alone, before any parsing."""
    import zipfile

    limit = int(getattr(settings, "CAUNOI_IMPORT_MAX_UNZIPPED_BYTES", 50 * 1024 * 1024))
    ratio = int(getattr(settings, "CAUNOI_IMPORT_MAX_ZIP_RATIO", 100))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DomainError(_("The file is not a valid XLSX workbook.")) from exc
    unzipped = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if unzipped > limit:
        raise ImportLimitError(
            _(
                "The workbook unpacks to %(size)d MB; at most %(limit)d MB can be imported. "
                "Split it into smaller files."
            )
            % {"size": -(-unzipped // (1024 * 1024)), "limit": limit // (1024 * 1024)}
        )
    # Small archives cannot do harm whatever their ratio; ordinary sheets compress ~5–20×.
    if unzipped > 1024 * 1024 and unzipped > ratio * max(packed, 1):
        raise ImportLimitError(
            _(
                "The workbook is compressed more than %(ratio)d times, which ordinary "
                "spreadsheets never are; it was refused as a possible zip bomb."
            )
            % {"ratio": ratio}
        )


def _unquote(text: str) -> str:
    """Undo the quote an export puts before a cell that would start a formula."""
    if text.startswith("'") and text.lstrip("'")[:1] in FORMULA_STARTS:
        return text[1:]
    return text


def read_table(name: str, content: bytes, limit: int | None = None) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX file as dicts keyed by the header,
    every value as text. Read streaming; more than ``limit`` (by default
    ``CAUNOI_IMPORT_MAX_ROWS``) data rows stop the reading at the first row over the limit
    (``ImportLimitError``)."""
    limit = max_rows() if limit is None else limit
    ext = Path(name).suffix.lower()
    out: list[dict[str, str]] = []
    if ext == ".xlsx":
        from openpyxl import load_workbook

        if not content.startswith(b"PK\x03\x04"):
            raise DomainError(_("The file is not a valid XLSX workbook."))
        check_xlsx_archive(content)
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for broken files
            raise DomainError(_("The file is not a valid XLSX workbook.")) from exc
        try:
            sheet = workbook.worksheets[0]
            values = sheet.iter_rows(values_only=True)
            try:
                first = next(values, None)
            except Exception as exc:
                raise DomainError(_("The file is not a valid XLSX workbook.")) from exc
            if first is None:
                return []
            header = [str(h or "").strip() for h in first]
            try:
                for row in values:
                    if not any(v not in (None, "") for v in row):
                        continue
                    if len(out) >= limit:
                        raise _too_many_rows(len(out) + 1, limit)
                    out.append({h: _text(v) for h, v in zip(header, row, strict=False) if h})
            except DomainError:
                raise
            except Exception as exc:
                raise DomainError(_("The file is not a valid XLSX workbook.")) from exc
        finally:
            workbook.close()
        return out
    if ext == ".csv":
        stream = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
        try:
            sample = stream.read(4096)
            stream.seek(0)
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
            for row in csv.DictReader(stream, delimiter=delimiter):
                if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue
                if len(out) >= limit:
                    raise _too_many_rows(len(out) + 1, limit)
                out.append(
                    {
                        (k or "").strip(): _unquote((v or "").strip())
                        for k, v in row.items()
                        if k and not isinstance(v, list)
                    }
                )
        except UnicodeDecodeError as exc:
            raise DomainError(_("A CSV file must be UTF-8 encoded.")) from exc
        except csv.Error as exc:
            raise DomainError(_("The CSV file could not be read: %s") % exc) from exc
        return out
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
                if unit_pk is None:
                    unit_pk = parse_int(text)
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
        parsed = parse_int(text)
        if parsed is None:
            return None, _("“%s” is not a record id.") % text
        pk, column = parsed, "id"
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
    if parse_int(text) is None:
        return _("“%s” is not a version number.") % text
    if parse_int(text) != instance.version:
        return _(
            "The record has been changed since version %(old)s (it is now at version %(new)s); "
            "export it again and reapply this row."
        ) % {"old": text, "new": instance.version}
    return ""


def read_rows(*, entity: Entity, name: str, content: bytes) -> list[dict[str, str]]:
    """The file's data rows keyed by column code, within the import limits."""
    if not entity.importable:
        raise DomainError(_("This kind of record cannot be imported."))
    if len(content) > settings.CAUNOI_IMPORT_MAX_BYTES:
        raise DomainError(_("The file is too large."))
    return _normalise_headers(entity, read_table(name, content))


def import_file(*, user: User, entity: Entity, name: str, content: bytes) -> ImportReport:
    """Validate every row, then create or update all of them in one transaction, or none.

    A row with the ``id`` of a record (``key`` of an organisation) updates that record; a
    row identical to the record changes nothing. A ``version`` column, when the row has it,
    must name the record's current version (else the row is an error): a file exported
    before someone else's change cannot undo it. Without it the row updates as it is."""
    return import_rows(
        user=user, entity=entity, rows=read_rows(entity=entity, name=name, content=content)
    )


def import_rows(
    *,
    user: User,
    entity: Entity,
    rows: list[dict[str, str]],
    progress: Callable[[int, int], None] | None = None,
    before_commit: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """``import_file`` for rows already read. ``progress(done, total)`` is called while the
    rows are validated (outside any transaction); ``before_commit(report)`` inside the
    transaction that writes them, once the report is complete."""
    report = ImportReport(entity=entity.slug)
    report.rows = len(rows)
    if not rows:
        report.errors.append(RowError(0, "", _("The file has no data rows.")))
        return report
    lookups = _Lookups()
    forms = []
    columns = set(entity.export_columns)
    for index, raw in enumerate(rows, start=2):
        if progress is not None and index % 50 == 0:
            progress(index - 2, len(rows))
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
            if before_commit is not None:
                before_commit(report)
    except _Rollback:
        report.created = report.updated = report.unchanged = 0
        return report
    return report


class _Rollback(Exception):
    pass


def report_as_dict(report: ImportReport, *, committed: bool) -> dict[str, Any]:
    """The report as JSON (a background job's result)."""
    return {
        "entity": report.entity,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": [{"row": e.row, "field": e.field, "message": e.message} for e in report.errors],
        "committed": committed,
    }


def report_from_dict(data: dict[str, Any]) -> ImportReport:
    return ImportReport(
        entity=str(data.get("entity", "")),
        rows=int(data.get("rows", 0)),
        created=int(data.get("created", 0)),
        updated=int(data.get("updated", 0)),
        unchanged=int(data.get("unchanged", 0)),
        errors=[
            RowError(int(e["row"]), str(e["field"]), str(e["message"]))
            for e in data.get("errors", [])
        ],
    )


def background_rows() -> int:
    return int(getattr(settings, "CAUNOI_IMPORT_BACKGROUND_ROWS", 500))


def import_upload(*, user: User, entity: Entity, name: str, content: bytes) -> ImportReport | Any:
    """Import a file now, or, with more than ``CAUNOI_IMPORT_BACKGROUND_ROWS`` data rows,
    as a background job (returns the ``Job``); the limits are checked here either way."""
    from caunoi.jobs.services import job_enqueue

    rows = read_rows(entity=entity, name=name, content=content)
    if len(rows) <= background_rows():
        return import_rows(user=user, entity=entity, rows=rows)
    return job_enqueue(
        import_records_task,
        entity.slug,
        user.pk,
        rows,
        translation.get_language() or settings.LANGUAGE_CODE,
        label=_IMPORT_LABELS.get(entity.slug, gettext_lazy("Import records")),
        user=user,
        total=len(rows),
    )


_IMPORT_LABELS = {
    "partners": gettext_lazy("Import partners"),
    "agreements": gettext_lazy("Import agreements"),
    "projects": gettext_lazy("Import projects"),
}


@task()
def import_records_task(
    entity_slug: str, user_id: int, rows: list[dict[str, str]], language: str
) -> dict[str, Any]:
    """A background import: the same validation and one all-or-nothing transaction as
    ``import_file``. The report is written to the job inside that transaction, so a retry
    after the commit (a worker killed before it could finish the job) returns it again
    instead of importing twice."""
    from caunoi.registry.entities import ENTITIES

    return run_import_job(
        user_id=user_id,
        language=language,
        total=len(rows),
        run=lambda user, progress, before_commit: import_rows(
            user=user,
            entity=ENTITIES[entity_slug],
            rows=rows,
            progress=progress,
            before_commit=before_commit,
        ),
    )


def run_import_job(
    *,
    user_id: int,
    language: str,
    total: int,
    run: Callable[..., ImportReport],
    as_dict: Callable[..., dict[str, Any]] = report_as_dict,
) -> dict[str, Any]:
    """The body of a background import task (the registry's and the marketplace's):
    ``run(user, progress, before_commit)`` imports in one transaction; the report is written
    to the job by ``before_commit`` inside it, so a retry after the commit (a worker killed
    before it could finish the job) returns it again instead of importing twice. A report
    with errors fails the job, with the report as its result."""
    from caunoi.jobs.models import Job
    from caunoi.jobs.services import JobFailed, job_current, job_progress

    job = job_current()
    if job is not None and isinstance(job.result, dict) and job.result.get("committed"):
        return job.result
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise JobFailed(_("The account that started this import no longer exists."))

    def remember(report: ImportReport, committed: bool) -> None:
        if job is not None:
            Job.objects.filter(pk=job.pk).update(result=as_dict(report, committed=committed))

    with translation.override(language):
        report = run(
            user,
            lambda done, n: job_progress(done=done, total=n),
            lambda report: remember(report, True),
        )
        if not report.ok:
            remember(report, False)
            raise JobFailed(
                ngettext(
                    "%(n)d error; nothing was imported.",
                    "%(n)d errors; nothing was imported.",
                    len(report.errors),
                )
                % {"n": len(report.errors)}
            )
    job_progress(done=total, total=total)
    return as_dict(report, committed=True)
