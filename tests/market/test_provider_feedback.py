"""The provider's feedback on the matches listed on its offer's page: stored beside the
requester's (neither overwrites the other), allowed to the offer's owner and officers only,
shown to officers, fed to the ranking (the pair only; the lower factor of the two sides
counts), and never a way to learn an anonymous requester's name."""

from __future__ import annotations

from typing import Any

import pytest

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
    offer = publish(
        make_offer(
            provider,
            title_en="Solar dryer for coffee beans",
            summary_en="A solar-powered dryer for coffee and farm produce.",
            country=taxonomy["countries"]["KR"],
            trl=7,
        )
    )
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


def _url(match: Match) -> str:
    return f"/market/matches/{match.pk}/provider-feedback/"


def test_each_side_keeps_its_own_feedback(world: dict[str, Any], provider: Any) -> None:
    match = Match.objects.get(request=world["anon"], offer=world["offer"])
    requester = login(world["user"])
    assert (
        requester.post(
            f"/market/matches/{match.pk}/feedback/", {"feedback": "interested"}
        ).status_code
        == 302
    )
    mine = login(provider)
    # Feedback re-ranks the request: its rows are stored anew (read the match again).
    match = Match.objects.get(request=world["anon"], offer=world["offer"])
    answer = mine.post(_url(match), {"feedback": "too_expensive"})
    assert answer.status_code == 302
    assert answer["Location"] == world["offer"].get_absolute_url() + "#matching-requests"
    row = Match.objects.get(request=world["anon"], offer=world["offer"])
    assert (row.feedback, row.provider_feedback) == ("interested", "too_expensive")
    # The requester changes theirs: the provider's stays.
    requester.post(f"/market/matches/{row.pk}/feedback/", {"feedback": "benefit_unclear"})
    row = Match.objects.get(request=world["anon"], offer=world["offer"])
    assert (row.feedback, row.provider_feedback) == ("benefit_unclear", "too_expensive")
    # A bad value changes nothing.
    mine.post(_url(row), {"feedback": "bogus"})
    assert Match.objects.get(pk=row.pk).provider_feedback == "too_expensive"


def test_only_the_offers_owner_and_officers_may_give_it(
    world: dict[str, Any], provider: Any, owner: Any, viewer: Any, make_outside: Any
) -> None:
    match = Match.objects.get(request=world["anon"], offer=world["offer"])
    body = {"feedback": "not_relevant"}
    assert login(world["user"]).post(_url(match), body).status_code == 404  # the requester
    assert login(make_outside("provider", "khac")).post(_url(match), body).status_code == 404
    assert login(viewer).post(_url(match), body).status_code == 403
    assert Match.objects.get(pk=match.pk).provider_feedback == ""
    # An officers-only request is not listed to the provider: no feedback on it either.
    secret = Match.objects.get(request=world["secret"], offer=world["offer"])
    assert login(provider).post(_url(secret), body).status_code == 404
    assert login(owner).post(_url(secret), body).status_code == 302
    assert Match.objects.get(request=world["secret"]).provider_feedback == "not_relevant"


def test_it_weighs_on_the_pair_and_survives_recomputes(
    world: dict[str, Any], provider: Any
) -> None:
    from caunoi.market import matching

    match = Match.objects.get(request=world["anon"], offer=world["offer"])
    before = match.score
    login(provider).post(_url(match), {"feedback": "too_early"})
    row = Match.objects.get(request=world["anon"], offer=world["offer"])
    # The pair ×0.5, and nothing else: no implicit TRL minimum from the provider's side.
    assert row.score == pytest.approx(before * 0.5, rel=1e-4)
    keys = {f["key"] for f in row.explanation["fit"]}
    assert "feedback.pair" in keys and "feedback.trl" not in keys
    # The requester is interested (×1.15): the lower of the two sides counts.
    matching.set_feedback(user=world["user"], match=row, feedback="interested")
    matching.recompute_request(world["anon"])
    row = Match.objects.get(request=world["anon"], offer=world["offer"])
    assert (row.feedback, row.provider_feedback) == ("interested", "too_early")
    assert row.score == pytest.approx(before * 0.5, rel=1e-4)
    login(provider).post(_url(row), {"feedback": "interested"})
    row = Match.objects.get(request=world["anon"], offer=world["offer"])
    assert row.score == pytest.approx(before * 1.15, rel=1e-4)
    # Withdrawn by the provider (empty): the requester's mark alone.
    login(provider).post(_url(row), {"feedback": ""})
    row = Match.objects.get(request=world["anon"], offer=world["offer"])
    assert row.provider_feedback == "" and row.score == pytest.approx(before * 1.15, rel=1e-4)


