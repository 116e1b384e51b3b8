"""The assistant's chat page, /kb/ask/: one conversation per session.

GET shows the conversation; POST asks (htmx swaps in the new exchange, a plain form post
redirects back); POST with ``reset`` starts a new conversation. The conversation's earlier
questions are the context of a follow-up (``caunoi.kb.assistant.ask``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from caunoi.kb.assistant import HISTORY, MAX_QUESTION_CHARS, Reply, ask

SESSION_KEY = "kb_ask"
KEPT = 10  # exchanges shown on the page


def _conversation(request: HttpRequest) -> list[dict[str, Any]]:
    value = request.session.get(SESSION_KEY)
    return value if isinstance(value, list) else []


def _stored(reply: Reply) -> dict[str, Any]:
    """What the page shows of one exchange (JSON-serialisable for the session)."""
    return {
        "question": reply.question,
        "answer": reply.answer,
        "abstained": reply.abstained,
        "citations": [
            {
                "title": c.title,
                "page": c.page,
                "label": c.label,
                "quote": c.quote,
                "url": c.url,
                "marked": [[piece, hit] for piece, hit in c.marked()],  # the terms marked
            }
            for c in reply.citations
        ],
        "closest": [
            {"title": c.title, "page": c.page, "label": c.label, "quote": c.quote, "url": c.url}
            for c in reply.closest
        ],
        "registry_url": reply.registry_url,
        "registry_count": reply.registry_count,
        "registry_rows": [{"title": r.title, "url": r.url} for r in reply.registry_rows],
        "follow_up_of": reply.follow_up_of,
        "composed": reply.composed,
        "note": reply.note,
    }


@require_http_methods(["GET", "POST"])
def ask_page(request: HttpRequest) -> HttpResponse:
    conversation = _conversation(request)
    if request.method == "POST":
        if request.POST.get("reset"):
            request.session[SESSION_KEY] = []
            return redirect("kb:ask")
        question = " ".join(request.POST.get("q", "").split())
        error = question_error(question)
        if error:  # said, as the API says it (422 there), and nothing asked
            if request.headers.get("HX-Request"):
                response = render(request, "kb/ask_error.html", {"error": error}, status=400)
                response["HX-Retarget"] = "#ask-error"
                response["HX-Reswap"] = "outerHTML"
                return response
            context = {
                "conversation": conversation,
                "max_chars": MAX_QUESTION_CHARS,
                "error": error,
                "question": question,
            }
            return render(request, "kb/ask.html", context, status=400)
        history = [x["question"] for x in conversation][-HISTORY:]
        exchange = _stored(ask(request.user, question, history=history))
        conversation = [*conversation, exchange][-KEPT:]
        request.session[SESSION_KEY] = conversation
        if request.headers.get("HX-Request"):
            return render(request, "kb/ask_exchange.html", {"x": exchange, "clear_error": True})
        return redirect("kb:ask")
    return render(
        request,
        "kb/ask.html",
        {"conversation": conversation, "max_chars": MAX_QUESTION_CHARS},
    )


def question_error(question: str) -> str:
    """Why a question (its spaces collapsed) cannot be asked, in the API's words, or ""."""
    if not question:
        return _("This field cannot be empty.")
    if len(question) > MAX_QUESTION_CHARS:
        limit = MAX_QUESTION_CHARS
        return ngettext("At most %(limit)d character.", "At most %(limit)d characters.", limit) % {
            "limit": limit
        }
    return ""
