"""Incremental match updates: a changed, published or withdrawn offer updates only its rows,
and after a sequence of changes the stored matches equal a full recompute."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.jobs.models import Job
from caunoi.market import matching, services, tasks
from caunoi.market.models import Match, MatchStatistics, Status

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = [
    ("Solar dryer for coffee beans", "A solar-powered dryer for coffee and farm produce."),
    ("Solar dryer for cocoa", "Drying cocoa and coffee with solar heat."),
    ("Rice husk gasifier", "Power from rice husk for farms."),
    ("Shrimp pond sensor", "Oxygen sensors for shrimp ponds."),
    ("Coffee roasting control", "Temperature control for coffee roasting."),
    ("Cold storage for fruit", "Solar cold storage for fruit and vegetables."),
]


def _stored() -> dict[int, list[tuple[str, int, float, str]]]:
    out: dict[int, list[tuple[str, int, float, str]]] = {}
    rows = Match.objects.filter(request__status=Status.PUBLISHED).order_by("request_id", "pk")
    for m in rows:
        kind, pk = matching._target_of(m)
        out.setdefault(m.request_id, []).append((kind, pk, round(m.score, 6), m.feedback))
    return {r: sorted(v) for r, v in out.items()}


def test_a_sequence_of_changes_equals_a_full_recompute(
    provider: Any,
    enterprise: Any,
    owner: Any,
    make_offer: Any,
    make_request: Any,
    publish: Any,
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr(matching, "K", 2)  # small lists: entering and leaving happen often
    offers = [
        publish(make_offer(provider, title_en=t, summary_en=s, trl=5 + i % 3))
        for i, (t, s) in enumerate(TEXTS[:4])
    ]
    requests = [
        publish(make_request(enterprise, title_en=t, need=n))
        for t, n in (
            ("Solar dryer for coffee", "We dry coffee beans with solar heat."),
            ("Farm power from rice husk", "Power for the farm from rice husk."),
            ("Sensors for shrimp", "Oxygen sensors for our shrimp ponds, and coffee drying."),
        )
    ]
    assert MatchStatistics.objects.filter(kind="offer").exists()
    # feedback on a pair outside the top: it stays stored through the updates
    low = Match.objects.filter(request=requests[0], offer__isnull=False).order_by("score").first()
    assert low is not None
    matching.set_feedback(user=enterprise, match=low, feedback="interested")
    tasks.schedule_request(low.request_id)  # as the feedback view does
    mark = Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # a sequence of changes, each applied incrementally when its transaction commits
    new = [publish(make_offer(provider, title_en=t, summary_en=s, trl=6)) for t, s in TEXTS[4:6]]
    services.record_save(
        user=owner,
        instance=offers[0],
        data={"summary_en": "A dryer for rice and shrimp."},
    )
    top = Match.objects.filter(request=requests[1], offer__isnull=False).order_by("-score")[0]
    services.transition(user=owner, record=top.offer, to="withdrawn")
    services.transition(user=owner, record=new[1], to="withdrawn")
    later = Job.objects.filter(pk__gt=mark)
    assert not later.filter(kind__endswith="match_all").exists()
    done = [j.result or {} for j in later.filter(kind__endswith="match_target")]
    assert len(done) == 5 and all(c["full"] == 0 for c in done), done
    # the sequence went through every path: rows inserted, removed, lists refilled
    for key in ("inserted", "refilled"):
        assert sum(c[key] for c in done) > 0, (key, done)
    incremental = _stored()
    assert any(len(v) >= 2 for v in incremental.values())
    matching.recompute_all(refresh_stats=False)
    assert _stored() == incremental


def test_an_update_touches_only_the_changed_records_rows(
    provider: Any, enterprise: Any, make_offer: Any, make_request: Any, publish: Any
) -> None:
    offers = [publish(make_offer(provider, title_en=t, summary_en=s)) for t, s in TEXTS[:3]]
    r = publish(make_request(enterprise, title_en="Solar dryer for coffee", need="Coffee drying."))
    before = {m.pk: m.computed_at for m in Match.objects.filter(request=r)}
    assert before
    counts = matching.update_target("offer", offers[2].pk)
    assert counts["full"] == 0 and counts["requests"] == 1
    after = {m.pk: m.computed_at for m in Match.objects.filter(request=r)}
    # rows of the other offers are the same rows, not rewritten
    kept = [pk for pk, m in before.items() if pk in after and after[pk] == m]
    assert len(kept) >= len(before) - 1


def test_statistics_drift_falls_back_to_a_full_recompute(
    provider: Any, enterprise: Any, make_offer: Any, make_request: Any, publish: Any
) -> None:
    offers = [publish(make_offer(provider, title_en=t, summary_en=s)) for t, s in TEXTS[:2]]
    publish(make_request(enterprise, title_en="Solar dryer", need="Coffee drying."))
    MatchStatistics.objects.filter(kind="offer").update(n=500)
    counts = matching.update_target("offer", offers[0].pk)
    assert counts["full"] == 1
    assert MatchStatistics.objects.get(kind="offer").n == 2
