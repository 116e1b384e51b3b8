"""Passages are a search source with their document's audience: public, staff or one unit."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.kb.models import Document, Passage
from caunoi.kb.search import index_passages
from caunoi.kb.selectors import documents_for, passages_for
from caunoi.search import service

pytestmark = pytest.mark.django_db


def _doc(title: str, audience: str, unit: Any, text: str) -> Document:
    doc = Document.objects.create(
        title=title,
        audience=audience,
        owner_unit=unit,
        content_hash=title.encode().hex().ljust(64, "0")[:64],
        clean_text=text,
        state="ready",
    )
    index_passages(
        [Passage.objects.create(document=doc, ordinal=0, text=text, start=0, end=len(text))]
    )
    return doc


@pytest.fixture
def docs(units: dict[str, Any]) -> dict[str, Document]:
    return {
        "public": _doc("Công khai", "public", units["htqt"], "Quy chế Zyphorin công khai."),
        "staff": _doc("Nội bộ", "staff", units["htqt"], "Quy chế Zyphorin nội bộ."),
        "unit": _doc("Đơn vị", "unit", units["hanoi"], "Quy chế Zyphorin của đơn vị."),
    }


def _titles(user: Any) -> set[str]:
    result = service.search(user=user, query="Zyphorin", mode="lexical", kinds=["passages"])
    return {h.title for h in result.hits}


def test_passages_are_found_by_their_audience(
    docs: dict[str, Document], admin: Any, owner: Any, other: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert _titles(AnonymousUser()) == {"Công khai"}
    assert _titles(owner) == {"Công khai", "Nội bộ"}  # HTQT staff: not Hà Nội's unit document
    assert _titles(other) == {"Công khai", "Nội bộ", "Đơn vị"}
    assert _titles(admin) == {"Công khai", "Nội bộ", "Đơn vị"}


def test_lists_follow_the_same_rule(docs: dict[str, Document], owner: Any, other: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert set(documents_for(AnonymousUser()).values_list("title", flat=True)) == {"Công khai"}
    assert documents_for(owner).count() == 2
    assert passages_for(other).count() == 3


def test_audience_change_reindexes(docs: dict[str, Document]) -> None:
    from django.contrib.auth.models import AnonymousUser

    doc = docs["staff"]
    doc.audience = "public"
    doc.save()
    index_passages(doc.passages.all())
    assert _titles(AnonymousUser()) == {"Công khai", "Nội bộ"}


def test_deleting_a_document_removes_its_passages_from_search(
    docs: dict[str, Document], admin: Any
) -> None:
    docs["public"].delete()
    assert "Công khai" not in _titles(admin)
