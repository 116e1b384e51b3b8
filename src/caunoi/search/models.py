"""The search document: one row per indexed record, whatever its type.

The lexical index proper lives beside it in a backend-specific table (SQLite FTS5
``search_fts``, PostgreSQL ``search_lexeme`` with a GIN-indexed tsvector) created by migration
0002; ``SearchTerm`` holds document frequencies for both (typo expansion, BM25 idf on
PostgreSQL, pruning very common terms).
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    kind = models.CharField(max_length=40)  # a source's slug: "agreements", "partners", ...
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)  # original text the snippet is cut from
    url = models.CharField(max_length=300)
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=40, blank=True)
    # Multi-valued facets as space-delimited codes with a leading and trailing space
    # (" KR US "), so one portable LIKE filters them on both databases.
    countries = models.CharField(max_length=1000, blank=True)
    fields = models.CharField(max_length=2000, blank=True)
    is_public = models.BooleanField(default=False)
    terms = models.TextField(blank=True)  # analyzed terms, space-separated (the index source)
    length = models.PositiveIntegerField(default=0)  # number of terms, for BM25
    text_hash = models.CharField(max_length=64, blank=True)  # of the text that was embedded
    embedding = models.BinaryField(null=True, blank=True)  # float32[384], L2-normalised
    embedded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique"),
        ]
        indexes = [
            # Browsing without a query: visible documents newest first.
            models.Index(fields=["is_public", "-date"], name="search_doc_public_date_idx"),
            # The vector cache's freshness check (max embedded_at).
            models.Index(fields=["embedded_at"], name="search_doc_embedded_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class SearchTerm(models.Model):
    """Document frequency of one analyzed term (rows may reach df=0 and stay)."""

    term = models.CharField(max_length=200, primary_key=True)
    df = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term} ({self.df})"
