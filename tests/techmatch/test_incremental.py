"""Scores with a statistics snapshot: one target scored against every request
(``MatchIndex.scores_for``) equals what ranking each request against all candidates gives."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from techmatch import (
    Budget,
    Capacity,
    Expert,
    Feedback,
    FeedbackBook,
    FieldTree,
    Intermediary,
    MatchIndex,
    Offer,
    Request,
    TermBridge,
    TermStats,
    Weights,
    vector,
)

DIM = 16
WORDS = [
    "solar",
    "battery",
    "sensor",
    "drone",
    "vaccine",
    "enzyme",
    "chip",
    "wafer",
    "lithography",
    "robot",
    "irrigation",
    "rice",
    "shrimp",
    "membrane",
    "hydrogen",
    "turbine",
    "catalyst",
    "polymer",
    "laser",
    "fibre",
]
VI = [
    "năng",
    "lượng",
    "mặt",
    "trời",
    "pin",
    "cảm",
    "biến",
    "tôm",
    "lúa",
    "tưới",
    "tiêu",
    "vắc",
    "xin",
    "chất",
    "xúc",
    "tác",
]
CODES = ("1", "1.1", "1.2", "1.2.1", "2", "2.1", "2.2")
COUNTRIES = ("KR", "JP", "DE", "US")
TREE = FieldTree()
BRIDGE = TermBridge({"P01": ("Năng lượng mặt trời", "Solar energy")})
WEIGHTS = Weights(dense_floor=-1.0)  # random 16-d vectors: use the whole cosine range


def _offers(n: int, seed: int) -> list[Offer]:
    rng = np.random.default_rng(seed)
    r = random.Random(seed)
    out = []
    for i in range(n):
        vi = r.random() < 0.3
        words = r.sample(VI if vi else WORDS, 4) + (["solar energy"] if r.random() < 0.2 else [])
        out.append(
            Offer(
                id=f"offer:{i}",
                text=" ".join(words),
                lang="vi" if vi else "en",
                fields=tuple(r.sample(CODES, r.randint(0, 2))),
                country=r.choice(COUNTRIES),
                trl=r.choice([None, *range(1, 10)]),
                cooperation=tuple(
                    r.sample(["licence", "joint_venture", "services"], r.randint(0, 2))
                ),
                price=Budget(r.choice([None, 1e4, 1e5, 1e6])),
                needs=Capacity(
                    staff=r.choice([None, 2, 10]),
                    lab=r.choice([None, True]),
                    equipment=r.choice([None, True]),
                ),
                vector=vector(rng.normal(size=DIM)) if r.random() < 0.9 else None,
            )
        )
    return out


def _requests(n: int, seed: int) -> list[Request]:
    rng = np.random.default_rng(seed + 1)
    r = random.Random(seed + 1)
    out = []
    for i in range(n):
        vi = r.random() < 0.4
        out.append(
            Request(
                id=f"request:{i}",
                text=" ".join(r.sample(VI if vi else WORDS, 3)),
                lang="vi" if vi else "en",
                fields=tuple(r.sample(CODES, r.randint(0, 2))),
                preferred_countries=tuple(r.sample(COUNTRIES, r.randint(0, 2))),
                countries_only=r.random() < 0.2,
                min_trl=r.choice([None, None, 3, 6]),
                cooperation=tuple(r.sample(["licence", "joint_venture"], r.randint(0, 1))),
                budget=Budget(None, r.choice([None, 5e4, 5e5])),
                capacity=Capacity(
                    staff=r.choice([None, 1, 5]),
                    lab=r.choice([None, True, False]),
                    equipment=r.choice([None, False]),
                ),
                vector=vector(rng.normal(size=DIM)) if r.random() < 0.9 else None,
            )
        )
    return out


def _book(offers: list[Offer], requests: list[Request], seed: int) -> FeedbackBook:
    r = random.Random(seed + 2)
    kinds = ["not_relevant", "too_early_stage", "too_expensive", "benefit_unclear", "interested"]
    marks = []
    for _ in range(25):
        o, q = r.choice(offers), r.choice(requests)
        marks.append(
            Feedback(q.id, o.id, r.choice(kinds), target_trl=o.trl, target_price=o.price.low)  # type: ignore[arg-type]
        )
    return FeedbackBook.build(marks)


def _full(offers: list[Offer], requests: list[Request], stats: TermStats, book: FeedbackBook):  # type: ignore[no-untyped-def]
    ix = MatchIndex(offers, tree=TREE, bridge=BRIDGE, weights=WEIGHTS, stats=stats)
    return {q.id: {m.id: m.score for m in ix.rank(q, len(offers), feedback=book)} for q in requests}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_target_against_all_requests_equals_the_full_ranking(seed: int) -> None:
    offers, requests = _offers(60, seed), _requests(40, seed)
    book = _book(offers, requests, seed)
    # the snapshot is of an older collection (some offers changed since): scores depend on it,
    # not on the candidates present now
    stats = MatchIndex(_offers(50, seed + 10), bridge=BRIDGE).term_stats()
    full = _full(offers, requests, stats, book)
    rix = MatchIndex(requests, tree=TREE, bridge=BRIDGE, weights=WEIGHTS, stats=stats)
    nonzero = 0
    for o in offers:
        got = rix.scores_for(o, book)
        for k, q in enumerate(requests):
            assert got[k] == full[q.id].get(o.id, 0.0), (o.id, q.id)
            nonzero += got[k] > 0
    assert nonzero > 100  # most pairs score: the comparison is not between zeros


def test_experts_and_intermediaries_too() -> None:
    rng = np.random.default_rng(4)
    requests = _requests(30, 4)
    targets = [
        Expert("expert:1", "solar battery chip", country="KR", vector=vector(rng.normal(size=DIM))),
        Expert("expert:2", "rice shrimp", country="JP", available=False, fields=("1.2",)),
        Intermediary("intermediary:1", "drone robot laser", country="DE", fields=("2",)),
    ]
    stats = TermStats(40, {"solar": 3, "rice": 30})
    for t in targets:
        ix = MatchIndex([t, *targets[:0]], tree=TREE, bridge=BRIDGE, weights=WEIGHTS, stats=stats)
        rix = MatchIndex(requests, tree=TREE, bridge=BRIDGE, weights=WEIGHTS, stats=stats)
        got = rix.scores_for(t)
        want = [next((m.score for m in ix.rank(q, 1)), 0.0) for q in requests]
        assert list(got) == want
        assert any(want)


def test_without_a_snapshot_scores_depend_on_the_collection() -> None:
    offers, requests = _offers(40, 7), _requests(5, 7)
    rix = MatchIndex(requests)
    with pytest.raises(ValueError):
        rix.scores_for(offers[0])
    # and that is why: the same pair scores differently among other candidates
    q = replace(requests[0], text="solar battery chip", lang="en")
    o = replace(offers[0], text="solar battery wafer", lang="en", vector=None)
    alone = MatchIndex([o]).rank(q, 1)[0].score
    crowd = MatchIndex([o, *offers[1:]]).rank(q, 40)
    assert next(m.score for m in crowd if m.id == o.id) != alone


def test_stats_round_trip_and_the_index_default() -> None:
    offers = _offers(30, 8)
    own = MatchIndex(offers, bridge=BRIDGE)
    snap = own.term_stats()
    assert snap.n == 30 and all(v >= 1 for v in snap.df.values())
    same = MatchIndex(offers, bridge=BRIDGE, stats=snap)
    q = _requests(3, 8)
    for r in q:
        assert [(m.id, m.score) for m in own.rank(r, 10)] == [
            (m.id, m.score) for m in same.rank(r, 10)
        ]
