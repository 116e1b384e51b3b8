"""The assistant: answers from the knowledge base's passages and from the registry, with
citations, or an abstention ("Không đủ căn cứ để trả lời") and the closest passages.

One call, ``ask(user, question, history=...)``, serves the chat page, ``caunoi ask`` and
``POST /api/v1/ask``:

1. A registry question ("Việt Nam đã ký bao nhiêu hiệp định với Hàn Quốc?", see
   ``kbanswer.registry``) is answered from the records this user may read
   (``caunoi.registry.selectors.record_list`` with the entity's audience rule), with the
   list and a link to the filtered registry page.
2. Otherwise the passages are retrieved by the search service's ranking with the user's
   reader (``caunoi.search.ranking.rank``, kind ``passages``): the index filters by audience
   itself, and the passages are read again through ``passages_for(user)``, so nothing the
   user may not read is ever quoted. ``kbanswer.answer`` picks the supporting sentences or
   abstains; the weights and thresholds are those calibrated by bench/kb/answer.py.

Follow-up questions: ``history`` is the conversation's earlier questions (oldest first; the
chat page keeps them in the session, API callers send them). A question that leans on the
previous one ("Còn với Nhật Bản?", "What about 2026?", few content words, or a pronoun)
inherits its registry intent with the new country or year, or is retrieved together with it.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

import numpy as np
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from caunoi.core.audience import reader_for
from caunoi.kb.models import Passage
from caunoi.kb.search import KIND as PASSAGES
from caunoi.kb.selectors import passages_for
from caunoi.kb.sentences import DIM
from kbanswer import (
    Candidate,
    Config,
    RegistryIntent,
    analyze,
    answer,
    named_date_field,
    parse_registry_question,
)
from kbanswer.question import words
from vntext import find_legal_refs, search_key

MAX_QUESTION_CHARS = 1000
CANDIDATES = 5  # passages the answer is chosen from (bench/kb/answer.py)
LIST_LIMIT = 20  # registry records listed in an answer
HISTORY = 5  # earlier questions kept in a conversation
# Calibrated by bench/kb/answer.py on the tuning questions of the public QA sets (UIT's
# train split, XQuAD's first half; docs/assistant.md, Quality; bench/results/kb_answer.json):
# the ordering mixes content words, embeddings and the retrieval score; abstention is the
# answerability check, a logistic weighting of kbanswer.CHECK_FEATURES per question language
# (the check for English questions refitted with the lexicon's translated words counted)
# (the a_* support and its thresholds are the fallback the check replaced, kept for the
# ablation).
CONFIG = Config(
    w_lexical=0.55,
    w_bigram=0.15,
    w_semantic=0.5,
    w_cue=0.12,
    w_retrieval=0.25,
    w_rank=0.1,
    semantic_floor=0.75,
    a_lexical=1.0,
    a_bigram=0.0,
    a_semantic=0.5,
    a_cue=0.0,
    a_lexical_foreign=0.5,
    a_semantic_foreign=2.0,
    abstain_below=0.73,
    abstain_below_foreign=0.35,
    w_aligned=0.0,
    align_floor=0.75,
    check=(
        -4.3365, 1.4518, 0.2131, 3.6019, 0.5689, -0.4391, 0.3132, -0.1309, 0.5839, 0.0, 10.7875,
        2.3742,
    ),
    check_foreign=(
        -2.8976, 2.5063, 0.0, 3.3721, 0.1675, -0.1708, 0.7975, -0.7506, 0.8101, 0.0429, 7.4951,
        3.7737,
    ),
    check_below=0.62,
    check_below_foreign=0.51,
)  # fmt: skip
ABSTAIN = "Không đủ căn cứ để trả lời"
ABSTAIN_EN = "Not enough grounds to answer"


def abstention(question: str) -> str:
    """The abstention's text in the question's language (English for a question that is
    not Vietnamese, ``kbanswer.analyze``'s reading), whatever the interface language."""
    return ABSTAIN_EN if question and analyze(question).foreign else ABSTAIN


# A question that leans on the previous one: it opens with "còn" / "what about", or refers
# to it by a pronoun (as written: folded, "đó" would be "do", and "do" is "because").
_FOLLOW_UP_START = re.compile(r"^(?:con|the con|vay con|what about|how about|and)\b")
# The opening words of a follow-up, left out before it is read as a registry question ("What
# about Japan?": "about" would make it a question about a text).
_FOLLOW_UP_OPENER = re.compile(
    r"^\s*(?:thế còn|the con|vậy còn|vay con|còn|con|what about|how about|and)(?!\w)[\s,:]*",
    re.IGNORECASE,
)
_FOLLOW_UP_WORD = re.compile(r"(?<!\w)(?:nó|chúng|it|its|they|them|those)(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    document: int
    title: str
    page: int | None
    quote: str
    label: str = ""  # article or clause ("Điều 5")
    url: str = ""  # the document page at the highlighted span
    passage: int | None = None
    start: int = 0  # span of the quote in the document's clean text
    end: int = 0
    # The question's terms in the quote (spans of ``quote``): names, numbers and, for an
    # English question over Vietnamese text, the words aligned with its terms.
    highlights: tuple[tuple[int, int], ...] = ()

    def marked(self) -> list[tuple[str, bool]]:
        """The quote in pieces, each with whether it is a highlighted term (for templates)."""
        out: list[tuple[str, bool]] = []
        at = 0
        for a, b in self.highlights:
            if a > at:
                out.append((self.quote[at:a], False))
            out.append((self.quote[a:b], True))
            at = b
        if at < len(self.quote):
            out.append((self.quote[at:], False))
        return out


@dataclass(frozen=True)
class RegistryRow:
    title: str
    url: str
    detail: str = ""


@dataclass
class Reply:
    question: str
    answer: str
    citations: list[Citation]
    abstained: bool
    closest: list[Citation] = field(default_factory=list)
    registry: RegistryIntent | None = None
    registry_rows: list[RegistryRow] = field(default_factory=list)
    registry_count: int | None = None
    registry_url: str = ""
    follow_up_of: str = ""  # the earlier question this one was read with
    composed: bool = False  # the answer is the optional composer's (caunoi.kb.compose)
    note: str = ""  # why a composed answer was not used

    def as_json(self) -> dict[str, Any]:
        """The contract shape (ARCHITECTURE.md, ``caunoi ask``)."""
        out: dict[str, Any] = {
            "answer": self.answer,
            "citations": [
                {
                    "document": c.document,
                    "title": c.title,
                    "page": c.page,
                    "quote": c.quote,
                    "highlights": [list(h) for h in c.highlights],
                }
                for c in self.citations
            ],
            "abstained": self.abstained,
        }
        if self.registry is not None:
            out["registry"] = {
                "entity": self.registry.entity,
                "operation": self.registry.operation,
                "count": self.registry_count,
                "url": self.registry_url,
                "items": [{"title": r.title, "url": r.url} for r in self.registry_rows],
            }
        if self.composed or self.note:  # only with the composer configured
            out["composed"] = self.composed
            out["note"] = self.note
        if self.abstained:
            out["closest"] = [
                {"document": c.document, "title": c.title, "page": c.page, "quote": c.quote}
                for c in self.closest
            ]
        return out


def is_follow_up(question: str) -> bool:
    folded = " ".join(words(question))
    return (
        bool(_FOLLOW_UP_START.search(folded))
        or bool(_FOLLOW_UP_WORD.search(question))
        or len(analyze(question).terms) <= 2
    )


# --- the registry -------------------------------------------------------------------------


def _merge_intent(previous: RegistryIntent, question: str) -> RegistryIntent | None:
    """A follow-up of a registry question: its filters, with what the new question names (a
    year keeps the previous question's date unless the follow-up names another: "Which
    agreements expire in 2027?" then "Thế còn năm 2026?" asks for expiry in 2026)."""
    rest = _FOLLOW_UP_OPENER.sub("", question)
    probe = parse_registry_question(f"danh sách {previous.entity} {rest}")
    if probe is None:
        return None
    changes: dict[str, Any] = {}
    if probe.countries:
        changes["countries"] = probe.countries
    if probe.year_from is not None or probe.year_to is not None:
        changes.update(
            year_from=probe.year_from,
            year_to=probe.year_to,
            date_field=named_date_field(rest, previous.entity)
            or previous.date_field
            or probe.date_field,
        )
    if probe.status:
        changes["status"] = probe.status
    if probe.kind:
        changes["kind"] = probe.kind
    if not changes:
        return None
    return replace(previous, **changes)


_DATE_FIELDS = {
    ("agreements", "signed"): ("signed_on",),
    ("agreements", "expires"): ("expires_on",),
    ("agreements", "date"): ("signed_on",),
    ("projects", "starts"): ("actual_start", "planned_start"),
    ("projects", "ends"): ("actual_end", "planned_end"),
    ("projects", "signed"): ("actual_start", "planned_start"),
    ("projects", "date"): ("actual_start", "planned_start"),
}


# The list page's year filters (``caunoi.registry.selectors.record_list``).
_YEAR_PARAMS = ("year", "year_from", "year_to", "expires", "expires_from", "expires_to")


def _basis_number(basis: str) -> str:
    """The number of a legal basis given without its code ("Quyết định 1851" → "1851"), or ""
    when a code is given ("1851/QĐ-TTg": compared whole)."""
    if "/" in basis or "-" in basis:
        return ""
    m = re.search(r"\d+", basis)
    return m.group(0) if m else ""


def _date_fields(intent: RegistryIntent) -> tuple[str, ...]:
    """The dates a question's year applies to: the named one, else the list's own date
    (delegations and events ``start_on``, memberships ``since``); none for partners."""
    from caunoi.registry.entities import ENTITIES

    if not intent.date_field:
        return ()
    own = ENTITIES[intent.entity].date_field
    return _DATE_FIELDS.get((intent.entity, intent.date_field), (own,) if own else ())


def _registry(user: Any, intent: RegistryIntent) -> tuple[QuerySet[Any], dict[str, str]]:
    from caunoi.registry.entities import ENTITIES
    from caunoi.registry.selectors import record_list

    entity = ENTITIES[intent.entity]
    params: dict[str, str] = {}
    if intent.countries:  # the list page filters by each of them (records linked to all)
        params["country"] = ",".join(intent.countries)
    filter_names = {f.param for f in entity.filters}
    if intent.kind and "kind" in filter_names:
        params["kind"] = intent.kind
    if intent.status and "status" in filter_names:
        params["status"] = intent.status
    if intent.direction and "direction" in filter_names:
        params["direction"] = intent.direction  # đoàn ra / đoàn vào
    fields = _date_fields(intent)
    # The list page filters by its own date and by the expiry date, a year or a range of
    # years: the link then holds exactly what is counted.
    prefix = ""
    if fields and fields == (entity.date_field,):
        prefix = "year"
    elif intent.date_field == "expires" and fields == (entity.expiry_field,):
        prefix = "expires"
    if prefix and intent.year_from is not None and intent.year_from == intent.year_to:
        params[prefix] = str(intent.year_from)
    elif prefix:
        for suffix, bound in (("_from", intent.year_from), ("_to", intent.year_to)):
            if bound is not None:
                params[prefix + suffix] = str(bound)
    if intent.signed and entity.signed_field:
        params["signed"] = "1"  # "đã ký": only what was signed, not what is negotiated
    if intent.legal_basis and intent.entity == "agreements":
        # the list page's search finds the basis's number; the exact comparison below keeps
        # the records that have it as their legal basis
        params["q"] = _basis_number(intent.legal_basis) or intent.legal_basis
    qs, applied = record_list(entity=entity, user=user, params=params)
    if fields and not set(applied) & set(_YEAR_PARAMS):
        for bound, op in ((intent.year_from, "gte"), (intent.year_to, "lte")):
            if bound is None:
                continue
            q = Q()
            for f in fields:
                q |= Q(**{f"{f}__year__{op}": bound})
            qs = qs.filter(q)
    if intent.legal_basis:
        column = "legal_basis" if intent.entity == "agreements" else "agreement__legal_basis"
        digits = re.search(r"\d+", intent.legal_basis)
        if digits:  # narrow in SQL by the number, then compare folded (QĐ / QD)
            qs = qs.filter(**{f"{column}__contains": digits.group(0)})
        number = _basis_number(intent.legal_basis)
        if number:  # no code given ("Quyết định 1851"): the number, as a whole number
            whole = re.compile(rf"(?<!\d){number}(?!\d)")
            keep = [pk for pk, basis in qs.values_list("pk", column) if whole.search(basis or "")]
        else:
            key = search_key(intent.legal_basis).replace(" ", "")
            keep = [
                pk
                for pk, basis in qs.values_list("pk", column)
                if key in search_key(basis or "").replace(" ", "")
            ]
        qs = qs.filter(pk__in=keep)
    return qs.distinct(), applied


def _registry_reply(user: Any, question: str, intent: RegistryIntent, of: str) -> Reply:
    from caunoi.registry.selectors import record_title

    qs, applied = _registry(user, intent)
    count = qs.count()
    rows = [
        RegistryRow(title=record_title(user, obj), url=obj.get_absolute_url())
        for obj in qs[:LIST_LIMIT]
    ]
    url = reverse("entity-list", args=[intent.entity])
    shown = {k: v for k, v in applied.items() if k != "sort"}  # the list's default order
    if shown:
        url += "?" + urlencode(shown)
    label = _registry_label(intent.entity)
    text = _("%(count)d %(records)s match.") % {"count": count, "records": label}
    if intent.operation == "list" and rows:
        text += " " + "; ".join(r.title for r in rows)
        if count > len(rows):
            text += " …"
    if intent.date_field and not _date_fields(intent):
        text += " " + _("The year could not be applied: these records have no date to filter.")
    elif _date_fields(intent) and not set(applied) & set(_YEAR_PARAMS):
        # counted on dates the list page does not filter by (a project's actual or planned
        # start): say that its list holds more than was counted
        text += " " + _("The linked list is not filtered by the year.")
    if intent.direction and "direction" not in applied:
        text += " " + _("The direction could not be applied to these records.")
    return Reply(
        question=question,
        answer=text,
        citations=[],
        abstained=False,
        registry=intent,
        registry_rows=rows,
        registry_count=count,
        registry_url=url,
        follow_up_of=of,
    )


def _registry_label(slug: str) -> str:
    from caunoi.registry.entities import ENTITIES

    return str(ENTITIES[slug].model._meta.verbose_name_plural)


# --- the knowledge base --------------------------------------------------------------------


def _citation(passage: Passage, start: int = 0, end: int | None = None) -> Citation:
    end = len(passage.text) if end is None else end
    doc = passage.document
    a, b = passage.start + start, passage.start + end
    url = f"{doc.get_absolute_url()}?{urlencode({'hl': f'{a}-{b}'})}#p{passage.ordinal}"
    return Citation(
        document=doc.pk,
        title=doc.title,
        page=passage.page,
        quote=passage.text[start:end],
        label=passage.label,
        url=url,
        passage=passage.pk,
        start=a,
        end=b,
    )


def retrieve(user: Any, query: str, limit: int = CANDIDATES) -> list[tuple[Passage, float]]:
    """The passages this user may read that best match the query, with their scores."""
    from caunoi.search import ranking
    from caunoi.search.models import SearchDocument

    ranked, _plan = ranking.rank(
        query, mode="hybrid", limit=100, reader=reader_for(user), kinds=[PASSAGES]
    )
    named = _named_documents(query)
    ranked = [r for r in ranked if r.strong][: limit * (4 if named else 2)]
    by_doc = dict(
        SearchDocument.objects.filter(pk__in=[r.doc_id for r in ranked], kind=PASSAGES).values_list(
            "pk", "object_id"
        )
    )
    wanted = [(by_doc[r.doc_id], r.score) for r in ranked if r.doc_id in by_doc]
    # Read again through the audience rule: an index lagging behind a change of audience
    # never shows a passage its reader may no longer read.
    passages = passages_for(user).select_related("document").in_bulk([pk for pk, _ in wanted])
    out = [(passages[pk], score) for pk, score in wanted if pk in passages]
    return named_first(out, named)[:limit]


def named_first(found: list[tuple[Passage, float]], named: set[str]) -> list[tuple[Passage, float]]:
    """A question that names a document ("Quyết định 1851/QĐ-TTg phê duyệt đề án gì?") is
    answered from that document or from passages that cite it: they come first, in their
    ranked order, before passages that only resemble the question (on the full demo another
    decision "phê duyệt dự án" filled every candidate place on meaning alone)."""
    if not named:
        return found
    return sorted(found, key=lambda ps: not _names_any(ps[0], named))


def _named_documents(text: str) -> set[str]:
    """The numbers of the documents a text refers to ("1851/QĐ-TTg"), compared folded."""
    return {_number_key(r.number) for r in find_legal_refs(text) if r.number}


def _number_key(number: str) -> str:
    return search_key(number).replace(" ", "")


def _names_any(passage: Passage, named: set[str]) -> bool:
    if passage.document.number and _number_key(passage.document.number) in named:
        return True
    return bool(_named_documents(passage.text) & named)


# sentence → embedding, this process: the sentences of passages without stored vectors
_VECTORS: OrderedDict[str, np.ndarray] = OrderedDict()
VECTOR_CACHE = 50_000  # sentences (about 75 MB): the passages asked about come back


def _sentence_vectors(texts: Sequence[str]) -> np.ndarray | None:
    """The embeddings of these sentences (``passage:`` prefix), computed once per process:
    the fallback for passages whose vectors are not stored yet (``_stored_vectors``)."""
    from caunoi.search import dense

    missing = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
    if missing:
        try:
            computed = dense.embed_passages(missing)
        except Exception:  # no engine: the lexical signals still answer Vietnamese questions
            return None
        for t, v in zip(missing, computed, strict=True):
            _VECTORS[t] = v
        while len(_VECTORS) > VECTOR_CACHE:
            _VECTORS.popitem(last=False)
    for t in texts:
        _VECTORS.move_to_end(t)
    return np.stack([_VECTORS[t] for t in texts])


def _stored_vectors(
    found: Sequence[tuple[Passage, float]], spans: Sequence[Sequence[tuple[int, int]]]
) -> dict[int, np.ndarray] | None:
    """The candidates' sentence vectors stored after ingestion (``caunoi.kb.sentences``), by
    passage id, those whose text, spans and engine still match; None without an engine."""
    from caunoi.kb import sentences

    engine = sentences.engine_ident()
    if engine is None:
        return None
    items = [(p.pk, p.text, s) for (p, _score), s in zip(found, spans, strict=True)]
    return sentences.stored(items, engine)


def _question_vector(text: str) -> np.ndarray | None:
    from caunoi.search import dense

    try:
        return dense.embed_query(text)
    except Exception:
        return None


# word → ``query:`` embedding, least recently used first: an English question's terms and
# the cited sentences' words its marks compare them with. The Vietnamese words of the cited
# sentences are few (syllables and their pairs), so most come back; 1.5 kB each.
_WORDS: OrderedDict[str, np.ndarray] = OrderedDict()
WORD_CACHE = 20_000  # about 30 MB


def _query_vectors(texts: Sequence[str]) -> np.ndarray:
    """Short texts (a question's terms, a sentence's words) embedded on the ``query:`` side,
    the missing ones in one call, kept per process (``_WORDS``, bounded, least recently used
    dropped first)."""
    from caunoi.search import dense

    missing = [t for t in dict.fromkeys(texts) if t not in _WORDS]
    if missing:
        for t, v in zip(missing, dense.model().embed(missing, True), strict=True):
            _WORDS[t] = np.asarray(v, dtype=np.float32)
    for t in texts:
        _WORDS.move_to_end(t)
    out = np.stack([_WORDS[t] for t in texts])
    while len(_WORDS) > WORD_CACHE:
        _WORDS.popitem(last=False)
    return out


def _term_vectors(question: str) -> dict[str, np.ndarray] | None:
    """An English question's terms that are not names or numbers, embedded: what the
    cross-lingual alignment compares with the Vietnamese sentences (bench/kb/answer.py)."""
    q = analyze(question)
    if not q.foreign:
        return None
    names = set(q.names)
    terms = [t for t in q.terms if t.isalpha() and t not in names and len(t) > 2]
    if not terms:
        return None
    try:
        return dict(zip(terms, _query_vectors(terms), strict=True))
    except Exception:  # no engine: names and numbers still carry across
        return None


def _mark_embedder(question: Any, quotes: Sequence[str]) -> Any:
    """For an English question's marks: the words of all the cited sentences that ``marks``
    compares (``kbanswer.mark_grams``: at most ``MARK_GRAMS`` a sentence) embedded in one
    call, cached words aside; ``marks`` then looks them up. None without an engine."""
    from kbanswer import mark_grams

    words_ = list(dict.fromkeys(q[a:b] for q in quotes for a, b in mark_grams(question, q)))
    if not words_:
        return None
    try:
        lookup = dict(zip(words_, _query_vectors(words_), strict=True))
    except Exception:  # no engine: the names and numbers are still marked
        return None
    return lambda texts: np.stack([lookup[t] for t in texts])


def _kb_reply(user: Any, question: str, query: str, of: str) -> Reply:
    from kbanswer import marks, retrieval_query, split

    # An English question is retrieved with its words' Vietnamese renderings too
    # (kbanswer.retrieval_query: the lexicon), so the lexical ranking meets Vietnamese text.
    found = retrieve(user, retrieval_query(query))
    candidates: list[Candidate] = []
    spans = [split(passage.text) for passage, _score in found]
    # The sentence vectors stored after ingestion; a passage that has none yet (its
    # background step has not run, or it was written with another engine or other
    # splitting rules) has its sentences embedded now, as before they were stored.
    stored = _stored_vectors(found, spans) if found else None
    vectors: dict[int, np.ndarray] | None = None
    if stored is not None:
        pending = [
            passage.text[a:b]
            for (passage, _score), s in zip(found, spans, strict=True)
            if passage.pk not in stored
            for a, b in s
        ]
        fresh = _sentence_vectors(pending) if pending else np.zeros((0, DIM), np.float32)
        if fresh is not None:
            vectors, at = dict(stored), 0
            for (passage, _score), s in zip(found, spans, strict=True):
                if passage.pk not in stored:
                    vectors[passage.pk] = fresh[at : at + len(s)]
                    at += len(s)
    # Retrieval reads a follow-up with the previous question; the sentences are scored
    # against what is asked now.
    qv = _question_vector(question) if vectors is not None else None
    by_key: dict[str, Passage] = {}
    for passage, score in found:
        vecs = vectors.get(passage.pk) if vectors is not None else None
        key = str(passage.pk)
        by_key[key] = passage
        candidates.append(
            Candidate(
                key=key,
                text=passage.text,
                score=score,
                document=str(passage.document_id),
                title=passage.document.title,
                page=passage.page,
                label=passage.label,
                offset=passage.start,
                sentence_vectors=vecs,
                context=passage.document.number,
            )
        )
    tv = _term_vectors(question) if qv is not None else None
    result = answer(question, candidates, question_vector=qv, term_vectors=tv, config=CONFIG)
    if result.abstained:
        closest = [_citation(by_key[c.key]) for c in result.closest]
        return Reply(question, abstention(question), [], True, closest=closest, follow_up_of=of)
    cited = [_citation(by_key[s.candidate.key], s.start, s.end) for s in result.supports]
    embed = _mark_embedder(result.question, [c.quote for c in cited]) if tv else None
    citations = [
        replace(c, highlights=tuple(marks(result.question, c.quote, term_vectors=tv, embed=embed)))
        for c in cited
    ]
    reply = Reply(
        question=question,
        answer=" ".join(c.quote for c in citations),
        citations=citations,
        abstained=False,
        follow_up_of=of,
    )
    from caunoi.kb import compose

    if compose.enabled():  # the optional composer, kept only when its citations hold
        reply = compose.apply(reply, question, [p for p, _s in found], _citation)
    return reply


def ask(user: Any, question: str, *, history: Sequence[str] = ()) -> Reply:
    """Answer one question for this user (anonymous visitors: public sources only)."""
    question = " ".join((question or "").split())[:MAX_QUESTION_CHARS]
    previous = [h for h in (" ".join(str(x).split()) for x in history[-HISTORY:]) if h]
    if not question:
        return Reply(question, ABSTAIN, [], True)
    intent = parse_registry_question(question)
    if intent is not None:
        return _registry_reply(user, question, intent, "")
    last = previous[-1] if previous else ""
    if last and is_follow_up(question):
        earlier = parse_registry_question(last)
        if earlier is not None:
            merged = _merge_intent(earlier, question)
            if merged is not None:
                return _registry_reply(user, question, merged, last)
        return _kb_reply(user, question, f"{last} {question}", last)
    return _kb_reply(user, question, question, "")
