"""Scoring arithmetic of an evaluation criteria set, over plain numbers (no Django).

An indicator's score (0–100) compares its value with its target:

- higher is better: ``min(value / target, 1) × 100`` (a value of 0 scores 0);
- lower is better: 100 when ``value ≤ target``, else ``target / value × 100``.

A criterion's score is the weighted mean of the scores of its indicators that have a value
(``Σ wᵢ·sᵢ / Σ wᵢ``; indicators without a value are left out and their weight with them, and
the coverage says so); the set's score is the weighted mean of its criteria's scores in the
same way. A score left without some of its indicators tells it: ``weight_coverage`` is the
share of the weight that had a value (a criterion: ``Σ wᵢ`` with a value / ``Σ wᵢ``; the set:
the criteria's coverages weighted by the criteria's weights), 1 when nothing was missing and 0
without any value. Each result carries the formula with its numbers, shown beside it on the page.
Scores are rounded to one decimal at the end only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class IndicatorInput:
    code: str
    weight: float
    value: float | None
    target: float
    higher_is_better: bool = True


@dataclass(frozen=True)
class CriterionInput:
    code: str
    weight: float
    indicators: tuple[IndicatorInput, ...]


@dataclass(frozen=True)
class IndicatorScore:
    code: str
    weight: float
    value: float | None
    target: float
    score: float | None
    formula: str


@dataclass(frozen=True)
class CriterionScore:
    code: str
    weight: float
    score: float | None
    indicators: tuple[IndicatorScore, ...]
    coverage: tuple[int, int]  # indicators with a value, indicators
    formula: str
    weight_coverage: float = 1.0  # share of the indicators' weight that had a value, 0–1

    @property
    def coverage_percent(self) -> int:
        """``weight_coverage`` in whole percent, rounded down (never 100 when some is missing)."""
        return _percent(self.weight_coverage)


@dataclass(frozen=True)
class SetScore:
    score: float | None
    criteria: tuple[CriterionScore, ...]
    coverage: tuple[int, int]  # criteria with a score, criteria
    formula: str
    weight_coverage: float = 1.0  # share of the set's weight whose indicators had a value

    @property
    def coverage_percent(self) -> int:
        return _percent(self.weight_coverage)


def _percent(share: float) -> int:
    return int(share * 100 + 1e-9)


def _share(parts: Sequence[tuple[float, float]]) -> float:
    """Weighted mean of (weight, share); by count when every weight is 0; 0 when empty."""
    if not parts:
        return 0.0
    total = sum(w for w, _ in parts)
    if total == 0:
        return sum(s for _, s in parts) / len(parts)
    return sum(w * s for w, s in parts) / total


def _fmt(x: float) -> str:
    """A number as the page shows it: Vietnamese decimal comma, at most two decimals."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def indicator_score(ind: IndicatorInput) -> IndicatorScore:
    if ind.target <= 0:
        raise ValueError(f"indicator {ind.code}: the target must be positive")
    if ind.weight < 0:
        raise ValueError(f"indicator {ind.code}: the weight must not be negative")
    if ind.value is None:
        return IndicatorScore(ind.code, ind.weight, None, ind.target, None, "—")
    value = float(ind.value)
    if ind.higher_is_better:
        raw = max(0.0, min(value / ind.target, 1.0)) * 100
        formula = f"min({_fmt(value)} / {_fmt(ind.target)}; 1) × 100"
    elif value <= ind.target:
        raw = 100.0
        formula = f"{_fmt(value)} ≤ {_fmt(ind.target)} → 100"
    else:
        raw = ind.target / value * 100
        formula = f"{_fmt(ind.target)} / {_fmt(value)} × 100"
    return IndicatorScore(ind.code, ind.weight, value, ind.target, raw, formula)


def _weighted(parts: Sequence[tuple[float, float | None]]) -> tuple[float | None, str]:
    """Weighted mean of (weight, score) over the scores present, and its formula."""
    present = [(w, s) for w, s in parts if s is not None]
    total_weight = sum(w for w, _ in present)
    if not present or total_weight == 0:
        return None, "—"
    mean = sum(w * s for w, s in present) / total_weight
    terms = " + ".join(f"{_fmt(w)} × {_fmt(s)}" for w, s in present)
    return mean, f"({terms}) / {_fmt(total_weight)}"


def criterion_score(crit: CriterionInput) -> CriterionScore:
    if crit.weight < 0:
        raise ValueError(f"criterion {crit.code}: the weight must not be negative")
    scored = tuple(indicator_score(i) for i in crit.indicators)
    mean, formula = _weighted([(s.weight, s.score) for s in scored])
    with_value = sum(1 for s in scored if s.score is not None)
    share = _share([(s.weight, 0.0 if s.score is None else 1.0) for s in scored])
    return CriterionScore(
        crit.code, crit.weight, mean, scored, (with_value, len(scored)), formula, share
    )


def set_score(criteria: Sequence[CriterionInput]) -> SetScore:
    scored = tuple(criterion_score(c) for c in criteria)
    mean, formula = _weighted([(c.weight, c.score) for c in scored])
    with_score = sum(1 for c in scored if c.score is not None)
    share = _share([(c.weight, c.weight_coverage) for c in scored])
    return SetScore(mean, scored, (with_score, len(scored)), formula, share)


def rounded(score: float | None) -> float | None:
    return None if score is None else round(score, 1)
