"""Correcting the outcome of an agreement signed: officers only, on the page and in the API
(If-Match), validated as when signing, audited with before and after, the parties told, and
the indicators reading the corrected values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from caunoi.accounts.models import AuditEvent, Notification
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.indicators import indicator_source
from caunoi.market import interests
from caunoi.market.models import Interest
from caunoi.market.selectors import signed_transfers
from support import login

pytestmark = pytest.mark.django_db

CORRECTED = "market.interest_outcome_corrected"


@pytest.fixture
def signed(
    owner: Any, provider: Any, make_outside: Any, make_offer: Any, publish: Any, taxonomy: Any
) -> dict[str, Any]:
    """An agreement signed 60 days ago (a licence of 1.2 billion VND) on an expression sent
    90 days ago, between an enterprise and a Korean provider."""
    enterprise = make_outside("enterprise", "doanhnghiep")
    offer = publish(
        make_offer(provider, title_en="Solar dryer", country=taxonomy["countries"]["KR"])
    )
    i = interests.interest_create(user=enterprise, record=offer, message="Chúng tôi quan tâm.")
    Interest.objects.filter(pk=i.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    i.refresh_from_db()
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    i = interests.interest_transition(user=provider, interest=i, to="accepted")
    i = interests.interest_transition(user=enterprise, interest=i, to="negotiating")
    i = interests.interest_transition(
        user=owner,
        interest=i,
        to="signed",
        note="Ký tại Hà Nội",
        outcome={
            "agreement_type": "licence",
            "agreement_value": Decimal("1200000000"),
            "agreement_currency": "VND",
            "signed_on": timezone.localdate() - dt.timedelta(days=60),
        },
    )
    Notification.objects.all().delete()
    return {"interest": i, "enterprise": enterprise, "provider": provider, "offer": offer}


def _days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def test_an_officer_corrects_the_outcome_audited_and_the_parties_told(
    signed: dict[str, Any], other: Any
) -> None:
    i = signed["interest"]
    version = i.version
    fixed = interests.interest_correct_outcome(
        user=other,  # an officer of another unit: officers record agreements, so correct them
        interest=i,
        outcome={"agreement_value": Decimal("1500000000"), "signed_on": _days_ago(10)},
        expected_version=version,
    )
    saved = Interest.objects.get(pk=i.pk)
    assert saved.agreement_value == Decimal("1500000000.00")
    assert saved.signed_on == _days_ago(10)
    assert saved.agreement_type == "licence" and saved.agreement_currency == "VND"  # kept
    assert saved.outcome_note == "Ký tại Hà Nội" and saved.status == "signed"
    assert saved.version == version + 1 == fixed.version
    event = AuditEvent.objects.filter(
        model="market.interest", object_id=str(i.pk), action="update"
    ).get()
    assert event.actor == other
    assert event.changes == {
        "agreement_value": ["1200000000.00", "1500000000.00"],
        "signed_on": [str(_days_ago(60)), str(_days_ago(10))],
    }
    told = Notification.objects.filter(kind=CORRECTED)
    assert {n.recipient for n in told} == {signed["enterprise"], signed["provider"]}
    assert {n.link for n in told} == {i.get_absolute_url()}
    assert list(interests.outcome_corrections(saved)) == [event]


def test_the_correction_is_checked_as_when_signing(signed: dict[str, Any], owner: Any) -> None:
    i = signed["interest"]
    bad = [
        ({"signed_on": timezone.localdate() + dt.timedelta(days=1)}, "signed_on"),
        ({"signed_on": None}, "signed_on"),
        ({"signed_on": _days_ago(120)}, "signed_on"),  # before the expression was sent
        ({"agreement_type": ""}, "agreement_type"),
        ({"agreement_type": "bribery"}, "agreement_type"),
        ({"agreement_value": Decimal("-1")}, "agreement_value"),
        ({"agreement_value": Decimal("10") ** 14}, "agreement_value"),
        ({"agreement_currency": ""}, "agreement_currency"),  # a value needs its currency
        ({"agreement_currency": "XYZ"}, "agreement_currency"),
        ({"price": 1}, "price"),
        ({}, "agreement_type"),  # nothing changes
    ]
    for outcome, field in bad:
        with pytest.raises(DomainError) as caught:
            interests.interest_correct_outcome(user=owner, interest=i, outcome=outcome)
        assert field in (caught.value.errors or {}), (outcome, caught.value.errors)
    with pytest.raises(ConflictError):
        interests.interest_correct_outcome(
            user=owner, interest=i, outcome={"signed_on": _days_ago(5)}, expected_version=1
        )
    saved = Interest.objects.get(pk=i.pk)
    assert (saved.signed_on, saved.agreement_value, saved.version) == (
        _days_ago(60),
        Decimal("1200000000.00"),
        i.version,
    )
    assert not AuditEvent.objects.filter(model="market.interest", action="update").exists()
    assert not Notification.objects.filter(kind=CORRECTED).exists()


def test_only_officers_and_only_an_agreement_signed(
    signed: dict[str, Any], owner: Any, viewer: Any, make_outside: Any, make_offer: Any
) -> None:
    i = signed["interest"]
    for user in (viewer, signed["enterprise"], signed["provider"]):
        assert not interests.can_correct_outcome(user, i)
        with pytest.raises(DomainError):
            interests.interest_correct_outcome(
                user=user, interest=i, outcome={"signed_on": _days_ago(5)}
            )
    assert interests.can_correct_outcome(owner, i)
    enterprise = signed["enterprise"]
    open_one = interests.interest_create(
        user=enterprise,
        record=signed["offer"],
        message="Một lần nữa",
    )
    assert not interests.can_correct_outcome(owner, open_one)
    with pytest.raises(DomainError) as caught:
        interests.interest_correct_outcome(
            user=owner, interest=open_one, outcome={"agreement_type": "licence"}
        )
    assert "status" in (caught.value.errors or {})
    assert Interest.objects.get(pk=i.pk).signed_on == _days_ago(60)


def test_the_indicators_read_the_corrected_outcome(signed: dict[str, Any], owner: Any) -> None:
    i = signed["interest"]
    source = indicator_source("market.transfers_signed")
    assert source is not None
    then = (_days_ago(70), _days_ago(50))  # the period of the date first recorded
    now = (_days_ago(20), timezone.localdate())
    assert source.value(*then).value == 1 and source.value(*now).value == 0
    assert signed_transfers(*then).total.values == {"VND": Decimal("1200000000.00")}
    interests.interest_correct_outcome(
        user=owner,
        interest=i,
        outcome={
            "agreement_value": Decimal("50000"),
            "agreement_currency": "USD",
            "signed_on": _days_ago(10),
        },
    )
    assert source.value(*then).value == 0 and source.value(*now).value == 1
    assert signed_transfers(*then).total.count == 0
    moved = signed_transfers(*now)
    assert moved.total.count == 1 and moved.total.values == {"USD": Decimal("50000.00")}
    assert moved.by_country["KR"].values == {"USD": Decimal("50000.00")}


def test_the_page_form_corrects_for_officers_only(
    signed: dict[str, Any], owner: Any, viewer: Any
) -> None:
    i = signed["interest"]
    url = f"/market/interests/{i.pk}/outcome/"
    form = {
        "version": i.version,
        "agreement_type": "technical",
        "agreement_value": "1200000000.00",
        "agreement_currency": "VND",
        "signed_on": _days_ago(30).isoformat(),
        "note": "Hợp đồng hỗ trợ kỹ thuật, không phải li-xăng",
    }
    officer = login(owner)
    page = officer.get(i.get_absolute_url()).content.decode()
    assert 'id="interest-outcome-form"' in page and 'value="1200000000.00"' in page
    assert 'id="agreement-corrected"' not in page
    # Parties and viewers: no form, and the POST is refused without a change.
    party = login(signed["enterprise"])
    assert 'id="interest-outcome-form"' not in party.get(i.get_absolute_url()).content.decode()
    assert party.post(url, form).status_code == 403
    assert login(viewer).post(url, form).status_code == 403
    assert login(signed["provider"]).post(url, form).status_code == 403
    assert Interest.objects.get(pk=i.pk).agreement_type == "licence"
    # A date in the future: refused with the reason, nothing written.
    future = {**form, "signed_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat()}
    refused = officer.post(url, future, follow=True)
    assert "tương lai" in refused.content.decode() or "future" in refused.content.decode()
    assert Interest.objects.get(pk=i.pk).agreement_type == "licence"
    # Without the version the page was read at: refused (428), nothing written.
    unversioned = {k: v for k, v in form.items() if k != "version"}
    assert officer.post(url, unversioned).status_code == 428
    assert Interest.objects.get(pk=i.pk).agreement_type == "licence"
    done = officer.post(url, form)
    assert done.status_code == 302 and done["Location"] == i.get_absolute_url()
    saved = Interest.objects.get(pk=i.pk)
    assert (saved.agreement_type, saved.signed_on) == ("technical", _days_ago(30))
    assert saved.outcome_note == form["note"]
    # A stale form (the version before) is refused.
    again = officer.post(url, {**form, "agreement_type": "licence"})
    assert again.status_code == 302
    assert Interest.objects.get(pk=i.pk).agreement_type == "technical"
    shown = party.get(i.get_absolute_url()).content.decode()
    assert 'id="agreement-corrected"' in shown and form["note"] in shown
    assert Notification.objects.filter(kind=CORRECTED, recipient=signed["enterprise"]).exists()


def test_api_patch_outcome_with_if_match(signed: dict[str, Any], owner: Any, viewer: Any) -> None:
    i = signed["interest"]
    url = f"/api/v1/market/interests/{i.pk}/outcome"
    body = {"signed_on": _days_ago(20).isoformat(), "agreement_value": None, "note": "Đã sửa"}
    officer = login(owner)
    assert officer.patch(url, body, content_type="application/json").status_code == 428
    stale = officer.patch(url, body, content_type="application/json", HTTP_IF_MATCH=f'"{i.pk}-1"')
    assert stale.status_code == 412
    assert login(viewer).patch(url, body, content_type="application/json").status_code == 403
    party = login(signed["enterprise"])
    assert party.patch(url, body, content_type="application/json").status_code == 403
    etag = officer.get(f"/api/v1/market/interests/{i.pk}")["ETag"]
    future = {"signed_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()}
    refused = officer.patch(url, future, content_type="application/json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 422 and set(refused.json()["errors"]) == {"signed_on"}
    done = officer.patch(url, body, content_type="application/json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    out = done.json()
    assert out["signed_on"] == _days_ago(20).isoformat() and out["agreement_value"] is None
    assert out["agreement_type"] == "licence" and out["outcome_note"] == "Đã sửa"
    assert done["ETag"] != etag
    assert Interest.objects.get(pk=i.pk).agreement_value is None
    changes = AuditEvent.objects.get(model="market.interest", action="update").changes
    assert changes["agreement_value"] == ["1200000000.00", ""]
    assert changes["outcome_note"] == ["Ký tại Hà Nội", "Đã sửa"]
