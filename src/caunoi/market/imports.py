"""Bulk import of technology offers (partner exchanges: KISTI, KIAT, IPI, IMAG, Shanghai) and
of technology requests (collected by provinces): CSV, XLSX or JSON, all or nothing, with a
per-row, per-field report.

The file reading and its limits (rows, bytes, zip bombs), the report and the background-job
machinery are the registry's (``caunoi.registry.imports``); each row is written by
``services.record_save`` like a form. A row is refused as a duplicate when the same owner
(organisation, else the importing user) already has, or the file already had, an offer whose
Vietnamese or English title is near-identical to either of the row's titles (compared
without case, diacritics and punctuation). Offers imported by an officer are published (the
import is the approval); an outside user's land in the review queue as submitted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task

from caunoi.accounts.models import User
from caunoi.core.errors import DomainError
from caunoi.market import services
from caunoi.market.models import Status, TechnologyOffer, TechnologyRequest
from caunoi.registry.imports import (
    ImportReport,
    RowError,
    background_rows,
    max_rows,
    read_table,
    report_as_dict,
)
from caunoi.registry.models import Organization
from caunoi.taxonomy.models import Country, Field
from vntext.normalize import search_key

ENTITY = "offers"
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


def read_offers(name: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of a CSV, XLSX or JSON (a list of objects) file; lists in CSV/XLSX cells are
    separated by semicolons."""
    if Path(name).suffix.lower() != ".json":
        return list(read_table(name, content))
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DomainError(_("The JSON file could not be read.")) from exc
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DomainError(_("A JSON import is a list of objects, one per offer."))
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
    return any(
        a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR for a in keys for b in others
    )


class _Rows:
    """Resolves one row's references and values, collecting errors per field."""

    def __init__(self, user: User, model: Any = TechnologyOffer) -> None:
        self.user = user
        self.model = model
        self.columns = COLUMNS if model is TechnologyOffer else REQUEST_COLUMNS
        self.orgs: dict[str, Organization | None] = {}
        self.seen: dict[tuple[str, Any], list[list[str]]] = {}

    def convert(
        self, raw: dict[str, Any], errors: dict[str, str]
    ) -> tuple[dict[str, Any], list[Any]]:
        data: dict[str, Any] = {}
        fields: list[Any] = []
        unknown = sorted(set(raw) - set(self.columns))
        for name in unknown:
            errors[name] = _("Unknown column.")
        for name in self.columns:
            if name not in raw:
                continue
            value = raw[name]
            if name in _LISTS:
                items = _as_list(value)
                if name == "fields":
                    found = {f.slug: f for f in Field.objects.filter(slug__in=items)}
                    found.update({f.code: f for f in Field.objects.filter(code__in=items)})
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
            if name == "owner_organization":
                if text:
                    if text not in self.orgs:
                        self.orgs[text] = Organization.objects.filter(key=text).first()
                    data[name] = self.orgs[text]
                    if data[name] is None:
                        errors[name] = _("Unknown organisation key “%s”.") % text
                continue
            if name == "country":
                data[name] = Country.objects.filter(pk=text.upper()).first() if text else None
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
                try:
                    amount = Decimal(text.replace(" ", "").replace(",", ""))
                except InvalidOperation:
                    amount = Decimal("NaN")
                if amount.is_finite():
                    data[name] = amount
                else:
                    errors[name] = _("Enter a number.")
                continue
            if name in _INTS:
                if text and not text.isdigit():
                    errors[name] = _("Enter a whole number.")
                else:
                    data[name] = int(text) if text else None
                continue
            if name in _DATES:
                data[name] = text[:10] or None
                continue
            if name in _DEFAULTED and not text:
                continue
            data[name] = text
        return data, fields

    def duplicate(self, data: dict[str, Any]) -> str:
        """Why the row duplicates an existing offer or an earlier row ('' when it does not)."""
        keys = _title_keys(data.get("title_vi", ""), data.get("title_en", ""))
        if not keys:
            return ""
        org = data.get("owner_organization")
        owner: tuple[str, Any] = ("org", org.pk) if org is not None else ("user", self.user.pk)
        if owner not in self.seen:
            qs = self.model._default_manager.exclude(status=Status.WITHDRAWN)
            qs = (
                qs.filter(owner_organization=org)
                if org is not None
                else qs.filter(owner_user=self.user, owner_organization=None)
            )
            self.seen[owner] = [
                _title_keys(a, b) for a, b in qs.values_list("title_vi", "title_en")
            ]
        for other in self.seen[owner]:
            if _near(keys, other):
                if self.model is TechnologyOffer:
                    return _("A near-identical offer of the same owner exists already.")
                return _("A near-identical request of the same enterprise exists already.")
        self.seen[owner].append(keys)
        return ""


