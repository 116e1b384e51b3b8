"""Price and capacity needs on offers: stored, validated, imported, written through the API,
shown on the page, and compared with a request's budget and absorption capacity."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from caunoi.market import matching
from caunoi.market.imports import import_offers, read_offers
from caunoi.market.models import Match, TechnologyOffer
from support import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_below_the_price_and_without_a_lab_ranks_the_offer_lower_with_reasons(
    provider: Any, enterprise: Any, make_offer: Any, make_request: Any, publish: Any
) -> None:
    text = {"title_en": "Solar dryer for coffee", "summary_en": "Solar drying of coffee beans."}
    plain = publish(make_offer(provider, **text))
    dear = publish(
        make_offer(
            provider,
            **text,
            price_min=Decimal("50000"),
            price_currency="USD",
            needs_lab=True,
            needs_notes="Phòng thí nghiệm phân tích độ ẩm",
        )
    )
    r = publish(
        make_request(
            enterprise,
            title_en="Solar dryer for coffee",
            need="Solar drying of coffee beans.",
            budget_max=Decimal("500000000"),  # 500 million VND, about 20,000 USD
            currency="VND",
            has_lab=False,
        )
    )
    rec = matching.target_record("offer", dear)
    assert rec.price.low == 50000 * matching.RATES["USD"] and rec.needs.lab is True
    rows = {m.offer_id: m for m in Match.objects.filter(request=r, offer__isnull=False)}
    assert rows[plain.pk].score > rows[dear.pk].score
    keys = {f["key"] for f in rows[dear.pk].explanation["fit"] if not f["ok"]}
    assert {"budget.over", "capacity.lab_missing"} <= keys
    assert not [f for f in rows[plain.pk].explanation["fit"] if not f["ok"]]
    # the page gives the reasons in Vietnamese
    page = login(enterprise).get(r.get_absolute_url())
    body = page.content.decode()
    assert "Chi phí vượt ngân sách" in body and "Cần phòng thí nghiệm" in body
    # a request with a lab and the budget: no capacity or budget reason
    rich = publish(
        make_request(
            enterprise,
            title_en="Solar dryer for coffee beans",
            need="Solar drying of coffee beans.",
            budget_max=Decimal("5000000000"),
            has_lab=True,
        )
    )
    row = Match.objects.get(request=rich, offer=dear)
    assert not [f for f in row.explanation["fit"] if not f["ok"]]


def test_price_bounds_are_checked_and_shown(
    provider: Any, make_offer: Any, publish: Any, taxonomy: Any
) -> None:
    from caunoi.core.errors import DomainError

    with pytest.raises(DomainError) as err:
        make_offer(provider, price_min=Decimal("10"), price_max=Decimal("5"))
    assert "price_max" in (err.value.errors or {})
    o = publish(
        make_offer(
            provider,
            price_min=Decimal("1000"),
            price_max=Decimal("2000"),
            price_currency="EUR",
            needs_equipment=True,
            needs_staff=3,
        )
    )
    body = Client().get(o.get_absolute_url()).content.decode()
    assert "1.000 EUR" in body and "2.000 EUR" in body  # grouped, in its currency


def test_the_api_writes_and_returns_the_fields(provider: Any, taxonomy: Any) -> None:
    me = login(provider)
    created = me.post(
        "/api/v1/market/offers",
        json.dumps(
            {
                "title_en": "Cold plasma seed treatment",
                "price_min": "20000",
                "price_max": "10000",
                "price_currency": "USD",
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 422 and "price_max" in created.content.decode()
    created = me.post(
        "/api/v1/market/offers",
        json.dumps(
            {
                "title_en": "Cold plasma seed treatment",
                "price_min": "10000",
                "price_negotiable": True,
                "needs_lab": True,
                "needs_staff": 2,
                "needs_notes": "Kỹ thuật viên vận hành thiết bị plasma",
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    out = created.json()
    assert out["needs_lab"] is True and out["needs_staff"] == 2 and out["price_negotiable"]
    assert Decimal(out["price_min"]) == 10000 and out["price_currency"] == "VND"


def test_import_columns_and_their_errors(owner: Any, taxonomy: Any) -> None:
    csv = (
        "title_en,price_min,price_max,price_currency,price_negotiable,needs_lab,needs_staff\n"
        'Gas sensor,"1,000,000",2000000,VND,có,yes,3\n'
    )
    report = import_offers(user=owner, rows=read_offers("x.csv", csv.encode()))
    assert report.ok, report.errors
    o = TechnologyOffer.objects.get(title_en="Gas sensor")
    assert o.price_min == 1_000_000 and o.price_negotiable and o.needs_lab and o.needs_staff == 3
    bad = [
        {"title_en": "A", "price_min": "lots", "needs_lab": "maybe", "needs_staff": "-1"},
        {"title_en": "B", "price_min": "NaN", "price_currency": "GBP"},
    ]
    report = import_offers(user=owner, rows=bad)
    got = {(e.row, e.field) for e in report.errors}
    assert {(2, "price_min"), (2, "needs_lab"), (2, "needs_staff")} <= got
    assert {(3, "price_min"), (3, "price_currency")} <= got
    assert TechnologyOffer.objects.count() == 1
