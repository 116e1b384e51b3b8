"""The search terms of an import's documents, analysed in worker processes.

This module imports no Django (only the analyzer): a worker process started with ``spawn``
loads it, and nothing of the database, so the workers behave the same on SQLite and
PostgreSQL and never write anything; the importing process writes every row itself, in its
one transaction.
"""

from __future__ import annotations

from caunoi.search.analyzer import document_terms

Texts = tuple[str, str, str]  # a document's title, body and hidden text


def terms_of(texts: list[Texts]) -> list[list[str]]:
    """``analyzer.document_terms`` of each (title, body, extra)."""
    return [document_terms(title, body, extra) for title, body, extra in texts]
