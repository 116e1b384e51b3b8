"""Expressions of interest, second round: a reply deadline in every open stage with its
reminders and the officers' queue, mediation by an intermediary (server-enforced), outcome
data of an agreement signed and the indicators' selector, and the expert and intermediary
writes of the API."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from caunoi.accounts.models import Notification
from caunoi.core.errors import DomainError
from caunoi.market import interests, services
from caunoi.market.models import Interest, InterestMessage, InterestReminder, Intermediary
from caunoi.market.selectors import signed_transfers
from support import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    provider: Any,
    intermediary: Any,
    make_outside: Any,
    make_offer: Any,
    make_request: Any,
    publish: Any,
) -> dict[str, Any]:
    provider.first_name, provider.last_name, provider.email = "Minh", "Trần", "minh@pv.vn"
    provider.save()
    enterprise = make_outside("enterprise", "doanhnghiep")
    enterprise.first_name, enterprise.last_name, enterprise.email = "Lan", "Nguyễn", "lan@dn.vn"
    enterprise.save()
    intermediary.first_name, intermediary.last_name = "Hà", "Đỗ"
    intermediary.save()
    broker = services.record_save(
        user=intermediary,
        instance=Intermediary(),
        data={"name": "Trung tâm Môi giới Công nghệ Sông Hồng", "services": "Môi giới"},
        m2m={"fields": []},
    )
    publish(broker)
    offer = publish(make_offer(provider, title_en="Solar dryer for coffee beans", country_id="KR"))
    anon = publish(make_request(enterprise, title_vi="Máy sấy cà phê", confidentiality="anonymous"))
    return {
        "provider": provider,
        "enterprise": enterprise,
        "intermediary": intermediary,
        "broker": broker,
        "offer": offer,
        "anon": anon,
    }


def _express(w: dict[str, Any], **kw: Any) -> Interest:
    return interests.interest_create(
        user=w["enterprise"], record=w["offer"], message="Chúng tôi quan tâm.", **kw
    )


def _today() -> dt.date:
    return timezone.localdate()


def _signed(w: dict[str, Any], officer: Any, **outcome: Any) -> Interest:
    i = _express(w)
    for to, who in (
        ("forwarded", officer),
        ("accepted", w["provider"]),
        ("negotiating", w["provider"]),
    ):
        i = interests.interest_transition(user=who, interest=i, to=to)
    return interests.interest_transition(user=officer, interest=i, to="signed", outcome=outcome)


# --- deadlines -----------------------------------------------------------------------------


def test_every_open_stage_gets_a_deadline_default_or_set_by_an_officer(
    world: dict[str, Any], owner: Any, settings: Any
) -> None:
    w = world
    days = settings.CAUNOI_INTEREST_STAGE_DAYS
    i = _express(w)
    assert i.answer_due == _today() + dt.timedelta(days=days["submitted"])
    chosen = _today() + dt.timedelta(days=3)
    i = interests.interest_transition(user=owner, interest=i, to="forwarded", due=chosen)
    assert i.answer_due == chosen
    i = interests.interest_transition(user=w["provider"], interest=i, to="accepted")
    assert i.answer_due == _today() + dt.timedelta(days=days["accepted"])
    with pytest.raises(DomainError) as exc:  # a party does not set deadlines
        interests.interest_transition(user=w["provider"], interest=i, to="negotiating", due=chosen)
    assert "answer_due" in exc.value.errors
    i = interests.interest_transition(user=w["provider"], interest=i, to="negotiating")
    assert i.answer_due == _today() + dt.timedelta(days=days["negotiating"])
    with pytest.raises(DomainError):  # not in the past
        interests.interest_set_due(user=owner, interest=i, due=_today() - dt.timedelta(days=1))
    with pytest.raises(DomainError):
        interests.interest_set_due(user=w["enterprise"], interest=i, due=chosen)
    later = _today() + dt.timedelta(days=40)
    i = interests.interest_set_due(user=owner, interest=i, due=later, expected_version=i.version)
    assert Interest.objects.get(pk=i.pk).answer_due == later
    # Both parties are told of the new date (they act in negotiation).
    for party in (w["provider"], w["enterprise"]):
        assert Notification.objects.filter(
            recipient=party, kind="market.interest_due_changed"
        ).exists()
    i = interests.interest_transition(user=w["enterprise"], interest=i, to="not_concluded")
    assert i.answer_due is None and not i.is_overdue


def test_overdue_reminders_go_to_who_must_act_once_per_stage_and_deadline(
    world: dict[str, Any], owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    w = world
    owner.email = "canbo@bo.gov.vn"
    owner.save()
    i = _express(w)
    past = _today() - dt.timedelta(days=2)
    Interest.objects.filter(pk=i.pk).update(answer_due=past)
    with django_capture_on_commit_callbacks(execute=True):
        assert interests.overdue_remind() == 1
    # Submitted: the officers must forward it; the owner does not know of it yet.
    assert Notification.objects.filter(recipient=owner, kind="market.interest_stage_overdue")
    assert not Notification.objects.filter(
        recipient=w["provider"], kind__startswith="market.interest"
    ).exists()
    assert any(
        m.to == ["canbo@bo.gov.vn"] and i.get_absolute_url() in m.body for m in mail.outbox
    )  # and by e-mail
    assert interests.overdue_remind() == 0  # once per stage and deadline
    # A new deadline that passes too reminds again.
    Interest.objects.filter(pk=i.pk).update(answer_due=past - dt.timedelta(days=1))
    assert interests.overdue_remind() == 1
    # The next stage has its own deadline: when it passes, the owner (who must answer) hears.
    i.refresh_from_db()
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    assert not i.is_overdue
    Interest.objects.filter(pk=i.pk).update(answer_due=past)
    assert interests.overdue_remind() == 1
    assert Notification.objects.filter(recipient=w["provider"], kind="market.interest_overdue")
    assert InterestReminder.objects.filter(interest=i).count() == 3
    # Accepted and overdue: both parties are told.
    i.refresh_from_db()
    i = interests.interest_transition(user=w["provider"], interest=i, to="accepted")
    Interest.objects.filter(pk=i.pk).update(answer_due=past)
    assert interests.overdue_remind() == 1
    assert Notification.objects.filter(
        recipient=w["enterprise"], kind="market.interest_stage_overdue"
    ).exists()


def test_the_officers_queue_lists_overdue_expressions_of_every_stage(
    world: dict[str, Any], owner: Any
) -> None:
    w = world
    i = _express(w)
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    i = interests.interest_transition(user=w["provider"], interest=i, to="accepted")
    on_time = interests.interest_create(user=w["provider"], record=w["anon"], message="Có")
    assert interests.stalled(owner)["stalled"] == []
    Interest.objects.filter(pk=i.pk).update(answer_due=_today() - dt.timedelta(days=1))
    queue = interests.stalled(owner)
    assert [x.pk for x in queue["stalled"]] == [i.pk]
    assert on_time.pk in [x.pk for x in queue["to_forward"]]
    page = login(owner).get("/market/review/").content.decode()
    stalled = page.split('id="interests-stalled"')[1].split("</ul>")[0]
    assert i.get_absolute_url() in stalled and "quá hạn" in stalled
    listed = login(owner).get("/market/interests/?overdue=1").content.decode()
    assert i.get_absolute_url() in listed and on_time.get_absolute_url() not in listed
    assert interests.counts(owner)["overdue"] == 1


def test_the_page_shows_the_deadline_and_an_officer_changes_it(
    world: dict[str, Any], owner: Any
) -> None:
    w = world
    i = _express(w)
    officer = login(owner)
    page = officer.get(i.get_absolute_url()).content.decode()
    assert 'id="interest-due"' in page and i.answer_due.strftime("%d/%m/%Y") in page
    new = _today() + dt.timedelta(days=9)
    officer.post(
        f"/market/interests/{i.pk}/due/", {"answer_due": new.isoformat(), "version": i.version}
    )
    assert Interest.objects.get(pk=i.pk).answer_due == new
    sender = login(w["enterprise"])
    assert 'id="interest-due-form"' not in sender.get(i.get_absolute_url()).content.decode()
    assert (
        sender.post(f"/market/interests/{i.pk}/due/", {"answer_due": "2099-01-01"}).status_code
        == 403
    )


# --- mediation -----------------------------------------------------------------------------


def _mediated(w: dict[str, Any], officer: Any) -> Interest:
    """An anonymous interest (from the anonymous request) mediated by the broker's user."""
    i = _express(w, from_request=w["anon"])
    assert i.anonymous
    i = interests.interest_set_mediator(user=officer, interest=i, mediator=w["intermediary"])
    return interests.interest_transition(user=officer, interest=i, to="forwarded")


