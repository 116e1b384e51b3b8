"""The demo marketplace: valid facts, priority fields that exist, loaded through the workflow."""

from __future__ import annotations

import csv
import datetime as dt
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
        if kind in ("interests", "feedback"):
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
    # Requests in semiconductors and in biotechnology among the others.
    requested = {s for item in data["requests"] for s in item.fields}
    assert {"semiconductors", "biotechnology"} <= requested
    # A domestic, a foreign and an overseas-Vietnamese expert.
    assert {e.category for e in data["experts"]} == {"domestic", "foreign", "overseas_vn"}
    # The foreign offers and experts name a partner organisation of the registry seeds.
    seeds = _seed_organizations()
    for item in (*data["offers"], *data["experts"]):
        if item.country != "VN":
            assert item.organization in seeds, (item, item.organization)
    assert 2 <= len(data["targets"]) <= 5
    # Feedback of every kind, each on a record of the demo.
    assert {f.feedback for f in data["feedback"]} == {
        "not_relevant",
        "too_early",
        "benefit_unclear",
        "too_expensive",
        "interested",
    }
    titles = {r.title_vi for r in data["requests"]}
    offers = {o.title_en for o in data["offers"]}
    names = {e.name for e in (*data["experts"], *data["intermediaries"])}
    for f in data["feedback"]:
        assert f.request in titles and (f.offer in offers or {f.expert, f.intermediary} & names)


def _seed_organizations() -> dict[str, dict[str, Any]]:
    """The registry demo's organisations (its seeds), by key."""
    import json

    import caunoi.portal.demo

    path = Path(caunoi.portal.demo.__file__).parent / "data" / "organizations.json"
    seeds = json.loads(path.read_text(encoding="utf-8"))
    return {o["key"]: o for group in seeds.values() for o in group}


def _partners(make_org: Any) -> None:
    """The registry partners the demo's foreign records name, as the registry demo makes them."""
    from caunoi.taxonomy.models import Country

    Country.objects.get_or_create(
        iso2="DE", defaults={"iso3": "DEU", "name_vi": "Đức", "name_en": "Germany"}
    )
    seeds = _seed_organizations()
    data = facts()
    for key in {i.organization for i in (*data["offers"], *data["experts"]) if i.country != "VN"}:
        seed = seeds[key]
        make_org(
            key=key, name_vi=seed["name_vi"], name_en=seed["name_en"], country_id=seed["country"]
        )


@pytest.mark.django_db
def test_demo_loads_published_once(
    units: Any, taxonomy: Any, admin: Any, make_org: Any, enterprise: Any
) -> None:
    from caunoi.market.models import (
        Expert,
        Match,
        Status,
        TargetCompany,
        TechnologyOffer,
        TechnologyRequest,
    )
    from caunoi.market.services import readable
    from caunoi.portal.demo.load import load_outside_demo_accounts

    _partners(make_org)
    load_outside_demo_accounts()
    counts = load_market_demo()
    data = facts()
    assert counts["offers"] == len(data["offers"])
    assert counts["requests"] == len(data["requests"])
    assert counts["experts"] == len(data["experts"])
    # Every record published but one offer and one request, left for the officers' review.
    for model in (TechnologyOffer, TechnologyRequest):
        statuses = list(model.objects.values_list("status", flat=True))
        assert statuses.count(Status.SUBMITTED) == 1
        assert set(statuses) == {Status.PUBLISHED, Status.SUBMITTED}
    from caunoi.market.services import review_queue

    waiting = review_queue()
    assert {type(r) for r in waiting} == {TechnologyOffer, TechnologyRequest} and len(waiting) == 2
    assert all(r.title_vi and not r.title_en for r in waiting)  # written in Vietnamese
    # Neither the officers-only request nor the submitted one is read by the public.
    assert readable(None, TechnologyRequest).count() == counts["requests"] - 2
    # Patent numbers read as numbers, without a placeholder in English.
    numbers = [n for o in TechnologyOffer.objects.all() for n in o.patent_numbers]
    assert "KR 10-2158934" in numbers and not any("sample" in n for n in numbers)
    # The foreign offers belong to their registry partners, written by the provider account.
    foreign = TechnologyOffer.objects.exclude(country_id="VN").select_related(
        "owner_organization", "owner_user"
    )
    assert foreign.count() == 4
    assert {o.owner_organization.key for o in foreign if o.owner_organization} == {
        "kisti",
        "kiat",
        "u-tokyo",
        "arizona-state-u",
    }
    assert {o.owner_user.username for o in foreign} == {"nhacungcap"}
    assert (
        TechnologyOffer.objects.get(source="kisti").owner_organization.key  # type: ignore[union-attr]
        == "kisti"
    )
    by_category = dict(Expert.objects.values_list("category", "owner_organization__key"))
    assert by_category == {
        "domestic": "mau-vien-sinh-hoc-mien-trung",
        "foreign": "kaist",
        "overseas_vn": "u-tokyo",
    }
    # The target register: filled, for network staff only.
    assert counts["targets"] == TargetCompany.objects.count() == len(data["targets"])
    assert readable(None, TargetCompany).count() == 0
    assert readable(enterprise, TargetCompany).count() == 0
    assert readable(admin, TargetCompany).count() == len(data["targets"])
    # Matches were computed and carry every kind of feedback.
    assert counts["matches"] == Match.objects.count() > 0
    assert counts["feedback"] == len(data["feedback"])
    marks = set(Match.objects.exclude(feedback="").values_list("feedback", flat=True))
    assert marks == {f.feedback for f in data["feedback"]}
    semis = TechnologyRequest.objects.get(fields__slug="semiconductors")
    liked = semis.matches.get(offer__source="kisti")
    assert liked.feedback == "interested"
    # A later recompute (the queued match tasks) keeps the feedback.
    from caunoi.market import matching

    matching.recompute_all()
    assert Match.objects.exclude(feedback="").count() == len(data["feedback"])
    assert load_market_demo() == dict.fromkeys(counts, 0)


