"""Every write of the expressions-of-interest API names every bad field of a submission in one
422 (the schema's errors and the workflow's rules together, as the records' writes do), in
the request's language, and writes nothing; permission errors stay 403 and 404."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from caunoi.accounts.models import AuditEvent, Notification
from caunoi.market import interests
from caunoi.market.models import Interest, InterestEvent, InterestMessage
from support import login

pytestmark = pytest.mark.django_db

BASE = "/api/v1/market/interests"


def _send(client: Client, method: str, path: str, body: Any, **headers: str) -> Any:
    return client.generic(
        method, path, json.dumps(body), content_type="application/json", headers=headers
    )


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def _written() -> tuple[int, ...]:
    """What any write leaves behind: expressions, their events and messages, audit events,
    notifications, and each expression's version."""
    return (
        Interest.objects.count(),
        InterestEvent.objects.count(),
        InterestMessage.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        *Interest.objects.order_by("pk").values_list("version", flat=True),
    )


@pytest.fixture
def world(
    provider: Any, make_outside: Any, make_offer: Any, publish: Any, owner: Any
) -> dict[str, Any]:
    enterprise = make_outside("enterprise", "doanhnghiep")
    offer = publish(make_offer(provider, title_en="Solar dryer for coffee beans"))
    return {"provider": provider, "enterprise": enterprise, "offer": offer, "officer": owner}


def _submitted(w: dict[str, Any]) -> Interest:
    return interests.interest_create(
        user=w["enterprise"], record=w["offer"], message="Chúng tôi quan tâm."
    )


def _signed(w: dict[str, Any]) -> Interest:
    i = _submitted(w)
    i = interests.interest_transition(user=w["officer"], interest=i, to="forwarded")
    i = interests.interest_transition(user=w["provider"], interest=i, to="accepted")
    i = interests.interest_transition(user=w["provider"], interest=i, to="negotiating")
    outcome = {"agreement_type": "licence", "signed_on": timezone.localdate()}
    return interests.interest_transition(
        user=w["officer"], interest=i, to="signed", outcome=outcome
    )


def _tag(client: Client, pk: int) -> str:
    return str(client.get(f"{BASE}/{pk}")["ETag"])


@pytest.mark.parametrize(("language", "headers"), [("vi", {}), ("en", {"Accept-Language": "en"})])
def test_create_names_two_schema_errors_and_a_rule_error_at_once(
    world: dict[str, Any], language: str, headers: dict[str, str]
) -> None:
    before = _written()
    body = {
        "offer": world["offer"].pk,  # rule: the provider's own offer
        "message": "Chúng tôi quan tâm.",
        "anonymous": "perhaps",  # schema: not a boolean
        "colour": "red",  # schema: an unknown key
    }
    answer = _send(login(world["provider"]), "POST", BASE, body, **headers)
    assert answer.status_code == 422, answer.content
    found = answer.json()
    assert set(found) == {"detail", "errors"}
    assert found["detail"] == _in(language, "The expression of interest is not valid.")
    assert set(found["errors"]) == {"offer", "anonymous", "colour"}
    assert found["errors"]["offer"] == [_in(language, "This is your own record.")]
    assert found["errors"]["colour"] == [_in(language, "Unknown field.")]
    assert found["errors"]["anonymous"] == [_in(language, "Enter true or false.")]
    assert _written() == before
    # The languages differ: the test would not pass with one catalogue for both.
    assert _in("vi", "This is your own record.") != _in("en", "This is your own record.")


def test_a_valid_creation_still_works_and_rules_need_no_schema_error(
    world: dict[str, Any],
) -> None:
    me = login(world["enterprise"])
    blank = {"offer": world["offer"].pk, "message": "   "}  # passes the schema, not the rule
    refused = _send(me, "POST", BASE, blank)
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"message": [_in("vi", "Write a message to the owner.")]}
    assert not Interest.objects.exists()
    done = _send(me, "POST", BASE, {"offer": world["offer"].pk, "message": "Quan tâm"})
    assert done.status_code == 201, done.content
    assert Interest.objects.get().message == "Quan tâm"


