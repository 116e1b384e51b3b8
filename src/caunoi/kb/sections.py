"""What the knowledge base adds to other apps' pages: on a partner's page the documents that
mention it (by the gazetteer key the partner carries), on an agreement's page the document it
was created from (a confirmed proposal) and the documents on its legal basis (the legal
numbers its "legal basis" field cites), on a project's page the documents that name it by its
code or title (and the one it was created from). Only documents the reader may read are
listed (every query goes through the documents' audience)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from caunoi.core.sections import RecordPanel, register_record_panel
from caunoi.kb.links import documents_mentioning, documents_naming_project, source_documents
from caunoi.kb.models import MentionKind
from vntext import extract


def _legal_numbers(text: str) -> list[str]:
    return sorted({str(r["number"]) for r in extract(text or "")["legal_refs"] if r.get("number")})


def mentioning_documents(user: Any, record: Any) -> dict[str, Any] | None:
    from caunoi.registry.models import Agreement, Organization, Project

    if isinstance(record, Organization):
        documents = documents_mentioning(user, MentionKind.ORGANIZATION, [record.key])
        title = _("Documents that mention this partner")
    elif isinstance(record, Agreement):
        numbers = _legal_numbers(record.legal_basis)
        documents = documents_mentioning(user, MentionKind.LEGAL_REF, numbers) if numbers else []
        title = _("Documents on its legal basis")
        sources = source_documents(user, record)
        if sources:
            documents = sources + [d for d in documents if d not in sources]
            title = _("Its source document and the documents on its legal basis")
    elif isinstance(record, Project):
        documents = documents_naming_project(user, record)
        title = _("Documents that mention this project")
    else:
        return None
    if not documents:
        return None
    return {"title": title, "documents": documents}


def register() -> None:
    register_record_panel(
        RecordPanel(
            key="kb.mentioning-documents",
            template="kb/_record_documents.html",
            context=mentioning_documents,
        )
    )