@pytest.mark.django_db
def test_demo_expressions_of_interest_cover_every_stage(
    units: Any, taxonomy: Any, admin: Any
) -> None:
    from django.test import Client
    from django.utils import timezone

    from caunoi.accounts.models import User
    from caunoi.market import interests
    from caunoi.market.models import INTEREST_OPEN, Interest, InterestStatus
    from caunoi.market.selectors import signed_transfers
    from caunoi.portal.demo.load import load_outside_demo_accounts

    load_outside_demo_accounts()
    counts = load_market_demo()
    assert counts["interests"] == len(facts()["interests"])
    assert set(Interest.objects.values_list("status", flat=True)) == set(InterestStatus.values)
    # Messages on most, from both sides.
    assert Interest.objects.filter(messages__isnull=False).distinct().count() >= 6
    # Every step dated in the past and in order; each open stage's reply deadline counts from
    # the day the stage was entered (the stage's default or the officer's date, never before).
    today = timezone.localdate()
    for i in Interest.objects.prefetch_related("events", "messages"):
        events = list(i.events.order_by("pk"))
        times = [e.created_at for e in events]
        assert times == sorted(times) and times[0] == i.created_at, i
        assert max(times) <= i.updated_at <= timezone.now(), i
        assert all(i.created_at <= m.created_at <= i.updated_at for m in i.messages.all()), i
        assert events[-1].to_status == i.status, i
        entered = timezone.localdate(events[-1].created_at)
        if i.status in INTEREST_OPEN:
            assert i.answer_due is not None and i.answer_due > entered, i
            assert i.answer_due <= entered + dt.timedelta(days=730), i
        else:
            assert i.answer_due is None, i
        if i.forwarded_at is not None:
            forwarded = next(e for e in events if e.to_status == "forwarded")
            assert i.forwarded_at == forwarded.created_at, i
    # Open and stalled in every open stage (past its reply deadline), and also open in time:
    # the officers' queue lists the stalled ones, and only those.
    stalled = interests.stalled(admin)["stalled"]
    overdue = [i for i in Interest.objects.all() if i.is_overdue]
    assert {i.status for i in overdue} == set(INTEREST_OPEN)
    assert set(overdue) <= set(stalled)
    assert all(i.answer_due < today for i in overdue)  # type: ignore[operator]
    in_time = Interest.objects.filter(status__in=INTEREST_OPEN, answer_due__gte=today)
    assert {"submitted", "accepted"} <= set(in_time.values_list("status", flat=True))
    assert not set(in_time) & set(stalled)
    queue = Client()
    queue.force_login(admin)
    page = queue.get("/market/review/").content.decode()
    section = page[page.index('id="interests-stalled-head"') :]
    for i in overdue:
        assert f'href="{i.get_absolute_url()}"' in section, i
    # One in a request, sent by a provider, stalled once accepted.
    on_request = Interest.objects.get(request__isnull=False)
    assert on_request.status == "accepted" and on_request in stalled
    # One signed with its outcome.
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
