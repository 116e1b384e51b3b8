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

from caunoi.accounts import permissions
from caunoi.accounts.models import Unit
from caunoi.core.api_errors import errors
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.pagination import Pages
from caunoi.core.versioning import etag, if_match_version
from caunoi.kb import extract, proposals, selectors, services
from caunoi.kb.models import (
    Audience,
    Document,
    Kind,
    Language,
    ProposalState,
    ProposalTarget,
    State,
)
from caunoi.kb.models import Status as DocStatus

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


class EmbeddingsOut(Schema):
    done: int = PydanticField(description="Passages whose embedding is computed.")
    total: int = PydanticField(description="Passages in the search index.")


class DocumentDetailOut(DocumentOut):
    clean_text: str
    embeddings: EmbeddingsOut = PydanticField(
        description="The semantic index of its passages: computed in the background after "
        "ingestion (lexical search works as soon as `state` is `ready`)."
    )

    @staticmethod
    def resolve_embeddings(obj: Document) -> dict[str, int]:
        from caunoi.kb.search import embedding_progress

        return embedding_progress(obj)


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
    "knowledge base is answered with its document (`created` false), or, when its audience "
    "keeps it from the uploader, with `error` and no document; a refused file with "
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
    version = if_match_version(request, document, required=True)
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


# --- from document to record ----------------------------------------------------------------


class RecordRef(Schema):
    type: str = PydanticField(description="`agreements` or `projects`.")
    id: int
    title: str
    url: str


class ProposalOut(Schema):
    document: int
    document_title: str
    target: str = PydanticField(description="The record proposed: `agreement` or `project`.")
    state: str = PydanticField(description="`pending`, `confirmed` or `rejected`.")
    values: dict[str, Any] = PydanticField(
        description="Per form field: `value` (organisations by key, countries by ISO code, "
        "fields by code, dates ISO), `confidence` (0–1) and the evidence: `quote`, `start`, "
        "`end` (span in the document's clean text), `page`, `label`, `passage`."
    )
    record: RecordRef | None
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str
    url: str

    @staticmethod
    def resolve_document(obj: Any) -> int:
        return int(obj.document_id)

    @staticmethod
    def resolve_document_title(obj: Any) -> str:
        return str(obj.document.title)

    @staticmethod
    def resolve_record(obj: Any) -> dict[str, Any] | None:
        record = obj.record
        if record is None:
            return None
        slug = proposals.SLUGS[obj.target]
        return {
            "type": slug,
            "id": record.pk,
            "title": str(record),
            "url": record.get_absolute_url(),
        }

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by_id and obj.decided_by else None

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.document.get_absolute_url())


class ProposalFilters(Schema):
    state: ProposalState | None = None
    target: ProposalTarget | None = None


class ConfirmIn(Schema):
    changes: dict[str, Any] = PydanticField(
        default_factory=dict,
        description="Corrections over the proposed values, by the registry form's field names "
        "(`title_vi`, `kind`, `signed_on`, `foreign_organizations` …), in the proposal's terms: "
        "organisations by key, countries by ISO code, fields by code.",
    )


class ConfirmOut(Schema):
    proposal: ProposalOut
    record: RecordRef


class RejectIn(Schema):
    reason: str = PydanticField("", max_length=2000)


def _decided() -> Any:
    message = _("This proposal has already been decided; nothing was written.")
    return Status(409, {"detail": message, "errors": {}})


@router.get(
    "/proposals",
    response={200: list[ProposalOut], **errors()},
    operation_id="kb_proposal_list",
    summary="Draft registry records proposed by documents (officers)",
    description="The proposals of the documents the caller may edit (an administrator: all; "
    "an officer: those of the unit's documents), newest first, filtered by `state` and "
    "`target`; pages of 25. 403 for anyone who is no officer.",
)
@paginate(Pages, page_size=25)
def proposal_list(request: HttpRequest, filters: Query[ProposalFilters]) -> Any:
    if not permissions.can_create(request.user):
        raise PermissionDenied
    qs = proposals.proposals_for(request.user).select_related("document", "decided_by")
    for name, value in filters.dict().items():
        if value:
            qs = qs.filter(**{name: value})
    return qs.select_related("agreement", "project")


@router.get(
    "/documents/{pk}/proposal",
    response={200: ProposalOut, **errors(404)},
    operation_id="kb_proposal_get",
    summary="The draft record one document proposes, with each value's evidence",
    description="404 when the document proposes nothing or the caller may not read it; 403 "
    "when the caller may read it but not edit it.",
)
def proposal_get(request: HttpRequest, pk: int) -> Any:
    return proposals.proposal_to_decide(request.user, pk)


@router.post(
    "/documents/{pk}/proposal/confirm",
    response={201: ConfirmOut, **errors(404, 409)},
    operation_id="kb_proposal_confirm",
    summary="Confirm a proposal: create the record, with corrections",
    description="Creates the agreement or project from the proposed values with `changes` "
    "over them, through the registry's rules, permissions and audit trail, links it to the "
    "document and marks the proposal confirmed, all or nothing. 400 names every field the "
    "registry refuses; 409 when the proposal was already decided (nothing is written). "
    "`changes.new_partners` chooses the proposed new partners created with it: left out, every "
    "proposed one is created as proposed; `[]` none; a list of indexes those; an object "
    '`{"0": {"name": …, "country": …, "kind": …}}` those, corrected.',
)
def proposal_confirm(request: HttpRequest, pk: int, payload: ConfirmIn) -> Any:
    proposal = proposals.proposal_to_decide(request.user, pk)
    if proposal.state != ProposalState.PENDING:
        return _decided()
    data = proposals.form_data(proposal, request.user, payload.changes)
    form = proposals.form_for(proposal, request.user, data=data)
    try:
        proposals.confirm(user=request.user, proposal=proposal, form=form)
    except ConflictError:  # decided meanwhile
        return _decided()
    return Status(201, {"proposal": proposal, "record": ProposalOut.resolve_record(proposal)})


@router.post(
    "/documents/{pk}/proposal/reject",
    response={200: ProposalOut, **errors(404, 409)},
    operation_id="kb_proposal_reject",
    summary="Reject a proposal (nothing is written to the registry)",
    description="Marks the proposal rejected with an optional `reason`; a re-read of the "
    "document keeps it rejected. 409 when it was already decided.",
)
def proposal_reject(request: HttpRequest, pk: int, payload: RejectIn) -> Any:
    proposal = proposals.proposal_to_decide(request.user, pk)
    try:
        return proposals.reject(user=request.user, proposal=proposal, reason=payload.reason)
    except ConflictError:
        return _decided()
