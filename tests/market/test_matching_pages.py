"""Matches on the record pages and the API: who sees them, explanations in both languages,
confidentiality of requesters, feedback buttons."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from caunoi.market.models import Match
from support import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(
    org_member: tuple[Any, Any],
    provider: Any,
    make_offer: Any,
    make_request: Any,
    publish: Any,
    taxonomy: Any,
) -> dict[str, Any]:
    user, org = org_member
    offer = make_offer(
        provider,
        title_en="Solar dryer for coffee beans",
        summary_en="A solar-powered dryer for coffee and farm produce.",
        country=taxonomy["countries"]["KR"],
        trl=7,
    )
    publish(offer)
    common = {
        "title_vi": "",
        "title_en": "Solar dryer for coffee",
        "need": "We need a solar dryer for coffee beans.",
        "preferred_countries": ["KR"],
        "owner_organization": org,
    }
    anon = publish(make_request(user, confidentiality="anonymous", **common))
    secret = publish(
        make_request(user, confidentiality="officers", **{**common, "title_en": "Secret dryer"})
    )
    return {"user": user, "org": org, "offer": offer, "anon": anon, "secret": secret}


def test_request_page_shows_matches_to_requester_and_staff_only(
    world: dict[str, Any], provider: Any, owner: Any
) -> None:
    url = world["anon"].get_absolute_url()
    page = login(world["user"]).get(url).content.decode()
    assert 'id="matches-offer"' in page and "Solar dryer for coffee beans" in page
    # the explanation in Vietnamese, with the country by name (not its ISO code)
    assert "Thuộc quốc gia ưu tiên (Hàn Quốc)" in page and "(KR)" not in page
    assert 'value="not_relevant"' in page and "Không phù hợp" in page  # feedback buttons
    staff = login(owner)
    assert 'id="matches-offer"' in staff.get(url).content.decode()
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en_page = staff.get(url).content.decode()
    assert "From a preferred country (Republic of Korea)" in en_page
    other = login(provider).get(url).content.decode()
    assert 'id="matches' not in other  # a provider sees the request, not its matches


def test_offer_page_hides_anonymous_requester_and_officers_only_requests(
    world: dict[str, Any], provider: Any, owner: Any
) -> None:
    url = world["offer"].get_absolute_url()
    page = login(provider).get(url).content.decode()
    assert 'id="matching-requests"' in page
    assert world["anon"].title in page
    assert "Bên đặt hàng không công khai" in page
    assert world["org"].name_vi not in page  # the requester's organisation never shown
    assert "Secret dryer" not in page  # officers-only: staff alone
    staff_page = login(owner).get(url).content.decode()
    assert "Secret dryer" in staff_page and world["org"].name_vi in staff_page


def test_feedback_is_stored_shown_and_fed_to_the_ranking(
    world: dict[str, Any], provider: Any, owner: Any
) -> None:
    match = Match.objects.get(request=world["anon"], offer=world["offer"])
    before = match.score
    url = f"/market/matches/{match.pk}/feedback/"
    assert login(provider).post(url, {"feedback": "interested"}).status_code == 404
    client = login(world["user"])
    assert client.post(url, {"feedback": "bogus"}).status_code == 302
    assert Match.objects.get(pk=match.pk).feedback == ""
    assert client.post(url, {"feedback": "too_early"}).status_code == 302
    again = Match.objects.get(request=world["anon"], offer=world["offer"])
    assert again.feedback == "too_early"
    # the pair ×0.5, and the implicit minimum above its TRL 7 lowers it once more (×0.7)
    assert again.score == pytest.approx(before * 0.5 * 0.7, rel=1e-4)
    assert {"feedback.pair", "feedback.trl"} <= {f["key"] for f in again.explanation["fit"]}
    # shown to officers on the offer page
    staff_page = login(owner).get(world["offer"].get_absolute_url()).content.decode()
    assert 'class="badge feedback">Còn ở giai đoạn quá sớm' in staff_page
    provider_page = login(provider).get(world["offer"].get_absolute_url()).content.decode()
    assert 'class="badge feedback"' not in provider_page


def test_api_matches_follow_the_audiences(world: dict[str, Any], provider: Any, owner: Any) -> None:
    r = world["anon"]
    body = login(world["user"]).get(f"/api/v1/market/requests/{r.pk}/matches").json()
    assert body["items"] and body["items"][0]["offer"] == world["offer"].pk
    assert body["items"][0]["explanation"]["fit"]
    assert login(provider).get(f"/api/v1/market/requests/{r.pk}/matches").status_code == 404
    secret = world["secret"]
    assert login(provider).get(f"/api/v1/market/requests/{secret.pk}/matches").status_code == 404
    offer_url = f"/api/v1/market/offers/{world['offer'].pk}/matches"
    items = login(provider).get(offer_url).json()["items"]
    assert [i["request"] for i in items] == [r.pk]
    assert items[0]["requester"] is None  # anonymous: not for the provider
    staff_items = login(owner).get(offer_url).json()["items"]
    assert {i["request"] for i in staff_items} == {r.pk, secret.pk}
    assert any(i["requester"] == world["org"].pk for i in staff_items)
    assert login(world["user"]).get(offer_url).status_code == 404  # not the offer's owner


def test_explanation_placeholders_are_in_the_readers_words(
    world: dict[str, Any], provider: Any, make_offer: Any, make_request: Any, publish: Any
) -> None:
    """Cooperation types by their labels, amounts in the reader's number format, feedback
    kinds by name: no core code in the translated sentence."""
    from django.utils import translation

    from caunoi.market.matching import explanation_lines

    offer = publish(
        make_offer(
            provider,
            title_en="Solar dryer licence for coffee",
            summary_en="A solar dryer for coffee beans, licence and assistance.",
            cooperation=["commercial", "licence"],
            price_min=2000,
            price_currency="USD",
        )
    )
    request = publish(
        make_request(
            world["user"],
            title_en="Solar dryer for coffee beans",
            need="We need a solar dryer for coffee beans.",
            cooperation=["licence", "commercial", "joint_venture"],
            budget_max=10_000_000,
            currency="VND",
        )
    )
    match = Match.objects.get(request=request, offer=offer)
    with translation.override("vi"):
        vi = explanation_lines(match.explanation)["fit"]
    coop = next(line for line in vi if line.startswith("Hình thức hợp tác phù hợp"))
    assert "Hợp đồng thương mại kèm hỗ trợ kỹ thuật" in coop and "Hợp đồng li-xăng" in coop
    assert "commercial" not in coop and "licence" not in coop
    over = next(line for line in vi if line.startswith("Chi phí vượt ngân sách"))
    assert "50.000.000 VND" in over and "10.000.000 VND" in over  # vi groups with "."
    with translation.override("en"):
        en = explanation_lines(match.explanation)["fit"]
    assert "Cooperation type in common: Commercial agreement with technical assistance, " in (
        " ".join(en)
    )
    assert any("50,000,000 VND" in line for line in en)
    # a feedback kind by its label
    expl = {
        "fit": [
            {
                "en": "Adjusted by feedback on this match ({kind})",
                "params": {"kind": "too_early_stage"},
            }
        ]
    }
    with translation.override("vi"):
        assert explanation_lines(expl)["fit"] == [
            "Điều chỉnh theo phản hồi về kết nối này (Còn ở giai đoạn quá sớm)"
        ]
