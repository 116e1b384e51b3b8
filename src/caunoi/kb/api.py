"""REST API of the knowledge base, under /api/v1/kb/: documents (list, get, upload, change)
and their passages. The one audience rule filters every answer; changes are optimistic as in
the registry (`ETag` on reads, `If-Match` required on PATCH)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File as NinjaFile
from ninja import Form, Query, Router, Schema, Status
from ninja import UploadedFile as NinjaUpload
from ninja.pagination import paginate
from pydantic import Field as PydanticField

from caunoi.accounts.models import Unit
from caunoi.core.api_errors import errors
from caunoi.core.errors import DomainError
from caunoi.core.pagination import Pages
from caunoi.kb import extract, selectors, services
from caunoi.kb.models import Audience, Document, Kind, Language, State
from caunoi.kb.models import Status as DocStatus
from caunoi.registry.api import _expected_version, etag

router = Router(tags=["kb"])


class DocumentOut(Schema):
    id: int
    title: str
    kind: str
    number: str
    issuer: str
    signed_on: dt.date | None
    effective_on: dt.date | None
    status: str
    superseded_by: int | None = PydanticField(None, alias="superseded_by_id")
    language: str
    source_url: str
    audience: str
    owner_unit: str | None
    file_type: str
    original_name: str
    size: int
    page_count: int | None
    state: str
    error: str
    job_id: int | None
    passages: int
    url: str
    version: int

    @staticmethod
    def resolve_owner_unit(obj: Document) -> str | None:
        return obj.owner_unit.code if obj.owner_unit_id and obj.owner_unit else None

    @staticmethod
    def resolve_passages(obj: Document) -> int:
        return getattr(obj, "n_passages", None) or obj.passages.count()

    @staticmethod
    def resolve_url(obj: Document) -> str:
        return obj.get_absolute_url()


class DocumentDetailOut(DocumentOut):
    clean_text: str


class PassageOut(Schema):
    ordinal: int
    kind: str
    text: str
    page: int | None
    label: str
    start: int
    end: int
    language: str
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"{obj.document.get_absolute_url()}#p{obj.ordinal}"


class UploadOut(Schema):
    name: str
    document: DocumentOut | None
    created: bool
    error: str


class DocumentFilters(Schema):
    kind: Kind | None = None
    status: DocStatus | None = None
    language: Language | None = None
    state: State | None = None
    number: str | None = PydanticField(None, max_length=100)


class DocumentPatch(Schema):
    title: str | None = PydanticField(None, min_length=1, max_length=500)
    kind: Kind | None = None
    number: str | None = PydanticField(None, max_length=100)
    issuer: str | None = PydanticField(None, max_length=300)
    signed_on: dt.date | None = None
    effective_on: dt.date | None = None
    status: DocStatus | None = None
    superseded_by: int | None = None
    language: Language | None = None
    source_url: str | None = PydanticField(None, max_length=500)
    audience: Audience | None = None
    owner_unit: str | None = PydanticField(None, max_length=40, description="Unit code.")


def _etagged(response: HttpResponse, document: Document) -> Document:
    response["ETag"] = etag(document)
    return document


@router.get(
    "/documents",
    response={200: list[DocumentOut], **errors()},
    operation_id="kb_document_list",
    summary="Knowledge-base documents the caller may read",
    description="Newest first, filtered by the audience rule (public, staff, one unit) and "
    "by `kind`, `status`, `language`, `state`, `number`; pages of 25.",
)
@paginate(Pages, page_size=25)
def document_list(request: HttpRequest, filters: Query[DocumentFilters]) -> Any:
    qs = selectors.documents_for(request.user).select_related("owner_unit")
    for name, value in filters.dict().items():
        if value not in (None, ""):
            qs = qs.filter(**{name: value})
    return qs.order_by("-created_at", "-pk")


@router.get(
    "/documents/{pk}",
    response={200: DocumentDetailOut, **errors(404)},
    operation_id="kb_document_get",
    summary="One document with its clean text (ETag names its version)",
    description="404 when it does not exist or the caller may not read it. Send the ETag "
    "back in If-Match to change it.",
)
def document_get(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    return _etagged(response, selectors.document_for(request.user, pk))


@router.get(
    "/documents/{pk}/passages",
    response={200: list[PassageOut], **errors(404)},
    operation_id="kb_passage_list",
    summary="A document's passages, in reading order, with page, article label and span",
    description="`text` is exactly the document's `clean_text[start:end]`; footnotes "
    "(`kind` footnote) follow the body. Pages of 100.",
)
@paginate(Pages, page_size=100)
def passage_list(request: HttpRequest, pk: int) -> Any:
    document = selectors.document_for(request.user, pk)
    return document.passages.select_related("document").order_by("ordinal")


@router.post(
    "/documents",
    response={201: list[UploadOut], 200: list[UploadOut], **errors()},
    operation_id="kb_document_upload",
    summary="Upload one or more files (PDF, DOCX, HTML, TXT)",
    description="Each file is stored once by content hash and read in the background: follow "
    "`state` on the document, or its job at /api/v1/jobs/{job_id}. A file already in the "
    "knowledge base is answered with its document (`created` false); a refused file with "
    "`error` and no document. 201 when at least one document was created.",
)
def document_upload(
    request: HttpRequest,
    files: NinjaFile[list[NinjaUpload] | None] = None,
    audience: Form[Audience] = Audience.STAFF,
    owner_unit: Form[str] = "",
) -> Any:
    if not services.can_upload(request.user):
        raise PermissionDenied
    if not files:
        message = _("Choose one or more files.")
        raise DomainError(message, errors={"files": [message]})
    unit = None
    if owner_unit:
        unit = Unit.objects.filter(code=owner_unit).first()
        if unit is None:
            message = _("Unknown unit “%s”.") % owner_unit
            raise DomainError(message, errors={"owner_unit": [message]})
    limit = extract.limits()["max_bytes"]
    results = services.documents_upload(
        user=request.user,
        files=[(f.name or "document", f.read(limit + 1)) for f in files],
        audience=str(audience),
        owner_unit=unit,
    )
    out = [
        {"name": r.name, "document": r.document, "created": r.created, "error": r.error}
        for r in results
    ]
    return Status(201 if any(r.created for r in results) else 200, out)


@router.patch(
    "/documents/{pk}",
    response={200: DocumentDetailOut, **errors(404, 412, 428)},
    operation_id="kb_document_update",
    summary="Change a document's metadata (If-Match required)",
    description="Administrators and officers of the owning unit; only administrators make a "
    "document public. 428 without If-Match, 412 when the document changed meanwhile. Every "
    "change is in the audit trail and the passages' search documents follow.",
)
def document_update(
    request: HttpRequest, response: HttpResponse, pk: int, payload: DocumentPatch
) -> Any:
    document = selectors.document_for(request.user, pk)
    if not services.can_edit(request.user, document):
        raise PermissionDenied
    version = _expected_version(request, document, required=True)
    data = payload.dict(exclude_unset=True)
    problems: dict[str, list[str]] = {}
    if "owner_unit" in data:
        code = data["owner_unit"]
        data["owner_unit"] = Unit.objects.filter(code=code).first() if code else None
        if code and data["owner_unit"] is None:
            problems["owner_unit"] = [_("Unknown unit “%s”.") % code]
    if data.get("superseded_by") is not None:
        target = selectors.documents_for(request.user).filter(pk=data["superseded_by"]).first()
        if target is None:
            problems["superseded_by"] = [_("No document with id %d.") % data["superseded_by"]]
        data["superseded_by"] = target
    for name in ("number", "issuer", "source_url"):
        if name in data and data[name] is None:
            data[name] = ""
    if problems:
        raise DomainError(_("The document is not valid."), errors=problems)
    updated = services.document_update(
        user=request.user, document=document, data=data, version=version
    )
    return _etagged(response, updated)
