"""One import entry for both kinds: ``imports.import_records(kind, ...)``; the names of the
two kinds (``import_offers``, ``import_requests``) are that function with its kind."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.core.errors import DomainError
from caunoi.market.imports import import_offers, import_records, import_requests
from caunoi.market.models import Status, TechnologyOffer, TechnologyRequest

pytestmark = pytest.mark.django_db


def test_the_kind_chooses_the_model_and_its_columns(owner: Any, taxonomy: Any) -> None:
    offer = import_records("offers", user=owner, rows=[{"title_vi": "Pin natri-ion", "trl": "4"}])
    assert offer.ok and offer.entity == "offers" and offer.created == 1
    assert TechnologyOffer.objects.get(title_vi="Pin natri-ion").status == Status.PUBLISHED
    # `need` is a request's column, not an offer's: the same row is refused as an offer
    row = {"title_vi": "Cần máy sấy cà phê", "need": "Sấy cà phê bằng năng lượng mặt trời"}
    refused = import_records("offers", user=owner, rows=[row])
    assert not refused.ok and (1, "need") in {(e.row, e.field) for e in refused.errors}
    request = import_records("requests", user=owner, rows=[row], dry_run=True)
    assert request.ok and request.entity == "requests" and request.created == 1
    assert not TechnologyRequest.objects.exists()  # check only


def test_an_unknown_kind_is_refused(owner: Any, taxonomy: Any) -> None:
    with pytest.raises(DomainError) as caught:
        import_records("targets", user=owner, rows=[{"name": "Nguyễn Văn An"}])
    assert "kind" in (caught.value.errors or {})


def test_the_named_kinds_are_the_same_import(owner: Any, taxonomy: Any) -> None:
    rows = [{"title_vi": "Cần cảm biến độ mặn", "need": "Đo độ mặn ao tôm"}]
    report = import_requests(user=owner, rows=rows, dry_run=True)
    assert report.entity == "requests" and report.created == 1
    assert import_offers(user=owner, rows=[]).errors[0].message  # no data rows
    with pytest.raises(DomainError):
        import_offers(user=None, rows=rows)  # type: ignore[arg-type]
