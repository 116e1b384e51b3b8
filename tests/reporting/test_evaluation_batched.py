"""Evaluation for many scopes at once (the comparison page): every source's grouped answer
equals its answer scope by scope, ``evaluate_many`` equals ``evaluate`` for every unit and
partner country, and the page's query count does not grow with the units and countries."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caunoi.core.indicators import EVIDENCE_LIMIT, Scope, indicator_sources
from caunoi.reporting import evaluation, evaluation_sets
from support import login

pytestmark = pytest.mark.django_db

PERIOD = (dt.date(2021, 1, 1), dt.date(2030, 12, 31))
_n = itertools.count(1)


def _records_for(unit: Any, countries: list[str], make_agreement: Any, *, many: int = 1) -> None:
    """For ``unit``: agreements (the first country is the foreign party; the others are
    added as derived countries too), a project in VND with outputs, one in USD, and
    delegations of ``many`` members."""
    from caunoi.registry.models import Delegation, Project

    for country in countries:
        make_agreement(
            country=country,
            owner_unit=unit,
            signed_on=dt.date(2022, 1, 1),
            effective_on=dt.date(2022, 2, 1) + dt.timedelta(days=next(_n)),
        )
    n = next(_n)
    p = Project.objects.create(
        title_vi=f"Dự án {n} của {unit.code}",
        kind="bilateral",
        status="implementation",
        budget=Decimal(1_500_000_000 + n * 1_000_000),
        currency="VND",
        planned_start=dt.date(2023, 1, 1),
        owner_unit=unit,
        outputs="Bài báo" if n % 2 else "",
    )
    p.countries.set(countries)
    Project.objects.create(
        title_vi=f"Dự án USD {n}",
        kind="oda",
        status="implementation",
        budget=Decimal(100_000),
        currency="USD",
        planned_start=dt.date(2023, 1, 1),
        owner_unit=unit,
    )
    for i in range(len(countries)):
        d = Delegation.objects.create(
            title_vi=f"Đoàn {n}.{i}",
            direction="out" if i % 2 else "in",
            members_count=many + i,
            start_on=dt.date(2024, 3, 1) + dt.timedelta(days=n + i),
            end_on=dt.date(2024, 3, 10) + dt.timedelta(days=n + i),
            owner_unit=unit,
        )
        d.countries.set(countries[: i + 1])


@pytest.fixture
def world(
    make_agreement: Any, units: dict[str, Any], taxonomy: Any, campaign: Any, admin: Any
) -> dict[str, Any]:
    from caunoi.registry.models import Agreement, Delegation
    from caunoi.reporting.models_evaluation import SeriesIndicator, SeriesValue
    from caunoi.reporting.series import COPUB
    from caunoi.reporting.services import submission_save

    _records_for(units["htqt"], ["KR", "JP"], make_agreement, many=4)
    _records_for(units["hanoi"], ["JP", "US"], make_agreement, many=2)
    make_agreement(country="KR", status=Agreement.Status.NEGOTIATING, signed_on=None)
    make_agreement(  # expired before the period
        country="US",
        owner_unit=units["hanoi"],
        signed_on=dt.date(2010, 1, 1),
        effective_on=dt.date(2010, 1, 1),
        expires_on=dt.date(2020, 6, 1),
    )
    Delegation.objects.create(  # before the period
        title_vi="Đoàn năm 2019",
        direction="out",
        members_count=9,
        start_on=dt.date(2019, 1, 1),
        end_on=dt.date(2019, 1, 2),
        owner_unit=units["htqt"],
    )
    copub, _created = SeriesIndicator.objects.get_or_create(
        code=COPUB, defaults={"label_vi": "Công bố quốc tế"}
    )
    for year, partner, value in [
        (2021, "", 900),
        (2022, "", 950),
        (2022, "KR", 120),
        (2023, "KR", 140),
        (2023, "JP", 80),
        (2019, "JP", 50),  # outside the period
    ]:
        SeriesValue.objects.create(
            indicator=copub, year=year, partner=partner, value=value, source="OpenAlex"
        )
    hanoi = campaign.units.get(code="ha-noi").submissions.get(kind="report")
    submission_save(
        user=admin,
        submission=hanoi,
        answers={"tom-tat": "Đã làm"},
        expected_version=hanoi.version,
        submit=True,
    )
    return {"units": units, "taxonomy": taxonomy}


def _scopes(units: dict[str, Any]) -> list[Scope]:
    from caunoi.accounts.models import Unit

    return [
        Scope(),
        *(Scope(unit_id=pk) for pk in Unit.objects.order_by("pk").values_list("pk", flat=True)),
        *(Scope(country=c) for c in ["KR", "JP", "US", "VN", "jp"]),  # VN: no record
        Scope(unit_id=units["hanoi"].pk, country="JP"),  # both at once
        Scope(unit_id=999_999),  # no such unit: nothing counted
    ]


def test_every_source_answers_many_scopes_as_it_answers_each(world: dict[str, Any]) -> None:
    units = world["units"]
    scopes = _scopes(units)
    sources = indicator_sources()
    assert {s.key for s in sources if s.compute_many is not None} >= {
        "registry.agreements_in_force",
        "registry.agreements_active",
        "registry.project_budget_vnd",
        "registry.projects_with_outputs",
        "registry.delegations",
        "registry.researcher_mobility",
        "reporting.campaign_submission_rate",
        "reporting.copublications",
        "market.transfers_signed",
    }
    for source in sources:
        one_by_one = {s: source.value(*PERIOD, s) for s in scopes}
        # All the scopes, only the units', only the countries': each narrows differently.
        for subset in (
            scopes,
            [s for s in scopes if s.unit_id is not None and s.country is None],
            [s for s in scopes if s.country is not None and s.unit_id is None],
        ):
            together = source.values(*PERIOD, subset)
            assert list(together) == subset, source.key
            for scope in subset:
                assert together[scope] == one_by_one[scope], (source.key, scope)
    # The fixture is not trivial: the figures differ between scopes.
    mobility = next(s for s in sources if s.key == "registry.researcher_mobility")
    got = mobility.values(*PERIOD, scopes)
    assert len({v.value for v in got.values()}) >= 4
    assert got[Scope(country="JP")] == got[Scope(country="jp")]
    assert got[Scope(unit_id=999_999)].value == 0


def test_evidence_is_cut_the_same_way(
    make_agreement: Any, units: dict[str, Any], taxonomy: Any
) -> None:
    for _ in range(EVIDENCE_LIMIT + 3):
        make_agreement(country="KR", owner_unit=units["hanoi"], effective_on=dt.date(2021, 5, 1))
    source = next(s for s in indicator_sources() if s.key == "registry.agreements_in_force")
    scopes = [Scope(), Scope(country="KR"), Scope(unit_id=units["hanoi"].pk)]
    together = source.values(*PERIOD, scopes)
    for scope in scopes:
        assert together[scope] == source.value(*PERIOD, scope)
        assert together[scope].truncated == 3
        assert len(together[scope].evidence) == EVIDENCE_LIMIT


CRITERIA = [
    {
        "code": "relevance",
        "weight": 1,
        "indicators": [
            {
                "code": "hieu-luc",
                "label_vi": "Thỏa thuận có hiệu lực",
                "weight": 1,
                "target": 3,
                "source_key": "registry.agreements_in_force",
            },
            {
                "code": "uu-tien",
                "label_vi": "Tỷ lệ ưu tiên",
                "unit": "%",
                "weight": 2,
                "target": 80,
            },
        ],
    },
    {
        "code": "effectiveness",
        "weight": 2,
        "indicators": [
            {
                "code": "hoat-dong",
                "label_vi": "Có hoạt động",
                "weight": 1,
                "target": 2,
                "source_key": "registry.agreements_active",
            },
            {
                "code": "bao-cao",
                "label_vi": "Báo cáo đã gửi",
                "weight": 1,
                "target": 100,
                "source_key": "reporting.campaign_submission_rate",
            },
        ],
    },
    {
        "code": "efficiency",
        "weight": 1,
        "indicators": [
            {
                "code": "kinh-phi",
                "label_vi": "Kinh phí",
                "weight": 1,
                "target": 5000,
                "source_key": "registry.project_budget_vnd",
            },
            {
                "code": "ket-qua",
                "label_vi": "Dự án có kết quả",
                "weight": 1,
                "target": 2,
                "source_key": "registry.projects_with_outputs",
            },
        ],
    },
    {
        "code": "impact",
        "weight": 3,
        "indicators": [
            {
                "code": "doan",
                "label_vi": "Đoàn",
                "weight": 1,
                "target": 4,
                "source_key": "registry.delegations",
            },
            {
                "code": "luu-chuyen",
                "label_vi": "Lưu chuyển",
                "weight": 1,
                "target": 20,
                "source_key": "registry.researcher_mobility",
                "higher_is_better": False,
            },
            {
                "code": "cong-bo",
                "label_vi": "Công bố",
                "weight": 1,
                "target": 500,
                "source_key": "reporting.copublications",
            },
            {
                "code": "chuyen-giao",
                "label_vi": "Chuyển giao",
                "weight": 1,
                "target": 2,
                "source_key": "market.transfers_signed",
            },
        ],
    },
]


@pytest.fixture
def criteria_set(admin: Any, world: dict[str, Any], owner: Any) -> Any:
    cs = evaluation_sets.criteria_set_new(
        user=admin,
        code="so-sanh",
        title_vi="Bộ tiêu chí so sánh",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        criteria=CRITERIA,
    )
    from caunoi.reporting.models_evaluation import EvalIndicator

    uu_tien = EvalIndicator.objects.get(criterion__criteria_set=cs, code="uu-tien")
    countries = world["taxonomy"]["countries"]
    units = world["units"]
    for value, kw in [
        ("70", {}),
        ("30", {"unit": units["hanoi"]}),
        ("45", {"unit": units["hanoi"]}),  # later: replaces 30 for Hà Nội
        ("90", {"country": countries["KR"]}),
    ]:
        evaluation.entry_save(
            user=owner,
            indicator=uu_tien,
            value=value,
            note="Biên bản",
            evidence_url="https://most.gov.vn/bien-ban",
            **kw,
        )
    return cs


def _flat(ev: evaluation.Evaluation) -> Any:
    return (
        ev.scope,
        ev.score,
        [
            (
                c.criterion.pk,
                c.score,
                [(i.indicator.pk, i.value, i.entry, i.score) for i in c.indicators],
            )
            for c in ev.criteria
        ],
    )


def test_evaluate_many_equals_evaluate_for_every_unit_and_country(criteria_set: Any) -> None:
    cs = criteria_set
    scopes = [
        Scope(),
        *(Scope(unit_id=u.pk) for u in evaluation.scope_units(cs)),
        *(Scope(country=c.iso2) for c in evaluation.scope_countries(cs)),
    ]
    assert len(scopes) >= 6  # everyone, two units, KR, JP, US
    together = evaluation.evaluate_many(cs, scopes)
    assert [ev.scope for ev in together] == scopes
    for ev in together:
        assert _flat(ev) == _flat(evaluation.evaluate(cs, ev.scope))
    scores = {ev.scope: ev.score.score for ev in together}
    assert len(set(scores.values())) >= 3  # not all the same
    hanoi = next(ev for ev in together if ev.scope.unit_id == evaluation.scope_units(cs)[0].pk)
    entered = hanoi.criteria[0].indicators[1]
    assert entered.entry is not None and entered.value.value == 45  # the latest for Hà Nội
    # comparison: the same evaluations, best first.
    rows = evaluation.comparison(cs, [(str(s), s) for s in scopes])
    assert [ev.score.score for _l, ev in rows] == sorted(
        (s for s in scores.values() if s is not None), reverse=True
    ) + [None] * sum(1 for s in scores.values() if s is None)


def _add_units(n: int, make_agreement: Any, start: int) -> None:
    from caunoi.accounts.models import Unit

    for i in range(start, start + n):
        unit = Unit.objects.create(code=f"tinh-{i}", name_vi=f"Sở KH&CN số {i}", kind="province")
        _records_for(unit, ["KR", "US"] if i % 2 else ["JP"], make_agreement, many=i)


def _compare_queries(client: Any, cs: Any) -> tuple[int, int, int]:
    with CaptureQueriesContext(connection) as page:
        response = client.get(f"/reporting/evaluation/{cs.pk}/compare/")
    assert response.status_code == 200
    units = evaluation.scope_units(cs)
    countries = evaluation.scope_countries(cs)
    with CaptureQueriesContext(connection) as evaluated:
        evaluation.comparison(cs, [(u.name_vi, Scope(unit_id=u.pk)) for u in units])
        evaluation.comparison(cs, [(c.name_vi, Scope(country=c.iso2)) for c in countries])
    return len(page.captured_queries), len(evaluated.captured_queries), len(units)


def test_the_comparison_query_count_does_not_grow_with_the_units(
    criteria_set: Any, admin: Any, make_agreement: Any, taxonomy: Any
) -> None:
    from caunoi.taxonomy.models import Country

    client = login(admin)
    client.get(f"/reporting/evaluation/{criteria_set.pk}/compare/")  # the charts drawn once
    page_before, evaluated_before, units_before = _compare_queries(client, criteria_set)
    _add_units(6, make_agreement, start=1)
    Country.objects.create(iso2="DE", iso3="DEU", name_vi="Đức", name_en="Germany")
    make_agreement(country="DE", effective_on=dt.date(2022, 1, 1))
    page_after, evaluated_after, units_after = _compare_queries(client, criteria_set)
    assert units_after == units_before + 6
    assert evaluated_after == evaluated_before
    assert page_after == page_before
    # Two evaluations (units, countries): a few queries per source, not per scope.
    assert evaluated_before <= 2 * (2 * 8 + 1 + 1 + 2)
