"""The demo marketplace: valid facts, priority fields that exist, loaded through the workflow."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from caunoi.market.demo import facts, load_market_demo


def test_demo_facts_are_valid_and_use_known_priority_fields() -> None:
    import caunoi.taxonomy

    tsv = Path(caunoi.taxonomy.__file__).parent / "data" / "fields.tsv"
    with tsv.open(encoding="utf-8") as f:
        slugs = {row["slug"] for row in csv.DictReader(f, delimiter="\t")}
    data = facts()
    assert len(data["offers"]) >= 6 and len(data["requests"]) >= 3
    for kind, items in data.items():
        for item in items:
            assert item.fields and set(item.fields) <= slugs, (kind, item.fields)
    covered = {s for item in data["offers"] for s in item.fields}
    for priority in (
        "semiconductors",
        "artificial-intelligence",
        "biotechnology",
        "high-tech-agriculture",
        "new-and-renewable-energy",
    ):
        assert priority in covered, priority
    confidentiality = {r.confidentiality for r in data["requests"]}
    assert confidentiality == {"public", "anonymous", "officers"}


@pytest.mark.django_db
def test_demo_loads_published_once(units: Any, taxonomy: Any, admin: Any) -> None:
    from caunoi.market.models import Status, TechnologyOffer, TechnologyRequest
    from caunoi.market.services import readable
    from caunoi.portal.demo.load import load_outside_demo_accounts

    load_outside_demo_accounts()
    counts = load_market_demo()
    assert counts["offers"] == len(facts()["offers"])
    assert set(TechnologyOffer.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert readable(None, TechnologyRequest).count() == counts["requests"] - 1  # officers-only
    assert load_market_demo() == dict.fromkeys(counts, 0)