def test_transition_names_every_bad_field_and_writes_nothing(world: dict[str, Any]) -> None:
    i = _submitted(world)
    officer = login(world["officer"])
    tag = _tag(officer, i.pk)
    before = _written()
    body = {
        "status": "negotiating",  # rule: not the next stage of a submitted expression
        "note": "x" * (interests.MESSAGE_MAX + 1),  # schema: too long
        "answer_due": "next week",  # schema: not a date
    }
    path = f"{BASE}/{i.pk}/transition"
    answer = _send(officer, "POST", path, body, **{"If-Match": tag})
    assert answer.status_code == 422, answer.content
    assert set(answer.json()["errors"]) == {"status", "note", "answer_due"}
    assert _written() == before
    i.refresh_from_db()
    assert i.status == "submitted"
    # The same tag still works: nothing was written.
    done = _send(officer, "POST", path, {"status": "forwarded"}, **{"If-Match": tag})
    assert done.status_code == 200 and done.json()["status"] == "forwarded"


def test_signing_names_the_outcome_fields_under_outcome(world: dict[str, Any]) -> None:
    i = _submitted(world)
    i = interests.interest_transition(user=world["officer"], interest=i, to="forwarded")
    i = interests.interest_transition(user=world["provider"], interest=i, to="accepted")
    i = interests.interest_transition(user=world["provider"], interest=i, to="negotiating")
    officer = login(world["officer"])
    tag = _tag(officer, i.pk)
    before = _written()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    body = {
        "status": "signed",
        "outcome": {"agreement_type": "licence", "signed_on": future},  # rule: in the future
        "extra": True,  # schema: unknown key
    }
    path = f"{BASE}/{i.pk}/transition"
    answer = _send(officer, "POST", path, body, **{"If-Match": tag})
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"] == {
        "outcome.signed_on": [_in("vi", "The date signed cannot be in the future.")],
        "extra": [_in("vi", "Unknown field.")],
    }
    assert _written() == before


def test_a_stage_not_the_callers_to_choose_is_a_status_error(world: dict[str, Any]) -> None:
    i = _submitted(world)
    sender = login(world["enterprise"])  # may withdraw, not forward
    path = f"{BASE}/{i.pk}/transition"
    answer = _send(
        sender,
        "POST",
        path,
        {"status": "forwarded", "bogus": 1},
        **{"If-Match": _tag(sender, i.pk)},
    )
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"status", "bogus"}
    assert Interest.objects.get(pk=i.pk).status == "submitted"


def test_messages_name_every_bad_field_and_write_nothing(world: dict[str, Any]) -> None:
    i = _submitted(world)
    sender = login(world["enterprise"])
    before = _written()
    body = {"body": "   ", "to": "everyone", "relay_of": "first"}
    answer = _send(sender, "POST", f"{BASE}/{i.pk}/messages", body)
    assert answer.status_code == 422, answer.content
    errors = answer.json()["errors"]
    assert set(errors) == {"body", "to", "relay_of"}
    assert errors["body"] == [_in("vi", "Write a message.")]
    assert _written() == before
    # Relaying is the mediator's: a party's relay_of is named, nothing written.
    relay = _send(sender, "POST", f"{BASE}/{i.pk}/messages", {"body": "Hi", "relay_of": 1})
    assert relay.status_code == 422 and set(relay.json()["errors"]) == {"relay_of"}
    assert _written() == before
    done = _send(sender, "POST", f"{BASE}/{i.pk}/messages", {"body": "Xin chào"})
    assert done.status_code == 201 and InterestMessage.objects.get().body == "Xin chào"


