"""The criteria-set editor: who may use it, validation per row and field, the version check
(409), entered values kept through an edit, copies, the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from caunoi.accounts.models import AuditEvent
from caunoi.core.errors import ConflictError, DomainError
from caunoi.reporting import evaluation, evaluation_sets
from caunoi.reporting.forms_evaluation import criteria_initial
from caunoi.reporting.models_evaluation import CriteriaSet, EvalEntry, EvalIndicator
from support import login

pytestmark = pytest.mark.django_db


def _post(
    *,
    code: str = "bo-moi",
    title: str = "Bộ tiêu chí mới",
    indicators: list[dict[str, Any]],
    criteria: dict[str, Any] | None = None,
    version: int | None = None,
    action: str = "save",
) -> dict[str, Any]:
    """A filled editor: the six criterion rows (relevance and effectiveness taken in unless
    ``criteria`` says otherwise) and the given indicator rows."""
    criteria = criteria or {"relevance": "2", "effectiveness": "1"}
    data: dict[str, Any] = {
        "code": code,
        "title_vi": title,
        "title_en": "",
        "description": "",
        "period_start": "2024-01-01",
        "period_end": "2025-12-31",
        "version": "" if version is None else str(version),
        "action": action,
        "c-TOTAL_FORMS": "6",
        "c-INITIAL_FORMS": "6",
        "i-TOTAL_FORMS": str(len(indicators)),
        "i-INITIAL_FORMS": "0",
    }
    for n, row in enumerate(criteria_initial()):
        data[f"c-{n}-code"] = row["code"]
        if row["code"] in criteria:
            data[f"c-{n}-included"] = "on"
            data[f"c-{n}-weight"] = criteria[row["code"]]
    for n, ind in enumerate(indicators):
        row = {
            "criterion": "relevance",
            "label_en": "",
            "unit": "",
            "source_key": "",
            "weight": "1",
            "target": "10",
            "direction": "higher",
            **ind,
        }
        for k, v in row.items():
            data[f"i-{n}-{k}"] = v
    return data


TWO = [
    {
        "code": "thoa-thuan",
        "label_vi": "Số thỏa thuận có hiệu lực",
        "source_key": "registry.agreements_in_force",
    },
    {"code": "hai-long", "label_vi": "Mức độ hài lòng", "criterion": "effectiveness"},
]


def test_only_htqt_officers_reach_the_editor(
    admin: Any, owner: Any, other: Any, viewer: Any
) -> None:
    assert login(admin).get("/reporting/evaluation/new/").status_code == 200
    assert login(owner).get("/reporting/evaluation/new/").status_code == 200
    for user in (other, viewer):  # staff of another unit, a viewer
        client = login(user)
        assert client.get("/reporting/evaluation/new/").status_code == 403
        assert client.post("/reporting/evaluation/new/", _post(indicators=TWO)).status_code == 403
    assert not CriteriaSet.objects.exists()
    page = login(owner).get("/reporting/evaluation/").content.decode()
    assert "/reporting/evaluation/new/" in page
    assert (
        "/reporting/evaluation/new/"
        not in login(other).get("/reporting/evaluation/").content.decode()
    )


def test_create_a_set_with_two_indicators(owner: Any) -> None:
    client = login(owner)
    response = client.post("/reporting/evaluation/new/", _post(indicators=TWO))
    assert response.status_code == 302, response.content.decode()[:2000]
    cs = CriteriaSet.objects.get(code="bo-moi")
    assert response["Location"] == cs.get_absolute_url()
    assert [(c.code, c.weight) for c in cs.criteria.all()] == [
        ("relevance", Decimal("2.00")),
        ("effectiveness", Decimal("1.00")),
    ]
    inds = {i.code: i for i in EvalIndicator.objects.filter(criterion__criteria_set=cs)}
    assert inds["thoa-thuan"].source_key == "registry.agreements_in_force"
    assert inds["hai-long"].is_entered and inds["hai-long"].criterion.code == "effectiveness"
    event = AuditEvent.objects.get(model="reporting.criteriaset", object_id=str(cs.pk))
    assert event.action == "create" and event.actor == owner
    assert event.changes["indicators"] == ["thoa-thuan", "hai-long"]
    assert cs.version == 1
    page = client.get(cs.get_absolute_url()).content.decode()
    assert "Số thỏa thuận có hiệu lực" in page and 'id="set-formula"' in page


@pytest.mark.parametrize(
    ("rows", "criteria", "field", "message"),
    [
        ([{**TWO[0], "weight": "0"}], None, "i-0-weight", "Trọng số phải là số dương."),
        ([{**TWO[0], "weight": "-2"}], None, "i-0-weight", "Trọng số phải là số dương."),
        (TWO, {"relevance": "0", "effectiveness": "1"}, "c-0-weight", "Trọng số phải là số dương."),
        ([{**TWO[0], "target": "0"}], None, "i-0-target", "Chỉ tiêu mục tiêu phải là số dương."),
        (
            [{**TWO[0], "source_key": "khong.co"}],
            None,
            "i-0-source_key",
            "Không có nguồn chỉ số: khong.co.",
        ),
        (
            [TWO[0], {**TWO[1], "code": "thoa-thuan"}],
            None,
            "i-1-code",
            "Mã này bị trùng giữa hai chỉ tiêu.",
        ),
        (
            [{**TWO[0], "criterion": "impact"}],
            None,
            "i-0-criterion",
            "Tiêu chí này chưa có trong bộ: hãy đánh dấu ở trên.",
        ),
    ],
)
def test_each_problem_is_named_on_its_row_and_nothing_is_saved(
    owner: Any, rows: Any, criteria: Any, field: str, message: str
) -> None:
    response = login(owner).post(
        "/reporting/evaluation/new/", _post(indicators=rows, criteria=criteria)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-field="{field}">{message}' in page, page[page.find("field-error") - 400 :][:1500]
    assert not CriteriaSet.objects.exists()


def test_the_sum_of_weights_is_shown(owner: Any) -> None:
    rows = [{**TWO[0], "weight": "3"}, {**TWO[1], "criterion": "relevance", "weight": "0"}]
    page = login(owner).post("/reporting/evaluation/new/", _post(indicators=rows)).content.decode()
    assert 'id="weight-total">3<' in page  # relevance 2 + effectiveness 1
    assert (
        '<tr data-criterion="relevance"><th scope="row">Tính phù hợp</th><td class="num">2</td>'
        in page
    )
    assert "66,7%" in page  # relevance's share of the set


def _make(user: Any) -> CriteriaSet:
    return evaluation_sets.criteria_set_new(
        user=user,
        code="bo",
        title_vi="Bộ",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        criteria=[
            {
                "code": "relevance",
                "weight": 1,
                "indicators": [
                    {"code": "a", "label_vi": "Chỉ số A", "target": 10},
                    {"code": "b", "label_vi": "Chỉ số B", "target": 5},
                ],
            }
        ],
    )


def test_an_edit_keeps_entered_values_and_raises_the_version(owner: Any) -> None:
    cs = _make(owner)
    ind_a = EvalIndicator.objects.get(code="a")
    evaluation.entry_save(
        user=owner, indicator=ind_a, value="7", note="Biên bản", evidence_url="https://a.vn/x"
    )
    client = login(owner)
    form = client.get(f"/reporting/evaluation/{cs.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in form and "Chỉ số B" in form
    data = _post(
        code="doi-ma",  # ignored: the code stays
        title="Bộ đã sửa",
        criteria={"relevance": "1"},
        version=1,
        indicators=[
            {"code": "a", "label_vi": "Chỉ số A", "target": "20"},
            {"code": "c", "label_vi": "Chỉ số C"},
        ],
    )
    response = client.post(f"/reporting/evaluation/{cs.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    cs.refresh_from_db()
    assert (cs.code, cs.title_vi, cs.version) == ("bo", "Bộ đã sửa", 2)
    ind_a.refresh_from_db()  # the same row: its entry stays
    assert ind_a.target == Decimal("20.00") and ind_a.entries.count() == 1
    assert set(EvalIndicator.objects.values_list("code", flat=True)) == {"a", "c"}
    event = AuditEvent.objects.filter(model="reporting.criteriaset", action="update").get()
    assert event.changes["version"] == [1, 2]
    assert event.changes["removed"] == ["relevance/b"]
    assert event.changes["added"] == ["relevance/c"]
    assert event.changes["changed"] == ["relevance/a"]
    assert event.changes["title_vi"] == ["Bộ", "Bộ đã sửa"]
    # A stale form (still version 1) is refused whole: 409, nothing changes.
    data["title_vi"] = "Sửa đè"
    response = client.post(f"/reporting/evaluation/{cs.pk}/edit/", data)
    assert response.status_code == 409
    assert "phiên bản 2" in response.content.decode()
    cs.refresh_from_db()
    assert (cs.title_vi, cs.version) == ("Bộ đã sửa", 2)
    # A form without its version would write over anything: refused whole too.
    del data["version"]
    response = client.post(f"/reporting/evaluation/{cs.pk}/edit/", data)
    assert response.status_code == 409
    cs.refresh_from_db()
    assert (cs.title_vi, cs.version) == ("Bộ đã sửa", 2)


def test_an_indicator_with_entered_values_cannot_be_removed(owner: Any) -> None:
    cs = _make(owner)
    evaluation.entry_save(
        user=owner,
        indicator=EvalIndicator.objects.get(code="a"),
        value="7",
        note="Biên bản",
        evidence_url="https://a.vn/x",
    )
    with pytest.raises(DomainError) as exc:
        evaluation_sets.criteria_set_update(
            user=owner,
            criteria_set=cs,
            expected_version=1,
            title_vi="Bộ",
            period_start=cs.period_start,
            period_end=cs.period_end,
            criteria=[
                {
                    "code": "relevance",
                    "weight": 1,
                    "indicators": [{"code": "b", "label_vi": "B", "target": 5}],
                }
            ],
        )
    assert "indicator:relevance/a" in exc.value.errors
    assert EvalEntry.objects.count() == 1 and EvalIndicator.objects.count() == 2
    cs.refresh_from_db()
    assert cs.version == 1


def test_the_service_checks_the_version_and_the_rule(owner: Any, other: Any) -> None:
    cs = _make(owner)
    kwargs: dict[str, Any] = {
        "title_vi": "X",
        "period_start": cs.period_start,
        "period_end": cs.period_end,
        "criteria": evaluation_sets.structure_of(cs),
    }
    with pytest.raises(ConflictError) as exc:
        evaluation_sets.criteria_set_update(
            user=owner, criteria_set=cs, expected_version=7, **kwargs
        )
    assert exc.value.version == 1
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        evaluation_sets.criteria_set_update(
            user=other, criteria_set=cs, expected_version=1, **kwargs
        )


def test_copy_a_set(owner: Any) -> None:
    cs = _make(owner)
    client = login(owner)
    form = client.get(f"/reporting/evaluation/{cs.pk}/copy/").content.decode()
    assert 'value="bo-ban-sao"' in form and "Chỉ số A" in form and "Chỉ số B" in form
    data = _post(
        code="bo-2026",
        title="Bộ 2026",
        criteria={"relevance": "1"},
        indicators=[
            {"code": "a", "label_vi": "Chỉ số A"},
            {"code": "b", "label_vi": "Chỉ số B", "target": "5"},
        ],
    )
    response = client.post(f"/reporting/evaluation/{cs.pk}/copy/", data)
    assert response.status_code == 302
    copy = CriteriaSet.objects.get(code="bo-2026")
    assert (
        copy.pk != cs.pk and EvalIndicator.objects.filter(criterion__criteria_set=copy).count() == 2
    )
    event = AuditEvent.objects.get(model="reporting.criteriaset", object_id=str(copy.pk))
    assert event.changes["copied_from"] == "bo"
    # the code of an existing set is refused on its field
    response = client.post(f"/reporting/evaluation/{cs.pk}/copy/", data)
    assert response.status_code == 400
    assert "Đã có bộ tiêu chí với mã này." in response.content.decode()


def test_more_rows_keeps_what_was_typed_and_saves_nothing(owner: Any) -> None:
    response = login(owner).post("/reporting/evaluation/new/", _post(indicators=TWO, action="more"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="i-TOTAL_FORMS" value="5"' in page
    assert 'value="Mức độ hài lòng"' in page and 'id="id_i-4-code"' in page
    assert not CriteriaSet.objects.exists()


def test_a_target_or_weight_that_rounds_to_zero_is_refused(owner: Any) -> None:
    # stored with two decimals, 0.004 would be a target of 0 and every score a division by it
    for item in ({"target": "0.004"}, {"target": 10, "weight": "0.001"}):
        with pytest.raises(DomainError):
            evaluation_sets.criteria_set_new(
                user=owner,
                code="tron",
                title_vi="Bộ làm tròn",
                period_start=dt.date(2024, 1, 1),
                period_end=dt.date(2024, 12, 31),
                criteria=[
                    {
                        "code": "relevance",
                        "indicators": [{"code": "a", "label_vi": "Chỉ số A", **item}],
                    }
                ],
            )
    assert not CriteriaSet.objects.filter(code="tron").exists()
