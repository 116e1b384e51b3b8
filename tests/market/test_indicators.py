"""The marketplace's indicator source: technology transfers reached (interests signed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from caunoi.core.indicators import IndicatorSource, Scope, indicator_source
from caunoi.market import interests

pytestmark = pytest.mark.django_db


def _signed(owner: Any, provider: Any, enterprise: Any, offer: Any) -> Any:
    i = interests.interest_create(user=enterprise, record=offer, message="Chúng tôi quan tâm.")
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    i = interests.interest_transition(user=provider, interest=i, to="accepted")
    i = interests.interest_transition(user=enterprise, interest=i, to="negotiating")
    return i


def test_transfers_signed_in_the_period_with_evidence(
    owner: Any,
    provider: Any,
    make_outside: Any,
    make_offer: Any,
    publish: Any,
    units: Any,
    taxonomy: Any,
) -> None:
    source = indicator_source("market.transfers_signed")
    assert source is not None  # registered by the market app's ready()
    enterprise = make_outside("enterprise", "doanhnghiep")
    offer = publish(
        make_offer(provider, title_en="Solar dryer", country=taxonomy["countries"]["KR"])
    )
    other_offer = publish(
        make_offer(provider, title_en="Edge chip", country=taxonomy["countries"]["JP"])
    )
    today = timezone.localdate()
    year = (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))

    negotiating = _signed(owner, provider, enterprise, offer)
    assert source.value(*year).value == 0  # not signed yet
    interests.interest_transition(
        user=owner,
        interest=negotiating,
        to="signed",
        outcome={"agreement_type": "licence", "signed_on": today},
    )
    _signed(owner, provider, enterprise, other_offer)  # stays in negotiation

    value = source.value(*year)
    assert value.value == 1
    assert [e.url for e in value.evidence] == [f"/market/interests/{negotiating.pk}/"]
    assert source.value(*year, Scope(country="KR")).value == 1
    assert source.value(*year, Scope(country="JP")).value == 0
    # For many countries at once (the comparison page): the same answers.
    scopes = [Scope(), Scope(country="KR"), Scope(country="JP"), Scope(country="US")]
    assert source.values(*year, scopes) == {s: source.value(*year, s) for s in scopes}
    assert source.values(*year, [Scope(unit_id=units["htqt"].pk)]) == {
        Scope(unit_id=units["htqt"].pk): source.value(*year, Scope(unit_id=units["htqt"].pk))
    }
    # Another period: the signing is not in it; a unit: not applicable.
    last_year = (dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    assert source.value(*last_year).value == 0
    assert source.value(*year, Scope(unit_id=units["htqt"].pk)).value is None


def test_a_transfer_signed_before_outcomes_counts_the_same_for_the_indicator_and_the_figures(
    owner: Any, provider: Any, make_outside: Any, make_offer: Any, publish: Any, taxonomy: Any
) -> None:
    from caunoi.market.models import Interest
    from caunoi.market.selectors import signed_transfers

    enterprise = make_outside("enterprise", "doanhnghiep")
    offer = publish(
        make_offer(provider, title_en="Rice dryer", country=taxonomy["countries"]["KR"])
    )
    signed = interests.interest_transition(
        user=owner,
        interest=_signed(owner, provider, enterprise, offer),
        to="signed",
        outcome={"agreement_type": "licence", "signed_on": timezone.localdate()},
    )
    # As a record signed before outcomes were kept: no date signed, only the stage change.
    Interest.objects.filter(pk=signed.pk).update(signed_on=None)
    today = timezone.localdate()
    year = (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    source = indicator_source("market.transfers_signed")
    assert source is not None
    assert source.value(*year).value == 1
    figures = signed_transfers(*year)
    assert figures.total.count == 1 and list(figures.by_country) == ["KR"]
    last_year = (dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    assert signed_transfers(*last_year).total.count == 0


def _source(key: str) -> IndicatorSource:
    source = indicator_source(key)
    assert source is not None, key
    return source


def test_value_per_currency_and_count_by_type_read_the_outcome(
    owner: Any, provider: Any, make_outside: Any, make_offer: Any, publish: Any, taxonomy: Any
) -> None:
    """The outcome's value (per currency, never converted) and type feed their own sources."""
    from caunoi.core.indicators import indicator_sources

    enterprise = make_outside("enterprise", "doanhnghiep")
    today = timezone.localdate()
    year = (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    last_year = (dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    outcomes = [
        ("KR", {"agreement_type": "licence", "agreement_value": 2_500_000_000, "cur": "VND"}),
        ("KR", {"agreement_type": "licence", "agreement_value": 500_000_000, "cur": "VND"}),
        ("JP", {"agreement_type": "joint_venture", "agreement_value": 120_000, "cur": "USD"}),
        ("JP", {"agreement_type": "technical", "agreement_value": None, "cur": ""}),
    ]
    signed = []
    for n, (country, o) in enumerate(outcomes):
        offer = publish(
            make_offer(provider, title_en=f"Offer {n}", country=taxonomy["countries"][country])
        )
        signed.append(
            interests.interest_transition(
                user=owner,
                interest=_signed(owner, provider, enterprise, offer),
                to="signed",
                outcome={
                    "agreement_type": o["agreement_type"],
                    "agreement_value": o["agreement_value"],
                    "agreement_currency": o["cur"],
                    "signed_on": today,
                },
            )
        )
    keys = {s.key for s in indicator_sources() if s.app == "market"}
    assert {"market.transfers_value.vnd", "market.transfers_value.usd"} <= keys
    assert {f"market.transfers_signed.{t}" for t in ("licence", "joint_venture")} <= keys

    vnd = _source("market.transfers_value.vnd")
    usd = _source("market.transfers_value.usd")
    eur = _source("market.transfers_value.eur")
    assert vnd.unit == "triệu đồng" and usd.unit == "USD"
    # VND in millions of đồng; the USD agreement is not converted into it.
    value = vnd.value(*year)
    assert value.value == 3000.0
    assert sorted(e.amount or 0 for e in value.evidence) == [500.0, 2500.0]
    assert usd.value(*year).value == 120_000.0
    assert eur.value(*year).value == 0
    assert vnd.value(*year, Scope(country="JP")).value == 0
    assert usd.value(*year, Scope(country="JP")).value == 120_000.0
    assert vnd.value(*last_year).value == 0

    licence = _source("market.transfers_signed.licence")
    venture = _source("market.transfers_signed.joint_venture")
    technical = _source("market.transfers_signed.technical")
    acquisition = _source("market.transfers_signed.acquisition")
    assert licence.value(*year).value == 2
    assert licence.value(*year, Scope(country="JP")).value == 0
    assert venture.value(*year).value == 1
    assert technical.value(*year).value == 1  # valued or not, it counts
    assert acquisition.value(*year).value == 0
    # The types add up to the transfers signed.
    total = _source("market.transfers_signed")
    by_type = [
        s.value(*year).value or 0
        for s in indicator_sources()
        if s.key.startswith("market.transfers_signed.")
    ]
    assert sum(by_type) == total.value(*year).value == 4
    # Many scopes at once: the same answers as one by one.
    scopes = [Scope(), Scope(country="KR"), Scope(country="JP")]
    for source in (vnd, usd, licence, technical):
        assert source.values(*year, scopes) == {s: source.value(*year, s) for s in scopes}

    # An officer's correction of the outcome moves the figures.
    interests.interest_correct_outcome(
        user=owner,
        interest=signed[1],
        outcome={
            "agreement_type": "acquisition",
            "agreement_value": 40_000,
            "agreement_currency": "EUR",
            "signed_on": today,
        },
    )
    assert vnd.value(*year).value == 2500.0
    assert eur.value(*year).value == 40_000.0
    assert licence.value(*year).value == 1
    assert acquisition.value(*year).value == 1


def test_a_transfer_from_an_interest_in_a_request_counts_for_the_provider_s_country(
    owner: Any,
    admin: Any,
    make_org: Any,
    make_outside: Any,
    make_request: Any,
    publish: Any,
    taxonomy: Any,
) -> None:
    """A provider answers a request and the agreement is signed: no offer carries a country,
    so the transfer counts for the provider's organisation's country (KR here), as an
    offer's transfer counts for its owner's."""
    from caunoi.market.selectors import signed_transfers
    from caunoi.registry.affiliations import affiliation_decide, affiliation_request

    enterprise = make_outside("enterprise", "doanhnghiep")
    provider = make_outside("provider", "kisti_member")
    claim = affiliation_request(user=provider, organization=make_org(country_id="KR"))
    affiliation_decide(user=admin, affiliation=claim, approve=True)
    request = publish(make_request(enterprise, title_vi="Cần máy sấy lạnh"))
    i = interests.interest_create(user=provider, record=request, message="Chúng tôi có.")
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    i = interests.interest_transition(user=enterprise, interest=i, to="accepted")
    i = interests.interest_transition(user=provider, interest=i, to="negotiating")
    today = timezone.localdate()
    interests.interest_transition(
        user=owner,
        interest=i,
        to="signed",
        outcome={"agreement_type": "licence", "signed_on": today},
    )
    year = (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    source = indicator_source("market.transfers_signed")
    assert source is not None
    assert source.value(*year, Scope(country="KR")).value == 1
    assert source.value(*year, Scope(country="JP")).value == 0
    assert list(signed_transfers(*year).by_country) == ["KR"]
