"""A full recompute stores exactly what ranking each request on its own gives: the same
matches, scores and explanations (the batch paths of ``recompute_all`` — one index per kind,
blocked ranking, stored query vectors — change its speed, never its result)."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.market import matching
from caunoi.market.models import Match, Status, TechnologyRequest
from caunoi.search import dense
from techmatch import MatchIndex

pytestmark = pytest.mark.django_db(transaction=True)

OFFERS = [
    ("Máy sấy cà phê năng lượng mặt trời", "Sấy cà phê và nông sản bằng nhiệt mặt trời.", "KR", 7),
    ("Solar dryer for cocoa", "Drying cocoa and coffee with solar heat.", "JP", 6),
    ("Lò khí hóa trấu", "Điện từ trấu cho trang trại.", "KR", 4),
    ("Shrimp pond sensor", "Oxygen sensors for shrimp ponds.", "JP", 8),
    ("Điều khiển rang cà phê", "Kiểm soát nhiệt độ khi rang cà phê.", "KR", 5),
    ("Cold storage for fruit", "Solar cold storage for fruit and vegetables.", "JP", 3),
]
REQUESTS = [
    ("Cần máy sấy cà phê", "Chúng tôi sấy hạt cà phê bằng năng lượng mặt trời.", ["KR"], 5),
    ("Farm power from rice husk", "Power for the farm from rice husk.", [], None),
    ("Cảm biến cho ao tôm", "Cảm biến oxy cho ao nuôi tôm, và sấy cà phê.", ["JP"], 6),
    ("Bảo quản lạnh trái cây", "Kho lạnh dùng năng lượng mặt trời.", [], 2),
]


def _stored() -> list[tuple[int, str, int, float, str, Any]]:
    out = []
    for m in Match.objects.filter(request__status=Status.PUBLISHED):
        kind, pk = matching._target_of(m)
        out.append((m.request_id, kind, pk, m.score, m.feedback, m.explanation))
    return sorted(out, key=lambda t: t[:3])


def _reference() -> list[tuple[int, str, int, float, str, Any]]:
    """Each published request ranked alone by the core, over an index built for it, with its
    query embedded now; the rows a recompute keeps (above the floor, or with feedback)."""
    tree, bridge = matching.taxonomy()
    book = matching.feedback_book()
    feedback = {
        (m.request_id, *matching._target_of(m)): m.feedback
        for m in Match.objects.exclude(feedback="")
    }
    out = []
    requests = TechnologyRequest.objects.filter(status=Status.PUBLISHED).order_by("pk")
    for r in requests:
        title, text = matching.request_text(r)
        query = matching.request_record(r, dense.embed_query(f"{title}. {text}"))
        for kind in matching.KINDS:
            index = MatchIndex(
                matching.candidates(kind),
                tree=tree,
                bridge=bridge,
                stats=matching.load_stats(kind),
            )
            found = {
                m.id: (m.score, m.explanation)
                for m in index.rank(query, matching.K, feedback=book, explain=True)
                if matching.kept(m.score)
            }
            for (rid, k, pk), _fb in feedback.items():
                tid = f"{k}:{pk}"
                if rid == r.pk and k == kind and tid not in found and tid in index.position:
                    e = index.explain(query, index.position[tid], book)
                    found[tid] = (e.components.score, e)
            for tid, (score, e) in found.items():
                pk = int(tid.split(":", 1)[1])
                fb = feedback.get((r.pk, kind, pk), "")
                out.append((r.pk, kind, pk, score, fb, matching.explanation_json(e)))
    return sorted(out, key=lambda t: t[:3])


@pytest.fixture
def market(
    provider: Any,
    enterprise: Any,
    make_offer: Any,
    make_request: Any,
    publish: Any,
    taxonomy: Any,
) -> list[Any]:
    c = taxonomy["countries"]
    for t, s, country, trl in OFFERS:
        publish(make_offer(provider, title_vi=t, summary_vi=s, country=c[country], trl=trl))
    return [
        publish(make_request(enterprise, title_vi=t, need=n, preferred_countries=pref, min_trl=trl))
        for t, n, pref, trl in REQUESTS
    ]


@pytest.mark.parametrize(("refresh", "processes"), [(True, 1), (False, 1), (True, 2)])
def test_a_full_recompute_equals_each_request_ranked_alone(
    market: list[Any],
    enterprise: Any,
    monkeypatch: Any,
    settings: Any,
    tmp_path: Any,
    refresh: bool,
    processes: int,
) -> None:
    import os

    settings.CAUNOI_TASK_PROCESSES = processes
    monkeypatch.setattr(matching, "K", 3)  # fewer than the candidates: the cut matters
    monkeypatch.setattr(matching, "RANK_BLOCK", 3)  # two blocks, one of them short
    monkeypatch.setattr(matching, "ANALYSE_CHUNK", 2)  # the analyses in several chunks
    real = matching.ranked_rows

    def ranked_in(matcher: Any, queries: Any) -> Any:
        (tmp_path / f"ranked-{os.getpid()}-{queries[0].id}").touch()
        return real(matcher, queries)

    monkeypatch.setattr(matching, "ranked_rows", ranked_in)
    low = Match.objects.filter(request=market[0], offer__isnull=False).order_by("score").first()
    assert low is not None
    matching.set_feedback(user=enterprise, match=low, feedback="interested")
    MatchStatistics = matching.MatchStatistics
    if refresh:  # analysed again (in chunks, forked when processes > 1)
        matching.CandidateAnalysis.objects.all().delete()
    n = matching.recompute_all(refresh_stats=refresh)
    stored = _stored()
    assert n == len(stored) > len(market)
    assert stored == _reference()
    assert MatchStatistics.objects.exists()
    # ranked where it was asked: here, or in forked children
    pids = {int(f.name.split("-")[1]) for f in tmp_path.iterdir()}
    assert len(list(tmp_path.iterdir())) == 2  # two blocks
    assert (pids == {os.getpid()}) == (processes == 1), pids
    # the fixture exercises the cut and the constraints: some request has K offers stored
    per = [sum(1 for s in stored if s[0] == r.pk and s[1] == "offer") for r in market]
    assert max(per) >= 3, per


def test_a_changed_request_text_changes_its_matches(market: list[Any], owner: Any) -> None:
    from caunoi.market import services

    before = _stored()
    services.record_save(
        user=owner, instance=market[1], data={"need": "Cảm biến oxy cho ao nuôi tôm."}
    )
    matching.recompute_all(refresh_stats=False)
    after = _stored()
    assert after == _reference()
    mine = [s[1:4] for s in before if s[0] == market[1].pk]
    assert mine != [s[1:4] for s in after if s[0] == market[1].pk]


def test_a_request_is_embedded_once_per_text(
    market: list[Any], owner: Any, monkeypatch: Any
) -> None:
    from caunoi.market import services
    from caunoi.market.models import RequestVector

    assert RequestVector.objects.filter(request__in=market).count() == len(market)
    calls: list[str] = []
    real = dense.embed_query

    def counting(text: str) -> Any:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(dense, "embed_query", counting)
    matching.recompute_all(refresh_stats=False)
    assert calls == []  # every request's stored vector reused
    assert _stored() == _reference()
    calls.clear()  # the reference embeds every request itself
    old_hash = RequestVector.objects.get(request=market[2]).text_hash
    services.record_save(user=owner, instance=market[2], data={"purpose": "Nuôi tôm thẻ."})
    # the change's own recompute embedded the new text, once, and stored it
    assert len(calls) == 1 and "Nuôi tôm thẻ." in calls[0], calls
    assert RequestVector.objects.get(request=market[2]).text_hash != old_hash
    assert _stored() == _reference()
    calls.clear()  # the reference's
    RequestVector.objects.filter(request=market[3]).update(engine="another-engine")
    matching.recompute_all(refresh_stats=False)
    # another engine's vector is not reused
    assert len(calls) == 1 and calls[0].startswith("Bảo quản lạnh"), calls
    row = RequestVector.objects.get(request=market[3])
    assert row.engine == dense.engine_ident()
    calls.clear()
    matching.recompute_all(refresh_stats=False)
    assert calls == []


def test_storing_a_block_of_requests_costs_the_queries_of_one(market: list[Any]) -> None:
    """A recompute stores each block of requests in a fixed handful of queries (old feedback,
    one delete, the inserts, best scores, earlier notices), not a few per request: on
    PostgreSQL every round trip counts, 10,000 requests made 70,000 of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    matcher = matching.Matcher.build()
    ranked = matcher.rank_block(matching.query_records(market))
    now = timezone.now()

    def items(n: int) -> list[tuple[Any, list[Match]]]:
        return [
            (r, [matching._row(r, kind, m, now) for kind, m in found])
            for r, found in list(zip(market, ranked, strict=True))[:n]
        ]

    matching.store_matches(items(len(market)))  # every match told once
    expected = _stored()
    counts = []
    for n in (1, len(market)):
        with CaptureQueriesContext(connection) as seen:
            stored = matching.store_matches(items(n))
        counts.append(len(seen.captured_queries))
        assert stored == sum(len(rows) for _r, rows in items(n)) > 0
    assert counts[0] == counts[1] <= 10, counts
    assert _stored() == expected  # storing again changed nothing


