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
        if kind == "interests":
            continue
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


@pytest.mark.django_db
def test_demo_expressions_of_interest_cover_every_stage(
    units: Any, taxonomy: Any, admin: Any
) -> None:
    from django.utils import timezone

    from caunoi.accounts.models import User
    from caunoi.market import interests
    from caunoi.market.models import Interest, InterestStatus
    from caunoi.market.selectors import signed_transfers
    from caunoi.portal.demo.load import load_outside_demo_accounts

    load_outside_demo_accounts()
    counts = load_market_demo()
    assert counts["interests"] == len(facts()["interests"])
    assert set(Interest.objects.values_list("status", flat=True)) == set(InterestStatus.values)
    # Messages on most, from both sides.
    assert Interest.objects.filter(messages__isnull=False).distinct().count() >= 6
    # One overdue (the officers' queue lists it), one signed with its outcome.
    overdue = [i for i in Interest.objects.all() if i.is_overdue]
    assert len(overdue) == 1 and overdue[0].status == "forwarded"
    assert overdue[0] in interests.stalled(admin)["stalled"]
    signed = Interest.objects.get(status="signed")
    assert signed.agreement_type == "licence" and signed.agreement_value is not None
    assert signed.signed_on is not None and signed.signed_on < timezone.localdate()
    report = signed_transfers(signed.signed_on, timezone.localdate())
    assert report.total.count == 1 and report.by_country == {signed.offer.country_id: report.total}
    # The mediated anonymous one: the mediator relayed, the provider never reads the sender.
    mediated = Interest.objects.get(mediator__isnull=False)
    assert mediated.anonymous and mediated.from_request.confidentiality == "anonymous"
    assert mediated.messages.filter(relay_of__isnull=False).count() == 2
    provider = mediated.offer.owner_user
    sender = mediated.sender
    seen = list(interests.thread(provider, mediated))
    assert seen and all(m.author_id != sender.pk for m in seen)
    hidden = interests.party_label(provider, mediated, sender)
    assert sender.get_username() not in hidden
    assert hidden == "Bên quan tâm (không công khai tên)"
    mediator = User.objects.get(username="trunggian")
    assert interests.party_label(mediator, mediated, sender) == (
        sender.get_full_name() or sender.get_username()
    )
