"""The search terms of an import's documents and the matching's analyses of its candidates,
analysed in worker processes.

This module imports no Django (only the analyzers): a worker process started with ``spawn``
loads it, and nothing of the database, so the workers behave the same on SQLite and
PostgreSQL and never write anything; the importing process writes every row itself, in its
one transaction.
"""

from __future__ import annotations

from caunoi.search.analyzer import document_terms
from techmatch.lexical import Analyzed, analyze

Texts = tuple[str, str, str]  # a document's title, body and hidden text
# A row's texts: its document's, and the language and text the matching analyses of it as a
# candidate (``None``: not a candidate kind, or not foreseeable).
Row = tuple[Texts, tuple[str, str] | None]


def terms_of(rows: list[Row]) -> list[tuple[list[str], Analyzed | None]]:
    """``analyzer.document_terms`` of each document's (title, body, extra), and the
    ``techmatch`` analysis of each candidate text."""
    return [
        (document_terms(*texts), None if cand is None else analyze(cand[1], cand[0]))
        for texts, cand in rows
    ]
