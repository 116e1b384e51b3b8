"""The editorial workflow and the writes: server-enforced transitions, ownership, audit,
optimistic concurrency."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from caunoi.accounts.models import AuditEvent
from caunoi.core.errors import ConflictError, DomainError
from caunoi.market import services
from caunoi.market.models import Status, TargetCompany, TechnologyOffer

pytestmark = pytest.mark.django_db


def test_a_new_offer_is_a_draft_of_its_writer(provider: Any, make_offer: Any) -> None:
    offer = make_offer(provider, status="published")  # status from input is ignored
    assert offer.status == Status.DRAFT
    assert offer.owner_user == provider
    assert list(offer.fields.values_list("slug", flat=True)) == ["semiconductors"]
    event = AuditEvent.objects.get(model="market.technologyoffer", object_id=str(offer.pk))
    assert event.action == AuditEvent.Action.CREATE


def test_viewers_and_anonymous_cannot_write(viewer: Any, taxonomy: Any) -> None:
    with pytest.raises(DomainError):
        services.record_save(user=viewer, instance=TechnologyOffer(), data={"title_en": "x"})


def test_every_bad_field_is_reported(provider: Any, taxonomy: Any) -> None:
    with pytest.raises(DomainError) as caught:
        services.record_save(
            user=provider,
            instance=TechnologyOffer(),
            data={"trl": 12, "cooperation": ["licence", "bribery"], "title_vi": ""},
        )
    assert {"trl", "cooperation", "title_vi"} <= set(caught.value.errors)
    assert not TechnologyOffer.objects.exists()


def test_full_workflow_with_officer_approval(provider: Any, owner: Any, make_offer: Any) -> None:
    offer = make_offer(provider)
    assert services.allowed_transitions(provider, offer) == ["submitted", "withdrawn"]
    # The writer cannot publish their own offer.
    with pytest.raises(DomainError):
        services.transition(user=provider, record=offer, to="published")
    services.transition(user=provider, record=offer, to="submitted")
    with pytest.raises(DomainError):
        services.transition(user=provider, record=offer, to="in_review")
    services.transition(user=owner, record=offer, to="in_review")
    services.transition(user=owner, record=offer, to="changes_requested", note="Thêm TRL")
    offer.refresh_from_db()
    assert offer.review_note == "Thêm TRL" and offer.reviewed_by == owner
    # Back with the writer, who may edit again.
    assert services.can_edit(provider, offer)
    services.record_save(user=provider, instance=offer, data={"trl": 7})
    services.transition(user=provider, record=offer, to="submitted")
    assert not services.can_edit(provider, offer)  # under review: the writer waits
    services.transition(user=owner, record=offer, to="published")
    offer.refresh_from_db()
    assert offer.status == Status.PUBLISHED and offer.published_at is not None
    services.transition(user=provider, record=offer, to="withdrawn")
    trail = list(
        AuditEvent.objects.filter(
            model="market.technologyoffer", action=AuditEvent.Action.TRANSITION
        )
        .order_by("pk")
        .values_list("changes__status", flat=True)
    )
    assert [t[1] for t in trail] == [
        "submitted",
        "in_review",
        "changes_requested",
        "submitted",
        "published",
        "withdrawn",
    ]


def test_impossible_transitions_are_refused(provider: Any, owner: Any, make_offer: Any) -> None:
    offer = make_offer(provider)
    for to in ("published", "in_review", "expired", "nonsense"):
        with pytest.raises(DomainError):
            services.transition(user=owner, record=offer, to=to)
    offer.refresh_from_db()
    assert offer.status == Status.DRAFT


def test_another_outside_user_cannot_touch_it(
    provider: Any, make_outside: Any, make_offer: Any
) -> None:
    offer = make_offer(provider)
    stranger = make_outside("provider", "stranger")
    assert not services.can_edit(stranger, offer)
    assert services.allowed_transitions(stranger, offer) == []
    with pytest.raises(DomainError):
        services.record_save(user=stranger, instance=offer, data={"trl": 2})
    with pytest.raises(DomainError):
        services.transition(user=stranger, record=offer, to="submitted")


def test_stale_version_is_refused(provider: Any, make_offer: Any) -> None:
    offer = make_offer(provider)
    services.record_save(user=provider, instance=offer, data={"trl": 5}, expected_version=1)
    stale = TechnologyOffer.objects.get(pk=offer.pk)
    stale.version = 1
    with pytest.raises(ConflictError):
        services.record_save(user=provider, instance=stale, data={"trl": 8}, expected_version=1)
    assert TechnologyOffer.objects.get(pk=offer.pk).trl == 5


def test_organisation_owner_only_for_confirmed_members(
    org_member: Any, make_org: Any, make_offer: Any, provider: Any
) -> None:
    member, org = org_member
    offer = make_offer(member, owner_organization=org)
    assert offer.owner_organization == org
    with pytest.raises(DomainError) as caught:
        make_offer(provider, owner_organization=org)
    assert "owner_organization" in caught.value.errors


def test_colleagues_of_the_organisation_share_the_record(
    org_member: Any, make_outside: Any, make_offer: Any, admin: Any
) -> None:
    from caunoi.registry.affiliations import affiliation_decide, affiliation_request

    member, org = org_member
    offer = make_offer(member, owner_organization=org)
    colleague = make_outside("enterprise", "colleague")
    claim = affiliation_request(user=colleague, organization=org)
    assert not services.readable(colleague, TechnologyOffer).exists()  # not yet confirmed
    affiliation_decide(user=admin, affiliation=claim, approve=True)
    assert list(services.readable(colleague, TechnologyOffer)) == [offer]


def test_expiry_moves_published_offers_past_validity(
    provider: Any, make_offer: Any, publish: Any
) -> None:
    import datetime as dt

    today = dt.date.today()
    old = publish(make_offer(provider, valid_until=today + dt.timedelta(days=1)))
    fresh = publish(make_offer(provider, title_en="Fresh", valid_until=dt.date(2999, 1, 1)))
    assert services.expire_due(today + dt.timedelta(days=2)) == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == Status.EXPIRED and fresh.status == Status.PUBLISHED


def test_target_companies_are_written_by_officers_only(
    owner: Any, provider: Any, taxonomy: Any
) -> None:
    data = {"name": "Acme Photonics", "country": taxonomy["countries"]["JP"], "technologies": "x"}
    with pytest.raises(DomainError):
        services.record_save(user=provider, instance=TargetCompany(), data=data)
    target = services.record_save(user=owner, instance=TargetCompany(), data=data)
    assert target.created_by == owner


def test_the_writer_renews_an_expired_offer_by_editing_and_resubmitting(
    provider: Any, owner: Any, make_offer: Any, publish: Any
) -> None:
    import datetime as dt

    from django.test import Client

    from support import login

    offer = publish(make_offer(provider, valid_until=dt.date.today() + dt.timedelta(days=1)))
    services.expire_due(dt.date.today() + dt.timedelta(days=2))
    offer.refresh_from_db()
    assert offer.status == Status.EXPIRED
    assert set(services.allowed_transitions(provider, offer)) == {"submitted", "withdrawn"}
    me: Client = login(provider)
    assert me.get(f"/market/offers/{offer.pk}/edit/").status_code == 200
    path = f"/api/v1/market/offers/{offer.pk}"
    later = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    changed = me.patch(
        path,
        f'{{"valid_until": "{later}"}}',
        content_type="application/json",
        headers={"If-Match": me.get(path)["ETag"]},
    )
    assert changed.status_code == 200, changed.content
    offer.refresh_from_db()
    assert offer.valid_until.isoformat() == later
    services.transition(user=provider, record=offer, to="submitted")
    assert not services.can_edit(provider, offer)  # back under review: the writer waits


def test_the_writer_withdraws_an_expired_request(
    provider: Any, make_request: Any, publish: Any
) -> None:
    import datetime as dt

    request = publish(make_request(provider, deadline=dt.date.today() + dt.timedelta(days=1)))
    services.expire_due(dt.date.today() + dt.timedelta(days=2))
    request.refresh_from_db()
    services.transition(user=provider, record=request, to="withdrawn")
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN


def test_a_past_date_is_refused_on_create_submit_and_publish(
    provider: Any, owner: Any, make_offer: Any, make_request: Any
) -> None:
    import datetime as dt

    from django.test import Client

    from support import login

    yesterday = dt.date.today() - dt.timedelta(days=1)
    with pytest.raises(DomainError) as caught:
        make_offer(provider, valid_until=yesterday)
    assert "valid_until" in caught.value.errors
    with pytest.raises(DomainError) as caught:
        make_request(provider, deadline=dt.date(2019, 1, 1))
    assert "01/01/2019" in caught.value.errors["deadline"][0]
    # Over the API, by field.
    me: Client = login(provider)
    sent = me.post(
        "/api/v1/market/requests",
        '{"title_vi": "Cần máy sấy", "need": "Sấy cà phê", "deadline": "2019-01-01"}',
        content_type="application/json",
    )
    assert sent.status_code in (400, 422) and "deadline" in sent.content.decode()
    # A record whose date passed while in draft is not submitted, nor published.
    offer = make_offer(provider, valid_until=dt.date.today())
    TechnologyOffer.objects.filter(pk=offer.pk).update(valid_until=yesterday)
    offer.refresh_from_db()
    with pytest.raises(DomainError):
        services.transition(user=provider, record=offer, to="submitted")
    TechnologyOffer.objects.filter(pk=offer.pk).update(status="submitted")
    offer.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        services.transition(user=owner, record=offer, to="published")
    assert "valid_until" in caught.value.errors
    offer.refresh_from_db()
    assert offer.status == Status.SUBMITTED
    # Extending the date lets it through.
    services.record_save(
        user=owner, instance=offer, data={"valid_until": dt.date.today() + dt.timedelta(days=30)}
    )
    services.transition(user=owner, record=offer, to="published")


def test_changes_are_requested_with_a_note_and_the_queue_shows_writer_and_date(
    provider: Any, owner: Any, make_offer: Any
) -> None:
    from django.test import Client

    from support import login

    offer = make_offer(provider)
    services.transition(user=provider, record=offer, to="submitted")
    with pytest.raises(DomainError) as caught:
        services.transition(user=owner, record=offer, to="changes_requested", note="  ")
    assert "note" in caught.value.errors
    offer.refresh_from_db()
    assert offer.status == Status.SUBMITTED
    officer: Client = login(owner)
    queue = officer.get("/market/review/").content.decode()
    row = queue.split('id="review-queue"')[1]
    assert f">{provider.get_full_name() or provider}<" in row
    # The page shows the local date (TIME_ZONE), which is not UTC's late in the UTC day.
    assert timezone.localtime(offer.updated_at).strftime("%d/%m/%Y") in row
    assert 'value="in_review"' in row
    # Taking it into review from the queue.
    officer.post(
        f"/market/offers/{offer.pk}/transition/", {"status": "in_review", "version": offer.version}
    )
    offer.refresh_from_db()
    assert offer.status == Status.IN_REVIEW
    assert 'value="in_review"' not in officer.get("/market/review/").content.decode()
    # An empty note through the page is refused too.
    officer.post(
        f"/market/offers/{offer.pk}/transition/",
        {"status": "changes_requested", "note": "", "version": offer.version},
    )
    offer.refresh_from_db()
    assert offer.status == Status.IN_REVIEW
