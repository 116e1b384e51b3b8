"""Evaluation: who enters values for which scope, and the coverage of a score computed from
only some of its indicators (shown on the pages and in the API, and ranked by it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from caunoi.core.indicators import Scope
from caunoi.reporting import evaluation, evaluation_sets
from caunoi.reporting.models_evaluation import EvalEntry, EvalIndicator
from caunoi.reporting.scoring import CriterionInput, IndicatorInput, set_score
from support import login

pytestmark = pytest.mark.django_db

# Two entered indicators, weights 1 and 3, targets 10.
CRITERIA = [
    {
        "code": "effectiveness",
        "weight": 1,
        "indicators": [
            {"code": "nhe", "label_vi": "Chỉ số nhẹ", "weight": 1, "target": 10},
            {"code": "nang", "label_vi": "Chỉ số nặng", "weight": 3, "target": 10},
        ],
    }
]


@pytest.fixture
def cs(admin: Any) -> Any:
    return evaluation_sets.criteria_set_new(
        user=admin,
        code="phu",
        title_vi="Bộ tiêu chí độ phủ",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        criteria=CRITERIA,
    )


def _enter(user: Any, code: str, value: str, **scope: Any) -> EvalEntry:
    return evaluation.entry_save(
        user=user,
        indicator=EvalIndicator.objects.get(code=code),
        value=value,
        note="Báo cáo năm",
        evidence_url="https://most.gov.vn/bao-cao",
        **scope,
    )


def test_coverage_is_the_share_of_the_weight_with_a_value() -> None:
    result = set_score(
        [
            CriterionInput(
                "relevance", 1, (IndicatorInput("a", 1, 5, 10), IndicatorInput("b", 3, None, 10))
            ),
            CriterionInput("impact", 2, (IndicatorInput("c", 1, 4, 4),)),
            CriterionInput("coherence", 1, (IndicatorInput("d", 1, None, 4),)),
        ]
    )
    assert result.criteria[0].weight_coverage == pytest.approx(0.25)
    assert result.criteria[1].weight_coverage == 1
    assert result.criteria[2].weight_coverage == 0
    # (1 × 0.25 + 2 × 1 + 1 × 0) / 4
    assert result.weight_coverage == pytest.approx(0.5625)
    assert result.coverage_percent == 56
    full = set_score([CriterionInput("impact", 1, (IndicatorInput("c", 1, 4, 4),))])
    assert full.weight_coverage == 1 and full.coverage_percent == 100


def test_who_enters_for_which_scope(
    cs: Any, admin: Any, owner: Any, other: Any, viewer: Any, units: Any, taxonomy: Any
) -> None:
    hanoi, htqt = units["hanoi"], units["htqt"]
    kr = taxonomy["countries"]["KR"]
    # The province's officer: their own unit's figures only.
    _enter(other, "nhe", "5", unit=hanoi)
    for scope in ({}, {"unit": htqt}, {"country": kr}):
        with pytest.raises(PermissionDenied):
            _enter(other, "nhe", "9", **scope)
    # The unit running the evaluations (HTQT) and administrators: any scope.
    _enter(owner, "nhe", "6", unit=hanoi)
    _enter(owner, "nhe", "7", country=kr)
    _enter(owner, "nhe", "8")
    _enter(admin, "nang", "8", unit=htqt)
    with pytest.raises(PermissionDenied):
        _enter(viewer, "nhe", "1", unit=hanoi)
    assert EvalEntry.objects.count() == 5
    assert not EvalEntry.objects.filter(entered_by=other).exclude(unit=hanoi).exists()


def test_the_entry_page_refuses_another_units_scope(
    cs: Any, owner: Any, other: Any, units: Any, taxonomy: Any
) -> None:
    hanoi, htqt = units["hanoi"], units["htqt"]
    url = f"/reporting/evaluation/{cs.pk}/"
    form = {
        "indicator": EvalIndicator.objects.get(code="nhe").pk,
        "value": "9",
        "note": "Báo cáo",
        "evidence_url": "https://most.gov.vn/a",
    }
    client = login(other)
    assert client.post(f"{url}entries/?unit={htqt.pk}", form).status_code == 403
    assert client.post(f"{url}entries/", form).status_code == 403
    assert client.post(f"{url}entries/?country=KR", form).status_code == 403
    assert not EvalEntry.objects.exists()
    # Their own unit: saved; the form shows on their unit's page only.
    assert client.post(f"{url}entries/?unit={hanoi.pk}", form).status_code == 302
    assert EvalEntry.objects.get().unit == hanoi
    assert 'name="evidence_file"' in client.get(url, {"unit": hanoi.pk}).content.decode()
    assert 'name="evidence_file"' not in client.get(url, {"unit": htqt.pk}).content.decode()
    assert 'name="evidence_file"' not in client.get(url).content.decode()
    # HTQT's officer enters for the province.
    assert login(owner).post(f"{url}entries/?unit={hanoi.pk}", form).status_code == 302


def test_thin_scores_show_their_coverage_and_rank_after_the_others(
    cs: Any, owner: Any, units: Any
) -> None:
    hanoi, htqt = units["hanoi"], units["htqt"]
    # Hà Nội enters only the light indicator, at its target: 100 on a quarter of the weight.
    _enter(owner, "nhe", "10", unit=hanoi)
    # HTQT enters both at half their target: 50 on the whole weight.
    _enter(owner, "nhe", "5", unit=htqt)
    _enter(owner, "nang", "5", unit=htqt)
    rows = evaluation.comparison(cs, [(u.name_vi, Scope(unit_id=u.pk)) for u in (hanoi, htqt)])
    assert [(label, ev.score.score) for label, ev in rows] == [
        (htqt.name_vi, 50),
        (hanoi.name_vi, 100),
    ]
    assert rows[1][1].score.weight_coverage == pytest.approx(0.25)
    client = login(owner)
    url = f"/reporting/evaluation/{cs.pk}/"
    csv = client.get(f"{url}compare/", {"csv": "by-unit"}).content.decode().splitlines()
    assert csv[1:] == [f"{htqt.name_vi},50", f"{hanoi.name_vi},100"]
    compare = client.get(f"{url}compare/").content.decode()
    assert compare.count('class="coverage') == 1 and "25%" in compare
    detail = client.get(url, {"unit": hanoi.pk}).content.decode()
    assert 'id="set-coverage"' in detail and "25%" in detail
    assert 'id="set-coverage"' not in client.get(url, {"unit": htqt.pk}).content.decode()
    api = client.get(f"/api/v1/reporting/evaluation/sets/{cs.pk}", {"unit": hanoi.pk}).json()
    assert api["score"] == 100 and api["coverage"] == 0.25
    assert api["criteria"][0]["coverage"] == 0.25
    assert api["formula"] == "(1 × 100) / 1"  # the old fields stay
    listed = client.get("/api/v1/reporting/evaluation/sets").json()["items"]
    assert listed[0]["coverage"] == 0  # nothing entered for everyone


def test_the_lists_evaluate_only_the_page_they_show(
    admin: Any, viewer: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    for year in (2021, 2022, 2023):
        evaluation_sets.criteria_set_new(
            user=admin,
            code=f"nam-{year}",
            title_vi=f"Bộ tiêu chí {year}",
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            criteria=CRITERIA,
        )
    evaluated: list[str] = []
    real = evaluation.evaluate

    def counting(cs: Any, *args: Any, **kwargs: Any) -> Any:
        evaluated.append(cs.code)
        return real(cs, *args, **kwargs)

    monkeypatch.setattr(evaluation, "evaluate", counting)
    settings.CAUNOI_PAGE_SIZE = 2
    client = login(viewer)
    first = client.get("/reporting/evaluation/").content.decode()
    assert evaluated == ["nam-2023", "nam-2022"]  # latest period first, one page
    assert "Bộ tiêu chí 2021" not in first and "?page=2" in first
    evaluated.clear()
    second = client.get("/reporting/evaluation/", {"page": 2}).content.decode()
    assert evaluated == ["nam-2021"] and "Bộ tiêu chí 2021" in second
    evaluated.clear()
    api = client.get("/api/v1/reporting/evaluation/sets", {"page_size": 2, "page": 2}).json()
    assert evaluated == ["nam-2021"]
    assert api["count"] == 3 and [s["code"] for s in api["items"]] == ["nam-2021"]


SOURCES = ("registry.agreements_in_force", "market.transfers_signed", "registry.delegations")


def test_notes_and_source_labels_follow_the_interface_language(
    admin: Any, viewer: Any, units: Any
) -> None:
    from django.utils import translation

    from caunoi.core.indicators import indicator_source

    cs = evaluation_sets.criteria_set_new(
        user=admin,
        code="ngon-ngu",
        title_vi="Bộ tiêu chí song ngữ",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        criteria=[
            {
                "code": "relevance",
                "indicators": [
                    {"code": f"i{n}", "label_vi": f"Chỉ số {n}", "target": 1, "source_key": key}
                    for n, key in enumerate(SOURCES)
                ],
            }
        ],
    )
    notes = {}
    for language in ("en", "vi"):
        with translation.override(language):
            notes[language] = [
                indicator_source(k).value(cs.period_start, cs.period_end).note  # type: ignore[union-attr]
                for k in SOURCES
            ]
    assert notes["en"][0] == "Agreements in force in the period (in force, expiring or renewed)."
    assert notes["vi"][0].startswith("Thỏa thuận có hiệu lực trong kỳ")
    assert notes["vi"][1].startswith("Bày tỏ quan tâm trên sàn giao dịch")
    assert all(en != vi for en, vi in zip(notes["en"], notes["vi"], strict=True))
    url = f"/reporting/evaluation/{cs.pk}/"
    client = login(viewer)
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    client.cookies["django_language"] = "vi"
    vietnamese = client.get(url).content.decode()
    assert '<html lang="en">' in english and '<html lang="vi">' in vietnamese
    for n, key in enumerate(SOURCES):
        source = indicator_source(key)
        assert source is not None
        assert notes["en"][n] in english and notes["vi"][n] not in english
        assert notes["vi"][n] in vietnamese and notes["en"][n] not in vietnamese
        assert source.label_en in english and source.label_vi not in english
        assert source.label_vi in vietnamese


def test_the_series_import_refusal_is_translated() -> None:
    from django.utils import translation

    from caunoi.core.errors import DomainError
    from caunoi.reporting import series

    empty, bad = series.ReadResult(), series.ReadResult(problems=["a.net, dòng 1: x"] * 2)
    for language, result, expected in (
        ("en", empty, "Nothing was imported: there are no rows."),
        ("vi", empty, "Không nhập gì: không có dòng nào."),
        ("en", bad, "Nothing was imported: 2 rows with errors."),
        ("vi", bad, "Không nhập gì: 2 dòng lỗi."),
    ):
        with translation.override(language), pytest.raises(DomainError) as refused:
            series.import_rows(result, label="thử")
        assert refused.value.message == expected