def test_only_officers_assign_a_mediator_among_intermediaries_and_officers(
    world: dict[str, Any], owner: Any, make_outside: Any
) -> None:
    w = world
    i = _express(w, from_request=w["anon"])
    with pytest.raises(DomainError):  # a party does not choose the mediator
        interests.interest_set_mediator(user=w["enterprise"], interest=i, mediator=owner)
    stranger = make_outside("intermediary", "chuaduyet")  # no published intermediary record
    with pytest.raises(DomainError) as exc:
        interests.interest_set_mediator(user=owner, interest=i, mediator=stranger)
    assert "mediator" in exc.value.errors
    assert not interests.readable(w["intermediary"]).filter(pk=i.pk).exists()
    i = interests.interest_set_mediator(user=owner, interest=i, mediator=w["intermediary"])
    assert i.mediator_intermediary == w["broker"]
    assert interests.readable(w["intermediary"]).filter(pk=i.pk).exists()
    assert Notification.objects.filter(
        recipient=w["intermediary"], kind="market.interest_mediator"
    ).exists()
    # An officer may mediate too; removing the mediator closes the mediator's access.
    i = interests.interest_set_mediator(user=owner, interest=i, mediator=None)
    assert not interests.readable(w["intermediary"]).filter(pk=i.pk).exists()


