"""Expressions of interest: stages and who moves them, deadlines and overdue reminders,
limits, mediated messages, confidentiality of undisclosed parties, pages, API."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from caunoi.accounts.models import Notification
from caunoi.core.errors import ConflictError, DomainError
from caunoi.market import interests
from caunoi.market.models import Interest, InterestStatus
from support import login

pytestmark = pytest.mark.django_db


def outcome_today() -> dict[str, Any]:
    return {"agreement_type": "licence", "signed_on": timezone.localdate()}


@pytest.fixture
def world(
    provider: Any, make_outside: Any, make_offer: Any, make_request: Any, publish: Any
) -> dict[str, Any]:
    provider.first_name, provider.last_name = "Minh", "Trần"
    provider.email = "provider@example.vn"
    provider.save()
    enterprise = make_outside("enterprise", "doanhnghiep")
    enterprise.first_name, enterprise.last_name = "Lan", "Nguyễn"
    enterprise.email = "lan@example.vn"
    enterprise.save()
    offer = publish(make_offer(provider, title_en="Solar dryer for coffee beans"))
    anon = publish(make_request(enterprise, title_vi="Máy sấy cà phê", confidentiality="anonymous"))
    public_request = publish(make_request(enterprise, title_vi="Dây chuyền chế biến"))
    return {
        "provider": provider,
        "enterprise": enterprise,
        "offer": offer,
        "anon": anon,
        "public_request": public_request,
    }


def _express(w: dict[str, Any], **kw: Any) -> Interest:
    return interests.interest_create(
        user=w["enterprise"], record=w["offer"], message="Chúng tôi quan tâm.", **kw
    )


def test_full_journey_records_every_stage_and_counts_the_transfer(
    world: dict[str, Any], owner: Any
) -> None:
    w = world
    i = _express(w)
    assert i.status == InterestStatus.SUBMITTED
    # Officers are told; the owner does not see it before an officer forwards it.
    assert Notification.objects.filter(recipient=owner, kind="market.interest_received").exists()
    assert not interests.readable(w["provider"]).filter(pk=i.pk).exists()
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    assert i.answer_due == timezone.localdate() + dt.timedelta(days=14)
    assert interests.readable(w["provider"]).filter(pk=i.pk).exists()
    assert Notification.objects.filter(
        recipient=w["provider"], kind="market.interest_forwarded"
    ).exists()
    i = interests.interest_transition(user=w["provider"], interest=i, to="accepted")
    i = interests.interest_transition(user=w["enterprise"], interest=i, to="negotiating")
    assert interests.counts(owner)["signed"] == 0
    i = interests.interest_transition(
        user=owner,
        interest=i,
        to="signed",
        note="Hợp đồng chuyển giao ký 01/12",
        outcome=outcome_today(),
    )
    assert i.outcome_note == "Hợp đồng chuyển giao ký 01/12"
    assert i.answer_due is None  # a closed stage has no deadline
    events = list(i.events.values_list("from_status", "to_status", "actor__username"))
    assert events == [
        ("", "submitted", "doanhnghiep"),
        ("submitted", "forwarded", "owner"),
        ("forwarded", "accepted", w["provider"].username),
        ("accepted", "negotiating", "doanhnghiep"),
        ("negotiating", "signed", "owner"),
    ]
    assert interests.counts(w["enterprise"]) == {"open": 0, "overdue": 0, "signed": 1}
    assert i.version == 5


def test_who_moves_which_stage(world: dict[str, Any], owner: Any, viewer: Any) -> None:
    w = world
    i = _express(w)
    for user in (w["provider"], w["enterprise"], viewer):
        with pytest.raises(DomainError):
            interests.interest_transition(user=user, interest=i, to="forwarded")
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    with pytest.raises(DomainError):  # the sender does not answer for the owner
        interests.interest_transition(user=w["enterprise"], interest=i, to="accepted")
    i = interests.interest_transition(user=w["provider"], interest=i, to="accepted")
    i = interests.interest_transition(user=w["provider"], interest=i, to="negotiating")
    with pytest.raises(DomainError):  # an agreement signed is recorded by an officer
        interests.interest_transition(user=w["provider"], interest=i, to="signed")
    with pytest.raises(DomainError):  # not a step of the workflow
        interests.interest_transition(user=owner, interest=i, to="forwarded")
    assert Interest.objects.get(pk=i.pk).status == "negotiating"


def test_a_stale_version_is_refused(world: dict[str, Any], owner: Any) -> None:
    i = _express(world)
    interests.interest_transition(user=owner, interest=i, to="forwarded", expected_version=1)
    stale = Interest.objects.get(pk=i.pk)
    with pytest.raises(ConflictError):
        interests.interest_transition(user=owner, interest=stale, to="declined", expected_version=1)
    assert Interest.objects.get(pk=i.pk).status == "forwarded"


def test_limits_per_record_and_per_day(
    world: dict[str, Any], owner: Any, settings: Any, make_offer: Any, publish: Any
) -> None:
    w = world
    i = _express(w)
    with pytest.raises(DomainError) as exc:
        _express(w)
    assert "đã có một biểu hiện quan tâm" in exc.value.message  # Vietnamese first
    # Withdrawn, it no longer counts: a new one may be sent.
    interests.interest_transition(user=w["enterprise"], interest=i, to="withdrawn")
    _express(w)
    settings.CAUNOI_INTEREST_PER_DAY = 2
    other_offer = publish(make_offer(w["provider"], title_en="Another dryer"))
    with pytest.raises(DomainError) as exc:
        interests.interest_create(user=w["enterprise"], record=other_offer, message="x")
    assert "24 giờ" in exc.value.message
    assert Interest.objects.filter(sender=w["enterprise"]).count() == 2


def test_a_cap_on_a_users_open_expressions_in_all_records(
    world: dict[str, Any], owner: Any, settings: Any, make_offer: Any, publish: Any
) -> None:
    w = world
    settings.CAUNOI_INTEREST_OPEN_PER_USER = 2
    offers = [publish(make_offer(w["provider"], title_en=f"Dryer {n}")) for n in range(3)]
    first = interests.interest_create(user=w["enterprise"], record=offers[0], message="x")
    interests.interest_create(user=w["enterprise"], record=offers[1], message="x")
    with pytest.raises(DomainError) as exc:
        interests.interest_create(user=w["enterprise"], record=offers[2], message="x")
    assert "2 biểu hiện quan tâm đang mở" in exc.value.message  # Vietnamese, naming the cap
    assert exc.value.errors == {"record": [exc.value.message]}
    # Another user is not held by this one's expressions.
    other = interests.interest_create(user=owner, record=offers[2], message="x")
    assert other.status == InterestStatus.SUBMITTED
    # A closed expression no longer counts.
    interests.interest_transition(user=owner, interest=first, to="declined")
    interests.interest_create(user=w["enterprise"], record=offers[2], message="x")
    assert Interest.objects.filter(sender=w["enterprise"]).count() == 3


def test_refused_interests_write_nothing(
    world: dict[str, Any], viewer: Any, make_offer: Any
) -> None:
    w = world
    draft = make_offer(w["provider"], title_en="Unpublished")
    cases = [
        (w["provider"], w["offer"], "x"),  # one's own offer
        (w["enterprise"], draft, "x"),  # not published
        (viewer, w["offer"], "x"),  # viewers decide and express nothing
        (w["enterprise"], w["offer"], "   "),  # no message
        (w["enterprise"], w["offer"], "x" * 4001),  # too long
    ]
    for user, record, message in cases:
        with pytest.raises(DomainError):
            interests.interest_create(user=user, record=record, message=message)
    with pytest.raises(DomainError):  # a request that is not the sender's
        interests.interest_create(
            user=w["provider"],
            record=w["offer"],
            message="x",
            from_request=w["public_request"],
        )
    assert Interest.objects.count() == 0


def test_an_anonymous_requester_is_never_named_to_the_provider(
    world: dict[str, Any], owner: Any
) -> None:
    w = world
    i = _express(w, from_request=w["anon"])
    assert i.anonymous and interests.needs_mediator(i)
    # An anonymous request's expression is mediated always: not forwarded without a mediator.
    with pytest.raises(DomainError) as exc:
        interests.interest_transition(user=owner, interest=i, to="forwarded")
    assert "người trung gian" in exc.value.message and exc.value.errors.keys() == {"mediator"}
    assert Interest.objects.get(pk=i.pk).status == "submitted"
    i = interests.interest_set_mediator(user=owner, interest=i, mediator=owner)
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    with pytest.raises(DomainError):  # replaced, never removed, once forwarded
        interests.interest_set_mediator(user=owner, interest=i, mediator=None)
    ask = interests.message_post(user=w["enterprise"], interest=i, body="Xin báo giá máy sấy.")
    assert ask.to == "mediator"  # the parties write to the mediator, never to each other
    assert "Xin báo giá" not in login(w["provider"]).get(i.get_absolute_url()).content.decode()
    interests.message_relay(user=owner, interest=i, message=ask)
    answer = interests.message_post(user=w["provider"], interest=i, body="Giá khoảng 2 tỷ đồng.")
    interests.message_relay(user=owner, interest=i, message=answer)
    provider_page = login(w["provider"]).get(i.get_absolute_url()).content.decode()
    assert "Xin báo giá máy sấy." in provider_page and "Giá khoảng 2 tỷ đồng." in provider_page
    for secret in ("Nguyễn", "Lan", "doanhnghiep", "lan@example.vn", "Máy sấy cà phê"):
        assert secret not in provider_page, secret
    assert "không công khai tên" in provider_page
    # The sender sees their own name and the provider's name, but no e-mail address.
    sender_page = login(w["enterprise"]).get(i.get_absolute_url()).content.decode()
    assert "Nguyễn Lan" in sender_page and "Trần Minh" in sender_page
    assert "provider@example.vn" not in sender_page
    # The API says the same: the sender is null to the provider.
    data = login(w["provider"]).get(f"/api/v1/market/interests/{i.pk}").json()
    assert data["sender"] is None and data["side"] == "owner"
    authors = login(w["provider"]).get(f"/api/v1/market/interests/{i.pk}/messages").json()
    assert [m["mine"] for m in authors["items"]] == [False, True]
    assert "Nguyễn" not in json.dumps(authors, ensure_ascii=False)
    # Staff see who it is.
    assert "Nguyễn Lan" in login(owner).get(i.get_absolute_url()).content.decode()


def test_a_provider_interested_in_an_anonymous_request_does_not_learn_the_requester(
    world: dict[str, Any], owner: Any
) -> None:
    w = world
    i = interests.interest_create(user=w["provider"], record=w["anon"], message="Chúng tôi có.")
    assert interests.needs_mediator(i) and not i.anonymous  # the request, not the sender
    with pytest.raises(DomainError):
        interests.interest_transition(user=owner, interest=i, to="forwarded")
    i = interests.interest_set_mediator(user=owner, interest=i, mediator=owner)
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    invite = interests.message_post(user=w["enterprise"], interest=i, body="Mời gửi hồ sơ.")
    interests.message_relay(user=owner, interest=i, message=invite)
    page = login(w["provider"]).get(i.get_absolute_url()).content.decode()
    assert "Mời gửi hồ sơ." in page
    assert "Nguyễn" not in page and "doanhnghiep" not in page
    assert "Bên đặt hàng (không công khai tên)" in page
    data = login(w["provider"]).get(f"/api/v1/market/interests/{i.pk}").json()
    assert data["owner_organization"] is None and data["side"] == "sender"


def test_parties_see_their_own_only(world: dict[str, Any], owner: Any, make_outside: Any) -> None:
    w = world
    i = _express(w)
    stranger = login(make_outside("enterprise", "nguoila"))
    assert stranger.get(i.get_absolute_url()).status_code == 404
    assert stranger.get(f"/api/v1/market/interests/{i.pk}").status_code == 404
    assert stranger.get("/api/v1/market/interests").json()["count"] == 0
    # Before forwarding the owner does not see it either.
    assert login(w["provider"]).get(i.get_absolute_url()).status_code == 404
    response = login(w["provider"]).post(
        f"/market/interests/{i.pk}/messages/", {"body": "Chen ngang"}
    )
    assert response.status_code == 404
    assert i.messages.count() == 0
    assert login(w["enterprise"]).get(i.get_absolute_url()).status_code == 200
    assert login(owner).get("/api/v1/market/interests").json()["count"] == 1


def test_messages_notify_the_other_side(world: dict[str, Any], owner: Any) -> None:
    w = world
    i = _express(w)
    # Before forwarding, the sender and the officer talk alone; the owner never reads it.
    interests.message_post(user=owner, interest=i, body="Xin bổ sung năng lực tiếp nhận.")
    interests.message_post(user=w["enterprise"], interest=i, body="Có 5 kỹ sư, vốn riêng.")
    i = interests.interest_transition(user=owner, interest=i, to="forwarded")
    assert interests.thread(w["provider"], i).count() == 0
    assert interests.thread(w["enterprise"], i).count() == 2
    page = login(w["provider"]).get(i.get_absolute_url()).content.decode()
    assert "5 kỹ sư" not in page
    before = Notification.objects.filter(kind="market.interest_message").count()
    interests.message_post(user=w["provider"], interest=i, body="Chào anh chị.")
    got = Notification.objects.filter(kind="market.interest_message").order_by("pk")[before:]
    recipients = {n.recipient.username for n in got}
    assert "owner" in recipients  # the officer who handled it follows
    assert interests.thread(w["provider"], i).count() == 1
    assert w["enterprise"].username in recipients
    assert w["provider"].username not in recipients  # not the author
    with pytest.raises(DomainError):
        interests.message_post(user=w["provider"], interest=i, body="  ")


def test_overdue_expressions_remind_owner_and_officers_once(
    world: dict[str, Any], owner: Any
) -> None:
    w = world
    i = interests.interest_transition(user=owner, interest=_express(w), to="forwarded")
    assert not i.is_overdue
    Interest.objects.filter(pk=i.pk).update(answer_due=timezone.localdate() - dt.timedelta(days=1))
    i.refresh_from_db()
    assert i.is_overdue
    assert interests.counts(owner)["overdue"] == 1
    assert interests.overdue_remind() == 1
    reminded = set(
        Notification.objects.filter(kind="market.interest_overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert {w["provider"].username, "owner"} <= reminded
    assert w["enterprise"].username not in reminded
    assert interests.overdue_remind() == 0  # once
    page = login(owner).get("/market/interests/?overdue=1").content.decode()
    assert f'id="interest-{i.pk}"' in page and "quá hạn" in page


def test_pages_express_answer_and_write(world: dict[str, Any], owner: Any) -> None:
    w = world
    client = login(w["enterprise"])
    page = client.get(w["offer"].get_absolute_url()).content.decode()
    assert 'id="express-interest"' in page
    response = client.post(
        f"/market/offers/{w['offer'].pk}/interest/",
        {"message": "Quan tâm chuyển giao", "from_request": w["public_request"].pk},
    )
    i = Interest.objects.get()
    assert response.status_code == 302 and response["Location"] == i.get_absolute_url()
    assert i.from_request == w["public_request"] and not i.anonymous
    # A second one from the page: refused with the reason, nothing written.
    client.post(f"/market/offers/{w['offer'].pk}/interest/", {"message": "Lần nữa"})
    assert Interest.objects.count() == 1
    officer = login(owner)
    officer.post(
        f"/market/interests/{i.pk}/transition/", {"status": "forwarded", "version": i.version}
    )
    i.refresh_from_db()
    assert i.status == "forwarded"
    provider = login(w["provider"])
    assert "Quan tâm chuyển giao" in provider.get(i.get_absolute_url()).content.decode()
    provider.post(f"/market/interests/{i.pk}/messages/", {"body": "Mời trao đổi"})
    assert i.messages.get().body == "Mời trao đổi"
    provider.post(
        f"/market/interests/{i.pk}/transition/", {"status": "accepted", "version": i.version}
    )
    i.refresh_from_db()
    assert i.status == "accepted"
    # A stale form is refused.
    provider.post(f"/market/interests/{i.pk}/transition/", {"status": "negotiating", "version": 1})
    i.refresh_from_db()
    assert i.status == "accepted"


def test_api_create_transition_messages(world: dict[str, Any], owner: Any) -> None:
    w = world
    client = login(w["enterprise"])
    body = {"offer": w["offer"].pk, "message": "Quan tâm"}
    response = client.post("/api/v1/market/interests", body, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    again = client.post("/api/v1/market/interests", body, content_type="application/json")
    # A rule (the open limit) is a 422 naming the field sent, as the schema's errors are.
    assert again.status_code == 422 and set(again.json()["errors"]) == {"offer"}
    both = client.post(
        "/api/v1/market/interests",
        {**body, "request": w["public_request"].pk},
        content_type="application/json",
    )
    assert both.status_code == 422 and set(both.json()["errors"]) == {"offer", "request"}
    officer = login(owner)
    url = f"/api/v1/market/interests/{pk}/transition"
    move = {"status": "forwarded"}
    assert officer.post(url, move, content_type="application/json").status_code == 428
    assert (
        officer.post(url, move, content_type="application/json", HTTP_IF_MATCH=f'"{pk}-9"')
    ).status_code == 412
    etag = officer.get(f"/api/v1/market/interests/{pk}")["ETag"]
    done = officer.post(url, move, content_type="application/json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200 and done.json()["status"] == "forwarded"
    assert done.json()["answer_due"] is not None
    provider = login(w["provider"])
    posted = provider.post(
        f"/api/v1/market/interests/{pk}/messages",
        {"body": "Xin chào"},
        content_type="application/json",
    )
    assert posted.status_code == 201 and posted.json()["count"] == 1
    listed = provider.get("/api/v1/market/interests?status=open").json()
    assert [item["id"] for item in listed["items"]] == [pk]


def test_dashboard_counts_published_open_and_transfers(world: dict[str, Any], owner: Any) -> None:
    w = world
    i = _express(w)
    for step, who in (
        ("forwarded", owner),
        ("accepted", w["provider"]),
        ("negotiating", w["provider"]),
        ("signed", owner),
    ):
        outcome = outcome_today() if step == "signed" else None
        i = interests.interest_transition(user=who, interest=i, to=step, outcome=outcome)
    _express_other = interests.interest_create(
        user=w["provider"], record=w["public_request"], message="Có công nghệ"
    )
    assert _express_other.is_open
    page = login(owner).get("/").content.decode()
    assert 'id="market-panel"' in page
    assert 'id="market-signed">1<' in page
    assert '?status=open">1</a>' in page  # one open expression
    anonymous = login(w["enterprise"]).get("/").content.decode()
    assert 'id="market-signed">1<' in anonymous


def test_e_mail_is_sent_on_commit_without_the_other_partys_address(
    world: dict[str, Any], owner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    w = world
    with django_capture_on_commit_callbacks(execute=True):
        i = interests.interest_transition(user=owner, interest=_express(w), to="forwarded")
    to_provider = [m for m in mail.outbox if m.to == ["provider@example.vn"]]
    assert to_provider, [m.to for m in mail.outbox]
    body = to_provider[0].body
    assert i.get_absolute_url() in body
    assert "lan@example.vn" not in body and "Nguyễn" not in body


def test_the_officers_queue_lists_what_waits_and_what_stalls(
    world: dict[str, Any], owner: Any
) -> None:
    w = world
    waiting = _express(w)
    late = interests.interest_create(user=w["provider"], record=w["public_request"], message="Có")
    late = interests.interest_transition(user=owner, interest=late, to="forwarded")
    Interest.objects.filter(pk=late.pk).update(
        answer_due=timezone.localdate() - dt.timedelta(days=3)
    )
    page = login(owner).get("/market/review/").content.decode()
    forward = page.split('id="interests-to-forward"')[1].split("</ul>")[0]
    stalled = page.split('id="interests-stalled"')[1].split("</ul>")[0]
    assert waiting.get_absolute_url() in forward and late.get_absolute_url() not in forward
    assert late.get_absolute_url() in stalled and "quá hạn" in stalled


def test_the_api_list_serialises_only_the_page_asked_for(
    world: dict[str, Any], owner: Any, make_outside: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            data = client.get("/api/v1/market/interests?page_size=2").json()
        assert len(data["items"]) == 2
        return len(ctx.captured_queries)

    def express(n: int) -> None:
        i = interests.interest_create(
            user=make_outside("enterprise", f"ben-{n}"), record=world["offer"], message="Quan tâm."
        )
        interests.interest_transition(user=owner, interest=i, to="forwarded")

    for n in range(2):
        express(n)
    two = queries()
    for n in range(2, 6):
        express(n)
    assert client.get("/api/v1/market/interests").json()["count"] == 6
    assert queries() == two  # the other rows are neither loaded nor serialised
