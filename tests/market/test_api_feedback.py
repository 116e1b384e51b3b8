"""Feedback on a match through the API, as on the pages: the requester's
(`POST /api/v1/market/matches/{id}/feedback`) and the provider's
(`POST /api/v1/market/matches/{id}/provider-feedback`). Token auth; 404 for a match the
caller may not see, 403 for viewers, one 422 naming `feedback`; the answer is the match as
the matches endpoints show it, so neither side reads the other's mark and a provider never
learns an anonymous requester."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from caunoi.market.models import Match

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


def _token_client(user: Any) -> Client:
    from caunoi.accounts.services import api_token_create

    _token, raw = api_token_create(user=user, name="feedback")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client: Client, match: Any, side: str, body: Any) -> Any:
    path = "feedback" if side == "requester" else "provider-feedback"
    return client.post(
        f"/api/v1/market/matches/{match.pk}/{path}",
        json.dumps(body),
        content_type="application/json",
    )


def _row(world: dict[str, Any], request: str = "anon") -> Match:
    return Match.objects.get(request=world[request], offer=world["offer"])


def _fit(item: dict[str, Any]) -> set[str]:
    return {line["key"] for line in item["explanation"]["fit"]}


def test_the_requester_marks_changes_and_clears_it(world: dict[str, Any]) -> None:
    from caunoi.accounts.models import AuditEvent

    match = _row(world)
    audited_last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    requester = _token_client(world["user"])
    answer = _post(requester, match, "requester", {"feedback": "interested"})
    assert answer.status_code == 200, answer.content
    item = answer.json()
    assert (item["id"], item["kind"], item["offer"]) == (match.pk, "offer", world["offer"].pk)
    assert item["feedback"] == "interested" and item["provider_feedback"] is None
    assert _row(world).feedback == "interested"
    # The answer is the match as the request's matches list shows it.
    listed = requester.get(f"/api/v1/market/requests/{world['anon'].pk}/matches").json()
    same = next(i for i in listed["items"] if i["id"] == match.pk)
    assert same["feedback"] == "interested"
    assert "feedback.pair" in _fit(same)  # re-ranked with the mark (a requester reads theirs)
    assert _post(requester, match, "requester", {"feedback": "too_expensive"}).status_code == 200
    assert _row(world).feedback == "too_expensive"
    cleared = _post(requester, match, "requester", {"feedback": ""})
    assert cleared.status_code == 200 and cleared.json()["feedback"] == ""
    assert _row(world).feedback == ""
    # Each change of the mark is in the audit trail, by its author, as on the pages.
    marks = AuditEvent.objects.filter(pk__gt=audited_last, model="market.match").order_by("pk")
    assert [(e.actor_id, e.changes) for e in marks] == [
        (world["user"].pk, {"feedback": ["", "interested"]}),
        (world["user"].pk, {"feedback": ["interested", "too_expensive"]}),
        (world["user"].pk, {"feedback": ["too_expensive", ""]}),
    ]


def test_the_provider_marks_beside_the_requester_and_never_reads_them(
    world: dict[str, Any], provider: Any
) -> None:
    requester = _token_client(world["user"])
    mine = _token_client(provider)
    assert (
        _post(requester, _row(world), "requester", {"feedback": "not_relevant"}).status_code == 200
    )
    answer = _post(mine, _row(world), "provider", {"feedback": "too_early"})
    assert answer.status_code == 200, answer.content
    item = answer.json()
    # An anonymous request: the provider is told neither who asked nor what they said.
    assert item["request"] == world["anon"].pk and item["requester"] is None
    assert item["feedback"] is None and item["provider_feedback"] == "too_early"
    assert not _fit(item) & {"feedback.trl", "feedback.price", "feedback.target"}
    assert world["org"].name_vi not in answer.content.decode()
    row = _row(world)
    assert (row.feedback, row.provider_feedback) == ("not_relevant", "too_early")
    # After the re-rank the requester reads neither the provider's mark nor its pair line.
    again = _post(requester, row, "requester", {"feedback": "not_relevant"}).json()
    assert again["provider_feedback"] is None and "feedback.pair" not in _fit(again)
    listed = mine.get(f"/api/v1/market/offers/{world['offer'].pk}/matches").json()["items"]
    shown = next(i for i in listed if i["id"] == row.pk)
    assert shown["requester"] is None and shown["feedback"] is None
    assert "feedback.pair" not in _fit(shown)  # the requester marked the pair too
    assert _post(mine, row, "provider", {"feedback": ""}).status_code == 200
    assert _row(world).provider_feedback == ""


def test_officers_mark_either_side_and_read_both(
    world: dict[str, Any], owner: Any, admin: Any
) -> None:
    officer = _token_client(owner)
    secret = _row(world, "secret")  # officers-only: listed to staff alone
    mark = _post(officer, secret, "provider", {"feedback": "benefit_unclear"})
    assert mark.status_code == 200, mark.content
    assert mark.json()["requester"] == world["org"].pk  # staff know who asked
    answer = _post(_token_client(admin), secret, "requester", {"feedback": "interested"})
    assert answer.status_code == 200
    assert answer.json()["provider_feedback"] == "benefit_unclear"
    row = _row(world, "secret")
    assert (row.feedback, row.provider_feedback) == ("interested", "benefit_unclear")


def test_strangers_get_404_viewers_403_and_nothing_changes(
    world: dict[str, Any], provider: Any, viewer: Any, make_outside: Any
) -> None:
    match, secret = _row(world), _row(world, "secret")
    body = {"feedback": "interested"}
    stranger = _token_client(make_outside("provider", "khac"))
    for client in (stranger, Client()):
        assert _post(client, match, "requester", body).status_code == 404
        assert _post(client, match, "provider", body).status_code == 404
    # Each side is a stranger to the other's endpoint; an officers-only request is not
    # listed to its provider; a match that does not exist is not found either.
    assert _post(_token_client(world["user"]), match, "provider", body).status_code == 404
    assert _post(_token_client(provider), match, "requester", body).status_code == 404
    assert _post(_token_client(provider), secret, "provider", body).status_code == 404
    missing = Match(pk=Match.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1)
    assert _post(_token_client(world["user"]), missing, "requester", body).status_code == 404
    # Viewers read matches but mark nothing.
    reader = _token_client(viewer)
    assert _post(reader, match, "requester", body).status_code == 403
    assert _post(reader, match, "provider", body).status_code == 403
    # A stranger with a bad code still learns nothing: 404 before 422.
    assert _post(stranger, match, "requester", {"feedback": "bogus"}).status_code == 404
    for row in (match, secret):
        assert (
            Match.objects.get(pk=row.pk).feedback,
            Match.objects.get(pk=row.pk).provider_feedback,
        ) == ("", "")


@pytest.mark.parametrize("side", ["requester", "provider"])
def test_a_bad_code_is_one_422_naming_the_field(
    world: dict[str, Any], provider: Any, side: str
) -> None:
    client = _token_client(world["user"] if side == "requester" else provider)
    match = _row(world)
    for body, fields in (
        ({"feedback": "bogus"}, {"feedback"}),
        ({"feedback": None}, {"feedback"}),
        ({}, {"feedback"}),
        ({"feedback": "interested", "colour": "red"}, {"colour"}),
    ):
        answer = _post(client, match, side, body)
        assert answer.status_code == 422, (body, answer.content)
        data = answer.json()
        assert data["detail"] and set(data["errors"]) == fields, (body, data)
    assert (
        "interested"
        in _post(client, match, side, {"feedback": "x"}).json()["errors"]["feedback"][0]
    )
    row = Match.objects.get(pk=match.pk)
    assert (row.feedback, row.provider_feedback) == ("", "")


def test_the_operations_are_in_the_openapi_docs() -> None:
    from caunoi.api import api

    paths = api.get_openapi_schema()["paths"]
    for path, out in (
        ("/api/v1/market/matches/{pk}/feedback", "RequestMatchOut"),
        ("/api/v1/market/matches/{pk}/provider-feedback", "TargetMatchOut"),
    ):
        op = paths[path]["post"]
        responses = {str(code): v for code, v in op["responses"].items()}
        assert set(paths[path]) == {"post"}
        assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/FeedbackIn"
        )
        assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith(out)
        assert {"403", "404", "422"} <= set(responses)