def test_the_deadline_and_the_mediator_name_every_bad_field(world: dict[str, Any]) -> None:
    i = _submitted(world)
    officer = login(world["officer"])
    tag = _tag(officer, i.pk)
    before = _written()
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    due = _send(
        officer, "POST", f"{BASE}/{i.pk}/due", {"answer_due": past, "soon": 1}, **{"If-Match": tag}
    )
    assert due.status_code == 422, due.content
    assert due.json()["errors"] == {
        "answer_due": [_in("vi", "The reply deadline cannot be in the past.")],
        "soon": [_in("vi", "Unknown field.")],
    }
    party = {"mediator": world["enterprise"].pk, "why": "x"}  # rule: not a mediator
    mediator = _send(officer, "POST", f"{BASE}/{i.pk}/mediator", party, **{"If-Match": tag})
    assert mediator.status_code == 422, mediator.content
    assert set(mediator.json()["errors"]) == {"mediator", "why"}
    assert _written() == before
    fine = {"mediator": world["officer"].pk}
    done = _send(officer, "POST", f"{BASE}/{i.pk}/mediator", fine, **{"If-Match": tag})
    assert done.status_code == 200, done.content
    assert Interest.objects.get(pk=i.pk).mediator == world["officer"]


def test_an_outcome_correction_names_every_bad_field_and_writes_nothing(
    world: dict[str, Any],
) -> None:
    i = _signed(world)
    officer = login(world["officer"])
    tag = _tag(officer, i.pk)
    before = _written()
    recorded = Interest.objects.values("agreement_type", "signed_on", "agreement_currency").get()
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    body = {
        "agreement_type": "bribe",  # schema: not a choice
        "agreement_currency": "EURO",  # schema: too long
        "signed_on": future,  # rule: in the future
    }
    path = f"{BASE}/{i.pk}/outcome"
    answer = _send(officer, "PATCH", path, body, **{"If-Match": tag})
    assert answer.status_code == 422, answer.content
    assert answer.json()["detail"] == _in("vi", "The outcome is not valid.")
    assert set(answer.json()["errors"]) == {"agreement_type", "agreement_currency", "signed_on"}
    assert _written() == before
    assert Interest.objects.values("agreement_type", "signed_on", "agreement_currency").get() == (
        recorded
    )
    done = _send(officer, "PATCH", path, {"agreement_type": "joint_venture"}, **{"If-Match": tag})
    assert done.status_code == 200 and done.json()["agreement_type"] == "joint_venture"


def test_permission_errors_come_before_the_payloads(
    world: dict[str, Any], viewer: Any, make_outside: Any
) -> None:
    i = _submitted(world)
    bad = {"status": "nope", "note": 5, "answer_due": "x", "offer": "y", "message": 7}
    before = _written()
    # A viewer may not create (403); a stranger does not see the expression (404); a party
    # may not set the deadline or the mediator, nor correct the outcome (403).
    assert _send(login(viewer), "POST", BASE, bad).status_code == 403
    stranger = login(make_outside("enterprise", "nguoila"))
    for op in ("transition", "due", "mediator", "messages"):
        assert _send(stranger, "POST", f"{BASE}/{i.pk}/{op}", bad).status_code == 404
    party = login(world["enterprise"])
    for op in ("due", "mediator"):
        assert _send(party, "POST", f"{BASE}/{i.pk}/{op}", bad).status_code == 403
    assert _send(party, "PATCH", f"{BASE}/{i.pk}/outcome", bad).status_code == 403
    # A record the caller may not read is 404 whatever else is wrong.
    hidden = {"request": 999_999, "message": "", "anonymous": "?"}
    assert _send(login(world["enterprise"]), "POST", BASE, hidden).status_code == 404
    assert _written() == before


def test_the_openapi_declares_422_on_every_write() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    writes = [
        ("post", "/api/v1/market/interests"),
        ("post", "/api/v1/market/interests/{pk}/transition"),
        ("post", "/api/v1/market/interests/{pk}/due"),
        ("post", "/api/v1/market/interests/{pk}/mediator"),
        ("patch", "/api/v1/market/interests/{pk}/outcome"),
        ("post", "/api/v1/market/interests/{pk}/messages"),
    ]
    for method, path in writes:
        operation = schema["paths"][path][method]
        assert "422" in operation["responses"], path
        assert "422 naming every bad field" in operation["description"], path
