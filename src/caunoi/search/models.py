"""The search document: one row per indexed record, whatever its type.

The lexical index is derived from it (``caunoi.search.lexical``: a tantivy index on local disk
that follows ``SearchChange``, the log of document writes); embeddings are stored on it.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from caunoi.core.audience import PUBLIC, Reader


def audience_codes(tokens: Any) -> str:
    """Audience tokens as stored: space-delimited with a leading and trailing space."""
    vals = sorted({t for t in tokens if t})
    return (" " + " ".join(vals) + " ") if vals else ""


def audience_q(reader: Reader) -> models.Q:
    """Documents this reader may see (everything, or any of their principals)."""
    if reader.everything:
        return models.Q()
    q = models.Q(is_public=True)
    for token in sorted(reader.principals - {PUBLIC}):
        q |= models.Q(audience__contains=f" {token} ")
    return q


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
    # Who may read it: audience tokens (caunoi.core.audience) as " staff " or " user:4 org:9 ".
    # ``is_public`` mirrors the "public" token for the index that serves public browsing.
    audience = models.CharField(max_length=1000, blank=True)
    is_public = models.BooleanField(default=False)
    terms = models.TextField(blank=True)  # analyzed terms, space-separated (the index source)
    length = models.PositiveIntegerField(default=0)  # number of terms, for BM25
    # The analysis that made ``terms`` (``analyzer.fingerprint()``); documents of another are
    # analysed again in the background (``reanalysis.reanalyze``) after an upgrade.
    analyzer = models.CharField(max_length=40, blank=True, default="")
    text_hash = models.CharField(max_length=64, blank=True)  # of the text that was embedded
    embedding = models.BinaryField(null=True, blank=True)  # float32[384], L2-normalised
    # The engine that made it (``caunoi.search.engine``, e.g. "onnx-int8-<build>"); only the
    # current engine's vectors are searched, the others re-embedded by ``caunoi embed``.
    embedding_engine = models.CharField(max_length=60, blank=True, default="")
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


class SearchChange(models.Model):
    """One write or deletion of a search document, in the writer's transaction.

    The lexical index applies the changes after its watermark; a rolled-back transaction
    leaves no row. No foreign key: the row outlives a deleted document.
    """

    id = models.BigAutoField(primary_key=True)
    document_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"change {self.pk}: document {self.document_id}"


class SearchEpoch(models.Model):
    """The database's identity for the derived indexes: one row, a random value.

    A new value is written when the table is created (migration ``0006_epoch``), whenever it
    is found empty (a flushed database) and by every restore (``caunoi restore``). An index
    trusts its contents only for the epoch and change-log position it was built at: a restored
    database replays change ids, but never under the same epoch.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"epoch {self.value}"