def test_the_mediator_relays_and_neither_party_reads_the_other_directly(
    world: dict[str, Any], owner: Any
) -> None:
    w = world
    i = _mediated(w, owner)
    ent, prov, med = w["enterprise"], w["provider"], w["intermediary"]
    # The mediator reads both names.
    assert interests.party_label(med, i, ent) == "Nguyễn Lan"
    assert "name not disclosed" not in interests.party_label(med, i, ent)
    assert "không" not in interests.party_label(med, i, ent)
    # A party's message goes to the mediator alone.
    first = interests.message_post(user=ent, interest=i, body="Chúng tôi là HTX Cà phê Lâm Hà.")
    assert first.to == InterestMessage.To.MEDIATOR
    assert first not in interests.thread(prov, i)
    assert first in interests.thread(med, i) and first in interests.thread(ent, i)
    # The mediator relays it in their words, without the name.
    relayed = interests.message_relay(
        user=med, interest=i, message=first, body="Bên quan tâm là một hợp tác xã cà phê."
    )
    assert relayed.to == InterestMessage.To.OWNER and relayed.relay_of == first
    assert relayed in interests.thread(prov, i) and relayed not in interests.thread(ent, i)
    assert "Môi giới" in interests.party_label(prov, i, med)
    # The owner answers: to the mediator, not to the sender.
    answer = interests.message_post(user=prov, interest=i, body="Mời ghé xưởng.", to="all")
    assert answer.to == InterestMessage.To.MEDIATOR
    assert answer not in interests.thread(ent, i)
    # Only the mediator (or an officer) relays; only a party's message to the mediator.
    with pytest.raises(DomainError):
        interests.message_relay(user=prov, interest=i, message=first)
    with pytest.raises(DomainError):
        interests.message_relay(user=med, interest=i, message=relayed)
    to_all = interests.message_post(user=med, interest=i, body="Hẹn gặp thứ Hai.", to="all")
    assert to_all in interests.thread(ent, i) and to_all in interests.thread(prov, i)
    # Pages: the provider never reads the sender's name nor the unrelayed message.
    page = login(prov).get(i.get_absolute_url()).content.decode()
    assert "Bên quan tâm là một hợp tác xã cà phê." in page
    assert "HTX Cà phê Lâm Hà" not in page and "Nguyễn" not in page and "lan@dn.vn" not in page
    shown = page.split('<dd id="interest-mediator">', 1)[1].split("</dd>", 1)[0]
    assert shown == "Bên trung gian: Đỗ Hà (Trung tâm Môi giới Công nghệ Sông Hồng)"
    # The API says the same.
    api = login(prov).get(f"/api/v1/market/interests/{i.pk}/messages").json()
    bodies = [m["body"] for m in api["items"]]
    assert "Chúng tôi là HTX Cà phê Lâm Hà." not in bodies
    assert "Bên quan tâm là một hợp tác xã cà phê." in bodies
    assert login(prov).get(f"/api/v1/market/interests/{i.pk}").json()["sender"] is None
    mediator_view = login(med).get(f"/api/v1/market/interests/{i.pk}").json()
    assert mediator_view["sender"] and "Lan" in mediator_view["sender"]
    assert mediator_view["side"] == "mediator"


