"""Behaviour of the matching core on small synthetic records (vectors: random unit vectors)."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techmatch import (
    Budget,
    Capacity,
    Expert,
    Feedback,
    FeedbackBook,
    FieldTree,
    MatchIndex,
    Offer,
    Policy,
    Request,
    TermBridge,
    Weights,
    pair_fit,
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


def rand_vec(rng: np.random.Generator) -> np.ndarray:
    return vector(rng.normal(size=DIM))


def near(v: np.ndarray, rng: np.random.Generator, noise: float) -> np.ndarray:
    return vector(v + noise * rng.normal(size=DIM))


def random_offers(n: int, seed: int = 0, **extra: object) -> list[Offer]:
    rng = np.random.default_rng(seed)
    r = random.Random(seed)
    return [
        Offer(
            id=f"o{i:04d}",
            text=" ".join(r.sample(WORDS, 4)),
            lang="en",
            country=r.choice(["KR", "JP", "DE", "US"]),
            trl=r.randint(1, 9),
            vector=rand_vec(rng),
            **extra,  # type: ignore[arg-type]
        )
        for i in range(n)
    ]


def twins(topics: int, seed: int, countries: tuple[str, str]) -> list[Offer]:
    """Pairs of offers identical in everything but id and country."""
    rng = np.random.default_rng(seed)
    out = []
    for t in range(topics):
        v = rand_vec(rng)
        text = " ".join(random.Random(seed + t).sample(WORDS, 3))
        for c in countries:
            out.append(
                Offer(id=f"{c.lower()}-{seed}-{t}", text=text, lang="en", country=c, vector=v)
            )
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_korea_preference_never_puts_a_japanese_twin_above_the_korean_one(seed: int) -> None:
    # The Japanese id sorts first, so a tie broken by id alone would put Japan first.
    offers = twins(15, seed, ("KR", "JP")) + random_offers(60, seed)
    offers = [replace(o, id=o.id.replace("kr-", "z-kr-")) for o in offers]
    rng = np.random.default_rng(seed + 100)
    req = Request(
        id="r", text="battery drone sensor", preferred_countries=("KR",), vector=rand_vec(rng)
    )
    # random 16-d vectors are far apart: map the whole cosine range to [0, 1]
    ix = MatchIndex(offers, weights=Weights(dense_floor=-1.0))
    ranked = ix.rank(req, k=len(offers))
    assert len(ranked) == len(offers)
    rank = {m.id: m.rank for m in ranked}
    for t in range(15):
        kr, jp = f"z-kr-{seed}-{t}", f"jp-{seed}-{t}"
        assert rank[kr] < rank[jp]
    only = replace(req, countries_only=True)
    got = ix.rank(only, k=len(offers))
    assert got and {o.country for o in offers if o.id in {m.id for m in got}} == {"KR"}


def test_trl_minimum_excludes_or_ranks_below_by_policy() -> None:
    rng = np.random.default_rng(5)
    v = rand_vec(rng)
    offers = [
        Offer("early", "rice irrigation sensor", trl=3, vector=v),
        Offer("ready", "rice irrigation sensor", trl=7, vector=near(v, rng, 0.3)),
        Offer("unknown", "rice irrigation pump", vector=near(v, rng, 0.5)),
    ]
    req = Request("r", "rice irrigation sensor", min_trl=6, vector=v)
    got = [m.id for m in MatchIndex(offers).rank(req, k=10)]
    assert "early" not in got and "ready" in got
    assert "unknown" in got  # an unstated TRL is not held against an offer
    soft = MatchIndex(offers, policy=Policy(trl_below="penalise", trl_per_level=0.5))
    ranked = soft.rank(req, k=10)
    ids = [m.id for m in ranked]
    assert ids.index("ready") < ids.index("early")
    early = next(m for m in ranked if m.id == "early")
    assert early.explanation is not None
    line = next(f for f in early.explanation.fit if f.key == "trl.below")
    assert not line.ok and line.factor == pytest.approx(0.5**3)


def test_an_offer_needing_a_lab_the_requester_lacks_ranks_lower_with_that_reason() -> None:
    rng = np.random.default_rng(7)
    v = rand_vec(rng)
    offers = [
        Offer("a-lab", "hydrogen catalyst polymer", vector=v, needs=Capacity(lab=True)),
        Offer("b-plain", "hydrogen catalyst polymer", vector=v),
    ]
    lacking = Request("r", "hydrogen catalyst", vector=v, capacity=Capacity(lab=False))
    ranked = MatchIndex(offers).rank(lacking, k=2)
    assert [m.id for m in ranked] == ["b-plain", "a-lab"]
    assert ranked[1].score < ranked[0].score
    assert ranked[1].explanation is not None
    reasons = {f.key: f for f in ranked[1].explanation.fit}
    assert "capacity.lab_missing" in reasons and not reasons["capacity.lab_missing"].ok
    assert reasons["capacity.lab_missing"].en and reasons["capacity.lab_missing"].vi
    # a requester with a lab: no penalty, the tie is broken by id
    has_lab = replace(lacking, capacity=Capacity(lab=True))
    ranked = MatchIndex(offers).rank(has_lab, k=2)
    assert [m.id for m in ranked] == ["a-lab", "b-plain"]
    assert ranked[0].score == ranked[1].score


def test_staff_equipment_budget_and_cooperation_each_lower_a_twin() -> None:
    rng = np.random.default_rng(8)
    v = rand_vec(rng)
    base = Offer("base", "laser fibre", vector=v, cooperation=("licence",), price=Budget(1e4))
    req = Request(
        "r",
        "laser fibre",
        vector=v,
        cooperation=("licence",),
        budget=Budget(None, 5e4),
        capacity=Capacity(staff=3, equipment=False),
    )
    variants = {
        "capacity.staff_short": replace(base, id="staff", needs=Capacity(staff=10)),
        "capacity.equipment_missing": replace(base, id="equip", needs=Capacity(equipment=True)),
        "budget.over": replace(base, id="price", price=Budget(9e4)),
        "cooperation.mismatch": replace(base, id="coop", cooperation=("joint_venture",)),
    }
    ranked = MatchIndex([base, *variants.values()]).rank(req, k=5)
    assert ranked[0].id == "base"
    by_id = {m.id: m for m in ranked}
    for key, offer in variants.items():
        m = by_id[offer.id]
        assert m.score < by_id["base"].score
        assert m.explanation is not None
        assert key in {f.key for f in m.explanation.fit if not f.ok}


def test_explanation_lists_fields_terms_in_both_languages_and_consistent_components() -> None:
    rng = np.random.default_rng(9)
    v = rand_vec(rng)
    bridge = TermBridge({"P02": ("Chip bán dẫn", "Semiconductor chips")})
    offer = Offer(
        "o",
        "Semiconductor chips: wafer lithography line for 28 nm",
        lang="en",
        fields=("2.2.1",),
        country="KR",
        trl=8,
        vector=near(v, rng, 0.2),
    )
    other = Offer("x", "shrimp farming membrane", lang="en", fields=("4.1",), vector=rand_vec(rng))
    req = Request(
        "r",
        "Cần dây chuyền chip bán dẫn và lithography",
        lang="vi",
        fields=("2.2",),
        preferred_countries=("KR",),
        min_trl=6,
        vector=v,
    )
    ix = MatchIndex([offer, other], tree=FieldTree(), bridge=bridge)
    top = ix.rank(req, k=1)[0]
    assert top.id == "o" and top.explanation is not None
    e = top.explanation
    assert [(f.requested, f.matched, f.relation) for f in e.fields] == [("2.2", "2.2.1", "same")]
    concept = next(t for t in e.terms if t.term == "~P02")
    assert concept.query_form == "Chip bán dẫn" and concept.target_form == "Semiconductor chips"
    assert any(t.term == "lithography" for t in e.terms)
    assert {f.key for f in e.fit} == {"country.preferred", "trl.ok"}
    c = e.components
    assert c.score == top.score == round(c.relevance * c.fit * c.feedback, 6)
    assert 0 < c.lexical <= 1 and 0 < c.dense <= 1 and c.fields == 1.0


def test_field_hierarchy_relations() -> None:
    tree = FieldTree({"P02": None, "P02a": "P02"})
    assert tree.ancestors("2.2.1") == ("2.2", "2")
    assert tree.relation("2", "2.2.1") == "same"
    assert tree.relation("2.2", "2") == "broader"
    assert tree.relation("2.2", "2.3") == "sibling"
    assert tree.relation("2.2", "3.1") is None
    assert tree.relation("P02", "P02a") == "same"
    rng = np.random.default_rng(1)
    v = rand_vec(rng)
    offers = [
        Offer(code.replace(".", "_"), "x", fields=(code,), vector=v)
        for code in ("2.2.1", "2", "2.3", "3.1")
    ]
    ranked = MatchIndex(offers).rank(Request("r", "y", fields=("2.2",), vector=v), k=4)
    assert [m.id for m in ranked] == ["2_2_1", "2", "2_3", "3_1"]


def test_anonymous_requester_identity_never_appears_in_explanations() -> None:
    rng = np.random.default_rng(11)
    v = rand_vec(rng)
    name = "Công ty Cổ phần Thủy sản Minh Phú"
    req = Request(
        "r-anon",
        f"{name} cần công nghệ lọc màng cho nuôi tôm Minh Phú",
        lang="vi",
        vector=v,
        confidentiality="anonymous",
        identity=(name, "Minh Phú"),
    )
    offer = Offer(
        "o",
        "Membrane filtration for shrimp ponds; reference client Minh Phu",
        lang="en",
        vector=near(v, rng, 0.1),
    )
    for direction in ("request", "offer"):
        if direction == "request":
            m = MatchIndex([offer]).rank(req, k=1)[0]
        else:
            m = MatchIndex([req]).rank(offer, k=1, audience="provider")[0]
        text = repr(m.explanation).lower()
        for piece in ("minh", "phú", "phu", "công ty", "thủy sản"):
            assert piece not in text
        assert m.explanation is not None
    public = replace(req, confidentiality="public")
    m = MatchIndex([offer]).rank(public, k=1)[0]
    assert "minh" in repr(m.explanation).lower()  # the same overlap is shown when public


def test_officers_only_requests_never_reach_a_provider() -> None:
    rng = np.random.default_rng(12)
    v = rand_vec(rng)
    reqs = [
        Request("secret", "robot drone", vector=v, confidentiality="officers"),
        Request("open", "robot drone", vector=v),
    ]
    offer = Offer("o", "robot drone", vector=v)
    ix = MatchIndex(reqs)
    assert [m.id for m in ix.rank(offer, k=5, audience="provider")] == ["open"]
    assert {m.id for m in ix.rank(offer, k=5, audience="officer")} == {"secret", "open"}


def test_feedback_moves_rankings_as_documented() -> None:
    rng = np.random.default_rng(13)
    v = rand_vec(rng)
    offers = [
        Offer("a", "solar battery", vector=v, trl=4, price=Budget(1e5)),
        Offer("b", "solar battery", vector=near(v, rng, 0.15), trl=4, price=Budget(2e5)),
        Offer("c", "solar battery", vector=near(v, rng, 0.3), trl=8, price=Budget(1e4)),
    ]
    req = Request("r", "solar battery", vector=v)
    ix = MatchIndex(offers)
    before = [m.id for m in ix.rank(req, k=3)]
    assert before[0] == "a"

    def order(*marks: Feedback) -> list[str]:
        return [m.id for m in ix.rank(req, k=3, feedback=FeedbackBook.build(marks))]

    assert order(Feedback("r", "a", "not_relevant"))[-1] == "a"
    last = before[-1]
    lifted = ix.rank(req, k=3, feedback=FeedbackBook.build([Feedback("r", last, "interested")]))
    old = next(m for m in ix.rank(req, k=3) if m.id == last)
    new = next(m for m in lifted if m.id == last)
    assert new.score == pytest.approx(old.score * 1.15, abs=2e-6) and new.rank <= old.rank
    plain = {m.id: m.score for m in ix.rank(req, k=3)}

    def scores(mark: Feedback) -> dict[str, tuple[float, set[str]]]:
        got = ix.rank(req, k=3, feedback=FeedbackBook.build([mark]))
        return {m.id: (m.score, {f.key for f in m.explanation.fit}) for m in got if m.explanation}

    # too early: the other offer at TRL <= 4 is lowered for this request, the TRL 8 one is not
    early = scores(Feedback("r", "a", "too_early_stage", target_trl=4))
    assert early["b"][0] == pytest.approx(plain["b"] * 0.7, abs=2e-6)
    assert "feedback.trl" in early["b"][1]
    assert early["c"][0] == plain["c"] and not early["c"][1]
    # too expensive at 100k: b (from 200k) is lowered, c (from 10k) is not
    dear = scores(Feedback("r", "a", "too_expensive", target_price=1e5))
    assert dear["b"][0] == pytest.approx(plain["b"] * 0.75, abs=2e-6)
    assert "feedback.price" in dear["b"][1]
    assert dear["c"][0] == plain["c"]
    # another request's feedback does not change this one, unless several agree on a target
    assert order(Feedback("other", "a", "not_relevant")) == before
    book = FeedbackBook.build(
        [Feedback("q1", "a", "benefit_unclear"), Feedback("q2", "a", "not_relevant")]
    )
    got = ix.rank(req, k=3, feedback=book)
    a = next(m for m in got if m.id == "a")
    assert a.explanation is not None and "feedback.target" in {f.key for f in a.explanation.fit}
    assert a.score < next(m for m in ix.rank(req, k=3) if m.id == "a").score
    with pytest.raises(ValueError):
        Feedback("r", "a", "meh")  # type: ignore[arg-type]


def test_ties_are_broken_by_id_whatever_the_input_order() -> None:
    rng = np.random.default_rng(14)
    v = rand_vec(rng)
    offers = [Offer(f"t{i}", "turbine", vector=v) for i in range(30)] + random_offers(50, 3)
    req = Request("r", "turbine", vector=v)
    expected = [m.id for m in MatchIndex(offers).rank(req, k=20)]
    assert expected[:20] == sorted(f"t{i}" for i in range(30))[:20]
    for s in range(3):
        shuffled = offers[:]
        random.Random(s).shuffle(shuffled)
        assert [m.id for m in MatchIndex(shuffled).rank(req, k=20)] == expected


def test_shortlist_ranking_equals_a_full_sort_and_the_batch_path() -> None:
    rng = np.random.default_rng(15)
    offers = random_offers(600, 4, needs=Capacity(lab=True))
    offers += random_offers(600, 5)
    offers = [replace(o, id=f"{o.id}-{k}") for k, o in enumerate(offers)]
    ix = MatchIndex(offers, policy=Policy(trl_below="penalise"), weights=Weights(dense_floor=-1.0))
    reqs = [
        Request(
            f"r{i}",
            " ".join(WORDS[i : i + 3]),
            vector=rand_vec(rng),
            min_trl=1 + i % 9,
            preferred_countries=("KR",) if i % 2 else (),
            # a hard restriction excluding most of the most relevant candidates
            countries_only=i % 4 == 1,
            capacity=Capacity(lab=False),
        )
        for i in range(8)
    ]
    many = ix.rank_many(reqs, k=10, block=3)
    for req, batch in zip(reqs, many, strict=True):
        full = sorted(
            ((ix.explain(req, k).components.score, ix.ids[k]) for k in range(ix.n)),
            key=lambda t: (-t[0], t[1]),
        )
        single = ix.rank(req, k=10)
        assert [m.id for m in single] == [i for _, i in full[:10]]
        assert [(m.id, m.score) for m in batch] == [(m.id, m.score) for m in single]


COUNTRY = st.sampled_from(["", "KR", "JP", "DE"])
OPT_BOOL = st.sampled_from([None, True, False])
OPT_INT = st.one_of(st.none(), st.integers(1, 9))
COOP = st.lists(st.sampled_from(["licence", "joint_venture", "acquisition"]), max_size=2)
MONEY = st.one_of(st.none(), st.sampled_from([1e3, 1e4, 1e5]))


@st.composite
def offers_st(draw: st.DrawFn, i: int) -> Offer:
    return Offer(
        id=f"o{i}",
        text="x",
        country=draw(COUNTRY),
        trl=draw(OPT_INT),
        cooperation=tuple(draw(COOP)),
        price=Budget(draw(MONEY)),
        needs=Capacity(staff=draw(OPT_INT), lab=draw(OPT_BOOL), equipment=draw(OPT_BOOL)),
    )


@st.composite
def requests_st(draw: st.DrawFn, i: int) -> Request:
    prefs = draw(st.lists(st.sampled_from(["KR", "JP", "VN"]), max_size=2, unique=True))
    return Request(
        id=f"r{i}",
        text="x",
        preferred_countries=tuple(prefs),
        countries_only=draw(st.booleans()),
        min_trl=draw(OPT_INT),
        cooperation=tuple(draw(COOP)),
        budget=Budget(None, draw(MONEY)),
        capacity=Capacity(staff=draw(OPT_INT), lab=draw(OPT_BOOL), equipment=draw(OPT_BOOL)),
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=6).flatmap(
        lambda xs: st.tuples(*(offers_st(i) for i in range(len(xs))))
    ),
    st.lists(st.integers(0, 10_000), min_size=1, max_size=6).flatmap(
        lambda xs: st.tuples(*(requests_st(i) for i in range(len(xs))))
    ),
    st.sampled_from(["exclude", "penalise"]),
)
def test_vectorised_constraints_agree_with_pair_fit_both_ways(
    offers: tuple[Offer, ...], requests: tuple[Request, ...], trl_rule: str
) -> None:
    policy = Policy(trl_below=trl_rule)  # type: ignore[arg-type]
    by_offers = MatchIndex(list(offers), policy=policy)
    by_requests = MatchIndex(list(requests), policy=policy)
    for r in requests:
        got = by_offers.fit_factors(r, np.arange(len(offers)))
        want = [pair_fit(r, o, policy)[0] for o in offers]
        assert got == pytest.approx(want)
        # every candidate at once (a table over the distinct constraint columns): the same
        # products, bit for bit, as on any subset
        assert by_offers.fit_factors(r).tolist() == got.tolist()
        if len(offers) > 1:
            assert by_offers.fit_factors(r, np.array([len(offers) - 1, 0])).tolist() == [
                got[-1],
                got[0],
            ]
    for o in offers:
        got = by_requests.fit_factors(o, np.arange(len(requests)))
        want = [pair_fit(r, o, policy)[0] for r in requests]
        assert got == pytest.approx(want)


def test_experts_rank_with_availability_and_country() -> None:
    rng = np.random.default_rng(16)
    v = rand_vec(rng)
    experts = [
        Expert("e-away", "enzyme vaccine", country="KR", available=False, vector=v),
        Expert("e-jp", "enzyme vaccine", country="JP", vector=v),
        Expert("e-kr", "enzyme vaccine", country="KR", vector=v),
    ]
    req = Request("r", "enzyme vaccine", preferred_countries=("KR",), vector=v)
    assert [m.id for m in MatchIndex(experts).rank(req, k=3)] == ["e-kr", "e-jp", "e-away"]