def test_a_pair_keeps_its_match_id_across_recomputes_and_updates(
    market: list[Any], owner: Any, enterprise: Any
) -> None:
    """A page left open names matches by ID (feedback, links): re-ranking keeps the ID of
    every pair still matched, whether by a full recompute, a request's own or an offer's
    incremental update."""
    from caunoi.market import services

    def ids() -> dict[tuple[int, str, int], int]:
        return {(m.request_id, *matching._target_of(m)): m.pk for m in Match.objects.all()}

    before = ids()
    assert before
    matching.recompute_all(refresh_stats=True)
    assert ids() == before
    # a request's text changes: its own pairs still matched keep their IDs
    services.record_save(
        user=owner, instance=market[0], data={"need": "Sấy hạt cà phê, kiểm soát nhiệt độ rang."}
    )
    after = ids()
    kept = set(before) & set(after)
    assert any(k[0] == market[0].pk for k in kept)
    assert all(after[k] == before[k] for k in kept)
    # an offer changes (incremental update): its pairs keep their IDs, with new scores
    offer_pair = next(k for k in after if k[1] == "offer")
    offer = matching.TechnologyOffer.objects.get(pk=offer_pair[2])
    changed_at = Match.objects.get(pk=after[offer_pair]).computed_at
    services.record_save(
        user=owner, instance=offer, data={"summary_vi": offer.summary_vi + " Sấy nhanh, tiết kiệm."}
    )
    later = ids()
    assert all(later[k] == after[k] for k in set(after) & set(later))
    assert offer_pair in later  # still matched, updated in place
    assert Match.objects.get(pk=later[offer_pair]).computed_at > changed_at
    # feedback given through an ID read before the recomputes lands on that pair
    m = Match.objects.get(pk=before[next(iter(kept))])
    matching.set_feedback(user=enterprise, match=m, feedback="interested")
    matching.recompute_all(refresh_stats=False)
    assert Match.objects.get(pk=m.pk).feedback == "interested"