def test_officers_see_both_sides_the_provider_never_the_requester(
    world: dict[str, Any], provider: Any, owner: Any
) -> None:
    match = Match.objects.get(request=world["anon"], offer=world["offer"])
    matching_user = login(world["user"])
    matching_user.post(f"/market/matches/{match.pk}/feedback/", {"feedback": "interested"})
    match = Match.objects.get(request=world["anon"], offer=world["offer"])
    mine = login(provider)
    done = mine.post(_url(match), {"feedback": "benefit_unclear"}, follow=True)
    page = done.content.decode()
    assert 'class="provider-feedback"' in page and "Phản hồi của bên cung cấp" in page
    assert world["org"].name_vi not in page and "Bên đặt hàng không công khai" in page
    assert "requester-feedback" not in page  # the requester's mark is not the provider's
    staff = login(owner)
    offer_page = staff.get(world["offer"].get_absolute_url()).content.decode()
    assert "requester-feedback" in offer_page and "provider-feedback" in offer_page
    request_page = staff.get(world["anon"].get_absolute_url()).content.decode()
    match = Match.objects.get(request=world["anon"], offer=world["offer"])
    assert f'id="provider-feedback-{match.pk}"' in request_page
    own_page = matching_user.get(world["anon"].get_absolute_url()).content.decode()
    assert "provider-feedback" not in own_page
    # The API: the provider's mark for the provider and staff; the requester's for staff.
    offer_api = f"/api/v1/market/offers/{world['offer'].pk}/matches"
    items = {i["request"]: i for i in mine.get(offer_api).json()["items"]}
    mark = items[world["anon"].pk]
    assert mark["provider_feedback"] == "benefit_unclear" and mark["feedback"] is None
    assert mark["requester"] is None
    request_api = f"/api/v1/market/requests/{world['anon'].pk}/matches"
    mine_items = matching_user.get(request_api).json()["items"]
    assert all(i["provider_feedback"] is None for i in mine_items)
    staff_items = staff.get(request_api).json()["items"]
    assert any(i["provider_feedback"] == "benefit_unclear" for i in staff_items)


def test_the_core_folds_both_sides() -> None:
    from techmatch import Feedback, FeedbackBook

    book = FeedbackBook.build(
        [
            Feedback("request:1", "offer:1", "interested"),
            Feedback("request:1", "offer:1", "not_relevant", side="provider"),
            Feedback("request:1", "offer:2", "interested", side="provider"),
            Feedback("request:2", "offer:3", "not_relevant", side="provider"),
            Feedback("request:3", "offer:3", "not_relevant", side="provider"),
            Feedback("request:1", "offer:4", "too_early_stage", target_trl=5, side="provider"),
        ]
    )
    adj = book.for_query("request:1")
    assert adj.pair["offer:1"] == (0.3, "not_relevant")  # the lower side counts
    assert adj.pair["offer:2"] == (1.15, "interested")
    assert adj.trl_floor is None  # a provider's mark sets no implicit minimum
    assert "offer:3" not in book.per_target  # nor lowers the candidate for everyone
    with pytest.raises(ValueError):
        Feedback("request:1", "offer:1", "interested", side="broker")  # type: ignore[arg-type]


def test_neither_side_reads_the_others_mark_in_the_explanation(
    world: dict[str, Any], provider: Any, owner: Any
) -> None:
    """The pair's feedback line says one side marked it: the other side does not read it,
    on the page or the API; staff read the whole explanation."""
    match = Match.objects.get(request=world["anon"], offer=world["offer"])
    requester = login(world["user"])
    requester.post(f"/market/matches/{match.pk}/feedback/", {"feedback": "not_relevant"})
    row = Match.objects.get(request=world["anon"], offer=world["offer"])
    assert "feedback.pair" in {f["key"] for f in row.explanation["fit"]}

    def keys(client: Any, url: str, key: str, value: int) -> set[str]:
        items = client.get(url).json()["items"]
        item = next(i for i in items if i[key] == value)
        return {f["key"] for f in item["explanation"]["fit"]}

    offer_api = f"/api/v1/market/offers/{world['offer'].pk}/matches"
    request_api = f"/api/v1/market/requests/{world['anon'].pk}/matches"
    assert "feedback.pair" not in keys(login(provider), offer_api, "request", world["anon"].pk)
    assert "feedback.pair" in keys(login(owner), offer_api, "request", world["anon"].pk)
    # the requester reads the line of their own mark
    assert "feedback.pair" in keys(requester, request_api, "offer", world["offer"].pk)
    # once the provider marks the pair too, the requester no longer reads the pair's line
    login(provider).post(_url(row), {"feedback": "interested"})
    assert "feedback.pair" not in keys(requester, request_api, "offer", world["offer"].pk)
    assert "feedback.pair" in keys(login(owner), request_api, "offer", world["offer"].pk)
