"""Feedback on matches and how it changes later rankings.

A requester (or an officer for them) marks a match with one of :data:`KINDS`. The mechanism
is deliberately simple and visible — every effect shows in the explanation:

- the pair itself gets a factor (:data:`PAIR_FACTOR`): "not relevant" sinks it (×0.3),
  "benefit unclear" ×0.7, "too early stage" and "too expensive" ×0.5, "interested" lifts it
  (×1.15) so it stays near the top while the parties talk;
- "too early stage" on an offer at TRL *t* lowers, for that request, every other offer at TRL
  ≤ *t* by the policy's per-level TRL factor (an implicit minimum TRL of *t*+1; never an
  exclusion, since it was not stated by the requester);
- "too expensive" on an offer priced from *p* lowers, for that request, every offer priced
  from *p* or more by the policy's over-budget factor (an implicit budget cap below *p*);
- a candidate that collects "not relevant" or "benefit unclear" from several requests is
  lowered for everyone by :data:`TARGET_STEP` per mark, to at most :data:`TARGET_FLOOR` —
  a signal that its description does not say what it offers.

The provider (the offer's, expert's or intermediary's owner) marks the same pair from its
side (``side="provider"``): such a mark gives the pair its factor and nothing else (it says
nothing about the requester's other candidates, nor about the candidate's description).
When both sides marked a pair, the lower factor counts: either side's "not relevant" sinks
it, and it is lifted only when neither side lowers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["not_relevant", "too_early_stage", "benefit_unclear", "too_expensive", "interested"]
Side = Literal["requester", "provider"]
KINDS: tuple[Kind, ...] = (
    "not_relevant",
    "too_early_stage",
    "benefit_unclear",
    "too_expensive",
    "interested",
)
PAIR_FACTOR: dict[Kind, float] = {
    "not_relevant": 0.3,
    "too_early_stage": 0.5,
    "benefit_unclear": 0.7,
    "too_expensive": 0.5,
    "interested": 1.15,
}
TARGET_STEP = 0.95
TARGET_FLOOR = 0.8
_TARGET_KINDS = frozenset({"not_relevant", "benefit_unclear"})


@dataclass(frozen=True)
class Feedback:
    """One mark on a match: who asked (``query_id``), what was proposed (``target_id``)."""

    query_id: str
    target_id: str
    kind: Kind
    target_trl: int | None = None  # the offer's TRL when the mark was given
    target_price: float | None = None  # the offer's lowest price when the mark was given
    side: Side = "requester"  # who gave it: the requester, or the candidate's provider

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown feedback kind {self.kind!r}; expected one of {KINDS}")
        if self.side not in ("requester", "provider"):
            raise ValueError(f"unknown feedback side {self.side!r}")


@dataclass(frozen=True)
class Adjustment:
    """What the feedback changes for one query."""

    pair: Mapping[str, tuple[float, Kind]] = field(default_factory=dict)
    trl_floor: int | None = None  # offers at this TRL or lower are lowered
    price_cap: float | None = None  # offers priced from this or more are lowered


@dataclass(frozen=True)
class FeedbackBook:
    """All feedback, folded into per-query adjustments and per-target factors."""

    per_query: Mapping[str, Adjustment]
    per_target: Mapping[str, float]

    @classmethod
    def build(cls, marks: Iterable[Feedback]) -> FeedbackBook:
        pair: dict[str, dict[str, tuple[float, Kind]]] = {}
        provided: dict[str, dict[str, tuple[float, Kind]]] = {}
        trl: dict[str, int] = {}
        price: dict[str, float] = {}
        counts: dict[str, set[str]] = {}
        for m in marks:  # the last mark on a pair (per side) wins
            if m.side == "provider":
                provided.setdefault(m.query_id, {})[m.target_id] = (PAIR_FACTOR[m.kind], m.kind)
                continue
            pair.setdefault(m.query_id, {})[m.target_id] = (PAIR_FACTOR[m.kind], m.kind)
            if m.kind == "too_early_stage" and m.target_trl is not None:
                trl[m.query_id] = max(trl.get(m.query_id, 0), m.target_trl)
            if m.kind == "too_expensive" and m.target_price is not None:
                old = price.get(m.query_id)
                price[m.query_id] = m.target_price if old is None else min(old, m.target_price)
            if m.kind in _TARGET_KINDS:
                counts.setdefault(m.target_id, set()).add(m.query_id)
        for q, targets in provided.items():  # both sides: the lower factor counts
            mine = pair.setdefault(q, {})
            for t, theirs in targets.items():
                if t not in mine or theirs[0] < mine[t][0]:
                    mine[t] = theirs
        queries = set(pair) | set(trl) | set(price)
        per_query = {
            q: Adjustment(pair.get(q, {}), trl.get(q), price.get(q)) for q in sorted(queries)
        }
        per_target = {
            t: max(TARGET_FLOOR, TARGET_STEP ** len(qs)) for t, qs in counts.items() if len(qs) > 1
        }
        return cls(per_query, per_target)

    def for_query(self, query_id: str) -> Adjustment:
        return self.per_query.get(query_id, Adjustment())


EMPTY = FeedbackBook({}, {})
