"""The evaluation's scoring arithmetic (pure): indicator scores, weighted means, formulas."""

from __future__ import annotations

import pytest

from caunoi.reporting.scoring import (
    CriterionInput,
    IndicatorInput,
    criterion_score,
    indicator_score,
    rounded,
    set_score,
)


def test_higher_is_better_is_capped_at_the_target() -> None:
    assert indicator_score(IndicatorInput("a", 1, 15, 30)).score == 50
    assert indicator_score(IndicatorInput("a", 1, 45, 30)).score == 100
    assert indicator_score(IndicatorInput("a", 1, 0, 30)).score == 0
    assert indicator_score(IndicatorInput("a", 1, -5, 30)).score == 0
    assert indicator_score(IndicatorInput("a", 1, 15, 30)).formula == "min(15 / 30; 1) × 100"


def test_lower_is_better() -> None:
    assert indicator_score(IndicatorInput("t", 1, 20, 30, higher_is_better=False)).score == 100
    s = indicator_score(IndicatorInput("t", 1, 40, 30, higher_is_better=False))
    assert s.score == pytest.approx(75)
    assert s.formula == "30 / 40 × 100"


def test_no_value_no_score_and_its_weight_is_left_out() -> None:
    crit = criterion_score(
        CriterionInput(
            "impact",
            1,
            (IndicatorInput("a", 1, 15, 30), IndicatorInput("b", 3, None, 10)),
        )
    )
    assert crit.score == 50  # b has no value: only a counts
    assert crit.coverage == (1, 2)
    assert crit.formula == "(1 × 50) / 1"


def test_weighted_means_at_both_levels() -> None:
    result = set_score(
        [
            CriterionInput(
                "relevance",
                1,
                (IndicatorInput("a", 1, 30, 30), IndicatorInput("b", 3, 5, 10)),
            ),  # (1×100 + 3×50) / 4 = 62.5
            CriterionInput("impact", 2, (IndicatorInput("c", 1, 1, 4),)),  # 25
            CriterionInput("coherence", 5, (IndicatorInput("d", 1, None, 4),)),  # no score
        ]
    )
    assert result.criteria[0].score == pytest.approx(62.5)
    assert result.criteria[1].score == pytest.approx(25)
    assert result.criteria[2].score is None
    # (1 × 62.5 + 2 × 25) / 3 = 37.5; coherence is left out with its weight 5
    assert result.score == pytest.approx(37.5)
    assert result.coverage == (2, 3)
    assert result.formula == "(1 × 62,5 + 2 × 25) / 3"
    assert rounded(100 / 3) == 33.3


def test_nothing_to_score() -> None:
    assert set_score([]).score is None
    assert set_score([CriterionInput("x", 0, (IndicatorInput("a", 1, 5, 5),))]).score is None


def test_bad_targets_and_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="target"):
        indicator_score(IndicatorInput("a", 1, 1, 0))
    with pytest.raises(ValueError, match="weight"):
        indicator_score(IndicatorInput("a", -1, 1, 1))
    with pytest.raises(ValueError, match="weight"):
        criterion_score(CriterionInput("c", -1, ()))


def test_scoring_imports_no_django() -> None:
    import ast
    from pathlib import Path

    import caunoi.reporting.scoring as module

    tree = ast.parse(Path(module.__file__).read_text())
    names = [
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in getattr(n, "names", [])
    ]
    assert not [n for n in names if n and n.startswith(("django", "caunoi"))]
