"""Knowledge-base pages under /kb/: the document list, a document's page (clean text with
the search terms highlighted, passages by page and article, what it mentions, linked), the
upload page, the metadata edit page, the original file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.core.audience import reader_for
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.parsing import parse_int
from caunoi.kb import links, proposals, selectors, services
from caunoi.kb.forms import DocumentForm, UploadForm
from caunoi.kb.models import (
    Audience,
    Kind,
    Language,
    ProposalState,
    RecordProposal,
    State,
    Status,
)

SORTS = {
    "new": ("-created_at", "-pk"),
    "old": ("created_at", "pk"),
    "signed": ("-signed_on", "-pk"),
    "title": ("title", "pk"),
}


def document_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.documents_for(request.user)
    applied: dict[str, str] = {}
    q = request.GET.get("q", "").strip()[:200]
    if q:
        applied["q"] = q
        from caunoi.kb.search import KIND
        from caunoi.search.service import matching_object_ids

        passage_ids = matching_object_ids(user=request.user, query=q, kind=KIND)
        qs = qs.filter(
            Q(passages__pk__in=passage_ids) | Q(title__icontains=q) | Q(number__icontains=q)
        ).distinct()
    for name, choices in (
        ("kind", Kind.values),
        ("status", Status.values),
        ("language", Language.values),
        ("audience", Audience.values),
        ("state", State.values),
    ):
        value = request.GET.get(name, "")
        if value in choices:
            applied[name] = value
            qs = qs.filter(**{name: value})
    sort = request.GET.get("sort", "new")
    if sort not in SORTS:
        sort = "new"
    qs = qs.order_by(*SORTS[sort]).select_related("superseded_by")
    page = Paginator(qs, settings.CAUNOI_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "applied": applied,
        "sort": sort,
        "sorts": [
            ("new", _("Newest")),
            ("old", _("Oldest")),
            ("signed", _("Signing date")),
            ("title", _("Title")),
        ],
        "kinds": Kind.choices,
        "statuses": Status.choices,
        "languages": Language.choices,
        "audiences": Audience.choices,
        "is_staff": reader_for(request.user).is_staff,
        "can_upload": services.can_upload(request.user),
        "query": query.urlencode(),
    }
    return render(request, "kb/list.html", context)


def _links_in(passage: Any, refs: list[links.Span]) -> list[links.Span]:
    return [r for r in refs if passage.start <= r[0] and r[1] <= passage.end]


def _note_links(passages: list[Any]) -> list[links.Span]:
    """A body's "[1]" as a link to the footnote labelled "[1]" (text files' notes blocks)."""
    from vntext.layout import note_references

    target = {p.label: p.ordinal for p in passages if p.kind == "footnote" and p.label}
    if not target:
        return []
    # A text dump's footnotes ("[2]" without a "[2]" in the body) are pointed to by the
    # number glued to a word ("khu vực2."): the first one in reading order links.
    glued = {
        int(label[1:-1])
        for label in target
        if label[1:-1].isdigit() and not any(label in p.text for p in passages)
    }
    out = []
    for p in passages:
        if p.kind == "footnote":
            continue
        for a, b, marker in note_references(p.text, glued):
            if marker in target:
                out.append((p.start + a, p.start + b, f"#p{target[marker]}", False, "note"))
                if marker[1:-1].isdigit() and int(marker[1:-1]) in glued:
                    glued.discard(int(marker[1:-1]))
    return out


def _cited_span(value: str) -> tuple[int, int] | None:
    """``?hl=START-END``: the span of the clean text an answer of the assistant cites."""
    a, _sep, b = (parse_int(v) for v in value.partition("-"))
    if a is not None and b is not None and a < b:
        return a, b
    return None


def _render_cited(p: Any, terms: Any, refs: list[links.Span], cited: tuple[int, int] | None) -> Any:
    """The passage's HTML, the cited span (when it lies inside this passage) in
    ``<mark class="cited" id="cited">``."""
    if cited is None or not (p.start <= cited[0] and cited[1] <= p.end):
        return links.render(p.text, p.start, terms, refs)
    a, b = cited[0] - p.start, cited[1] - p.start
    return mark_safe(
        links.render(p.text[:a], p.start, terms, refs)
        + '<mark class="cited" id="cited">'
        + links.render(p.text[a:b], cited[0], terms, refs)
        + "</mark>"
        + links.render(p.text[b:], cited[1], terms, refs)
    )


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from caunoi.search.highlight import NO_TERMS, query_terms

    document = selectors.document_for(request.user, pk)
    q = request.GET.get("q", "").strip()[:200]
    terms = query_terms(q) if q else NO_TERMS
    entities, _kb_docs = links.entities(request.user, document)
    # every mention in the text, linked to its page (a legal reference to a document of the
    # knowledge base, a country, a partner) or marked (an amount, an unknown organisation)
    refs = links.mention_spans(document, entities)
    body: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    cited = _cited_span(request.GET.get("hl", ""))
    passages = list(document.passages.all())
    refs = sorted(refs + _note_links(passages))
    for p in passages:
        item: dict[str, Any] = {
            "p": p,
            "html": _render_cited(p, terms, _links_in(p, refs), cited),
        }
        (notes if p.kind == "footnote" else body).append(item)
    outline: list[dict[str, Any]] = []
    for entry in body:
        p = entry["p"]
        key = p.label or (_("page %(n)d") % {"n": p.page} if p.page else "")
        if key and (not outline or outline[-1]["key"] != key):
            outline.append({"key": key, "ordinal": p.ordinal, "page": p.page})
    context = {
        "document": document,
        "body": body,
        "notes": notes,
        "outline": outline,
        "entities": entities,
        "q": q,
        "can_edit": services.can_edit(request.user, document),
        "job": document.job if document.job_id else None,
        "superseded_by": document.superseded_by
        if document.superseded_by_id
        and selectors.documents_for(request.user).filter(pk=document.superseded_by_id).exists()
        else None,
    }
    proposal = proposals.proposal_for(request.user, document)
    if proposal is not None:
        context.update(_proposal_context(request, proposal))
    if document.is_ready:
        from caunoi.kb.search import embedding_progress

        context["embeddings"] = embedding_progress(document)
    if request.headers.get("HX-Request") and request.GET.get("part") == "state":
        return render(request, "kb/_state.html", context)
    if request.headers.get("HX-Request") and request.GET.get("part") == "embeddings":
        return render(request, "kb/_embeddings.html", context)
    return render(request, "kb/detail.html", context)


def document_file(request: HttpRequest, pk: int) -> FileResponse:
    document = selectors.document_for(request.user, pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name or str(document.file.name).rsplit("/", 1)[-1],
    )


@login_required
def document_upload(request: HttpRequest) -> HttpResponse:
    if not services.can_upload(request.user):
        raise PermissionDenied
    results: list[services.Upload] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            files = [(f.name, f.read()) for f in form.cleaned_data["upload"]]
            try:
                results = services.documents_upload(
                    user=request.user,
                    files=files,
                    audience=form.cleaned_data["audience"],
                    owner_unit=form.cleaned_data["owner_unit"],
                )
            except DomainError as exc:
                for name, messages in exc.errors.items():
                    for m in messages:
                        form.add_error(name if name in form.fields else None, m)
                if not exc.errors:
                    form.add_error(None, exc.message)
            if len(results) == 1 and results[0].document is not None and not results[0].error:
                return redirect(results[0].document.get_absolute_url())
    else:
        form = UploadForm(initial={"owner_unit": getattr(request.user, "unit", None)})
    return render(request, "kb/upload.html", {"form": form, "results": results})


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk)
    if not services.can_edit(request.user, document):
        raise PermissionDenied
    readable = selectors.documents_for(request.user)
    conflict = None
    if request.method == "POST":
        form = DocumentForm(request.POST, instance=document, documents=readable)
        if form.is_valid():
            data = {n: form.cleaned_data[n] for n in DocumentForm.Meta.fields}
            try:
                services.document_update(
                    user=request.user,
                    document=selectors.document_for(request.user, pk),
                    data=data,
                    version=form.cleaned_data["version"],
                    fields=form.cleaned_data["st_fields"],
                )
            except ConflictError as exc:
                conflict = exc
                data_copy = request.POST.copy()
                if exc.version is not None:
                    data_copy["version"] = str(exc.version)
                form.data = data_copy
                form.add_error(None, exc.message)
            except DomainError as exc:
                for name, messages in exc.errors.items():
                    for m in messages:
                        form.add_error(name if name in form.base_fields else None, m)
                if not exc.errors:
                    form.add_error(None, exc.message)
            else:
                return redirect(document.get_absolute_url())
    else:
        form = DocumentForm(instance=document, documents=readable)
    return render(
        request, "kb/form.html", {"form": form, "document": document, "conflict": conflict}
    )


# --- from document to record ----------------------------------------------------------------


def _proposal_context(request: HttpRequest, proposal: RecordProposal, form: Any = None) -> Any:
    if proposal.state != ProposalState.PENDING:
        return {"proposal": proposal}
    form = form or proposals.form_for(proposal, request.user)
    return {
        "proposal": proposal,
        "proposal_form": form,
        "proposal_rows": proposals.evidence(proposal, form),
        "new_partners": proposals.new_partner_rows(proposal, form.data if form.is_bound else None),
    }


@login_required
def proposal_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposed record's form, prefilled; saving it confirms the proposal."""
    proposal = proposals.proposal_to_decide(request.user, pk)
    form = None
    status = 200
    if request.method == "POST" and proposal.state == ProposalState.PENDING:
        form = proposals.form_for(proposal, request.user, data=request.POST)
        try:
            record = proposals.confirm(user=request.user, proposal=proposal, form=form)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            status = 409
        except DomainError as exc:
            form = getattr(exc, "form", form)  # rebuilt with the partners it would create
            for name, msgs in exc.errors.items():
                for m in msgs:
                    if name in form.fields and name not in form.errors:
                        form.add_error(name, m)
            if not form.errors:
                form.add_error(None, exc.message)
            status = 400
        else:
            messages.success(request, _("The record was created from the document."))
            return redirect(record.get_absolute_url())
    context = {"document": proposal.document, **_proposal_context(request, proposal, form)}
    return render(request, "kb/proposal.html", context, status=status)


@login_required
@require_POST
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = proposals.proposal_to_decide(request.user, pk)
    try:
        proposals.reject(
            user=request.user, proposal=proposal, reason=request.POST.get("reason", "")[:2000]
        )
    except ConflictError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The proposal was rejected; nothing was written."))
    return redirect(proposal.document.get_absolute_url())
