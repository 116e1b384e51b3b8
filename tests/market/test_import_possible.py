"""Possible duplicates across languages: a row in another language than a record of the same
owner, sharing no name or number with it, is imported, with a warning naming the record when
their embeddings are close (short titles: and a bridge term in both)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from caunoi.market.imports import import_offers
from caunoi.market.models import TechnologyOffer
from support import login

pytestmark = pytest.mark.django_db

GRAPHENE_EN = "Graphene anode coating for fast-charging cells"
GRAPHENE_VI = "Lớp phủ graphene cho anốt pin sạc nhanh"


def _kiat(make_org: Any) -> str:
    return str(make_org(key="kiat", name_vi="Viện KIAT", name_en="KIAT").key)


def test_a_translation_without_shared_names_is_imported_with_a_warning(
    owner: Any, taxonomy: Any, make_org: Any
) -> None:
    kiat = _kiat(make_org)
    rows = [
        {"title_en": GRAPHENE_EN, "owner_organization": kiat},
        {"title_vi": GRAPHENE_VI, "owner_organization": kiat},
    ]
    with translation.override("en"):
        report = import_offers(user=owner, rows=rows)
    assert report.ok and report.created == 2  # not refused: a warning only
    assert [(w.row, w.field) for w in report.warnings] == [(3, "title")]
    assert "row 2" in report.warnings[0].message
    assert TechnologyOffer.objects.count() == 2


def test_an_existing_record_in_the_other_language_is_named(
    owner: Any, taxonomy: Any, make_org: Any
) -> None:
    kiat = _kiat(make_org)
    first = import_offers(
        user=owner,
        rows=[
            {
                "title_vi": "Nhận dạng tiếng nói tiếng Việt cho tổng đài",
                "summary_vi": "Mô hình nhận dạng tiếng nói tiếng Việt chạy tại chỗ, chép lời "
                "cuộc gọi của tổng đài chăm sóc khách hàng theo thời gian thực.",
                "owner_organization": kiat,
            }
        ],
    )
    assert first.ok and not first.warnings
    offer = TechnologyOffer.objects.get()
    report = import_offers(
        user=owner,
        rows=[
            {
                "title_en": "Vietnamese speech recognition for call centres",
                "summary_en": "An on-premises Vietnamese speech recognition model that "
                "transcribes customer service calls in real time.",
                "owner_organization": kiat,
            }
        ],
        dry_run=True,
    )
    assert report.ok and report.created == 1
    assert [w.row for w in report.warnings] == [2]
    assert f"#{offer.pk}" in report.warnings[0].message


def test_different_offers_of_one_owner_and_other_owners_give_no_warning(
    owner: Any, taxonomy: Any, make_org: Any
) -> None:
    kiat = _kiat(make_org)
    other = str(make_org(key="kisti", name_vi="Viện KISTI", name_en="KISTI").key)
    rows = [
        {"title_vi": GRAPHENE_VI, "owner_organization": kiat},
        # another battery technology of the same owner: short titles close in meaning
        # (cosine above the threshold) but no bridge term in common
        {"title_en": "Solid-state electrolyte for lithium cells", "owner_organization": kiat},
        {"title_en": "Sodium-ion battery for home energy storage", "owner_organization": kiat},
        # the translation, but another owner's
        {"title_en": GRAPHENE_EN, "owner_organization": other},
    ]
    report = import_offers(user=owner, rows=rows)
    assert report.ok and report.created == 4
    assert report.warnings == []


@override_settings(CAUNOI_IMPORT_DUPLICATE_EMBED_MAX=1)
def test_rows_over_the_embedding_budget_are_counted_not_compared(
    owner: Any, taxonomy: Any, make_org: Any
) -> None:
    kiat = _kiat(make_org)
    rows = [
        {"title_en": GRAPHENE_EN, "owner_organization": kiat},
        {"title_vi": GRAPHENE_VI, "owner_organization": kiat},
    ]
    with translation.override("en"):
        report = import_offers(user=owner, rows=rows)
    assert report.ok and report.created == 2 and report.embedded == 0
    assert [(w.row, w.field) for w in report.warnings] == [(0, "")]
    assert report.warnings[0].message.startswith("1 rows")


def test_the_warning_in_the_page_the_api_and_the_command(
    owner: Any, taxonomy: Any, make_org: Any, tmp_path: Any
) -> None:
    kiat = _kiat(make_org)
    csv = f"title_vi,title_en,owner_organization\n,{GRAPHENE_EN},{kiat}\n{GRAPHENE_VI},,{kiat}\n"
    page = login(owner).post(
        "/market/offers/import/",
        {"file": SimpleUploadedFile("a.csv", csv.encode()), "mode": "check"},
    )
    html = page.content.decode()
    assert page.status_code == 200 and 'id="import-warnings"' in html
    assert "Có thể trùng với dòng 2" in html  # the page in Vietnamese
    api = login(owner).post(
        "/api/v1/market/offers/import", {"file": SimpleUploadedFile("a.csv", csv.encode())}
    )
    assert api.status_code == 200 and api.json()["created"] == 2
    assert [(w["row"], w["field"]) for w in api.json()["warnings"]] == [(3, "title")]
    ipi = str(make_org(key="ipi", name_vi="Viện IPI", name_en="IPI").key)
    path = tmp_path / "b.json"
    rows = [
        {"title_en": GRAPHENE_EN, "owner_organization": ipi},
        {"title_vi": GRAPHENE_VI, "owner_organization": ipi},
    ]
    path.write_text(json.dumps(rows), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_offers", str(path), "--user", owner.username, stdout=out, stderr=io.StringIO()
    )
    assert "row 3 warning: " in out.getvalue()
    assert "2 offers imported" in out.getvalue()
