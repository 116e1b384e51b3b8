"""The marketplace import's own limits (a partner exchange's whole database in one file,
above the registry's limits) and its report in Vietnamese only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from caunoi.core.errors import DomainError
from caunoi.market.imports import import_offers, import_upload, read_offers
from caunoi.market.models import TechnologyOffer
from support import login

pytestmark = pytest.mark.django_db


THINGS = ["Cảm biến khí", "Pin natri-ion", "Máy sấy lạnh", "Chip xử lý ảnh", "Robot hàn", "Lò hơi"]


def _csv(n: int) -> bytes:
    """``n`` offers no two of which look alike (distinct things, each its own code)."""
    lines = ["title_vi"] + [f"{THINGS[i % len(THINGS)]} mã SX-{1000 + i}" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def test_defaults_take_a_22000_offer_file_beyond_the_registry_limits() -> None:
    from django.conf import settings

    from caunoi.registry.imports import max_rows as registry_rows

    assert settings.CAUNOI_MARKET_IMPORT_MAX_ROWS >= 22_000
    assert settings.CAUNOI_MARKET_IMPORT_MAX_BYTES >= 64 * 1024 * 1024
    assert registry_rows() == settings.CAUNOI_IMPORT_MAX_ROWS < 22_000
    assert len(read_offers("offers.csv", _csv(22_000))) == 22_000


def test_the_market_limits_apply_not_the_registrys(owner: Any, settings: Any) -> None:
    settings.CAUNOI_IMPORT_MAX_ROWS = 3
    settings.CAUNOI_IMPORT_MAX_BYTES = 10
    settings.CAUNOI_MARKET_IMPORT_MAX_ROWS = 5
    settings.CAUNOI_IMPORT_BACKGROUND_ROWS = 100
    assert len(read_offers("x.csv", _csv(5))) == 5
    report = import_upload(user=owner, kind="offers", name="x.csv", content=_csv(5))
    assert report.ok and report.created == 5
    for name, content in (
        ("y.csv", _csv(6)),
        ("y.json", json.dumps([{"title_vi": f"Pin mã P-{i}"} for i in range(6)]).encode()),
    ):
        with translation.override("vi"), pytest.raises(DomainError) as exc:
            read_offers(name, content)
        assert "5" in exc.value.message
    settings.CAUNOI_MARKET_IMPORT_MAX_BYTES = 100
    with pytest.raises(DomainError):
        import_upload(user=owner, kind="offers", name="z.csv", content=_csv(5))
    page = login(owner).post(
        "/market/offers/import/",
        {"file": SimpleUploadedFile("z.csv", _csv(5)), "mode": "import"},
    )
    assert page.status_code == 400
    assert TechnologyOffer.objects.count() == 5


def test_the_vietnamese_report_has_no_english_fragments(owner: Any, taxonomy: Any) -> None:
    with translation.override("vi"):
        assert import_offers(user=owner, rows=[{"title_vi": "Pin natri-ion cho xe máy"}]).ok
        existing = TechnologyOffer.objects.get()
        report = import_offers(
            user=owner,
            rows=[
                {"title_vi": "Cảm biến khí", "valid_until": "2027-13-01"},
                {"title_vi": "Cảm biến nhiệt", "valid_until": "31/13/2027"},
                {"title_vi": "Pin natri-ion cho xe may"},
            ],
        )
    assert not report.ok
    messages = {(e.row, e.field): e.message for e in report.errors}
    assert messages[(2, "valid_until")] == (
        "“2027-13-01” không phải là ngày hợp lệ; hãy ghi theo dạng DD/MM/YYYY hoặc YYYY-MM-DD, "
        "ví dụ 31/12/2027."
    )
    assert "không phải là ngày hợp lệ" in messages[(3, "valid_until")]
    duplicate = messages[(4, "title")]
    assert f"chào bán công nghệ #{existing.pk}" in duplicate
    for english in ("offer #", "value has", "invalid date", "format"):
        assert all(english not in m for m in messages.values())


def test_headers_in_any_case_organisation_keys_in_any_case_and_local_dates(
    owner: Any, taxonomy: Any, make_org: Any
) -> None:
    org = make_org(key="kisti", name_vi="Viện KISTI")
    with translation.override("vi"):
        report = import_offers(
            user=owner,
            rows=[
                {
                    "Title_VI": "Cảm biến khí",
                    "TRL": "6",
                    " Owner_Organization ": "KISTI",
                    "Valid_Until": "01/05/2027",
                },
                {"title_vi": "Pin natri-ion", "trl": "4", "valid_until": "2027-12-31"},
            ],
        )
    assert report.ok, report.errors
    first = TechnologyOffer.objects.get(title_vi="Cảm biến khí")
    assert first.trl == 6 and first.owner_organization == org
    assert first.valid_until.isoformat() == "2027-05-01"  # day first, as provinces write it
    assert TechnologyOffer.objects.get(title_vi="Pin natri-ion").valid_until.year == 2027


def test_an_unknown_column_is_reported_once_on_the_header_row(owner: Any, taxonomy: Any) -> None:
    rows = [{"title_vi": f"Công nghệ {i}", "ghi_chu": "x"} for i in range(30)]
    report = import_offers(user=owner, rows=rows)
    assert not report.ok
    assert [(e.row, e.field) for e in report.errors if e.field == "ghi_chu"] == [(1, "ghi_chu")]
    assert not TechnologyOffer.objects.exists()
