"""The knowledge base's documents: uploaded files, their cleaned text, passages and mentions.

A ``Document`` is one uploaded file (PDF, DOCX, HTML, TXT), unique by the hash of its bytes.
Ingestion (``caunoi.kb.ingest``) turns it into clean text, ``Passage`` rows (paragraph- or
article-sized, with page, article label and character span) and ``Mention`` rows (legal
references, countries, organisations, amounts), all in one transaction: a document is either
fully ingested or not at all (``state`` and ``error`` say which).

Who may read a document, and each of its passages and mentions, is one rule
(``caunoi.kb.audience.DOCUMENT_AUDIENCE``): public, network staff, or one unit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.accounts.models import Unit
from caunoi.jobs.models import Job
from caunoi.taxonomy.models import Field


class Kind(models.TextChoices):
    LAW = "law", _("Law")
    DECREE = "decree", _("Decree")
    RESOLUTION = "resolution", _("Resolution")
    DECISION = "decision", _("Decision")
    CIRCULAR = "circular", _("Circular")
    DIRECTIVE = "directive", _("Directive")
    AGREEMENT = "agreement", _("Agreement")
    MOU = "mou", _("Memorandum of understanding")
    PLAN = "plan", _("Plan or programme")
    REPORT = "report", _("Report")
    ARTICLE = "article", _("Article")
    NEWS = "news", _("News")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    SUPERSEDED = "superseded", _("Superseded")


class Language(models.TextChoices):
    VI = "vi", _("Vietnamese")
    EN = "en", _("English")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone (public)")
    STAFF = "staff", _("Network staff")
    UNIT = "unit", _("One unit")


class State(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    PROCESSING = "processing", _("Being read")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Document(models.Model):
    """One uploaded file of the knowledge base and what was read from it."""

    title = models.CharField(
        _("title"), max_length=500, help_text=_("Shown in lists, search hits and citations.")
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_("Decision, resolution, circular, law, report, article, news …"),
    )
    # Normative documents: "1851/QĐ-TTg" (vntext's normalised form, no spaces).
    number = models.CharField(_("number"), max_length=100, blank=True, db_index=True)
    # The issuing body, as written ("Thủ tướng Chính phủ", "Bộ Khoa học và Công nghệ").
    issuer = models.CharField(_("issuer"), max_length=300, blank=True)
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE
    )
    # When status is "superseded": the document of the knowledge base that replaces it, if any.
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    # The main language of the text (a passage may differ, see Passage.language).
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.VI
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    fields = models.ManyToManyField(
        Field, verbose_name=_("fields of S&T"), blank=True, related_name="kb_documents"
    )

    # --- the file ---
    # sha256 of the uploaded bytes: the same file uploaded twice is one document.
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to="kb/%Y/%m/", max_length=300)
    # The name the file had when uploaded (the stored name may differ).
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    # Detected from the content ("pdf", "docx", "html", "txt"), not from the name.
    file_type = models.CharField(_("file type"), max_length=10, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    # The readable text: joined lines, no running headers, restored spacing. Passage spans
    # point into it; footnotes follow the body (Passage.kind == "footnote").
    clean_text = models.TextField(_("text"), blank=True, editable=False)

    # --- who may read it (caunoi.kb.audience) ---
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.STAFF
    )
    # The unit that owns the document: its officers edit it; with audience "unit" only that
    # unit's staff (and administrators) read it.
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("owning unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # --- ingestion ---
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.QUEUED, db_index=True
    )
    # Why ingestion failed, for the people who may see the document (empty otherwise).
    error = models.TextField(_("error"), blank=True, editable=False)
    # The background job that reads the file (progress is shown from it).
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    ingested_at = models.DateTimeField(_("ingested"), null=True, blank=True, editable=False)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    # Raised by one on every metadata change; an edit based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["audience", "-created_at"], name="kb_doc_aud_created")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(audience="unit") | models.Q(owner_unit__isnull=False),
                name="kb_doc_unit_audience_has_unit",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kb:detail", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.state == State.READY


class PassageKind(models.TextChoices):
    BODY = "body", _("Text")
    FOOTNOTE = "footnote", _("Footnote")


class Passage(models.Model):
    """A paragraph- or article-sized piece of a document's clean text, with its provenance.

    Indexed by the search service (source "passages") with its document's audience; the
    assistant cites it by document, page or article, and character span.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    # 0, 1, 2 … in reading order within the document (footnotes after the body).
    ordinal = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=PassageKind.choices, default=PassageKind.BODY)
    # Clean display text: exactly ``document.clean_text[start:end]``.
    text = models.TextField()
    # 1-based page of the file where the passage starts (null for formats without pages).
    page = models.PositiveIntegerField(null=True, blank=True)
    # Where it sits in a normative document: "Chương II, Điều 5 khoản 2" (empty elsewhere).
    label = models.CharField(max_length=200, blank=True, default="")
    # Character span in the document's clean text.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.VI)

    class Meta:
        ordering = ["document_id", "ordinal"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        constraints = [
            models.UniqueConstraint(fields=["document", "ordinal"], name="kb_passage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.ordinal}"

    def get_absolute_url(self) -> str:
        return f"{self.document.get_absolute_url()}#p{self.ordinal}"


class SentenceVectors(models.Model):
    """The embeddings of a passage's sentences, computed once after ingestion so that the
    assistant reads them instead of embedding the candidates' sentences at question time
    (``caunoi.kb.sentences``).

    ``vectors`` holds one float16 row of 384 per sentence of ``kbanswer.split(text)``, in
    order, L2-normalised (the search service's engine, ``passage:`` prefix; float16 halves
    the size of the float32 the search service keeps, and moves a cosine by under 0.001).
    ``key`` identifies what they were made from: the engine, the passage's text and its
    sentence spans. A passage whose key differs (new text, other splitting rules, another
    engine) is embedded at question time until the background step writes it again.
    """

    passage = models.OneToOneField(
        Passage, primary_key=True, on_delete=models.CASCADE, related_name="sentence_vectors"
    )
    key = models.CharField(max_length=64)
    vectors = models.BinaryField()
    embedded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sentence vectors")
        verbose_name_plural = _("sentence vectors")

    def __str__(self) -> str:
        return f"{self.passage_id}:{self.key[:8]}"


class MentionKind(models.TextChoices):
    LEGAL_REF = "legal_ref", _("Legal reference")
    COUNTRY = "country", _("Country")
    ORGANIZATION = "organization", _("Organisation")
    AMOUNT = "amount", _("Amount")


class Mention(models.Model):
    """Something a document's text mentions (from vntext's extractor), with where."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="mentions")
    kind = models.CharField(max_length=20, choices=MentionKind.choices)
    # As written in the text.
    text = models.CharField(max_length=300)
    # What it is, normalised: a legal number ("1851/QĐ-TTg"), an ISO country code ("KR"),
    # an organisation's name or acronym, an amount's value and currency ("5000000 USD").
    key = models.CharField(max_length=300, db_index=True)
    # Character span in the document's clean text.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["document_id", "start"]
        indexes = [models.Index(fields=["kind", "key"], name="kb_mention_kind_key")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class ProposalTarget(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    PROJECT = "project", _("Cooperation project")


class ProposalState(models.TextChoices):
    PENDING = "pending", _("Awaiting an officer")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class RecordProposal(models.Model):
    """The draft registry record a document proposes (an agreement, MoU or project decision),
    until an officer confirms it (the record is then created through the registry's services)
    or rejects it. Nothing is written to the registry before that.

    ``values`` maps a field of the registry's form to the proposed value and its evidence:
    ``{"value": …, "start": …, "end": …, "quote": …, "page": …, "label": …, "passage": …,
    "confidence": 0.0–1.0}`` (spans in the document's clean text; see ``kb/drafting.py``).
    """

    document = models.OneToOneField(
        Document, primary_key=True, on_delete=models.CASCADE, related_name="proposal"
    )
    target = models.CharField(_("proposed record"), max_length=20, choices=ProposalTarget.choices)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ProposalState.choices,
        default=ProposalState.PENDING,
        db_index=True,
    )
    values = models.JSONField(_("proposed values"), default=dict)
    # The record the confirmation created (its page lists the document).
    agreement = models.ForeignKey(
        "registry.Agreement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kb_proposals",
    )
    project = models.ForeignKey(
        "registry.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kb_proposals",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-document_id"]
        verbose_name = _("record proposal")
        verbose_name_plural = _("record proposals")

    def __str__(self) -> str:
        return f"{self.target}:{self.document_id}"

    @property
    def record(self) -> Any:
        return self.agreement if self.target == ProposalTarget.AGREEMENT else self.project
