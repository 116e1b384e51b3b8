"""POST /api/v1/ask: the assistant over HTTP, the ``caunoi ask --json`` shape.

Stateless: a follow-up question sends the conversation's earlier questions in ``history``
(oldest first). Anonymous callers get answers from public sources only.
"""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StringConstraints

from caunoi.core.api_errors import errors
from caunoi.kb.assistant import HISTORY, MAX_QUESTION_CHARS, Citation, ask

router = Router(tags=["assistant"])


class AskIn(Schema):
    # spaces only are an empty question (422, as "" is)
    question: Annotated[str, StringConstraints(strip_whitespace=True)] = Field(
        ..., min_length=1, max_length=MAX_QUESTION_CHARS
    )
    history: list[str] = Field(default_factory=list, max_length=HISTORY)


class CitationOut(Schema):
    document: int
    title: str
    page: int | None
    quote: str
    label: str
    url: str
    highlights: list[tuple[int, int]] = Field(
        default_factory=list,
        description="The question's terms in the quote, as [start, end) character spans of "
        "quote: names, numbers and, for an English question, the aligned Vietnamese words.",
    )


class RegistryItemOut(Schema):
    title: str
    url: str


class RegistryOut(Schema):
    entity: str
    operation: str
    count: int
    url: str
    items: list[RegistryItemOut]


class AskOut(Schema):
    answer: str
    citations: list[CitationOut]
    abstained: bool
    closest: list[CitationOut]  # the nearest passages, when it abstains
    registry: RegistryOut | None  # when the registry answered
    follow_up_of: str  # the earlier question this one was read with ("" if none)
    composed: bool  # the answer was composed by the configured language model
    note: str  # why a composed answer was not used ("" if none)


def _citation(c: Citation) -> CitationOut:
    return CitationOut(
        document=c.document,
        title=c.title,
        page=c.page,
        quote=c.quote,
        label=c.label,
        url=c.url,
        highlights=list(c.highlights),
    )


@router.post(
    "/ask",
    response={200: AskOut, **errors(400)},
    summary="Ask the assistant a question",
)
def ask_endpoint(request: HttpRequest, payload: AskIn) -> AskOut:
    """Extractive answers with citations from the documents and records the caller may read,
    or an abstention with the closest passages. Where the operator configured a language
    model, a composed answer replaces the quoted sentences only when its citations hold
    (``composed``; otherwise ``note`` says why not)."""
    history = [h[:MAX_QUESTION_CHARS] for h in payload.history]
    reply = ask(request.user, payload.question, history=history)
    registry = None
    if reply.registry is not None:
        registry = RegistryOut(
            entity=reply.registry.entity,
            operation=reply.registry.operation,
            count=reply.registry_count or 0,
            url=reply.registry_url,
            items=[RegistryItemOut(title=r.title, url=r.url) for r in reply.registry_rows],
        )
    return AskOut(
        answer=reply.answer,
        citations=[_citation(c) for c in reply.citations],
        abstained=reply.abstained,
        closest=[_citation(c) for c in reply.closest],
        registry=registry,
        follow_up_of=reply.follow_up_of,
        composed=reply.composed,
        note=reply.note,
    )
