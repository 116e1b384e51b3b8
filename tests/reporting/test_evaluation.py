"""Evaluation: indicator sources from the registry and campaigns, entered values with
evidence, scores per unit and partner country with formulas, pages and API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from caunoi.accounts.models import AuditEvent
from caunoi.core.errors import DomainError
from caunoi.core.indicators import Scope, indicator_source
from caunoi.reporting import evaluation, evaluation_sets
from caunoi.reporting.models_evaluation import EvalEntry, EvalIndicator
from support import login

pytestmark = pytest.mark.django_db

PERIOD = (dt.date(2021, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture
def records(make_agreement: Any, units: dict[str, Any], taxonomy: Any) -> dict[str, Any]:
    from caunoi.registry.models import Agreement, Delegation, Project

    kr = make_agreement(
        country="KR", effective_on=dt.date(2020, 1, 1), signed_on=dt.date(2019, 5, 1)
    )
    jp = make_agreement(
        country="JP",
        owner_unit=units["hanoi"],
        signed_on=dt.date(2022, 3, 1),
        effective_on=dt.date(2022, 3, 1),
    )
    make_agreement(country="KR", status=Agreement.Status.NEGOTIATING, signed_on=None)
    make_agreement(
        country="US",
        signed_on=dt.date(2010, 1, 1),
        effective_on=dt.date(2010, 1, 1),
        expires_on=dt.date(2020, 6, 1),
    )  # expired before the period (its status not yet moved)
    d1 = Delegation.objects.create(
        title_vi="Đoàn đi Hàn Quốc",
        direction="out",
        members_count=5,
        start_on=dt.date(2023, 4, 1),
        end_on=dt.date(2023, 4, 5),
        owner_unit=units["htqt"],
        agreement=kr,
    )
    d1.countries.set(["KR"])
    d2 = Delegation.objects.create(
        title_vi="Đoàn Nhật Bản đến Hà Nội",
        direction="in",
        members_count=3,
        start_on=dt.date(2024, 6, 1),
        end_on=dt.date(2024, 6, 2),
        owner_unit=units["hanoi"],
    )
    d2.countries.set(["JP"])
    Delegation.objects.create(
        title_vi="Đoàn năm 2019",
        direction="out",
        members_count=9,
        start_on=dt.date(2019, 1, 1),
        end_on=dt.date(2019, 1, 2),
        owner_unit=units["htqt"],
    )
    p = Project.objects.create(
        title_vi="Dự án vật liệu",
        kind="bilateral",
        status="implementation",
        budget=Decimal("2500000000"),
        currency="VND",
        planned_start=dt.date(2022, 1, 1),
        owner_unit=units["htqt"],
        outputs="Hai bài báo",
    )
    p.countries.set(["KR"])
    Project.objects.create(
        title_vi="Dự án bằng USD",
        kind="oda",
        status="implementation",
        budget=Decimal("100000"),
        currency="USD",
        planned_start=dt.date(2022, 1, 1),
        owner_unit=units["htqt"],
    )
    return {"kr": kr, "jp": jp, "project": p, "d1": d1}


def _value(key: str, scope: Scope | None = None) -> Any:
    source = indicator_source(key)
    assert source is not None, key
    return source.value(*PERIOD, scope)


def test_registry_sources_count_the_period_and_the_scope(
    records: dict[str, Any], units: Any
) -> None:
    v = _value("registry.agreements_in_force")
    assert v.value == 2  # not the one negotiating, not the one expired before the period
    assert {e.url for e in v.evidence} == {
        f"/registry/agreements/{records['kr'].pk}/",
        f"/registry/agreements/{records['jp'].pk}/",
    }
    assert _value("registry.agreements_in_force", Scope(country="KR")).value == 1
    assert _value("registry.agreements_in_force", Scope(unit_id=units["hanoi"].pk)).value == 1
    # Activity: the Korean agreement has a delegation in the period, the Japanese none.
    active = _value("registry.agreements_active")
    assert [e.label for e in active.evidence] == [records["kr"].title_vi]
    mobility = _value("registry.researcher_mobility")
    assert mobility.value == 8  # 5 + 3; the 2019 delegation is outside the period
    assert sorted(e.amount for e in mobility.evidence) == [3, 5]
    assert _value("registry.researcher_mobility", Scope(country="JP")).value == 3
    assert _value("registry.delegations").value == 2
    budget = _value("registry.project_budget_vnd")
    assert budget.value == 2500  # millions of đồng; the USD project is not converted
    assert _value("registry.projects_with_outputs").value == 1
    # Campaign figures do not apply to a partner country.
    assert _value("reporting.campaign_submission_rate", Scope(country="KR")).value is None


def test_campaign_rate_for_a_unit(campaign: Any, units: Any, admin: Any) -> None:
    from caunoi.reporting.services import submission_save

    source = indicator_source("reporting.campaign_submission_rate")
    assert source is not None
    year = (dt.date(2030, 1, 1), dt.date(2030, 12, 31))
    assert source.value(*year).value == 0
    hanoi = campaign.units.get(code="ha-noi").submissions.get(kind="report")
    submission_save(
        user=admin,
        submission=hanoi,
        answers={"tom-tat": "Đã làm"},
        expected_version=hanoi.version,
        submit=True,
    )
    requested = campaign.units.filter(removed_on__isnull=True)
    total = sum(u.submissions.count() for u in requested)
    assert source.value(*year).value == round(100 / total, 1)
    mine = source.value(*year, Scope(unit_id=units["hanoi"].pk))
    hanoi_requests = campaign.units.get(code="ha-noi").submissions.count()
    assert mine.value == round(100 / hanoi_requests, 1)
    assert mine.evidence[0].url == f"/reporting/{campaign.pk}/"


CRITERIA = [
    {
        "code": "relevance",
        "weight": 1,
        "indicators": [
            {
                "code": "hieu-luc",
                "label_vi": "Thỏa thuận có hiệu lực",
                "weight": 1,
                "target": 4,
                "source_key": "registry.agreements_in_force",
            },
            {
                "code": "uu-tien",
                "label_vi": "Tỷ lệ ưu tiên",
                "unit": "%",
                "weight": 1,
                "target": 80,
            },
        ],
    },
    {
        "code": "impact",
        "weight": 2,
        "indicators": [
            {
                "code": "luu-chuyen",
                "label_vi": "Lưu chuyển",
                "weight": 1,
                "target": 16,
                "source_key": "registry.researcher_mobility",
            },
        ],
    },
]


@pytest.fixture
def criteria_set(admin: Any, records: Any) -> Any:
    return evaluation_sets.criteria_set_new(
        user=admin,
        code="thu",
        title_vi="Bộ tiêu chí thử",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        criteria=CRITERIA,
    )


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "bien-ban.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf"
    )


def test_scores_from_sources_and_entered_values(
    criteria_set: Any, owner: Any, taxonomy: Any
) -> None:
    ev = evaluation.evaluate(criteria_set)
    # relevance: 2/4 → 50, the entered one has no value yet; impact: 8/16 → 50
    assert ev.criteria[0].score.score == 50
    assert ev.criteria[0].score.coverage == (1, 2)
    assert ev.score.score == 50
    uu_tien = EvalIndicator.objects.get(code="uu-tien")
    evaluation.entry_save(
        user=owner, indicator=uu_tien, value="60", note="Biên bản 2024", evidence_file=_pdf()
    )
    ev = evaluation.evaluate(criteria_set)
    # relevance: (50 + 75) / 2 = 62.5; set: (1 × 62.5 + 2 × 50) / 3 = 54.17
    assert ev.criteria[0].score.score == pytest.approx(62.5)
    assert ev.score.score == pytest.approx(54.1667, abs=1e-3)
    assert ev.score.formula == "(1 × 62,5 + 2 × 50) / 3"
    # A later entry replaces the value; the earlier one stays as history.
    evaluation.entry_save(
        user=owner,
        indicator=uu_tien,
        value="80",
        note="Biên bản sửa",
        evidence_url="https://most.gov.vn/a",
    )
    assert evaluation.evaluate(criteria_set).criteria[0].score.score == 75
    assert EvalEntry.objects.filter(indicator=uu_tien).count() == 2
    # A country's entry counts for that country only.
    evaluation.entry_save(
        user=owner,
        indicator=uu_tien,
        value="40",
        note="Hàn Quốc",
        evidence_url="https://most.gov.vn/kr",
        country=taxonomy["countries"]["KR"],
    )
    kr = evaluation.evaluate(criteria_set, Scope(country="KR"))
    # KR: 1 agreement / 4 → 25, entered 40/80 → 50; mobility 5/16 → 31.25
    assert kr.criteria[0].score.score == pytest.approx(37.5)
    assert kr.criteria[1].score.score == pytest.approx(31.25)
    assert evaluation.evaluate(criteria_set).criteria[0].score.score == 75
    events = list(AuditEvent.objects.values_list("model", "action"))
    assert events.count(("reporting.evalentry", "create")) == 3
    assert ("reporting.criteriaset", "create") in events


def test_entry_validation_names_every_problem_and_saves_nothing(
    criteria_set: Any, owner: Any, viewer: Any
) -> None:
    uu_tien = EvalIndicator.objects.get(code="uu-tien")
    with pytest.raises(DomainError) as exc:
        evaluation.entry_save(
            user=owner, indicator=uu_tien, value="nhiều", note=" ", evidence_url="ftp://x"
        )
    assert set(exc.value.errors) == {"value", "note", "evidence_url"}
    with pytest.raises(DomainError) as exc:
        evaluation.entry_save(user=owner, indicator=uu_tien, value="5", note="Không có minh chứng")
    assert "evidence_url" in exc.value.errors
    fake = SimpleUploadedFile("gia.pdf", b"not a pdf")
    with pytest.raises(DomainError) as exc:
        evaluation.entry_save(
            user=owner, indicator=uu_tien, value="5", note="x", evidence_file=fake
        )
    assert "evidence_file" in exc.value.errors
    computed = EvalIndicator.objects.get(code="hieu-luc")
    with pytest.raises(DomainError):
        evaluation.entry_save(
            user=owner, indicator=computed, value="5", note="x", evidence_url="https://a.vn"
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        evaluation.entry_save(
            user=viewer, indicator=uu_tien, value="5", note="x", evidence_url="https://a.vn"
        )
    assert not EvalEntry.objects.exists()


def test_unknown_source_is_refused(admin: Any) -> None:
    bad = [
        {
            "code": "relevance",
            "indicators": [{"code": "x", "label_vi": "X", "target": 1, "source_key": "khong.co"}],
        }
    ]
    with pytest.raises(DomainError):
        evaluation_sets.criteria_set_new(
            user=admin,
            code="sai",
            title_vi="Sai",
            period_start=PERIOD[0],
            period_end=PERIOD[1],
            criteria=bad,
        )
    from caunoi.reporting.models_evaluation import CriteriaSet

    assert not CriteriaSet.objects.filter(code="sai").exists()


def test_pages_show_scores_formulas_and_evidence(
    criteria_set: Any, owner: Any, viewer: Any, units: Any, enterprise: Any, records: Any
) -> None:
    url = f"/reporting/evaluation/{criteria_set.pk}/"
    page = login(viewer).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "(1 × 50 + 2 × 50) / 3" in html  # the set's formula
    assert f"/registry/agreements/{records['kr'].pk}/" in html  # evidence links
    assert "min(8 / 16; 1) × 100" in html
    assert 'name="evidence_file"' not in html  # viewers do not enter values
    assert login(viewer).post(f"{url}entries/", {}).status_code == 403
    assert login(enterprise).get(url).status_code == 404
    # Per unit and per partner country.
    hanoi = login(viewer).get(url, {"unit": units["hanoi"].pk}).content.decode()
    assert "min(3 / 16; 1) × 100" in hanoi
    assert login(viewer).get(url, {"country": "ZZ"}).status_code == 404
    compare = login(viewer).get(f"{url}compare/")
    assert compare.status_code == 200
    rows = login(viewer).get(f"{url}compare/", {"csv": "by-unit"}).content.decode().splitlines()
    # Hà Nội: (1 × 25 + 2 × 18.75) / 3 = 20.8; HTQT: (1 × 25 + 2 × 31.25) / 3 = 29.2
    assert rows[1:] == ["Vụ Hợp tác quốc tế,29.2", "Sở KH&CN Hà Nội,20.8"]
    assert login(enterprise).get(f"{url}compare/").status_code == 404
    # CSV of a chart.
    csv = login(viewer).get(url, {"csv": "criteria"})
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[1] == "Tính phù hợp,50"
    # An officer enters a value with a file; the page then shows it with its evidence.
    uu_tien = EvalIndicator.objects.get(code="uu-tien")
    client = login(owner)
    response = client.post(
        f"{url}entries/?country=KR",
        {
            "indicator": uu_tien.pk,
            "value": "72,5",
            "note": "Báo cáo tổng hợp",
            "evidence_file": _pdf(),
        },
    )
    assert response.status_code == 302
    entry = EvalEntry.objects.get()
    assert entry.country_id == "KR" and entry.value == Decimal("72.50")
    kr = client.get(url, {"country": "KR"}).content.decode()
    assert "Báo cáo tổng hợp" in kr
    assert f"/reporting/evaluation/entries/{entry.pk}/file/" in kr
    file = client.get(f"/reporting/evaluation/entries/{entry.pk}/file/")
    assert b"".join(file.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    # A refused entry: nothing saved, the problem told.
    bad = client.post(
        f"{url}entries/", {"indicator": uu_tien.pk, "value": "x", "note": ""}, follow=True
    )
    assert EvalEntry.objects.count() == 1
    assert "Chưa lưu gì" in bad.content.decode()


def test_api_reads(criteria_set: Any, viewer: Any, enterprise: Any, records: Any) -> None:
    client = login(viewer)
    listed = client.get("/api/v1/reporting/evaluation/sets").json()
    assert listed["items"][0]["score"] == 50
    detail = client.get(
        f"/api/v1/reporting/evaluation/sets/{criteria_set.pk}", {"country": "KR"}
    ).json()
    relevance = detail["criteria"][0]
    assert relevance["indicators"][0]["value"] == 1
    assert (
        relevance["indicators"][0]["evidence"][0]["url"]
        == f"/registry/agreements/{records['kr'].pk}/"
    )
    assert relevance["indicators"][0]["formula"] == "min(1 / 4; 1) × 100"
    assert (
        client.get(
            f"/api/v1/reporting/evaluation/sets/{criteria_set.pk}", {"unit": 99999}
        ).status_code
        == 404
    )
    outside = login(enterprise)
    assert outside.get("/api/v1/reporting/evaluation/sets").json()["items"] == []
    assert outside.get(f"/api/v1/reporting/evaluation/sets/{criteria_set.pk}").status_code == 404