def test_the_mediator_relays_through_the_page_and_the_api(
    world: dict[str, Any], owner: Any
) -> None:
    w = world
    i = _mediated(w, owner)
    first = interests.message_post(user=w["enterprise"], interest=i, body="Câu hỏi về giá.")
    med = login(w["intermediary"])
    page = med.get(i.get_absolute_url()).content.decode()
    assert "relay-form" in page and 'id="id_to"' in page
    med.post(f"/market/interests/{i.pk}/messages/", {"relay": first.pk, "body": ""})
    listed = med.get("/market/interests/").content.decode()
    assert i.get_absolute_url() in listed and "bạn làm trung gian" in listed
    relayed = InterestMessage.objects.get(relay_of=first)
    assert relayed.body == "Câu hỏi về giá." and relayed.to == "owner"
    response = med.post(
        f"/api/v1/market/interests/{i.pk}/messages",
        {"body": "Chỉ gửi bên quan tâm", "to": "sender"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert InterestMessage.objects.filter(body="Chỉ gửi bên quan tâm", to="sender").exists()
    # A party cannot address one side on a mediated expression: it goes to the mediator.
    login(w["provider"]).post(
        f"/api/v1/market/interests/{i.pk}/messages",
        {"body": "Gửi thẳng", "to": "sender"},
        content_type="application/json",
    )
    assert InterestMessage.objects.get(body="Gửi thẳng").to == "mediator"
    # Officers assign through the API with If-Match.
    officer = login(owner)
    url = f"/api/v1/market/interests/{i.pk}/mediator"
    assert officer.post(url, {"mediator": None}, content_type="application/json").status_code == 428
    etag = officer.get(f"/api/v1/market/interests/{i.pk}")["ETag"]
    # An anonymous request's expression keeps a mediator once forwarded: replaced, not removed.
    kept = officer.post(
        url, {"mediator": None}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert kept.status_code == 422 and set(kept.json()["errors"]) == {"mediator"}
    assert "trung gian" in json.dumps(kept.json(), ensure_ascii=False)
    done = officer.post(
        url, {"mediator": owner.pk}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert done.status_code == 200 and done.json()["mediator"].startswith("Bên trung gian")
    assert Interest.objects.get(pk=i.pk).mediator == owner


# --- outcome ---------------------------------------------------------------------------------


def test_signing_requires_a_valid_outcome(world: dict[str, Any], owner: Any) -> None:
    w = world
    i = _express(w)
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    i = interests.interest_transition(user=w["provider"], interest=i, to="accepted")
    i = interests.interest_transition(user=w["provider"], interest=i, to="negotiating")
    with pytest.raises(DomainError) as exc:
        interests.interest_transition(user=owner, interest=i, to="signed")
    assert {"agreement_type", "signed_on"} <= set(exc.value.errors)
    tomorrow = _today() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as exc:
        interests.interest_transition(
            user=owner,
            interest=i,
            to="signed",
            outcome={"agreement_type": "licence", "signed_on": tomorrow, "agreement_value": 5},
        )
    assert {"signed_on", "agreement_currency"} <= set(exc.value.errors)
    assert Interest.objects.get(pk=i.pk).status == "negotiating"
    with pytest.raises(DomainError) as exc:  # bounded as the other money fields
        interests.interest_transition(
            user=owner,
            interest=i,
            to="signed",
            outcome={
                "agreement_type": "licence",
                "signed_on": _today(),
                "agreement_value": Decimal("10") ** 14,
                "agreement_currency": "VND",
            },
        )
    assert "agreement_value" in exc.value.errors
    i = interests.interest_transition(
        user=owner,
        interest=i,
        to="signed",
        outcome={
            "agreement_type": "joint_venture",
            "signed_on": _today(),
            "agreement_value": Decimal("2500000000"),
            "agreement_currency": "VND",
        },
    )
    saved = Interest.objects.get(pk=i.pk)
    assert (saved.agreement_type, saved.agreement_value, saved.signed_on) == (
        "joint_venture",
        Decimal("2500000000.00"),
        _today(),
    )
    page = login(w["enterprise"]).get(i.get_absolute_url()).content.decode()
    assert 'id="interest-agreement"' in page and "Liên doanh" in page
    value = page.split('id="agreement-value">')[1].split("</span>")[0]
    assert value == "2.500.000.000 VND", value  # grouped as Vietnamese writes it
    api = login(w["enterprise"]).get(f"/api/v1/market/interests/{i.pk}").json()
    assert api["agreement_type"] == "joint_venture" and api["signed_on"] == _today().isoformat()


def test_outcome_through_the_api_and_the_form(world: dict[str, Any], owner: Any) -> None:
    w = world
    i = _express(w)
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    i = interests.interest_transition(user=w["provider"], interest=i, to="accepted")
    i = interests.interest_transition(user=w["provider"], interest=i, to="negotiating")
    officer = login(owner)
    url = f"/api/v1/market/interests/{i.pk}/transition"
    etag = officer.get(f"/api/v1/market/interests/{i.pk}")["ETag"]
    negative = {
        "status": "signed",
        "outcome": {"agreement_type": "licence", "signed_on": str(_today()), "agreement_value": -1},
    }
    bad = officer.post(url, negative, content_type="application/json", HTTP_IF_MATCH=etag)
    assert bad.status_code == 422
    missing = officer.post(
        url, {"status": "signed"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert missing.status_code == 422
    assert set(missing.json()["errors"]) == {"outcome.agreement_type", "outcome.signed_on"}
    # The page's form.
    officer.post(
        f"/market/interests/{i.pk}/transition/",
        {
            "status": "signed",
            "version": Interest.objects.get(pk=i.pk).version,
            "agreement_type": "licence",
            "agreement_value": "120000",
            "agreement_currency": "USD",
            "signed_on": _today().isoformat(),
        },
    )
    saved = Interest.objects.get(pk=i.pk)
    assert saved.status == "signed" and saved.agreement_currency == "USD"
    assert saved.agreement_value == Decimal("120000")


def test_signed_transfers_counts_and_values_by_country_and_field(
    world: dict[str, Any],
    owner: Any,
    make_outside: Any,
    make_offer: Any,
    publish: Any,
    taxonomy: Any,
) -> None:
    w = world
    _signed(
        w,
        owner,
        agreement_type="licence",
        signed_on=_today(),
        agreement_value=Decimal("100"),
        agreement_currency="USD",
    )
    other = make_outside("enterprise", "khac")
    japan = publish(make_offer(w["provider"], title_en="Sensor", country_id="JP"))
    w2 = {**w, "enterprise": other, "offer": japan}
    _signed(w2, owner, agreement_type="technical", signed_on=_today())
    w3 = {**w, "enterprise": make_outside("enterprise", "thu-ba")}
    _signed(
        w3,
        owner,
        agreement_type="licence",
        signed_on=_today(),
        agreement_value=Decimal("50"),
        agreement_currency="USD",
    )
    report = signed_transfers(_today() - dt.timedelta(days=30), _today())
    assert report.total.count == 3 and report.total.values == {"USD": Decimal("150")}
    assert report.by_country["KR"].count == 2
    assert report.by_country["KR"].values == {"USD": Decimal("150")}
    assert report.by_country["JP"].count == 1 and report.by_country["JP"].values == {}
    semis = taxonomy["fields"]["semis"].slug
    assert report.by_field[semis].count == 3
    assert (
        signed_transfers(
            _today() + dt.timedelta(days=1), _today() + dt.timedelta(days=9)
        ).total.count
        == 0
    )


# --- expert and intermediary writes through the API -------------------------------------------


def test_api_creates_and_changes_experts_and_intermediaries(
    expert: Any, intermediary: Any, make_outside: Any, viewer: Any, owner: Any, taxonomy: Any
) -> None:
    client = login(expert)
    body = {
        "name": "TS. Kim Ji-woo",
        "languages": [{"language": "ko", "level": "C2"}, {"language": "vi", "level": "B1"}],
        "orcid": "0000-0002-1825-0097",
        "country": "KR",
    }
    made = client.post("/api/v1/market/experts", body, content_type="application/json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["status"] == "draft" and made.json()["languages"][0]["level"] == "C2"
    bad = client.post(
        "/api/v1/market/experts",
        {**body, "languages": [{"language": "ko", "level": "D1"}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    wrong_orcid = client.post(
        "/api/v1/market/experts", {**body, "orcid": "1234"}, content_type="application/json"
    )
    assert wrong_orcid.status_code == 422 and "orcid" in wrong_orcid.json()["errors"]
    url = f"/api/v1/market/experts/{pk}"
    patch = {"availability": "Từ tháng 3"}
    assert client.patch(url, patch, content_type="application/json").status_code == 428
    etag = client.get(url)["ETag"]
    done = client.patch(url, patch, content_type="application/json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200 and done.json()["availability"] == "Từ tháng 3"
    stale = client.patch(url, patch, content_type="application/json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    # Another outside user does not see the draft; a viewer writes nothing.
    stranger = login(make_outside("enterprise", "nguoila"))
    assert stranger.patch(url, patch, content_type="application/json").status_code == 404
    assert (
        login(viewer).post("/api/v1/market/experts", body, content_type="application/json")
    ).status_code == 403
    broker = login(intermediary)
    made = broker.post(
        "/api/v1/market/intermediaries",
        {"name": "Sàn Giao dịch Công nghệ Đà Nẵng", "services": "Định giá", "regions": ["VN-DN"]},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    ipk = made.json()["id"]
    empty = broker.post(
        "/api/v1/market/intermediaries", {"name": "X"}, content_type="application/json"
    )
    assert empty.status_code == 422
    iurl = f"/api/v1/market/intermediaries/{ipk}"
    etag = broker.get(iurl)["ETag"]
    moved = broker.post(
        f"{iurl}/transition",
        {"status": "submitted"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert moved.status_code == 200 and moved.json()["status"] == "submitted"
    etag = login(owner).get(iurl)["ETag"]
    published = login(owner).post(
        f"{iurl}/transition",
        {"status": "published"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert published.status_code == 200
    # Once published the owner no longer edits it (officers do), as on the pages.
    etag = broker.get(iurl)["ETag"]
    refused = broker.patch(
        iurl, {"fees": "Miễn phí"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert refused.status_code == 403


def test_deadline_and_mediator_changes_without_a_version_are_refused(
    world: dict[str, Any], owner: Any
) -> None:
    w = world
    i = _express(w, from_request=w["anon"])
    officer, before = login(owner), i.version
    new = _today() + dt.timedelta(days=9)
    body = {"answer_due": new.isoformat(), "version": ""}
    assert officer.post(f"/market/interests/{i.pk}/due/", body).status_code == 428
    body["version"] = "²"  # not a version: the form is refused (302 back), nothing changes
    assert officer.post(f"/market/interests/{i.pk}/due/", body).status_code == 302
    for version in ("", "²"):
        body = {"mediator": w["intermediary"].pk, "version": version}
        assert officer.post(f"/market/interests/{i.pk}/mediator/", body).status_code == 428
    i.refresh_from_db()
    assert i.answer_due != new and i.mediator is None and i.version == before
    body = {"mediator": w["intermediary"].pk, "version": i.version}
    assert officer.post(f"/market/interests/{i.pk}/mediator/", body).status_code == 302
    assert Interest.objects.get(pk=i.pk).mediator == w["intermediary"]


def test_the_upgrade_carries_over_the_reminders_already_sent(
    world: dict[str, Any], owner: Any, make_outside: Any
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("caunoi.market.migrations.0005_carry_over_sent_reminders")
    w = world
    past = _today() - dt.timedelta(days=2)
    reminded = interests.interest_transition(user=owner, interest=_express(w), to="forwarded")
    other = interests.interest_create(
        user=make_outside("enterprise", "khac"), record=w["offer"], message="Quan tâm."
    )
    waiting = interests.interest_transition(user=owner, interest=other, to="forwarded")
    # As the earlier daily task left them: one reminded (marked), one not yet.
    Interest.objects.filter(pk__in=[reminded.pk, waiting.pk]).update(answer_due=past)
    Interest.objects.filter(pk=reminded.pk).update(overdue_reminded_at=timezone.now())
    migration.carry_over(apps, None)
    migration.carry_over(apps, None)  # twice: nothing doubled
    rows = InterestReminder.objects.filter(interest=reminded)
    assert [(r.stage, r.deadline) for r in rows] == [("forwarded", past)]
    assert interests.overdue_remind() == 1  # only the one never reminded
    assert InterestReminder.objects.filter(interest=waiting).count() == 1
