"""The assistant's optional composer: a fluent answer from an OpenAI-compatible endpoint,
kept only when its citations hold.

Off unless the operator sets ``CAUNOI_ASSISTANT_LLM_URL`` (and ``_MODEL``, ``_KEY``,
``_TIMEOUT``; docs/operations.md). When it is on and the extractive answer did not abstain
(``caunoi.kb.assistant``: the composer never answers what the sources do not support), the
question and the retrieved passages, numbered and each with its citation (title, article or
page), are sent to ``POST {URL}/v1/chat/completions``, asking for an answer whose every
sentence ends with the numbers of the passages it rests on ("[1]", "[2][3]").

The reply is checked before it replaces anything. It is split into claims, each the text up
to a group of citation markers; it is rejected when

- a claim cites no passage, or cites a number that was not sent;
- a claim is not supported by the passages it cites: a number or a name (a capitalised word
  past the claim's first) that none of them contains, or, for a claim in Vietnamese, under
  ``SUPPORT_MIN`` of its content words (folded syllables, stop words aside) found in them;
  a claim in another language has no words to compare, so besides its numbers and the
  Vietnamese names of the countries it names, the cosine between its embedding and the
  closest sentence of the cited passages must reach ``COSINE_MIN`` (without the embedding
  engine such a claim is rejected);
- it is empty, says ``NO_ANSWER``, or is longer than ``MAX_CHARS``.

A rejected reply, an unreachable endpoint, a timeout, an error status or a malformed body all
give the extractive answer unchanged, with a note saying why (``Reply.note``). A kept reply
is the answer, its markers renumbered in order of first use; each citation is the sentence
of the cited passage that shares the most words with the claims citing it, so the links go
to a highlighted span as the extractive answer's do.

Only the standard library's HTTP client is used: one POST needs no SDK.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kbanswer import analyze, split
from kbanswer.question import code_parts, part_of, words
from vntext import find_countries

logger = logging.getLogger(__name__)

SUPPORT_MIN = 0.6  # share of a Vietnamese claim's content words its passages must hold
COSINE_MIN = 0.82  # a claim in another language and its closest cited sentence (e5)
MAX_CHARS = 1200  # a longer composed answer is not an answer to one question
MAX_RESPONSE_BYTES = 256 * 1024
NO_ANSWER = "NO_ANSWER"

SYSTEM_PROMPT = (
    "You answer questions about Vietnamese international science and technology cooperation "
    "using only the numbered passages you are given. Answer in the language of the question, "
    "briefly, in at most four sentences. End every sentence with the number of each passage "
    "it rests on in square brackets, for example [1] or [2][3]. Do not add anything the "
    f"passages do not say. If they do not answer the question, reply exactly {NO_ANSWER}."
)

_MARKERS = re.compile(r"(?:\s*\[\s*\d+(?:\s*,\s*\d+)*\s*\])+[.!?;:]*")
_NUMBER = re.compile(r"\d+")
# A whole token, codes included ("45/QĐ-BKHCN" is one, as ``words`` keeps it); it is a name
# when its first letter is upper case (``str.isupper``: a range such as À-Ỹ would take the
# lower-case accented letters between the upper-case ones, "định" among them).
_TOKEN = re.compile(r"(?<![\w/.-])\w(?:[\w/.-]*\w)?")


@dataclass(frozen=True)
class Claim:
    text: str  # without its markers
    cites: tuple[int, ...]  # 1-based passage numbers, as written
    end: str = ""  # the punctuation after its markers


@dataclass
class Outcome:
    """What the composer made of one question: ``text`` and ``cited`` when it is kept,
    otherwise ``note`` says why not."""

    text: str = ""
    cited: list[tuple[int, int, int]] = field(default_factory=list)  # (passage index, start, end)
    note: str = ""


def enabled() -> bool:
    return bool(getattr(settings, "CAUNOI_ASSISTANT_LLM_URL", ""))


def endpoint() -> str:
    url = str(settings.CAUNOI_ASSISTANT_LLM_URL).rstrip("/")
    if url.endswith("/chat/completions"):
        return url
    if url.endswith("/v1"):
        return f"{url}/chat/completions"
    return f"{url}/v1/chat/completions"


def prompt(question: str, sources: Sequence[tuple[str, str]]) -> str:
    """The user message: the question, then each passage as ``[n] citation: text``."""
    lines = [f"Question: {question}", "", "Passages:"]
    for n, (citation, text) in enumerate(sources, start=1):
        lines.append(f"[{n}] {citation}: {text}")
    return "\n".join(lines)


def request(question: str, sources: Sequence[tuple[str, str]]) -> str:
    """The endpoint's answer text; raises ``OSError`` or ``ValueError`` when there is none."""
    body = {
        "model": settings.CAUNOI_ASSISTANT_LLM_MODEL,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": prompt(question, sources)},
        ],
        "temperature": 0,
        "max_tokens": 500,
    }
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if settings.CAUNOI_ASSISTANT_LLM_KEY:
        headers["Authorization"] = f"Bearer {settings.CAUNOI_ASSISTANT_LLM_KEY}"
    req = urllib.request.Request(
        endpoint(), data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    with urllib.request.urlopen(req, timeout=settings.CAUNOI_ASSISTANT_LLM_TIMEOUT) as resp:
        raw = resp.read(MAX_RESPONSE_BYTES + 1)
    if len(raw) > MAX_RESPONSE_BYTES:
        raise ValueError("response too large")
    data = json.loads(raw)
    content = data["choices"][0]["message"]["content"]
    if not isinstance(content, str):
        raise ValueError("no text in the response")
    return content.strip()


def claims(text: str) -> tuple[list[Claim], str]:
    """The claims of a composed answer, and the text after the last marker (uncited)."""
    out: list[Claim] = []
    at = 0
    for m in _MARKERS.finditer(text):
        marks = m.group(0)
        numbers = tuple(int(n) for n in _NUMBER.findall(marks))
        end = marks[len(marks.rstrip(".!?;:")) :]
        claim = text[at : m.start()].strip()
        at = m.end()
        if not claim and out:  # "[1] [2]" after one claim: more numbers for it
            last = out[-1]
            out[-1] = Claim(last.text, last.cites + numbers, last.end + end)
            continue
        out.append(Claim(claim, numbers, end))
    return out, text[at:].strip()


def _is_name(token: str) -> bool:
    letter = next((c for c in token if c.isalpha()), "")
    return letter.isupper()


def _names(text: str) -> list[str]:
    tokens = [m.group(0) for m in _TOKEN.finditer(text)]
    if tokens and text.lstrip().startswith(tokens[0]):
        tokens = tokens[1:]  # a sentence's first word is capitalised anyway
    return [w for t in tokens if _is_name(t) for w in words(t)]


def _held(name: str, held: set[str]) -> bool:
    """Whether a folded name is one of the passages' words or, for a code, a run of one's
    separated pieces ("qd-bkhcn" of "45/qd-bkhcn")."""
    return name in held or any(part_of(name, h) for h in held if code_parts(h) != (h,))


def supported(claim: str, passages: Sequence[str], cosine: float | None = None) -> bool:
    """Whether these passages (the ones the claim cites) support it: its numbers and names
    are in them and, for a Vietnamese claim, most of its content words; for a claim in
    another language, the Vietnamese names of the countries it names are in them and
    ``cosine`` (its closest cited sentence) reaches ``COSINE_MIN``."""
    held = {w for p in passages for w in words(p)}
    held_numbers = {n for p in passages for n in _NUMBER.findall(p.replace(".", ""))}
    q = analyze(claim)
    if not q.terms:
        return False
    if any(n not in held_numbers for n in _NUMBER.findall(claim.replace(".", ""))):
        return False
    if q.foreign:  # its names are in another language: the countries it names must hold
        for m in find_countries(claim):
            if any(w not in held for w in words(m.name)):
                return False
        return cosine is not None and cosine >= COSINE_MIN
    if any(not _held(n, held) for n in _names(claim)):
        return False
    found = sum(1 for t in q.terms if t in held)
    return found / len(q.terms) >= SUPPORT_MIN


def _best_sentence(text: str, claim_texts: Sequence[str]) -> tuple[int, int]:
    wanted = {w for c in claim_texts for w in words(c)}
    spans = split(text) or [(0, len(text))]
    return max(spans, key=lambda s: (len(wanted & set(words(text[s[0] : s[1]]))), -s[0]))


def _cosine(claim: str, sentences: Sequence[str]) -> float | None:
    """The largest cosine between a claim and these sentences (e5, ``passage:`` prefix for
    both: the same kind of text), or None without the embedding engine."""
    from caunoi.search import dense

    try:
        vecs = dense.embed_passages([claim, *sentences])
    except Exception:
        return None
    if len(sentences) == 0:
        return None
    return float((vecs[1:] @ vecs[0]).max())


def compose(
    question: str,
    sources: Sequence[tuple[str, str]],
    call: Callable[[str, Sequence[tuple[str, str]]], str] = request,
) -> Outcome:
    """Ask the endpoint for an answer over these ``(citation, text)`` passages and check it."""
    try:
        text = call(question, sources)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        logger.warning("composer unavailable: %s", exc)
        return Outcome(note=_("The language model could not be reached; quoted from the sources."))
    if not text or text.strip().rstrip(".") == NO_ANSWER:
        return Outcome(note=_("The language model found no answer; quoted from the sources."))
    if len(text) > MAX_CHARS:
        return Outcome(note=_("The composed answer was too long; quoted from the sources."))
    found, rest = claims(text)
    if not found or analyze(rest).terms:
        logger.warning("composed answer rejected: a sentence cites no passage: %r", text)
        return Outcome(note=_("The composed answer was not used: a sentence cites no passage."))
    for c in found:
        if not c.text or any(n < 1 or n > len(sources) for n in c.cites):
            logger.warning("composed answer rejected: cites a passage not given: %r", text)
            return Outcome(
                note=_("The composed answer was not used: it cites a passage it was not given.")
            )
    for c in found:
        cited = [sources[n - 1][1] for n in dict.fromkeys(c.cites)]
        cosine = None
        if analyze(c.text).foreign:
            sentences = [p[a:b] for p in cited for a, b in (split(p) or [(0, len(p))])]
            cosine = _cosine(c.text, sentences)
        if not supported(c.text, cited, cosine):
            logger.warning("composed answer rejected: unsupported claim %r", c.text)
            return Outcome(
                note=_(
                    "The composed answer was not used: a sentence is not supported by the "
                    "passage it cites."
                )
            )
    order: list[int] = []  # passage numbers in order of first citation
    for c in found:
        for n in c.cites:
            if n not in order:
                order.append(n)
    renumber = {n: i for i, n in enumerate(order, start=1)}
    parts = []
    for c in found:
        marks = "".join(f"[{renumber[n]}]" for n in dict.fromkeys(c.cites))
        parts.append(f"{c.text} {marks}{c.end}")
    spans: list[tuple[int, int, int]] = []
    for n in order:
        text_n = sources[n - 1][1]
        start, end = _best_sentence(text_n, [c.text for c in found if n in c.cites])
        spans.append((n - 1, start, end))
    return Outcome(text=" ".join(parts), cited=spans)


def citation_label(title: str, label: str, page: int | None) -> str:
    """How a passage is named to the endpoint: its title, article and page."""
    out = title
    if label:
        out += f" — {label}"
    if page:
        out += f", tr. {page}"
    return out


def outcome_for(question: str, passages: Sequence[Any]) -> Outcome:
    """The composer over the retrieved ``Passage`` objects (with their documents)."""
    sources = [(citation_label(p.document.title, p.label, p.page), p.text) for p in passages]
    return compose(question, sources)


def apply(reply: Any, question: str, passages: Sequence[Any], citation: Callable[..., Any]) -> Any:
    """The assistant's reply with the composed answer and its citations
    (``citation(passage, start, end)``), or unchanged with the note saying why not."""
    out = outcome_for(question, passages)
    if not out.text:
        return replace(reply, note=out.note)
    cites = [citation(passages[i], a, b) for i, a, b in out.cited]
    return replace(reply, answer=out.text, citations=cites, composed=True)
