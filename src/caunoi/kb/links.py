"""What a document mentions, linked: other documents of the knowledge base (flagged when
superseded), registry partners (by the gazetteer key) and agreements (by legal basis),
country pages. Every link is to something the reader may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from caunoi.kb.models import Document, Mention, MentionKind, Status
from caunoi.kb.selectors import documents_for

MAX_REFS = 40  # distinct legal references looked up per page


@dataclass
class Entity:
    kind: str
    key: str
    text: str
    count: int = 0
    url: str = ""
    note: str = ""
    superseded: bool = False
    extra: list[tuple[str, str]] = field(default_factory=list)  # (label, url)

    @property
    def label(self) -> str:
        return str(MentionKind(self.kind).label)


def kb_documents_by_number(
    user: Any, numbers: list[str], exclude: int | None
) -> dict[str, Document]:
    if not numbers:
        return {}
    found = documents_for(user).filter(number__in=numbers)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return {d.number: d for d in found.select_related("superseded_by")}


def entities(user: Any, document: Document) -> tuple[list[Entity], dict[str, Document]]:
    """The document's mentions grouped by what they are, with links; and the knowledge-base
    documents its legal references name (number → document)."""
    from caunoi.registry.entities import ENTITIES
    from caunoi.registry.selectors import readable

    grouped: dict[tuple[str, str], Entity] = {}
    for m in document.mentions.all():
        e = grouped.get((m.kind, m.key))
        if e is None:
            e = grouped[(m.kind, m.key)] = Entity(m.kind, m.key, m.text)
        e.count += 1
    items = sorted(grouped.values(), key=lambda e: (e.kind, -e.count, e.text))
    refs = [e for e in items if e.kind == MentionKind.LEGAL_REF][:MAX_REFS]
    kb = kb_documents_by_number(user, [e.key for e in refs], document.pk)
    agreements = readable(ENTITIES["agreements"], user)
    for e in refs:
        target = kb.get(e.key)
        if target is not None:
            e.url = target.get_absolute_url()
            e.superseded = target.status == Status.SUPERSEDED
            e.note = target.title
        n = agreements.filter(legal_basis__icontains=e.key).count()
        if n:
            e.extra.append((str(n), reverse("entity-list", args=["agreements"]) + f"?q={e.key}"))
    orgs = [e for e in items if e.kind == MentionKind.ORGANIZATION]
    if orgs:
        partners = readable(ENTITIES["partners"], user).filter(key__in=[e.key for e in orgs])
        by_key = {p.key: p for p in partners}
        for e in orgs:
            if e.key in by_key:
                e.url = reverse("entity-detail", args=["partners", by_key[e.key].pk])
                e.note = str(by_key[e.key])
    for e in items:
        if e.kind == MentionKind.COUNTRY:
            e.url = reverse("country-detail", args=[e.key.lower()])
    return items, kb


def documents_mentioning(user: Any, kind: str, keys: list[str], limit: int = 20) -> list[Document]:
    """Readable documents that mention any of these keys (a partner's or agreement's page)."""
    ids = Mention.objects.filter(kind=kind, key__in=keys).values_list("document_id", flat=True)
    return list(documents_for(user).filter(pk__in=ids).order_by("-created_at")[:limit])


Span = tuple[int, int, str, bool, str]  # start, end, url, superseded, what it is


def render(text: str, offset: int, terms: Any, links: list[Span]) -> SafeString:
    """A passage's text as HTML: search terms in <mark>; what it mentions (legal references,
    countries, organisations, amounts; ``kind``) as links to their pages where they have
    one, marked where they have none; references to other documents of the knowledge base
    flagged when superseded. ``offset`` is the passage's start in the clean text, ``links``
    are (start, end, url, superseded, kind) in clean-text offsets, sorted; a span inside an
    earlier one is left out."""
    from caunoi.search.highlight import mark

    out: list[str] = []
    pos = 0
    for start, end, url, superseded, kind in links:
        a, b = start - offset, end - offset
        if a < pos or b > len(text) or a >= b:
            continue
        out.append(mark(text[pos:a], terms))
        classes = [f"entity entity-{kind}"] if kind and kind != "note" else []
        if superseded:
            classes.append("superseded")
        attrs = f' class="{" ".join(classes)}"' if classes else ""
        if kind and kind != "note":
            label = str(MentionKind(kind).label)
            note = _("superseded") if superseded else ""
            attrs += f' title="{escape(label + (" — " + note if note else ""))}"'
        elif superseded:
            attrs += f' title="{escape(_("superseded"))}"'
        inner = mark(text[a:b], terms)
        if url:
            out.append(f'<a href="{escape(url)}"{attrs}>{inner}</a>')
        else:
            out.append(f"<span{attrs}>{inner}</span>")
        pos = b
    out.append(mark(text[pos:], terms))
    return mark_safe("".join(out))  # every piece is escaped by mark()


def mention_spans(document: Document, entities: list[Entity]) -> list[Span]:
    """Every mention of the document as a span to render, with its entity's link."""
    by_key = {(e.kind, e.key): e for e in entities}
    out: list[Span] = []
    for m in document.mentions.order_by("start", "-end"):
        e = by_key.get((m.kind, m.key))
        out.append((m.start, m.end, e.url if e else "", bool(e and e.superseded), m.kind))
    return out


MIN_CODE = 4  # a project code shorter than this names too many things
MIN_TITLE = 15
CANDIDATES = 200  # passages the lexical index offers per name, checked word for word


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def passages_naming(user: Any, names: list[str]) -> list[Any]:
    """Readable passages whose text contains one of these names (a project's code or title)
    exactly, ignoring case and spacing: the lexical index proposes candidates, each is then
    checked word for word, so a page costs a few indexed lookups whatever the corpus size."""
    from caunoi.kb.search import KIND
    from caunoi.kb.selectors import passages_for
    from caunoi.search.service import matching_object_ids

    found: dict[int, Any] = {}
    for name in names:
        needle = _plain(name)
        ids = matching_object_ids(user=user, query=name, kind=KIND, limit=CANDIDATES)
        for p in passages_for(user).filter(pk__in=ids).only("pk", "document_id", "text"):
            if needle in _plain(p.text):
                found[p.pk] = p
    return list(found.values())


def documents_naming_project(user: Any, project: Any, limit: int = 20) -> list[Document]:
    """Readable documents that name the project by its code or title, and the document a
    confirmed proposal created it from."""
    from caunoi.kb.models import ProposalState, RecordProposal

    names = []
    if len(project.code or "") >= MIN_CODE:
        names.append(project.code)
    for title in (project.title_vi, project.title_en):
        if len(title or "") >= MIN_TITLE:
            names.append(title)
    ids = {p.document_id for p in passages_naming(user, names)} if names else set()
    ids |= set(
        RecordProposal.objects.filter(project=project, state=ProposalState.CONFIRMED).values_list(
            "document_id", flat=True
        )
    )
    if not ids:
        return []
    return list(documents_for(user).filter(pk__in=ids).order_by("-created_at")[:limit])


def source_documents(user: Any, agreement: Any) -> list[Document]:
    """Readable documents a confirmed proposal created this agreement from."""
    from caunoi.kb.models import ProposalState, RecordProposal

    ids = RecordProposal.objects.filter(
        agreement=agreement, state=ProposalState.CONFIRMED
    ).values_list("document_id", flat=True)
    return list(documents_for(user).filter(pk__in=ids))
