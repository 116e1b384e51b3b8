"""Knowledge-base pages under /kb/: the document list and the document page."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caunoi.kb import selectors


def document_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.documents_for(request.user)
    page = Paginator(qs, settings.CAUNOI_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kb/list.html", {"page": page})


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk)
    passages = document.passages.all()
    return render(request, "kb/detail.html", {"document": document, "passages": passages})