class _Rollback(Exception):
    pass


def import_offers(
    *,
    user: User,
    rows: list[dict[str, Any]],
    progress: Callable[[int, int], None] | None = None,
    before_commit: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import rows of offers in one transaction: every row valid, or nothing written."""
    return _import(TechnologyOffer, ENTITY, user, rows, progress, before_commit)


def import_requests(
    *,
    user: User,
    rows: list[dict[str, Any]],
    progress: Callable[[int, int], None] | None = None,
    before_commit: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import rows of technology requests (collected by provinces) the same way: one
    transaction, a per-row, per-field report, near-identical titles of the same enterprise
    refused."""
    return _import(TechnologyRequest, "requests", user, rows, progress, before_commit)


def _import(
    model: Any,
    entity: str,
    user: User,
    rows: list[dict[str, Any]],
    progress: Callable[[int, int], None] | None,
    before_commit: Callable[[ImportReport], None] | None,
) -> ImportReport:
    if not services.can_contribute(user):
        raise DomainError(_("You do not have permission to create records."))
    report = ImportReport(entity=entity, rows=len(rows))
    publish = services.is_officer(user)
    resolver = _Rows(user, model)
    try:
        with transaction.atomic():
            for index, raw in enumerate(rows, start=2):  # row 1 is the header
                errors: dict[str, str] = {}
                data, fields = resolver.convert(raw, errors)
                if errors:  # the record's own errors too, so the report names every field
                    probe = model(
                        owner_user=user, **{k: v for k, v in data.items() if k not in errors}
                    )
                    for name, messages in services.validation_errors(probe).items():
                        errors.setdefault(name, " ".join(messages))
                why = "" if errors else resolver.duplicate(data)
                if why:
                    errors["title"] = why
                if not errors:
                    try:
                        with transaction.atomic():
                            record = services.record_save(
                                user=user,
                                instance=model(),
                                data=data,
                                m2m={"fields": fields},
                            )
                            services.transition(user=user, record=record, to=Status.SUBMITTED)
                            if publish:
                                services.transition(user=user, record=record, to=Status.PUBLISHED)
                    except DomainError as exc:
                        for name, messages in (exc.errors or {"__all__": [exc.message]}).items():
                            errors[name] = " ".join(messages)
                    else:
                        report.created += 1
                for name, message in errors.items():
                    report.errors.append(RowError(index, name, message))
                if progress is not None and (index - 1) % 50 == 0:
                    progress(index - 1, len(rows))
            if report.errors:
                raise _Rollback
            if before_commit is not None:
                before_commit(report)
    except _Rollback:
        report.created = 0
    return report


def import_upload(*, user: User, name: str, content: bytes) -> ImportReport | Any:
    """Import a file now, or with more than ``CAUNOI_IMPORT_BACKGROUND_ROWS`` rows as a
    background job with progress (returns the ``Job``)."""
    from caunoi.jobs.services import job_enqueue

    if len(content) > settings.CAUNOI_IMPORT_MAX_BYTES:
        raise DomainError(_("The file is too large."))
    if not services.can_contribute(user):
        raise DomainError(_("You do not have permission to create records."))
    rows = read_offers(name, content)
    if len(rows) <= background_rows():
        return import_offers(user=user, rows=rows)
    return job_enqueue(
        import_offers_task,
        user.pk,
        rows,
        translation.get_language() or settings.LANGUAGE_CODE,
        label=gettext_lazy("Import technology offers"),
        user=user,
        total=len(rows),
    )


@task()
def import_offers_task(user_id: int, rows: list[dict[str, Any]], language: str) -> dict[str, Any]:
    """The background import: one all-or-nothing transaction; its report is written to the
    job inside it, so a retry after the commit returns the report instead of importing twice."""
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
            Job.objects.filter(pk=job.pk).update(result=report_as_dict(report, committed=committed))

    with translation.override(language):
        report = import_offers(
            user=user,
            rows=rows,
            progress=lambda done, total: job_progress(done=done, total=total),
            before_commit=lambda report: remember(report, True),
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
    job_progress(done=len(rows), total=len(rows))
    return report_as_dict(report, committed=True)
