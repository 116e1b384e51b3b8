"""Indicator series: the OpenAlex import (all or nothing, every bad row named), our CSV,
mobility from delegations, the series and co-publication pages, the demo."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from caunoi.reporting import series
from caunoi.reporting.models_evaluation import SeriesIndicator, SeriesValue
from support import login, shared_path

pytestmark = pytest.mark.django_db


def _net(folder: Path, year: int, arcs: list[str]) -> None:
    vertices = ["VN", "KR", "US", "JP"]
    lines = ["% written for the tests", f"*vertices {len(vertices)}"]
    lines += [f'{i} "{c}"' for i, c in enumerate(vertices, start=1)]
    lines += ["*arcs", *arcs]
    # The real files carry a byte-order mark and CRLF line ends.
    (folder / f"WrldCo{year}.net").write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode())


@pytest.fixture
def data(tmp_path: Path) -> Path:
    net = tmp_path / "openalex-country-coauthorship" / "WrldCo_years"
    net.mkdir(parents=True)
    _net(net, 2022, ["1 1 900", "1 2 120", "2 1 120", "1 3 200", "3 1 200", "2 3 50", "3 2 50"])
    _net(net, 2023, ["1 1 1000", "1 2 150", "2 1 150", "1 3 210", "3 1 210", "1 4 0"])
    (net / "WrldCoComplete.net").write_text("not one year's network")
    agg = tmp_path / "openalex-vn-aggregates"
    agg.mkdir()
    (agg / "by_year.json").write_text(
        json.dumps([{"year": 2022, "paper_count": 30000}, {"year": 2023, "paper_count": 32000}])
    )
    return tmp_path


def _values(code: str) -> dict[tuple[int, str], Decimal]:
    return {(v.year, v.partner): v.value for v in SeriesValue.objects.filter(indicator__code=code)}


def test_import_openalex(data: Path, capsys: Any) -> None:
    call_command("import_openalex", str(data))
    copub = _values(series.COPUB)
    assert copub == {
        (2022, "KR"): 120,
        (2022, "US"): 200,
        (2022, ""): 900,
        (2023, "KR"): 150,
        (2023, "US"): 210,
        (2023, ""): 1000,
    }  # the links of other pairs (KR–US) and zero links are not Vietnam's
    assert _values(series.PARTNERS) == {(2022, ""): 2, (2023, ""): 2}
    assert _values(series.VN_WORKS) == {(2022, ""): 30000, (2023, ""): 32000}
    assert "WrldCo2023.net" in SeriesValue.objects.filter(year=2023).first().source  # type: ignore[union-attr]
    assert "Đã nhập 10 giá trị" in capsys.readouterr().out
    # Again: the same values replace the stored ones, nothing is doubled.
    call_command("import_openalex", str(data / "openalex-country-coauthorship"))
    assert SeriesValue.objects.filter(indicator__code=series.COPUB).count() == 6


def test_a_bad_row_anywhere_stores_nothing_and_every_one_is_named(data: Path) -> None:
    net = data / "openalex-country-coauthorship" / "WrldCo_years"
    _net(net, 2021, ["1 1 800", "1 2 nhiều", "1 9 4"])
    (data / "openalex-vn-aggregates" / "by_year.json").write_text(
        json.dumps([{"year": 2022, "paper_count": -1}])
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_openalex", str(data))
    assert "3 dòng lỗi" in str(exc.value)
    result = series.read_openalex(data)
    assert result.problems == [
        "WrldCo2021.net, dòng 9: cung không đọc được: 1 2 nhiều",
        "WrldCo2021.net, dòng 10: đỉnh 9 không có",
        "by_year.json, mục 1: cần year và paper_count là số nguyên không âm",
    ]
    assert not SeriesValue.objects.exists()


def test_a_folder_without_the_data_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("import_openalex", str(tmp_path))
    assert not SeriesValue.objects.exists()


def test_our_csv_and_its_bad_rows() -> None:
    good = series.read_csv(
        "indicator,year,partner,value\nintl-copublications,2020,kr,1200\nvn-publications,2020,,25000\n",
        source="Bảng của chúng tôi",
    )
    assert not good.problems
    assert good.rows[0].partner == "KR"
    bad = series.read_csv(
        "indicator,year,partner,value\nkhong-co,2020,,1\nvn-publications,20x0,,1\n"
        "vn-publications,2020,KOR,1\n",
        source="x",
        name="bang.csv",
    )
    assert bad.problems == [
        "bang.csv, dòng 2: chỉ tiêu không có: 'khong-co'",
        "bang.csv, dòng 3: năm hoặc giá trị không hợp lệ",
        "bang.csv, dòng 4: mã nước không hợp lệ: 'KOR'",
    ]
    assert series.read_csv("year,value\n", source="x").problems == [
        "CSV: thiếu cột indicator, partner"
    ]


def test_mobility_from_delegations(units: Any, taxonomy: Any) -> None:
    from caunoi.registry.models import Delegation

    for day, members in [
        (dt.date(2023, 3, 1), 4),
        (dt.date(2023, 9, 1), 6),
        (dt.date(2024, 1, 5), 2),
    ]:
        Delegation.objects.create(
            title_vi="Đoàn",
            direction="out",
            members_count=members,
            start_on=day,
            end_on=day,
            owner_unit=units["htqt"],
        )
    assert series.refresh_mobility() == 2
    assert _values(series.MOBILITY) == {(2023, ""): 10, (2024, ""): 2}


def test_series_page_charts_and_entering_values(
    data: Path, owner: Any, other: Any, viewer: Any, enterprise: Any
) -> None:
    call_command("import_openalex", str(data))
    page = login(viewer).get("/reporting/evaluation/series/")
    assert page.status_code == 200
    html = page.content.decode()
    for code, *_ in series.CATALOG:
        assert f'id="series-{code}"' in html
    assert 'name="source"' not in html  # viewers only read
    csv = login(viewer).get("/reporting/evaluation/series/", {"csv": "series-vn-publications"})
    assert csv.content.decode().splitlines()[1:] == ["2022,30000", "2023,32000"]
    assert login(viewer).post("/reporting/evaluation/series/", {}).status_code == 403
    assert login(enterprise).get("/reporting/evaluation/series/").status_code == 404
    # national figures: another unit's officer reads them and may not enter them
    assert 'name="source"' not in login(other).get("/reporting/evaluation/series/").content.decode()
    refused = {"indicator": "tech-alliances", "year": "2024", "value": "99", "source": "Sở"}
    assert login(other).post("/reporting/evaluation/series/", refused).status_code == 403
    client = login(owner)
    bad = client.post(
        "/reporting/evaluation/series/",
        {"indicator": "tech-alliances", "year": "20x", "value": "-1", "source": ""},
    )
    assert bad.status_code == 400
    assert not SeriesValue.objects.filter(indicator__code="tech-alliances").exists()
    ok = client.post(
        "/reporting/evaluation/series/",
        {"indicator": "tech-alliances", "year": "2024", "value": "11", "source": "Báo cáo 2024"},
    )
    assert ok.status_code == 302
    row = SeriesValue.objects.get(indicator__code="tech-alliances")
    assert (row.year, row.value, row.source, row.origin) == (2024, 11, "Báo cáo 2024", "entered")
    assert "Báo cáo 2024" in client.get("/reporting/evaluation/series/").content.decode()


def test_copublications_dashboard(data: Path, viewer: Any, taxonomy: Any) -> None:
    empty = login(viewer).get("/reporting/evaluation/copublications/")
    assert empty.status_code == 200
    call_command("import_openalex", str(data))
    page = login(viewer).get("/reporting/evaluation/copublications/")
    html = page.content.decode()
    assert "Hoa Kỳ" in html and "Hàn Quốc" in html  # partner names from the taxonomy
    assert 'data-partner="US"' in html
    top = login(viewer).get("/reporting/evaluation/copublications/", {"csv": "copub-top"})
    assert top.content.decode().splitlines()[1:] == ["Hoa Kỳ,210", "Hàn Quốc,150"]
    trend = login(viewer).get("/reporting/evaluation/copublications/", {"csv": "copub-trend"})
    assert trend.content.decode().splitlines()[1:] == ["2022,200,120", "2023,210,150"]
    api = login(viewer).get("/api/v1/reporting/evaluation/copublications", {"partner": "kr"}).json()
    assert [(r["year"], r["count"], r["partner_name"]) for r in api["items"]] == [
        (2022, 120.0, "Hàn Quốc"),
        (2023, 150.0, "Hàn Quốc"),
    ]
    listed = login(viewer).get("/api/v1/reporting/evaluation/series").json()
    works = next(s for s in listed if s["code"] == series.VN_WORKS)
    assert [v["value"] for v in works["values"]] == [30000.0, 32000.0]


def test_copublications_feed_the_country_scores(data: Path, admin: Any, taxonomy: Any) -> None:
    from caunoi.core.indicators import Scope, indicator_source

    call_command("import_openalex", str(data))
    source = indicator_source("reporting.copublications")
    assert source is not None
    value = source.value(dt.date(2023, 1, 1), dt.date(2023, 12, 31), Scope(country="KR"))
    assert value.value == 150
    assert source.value(dt.date(2022, 1, 1), dt.date(2023, 12, 31)).value == 1900


def test_the_real_folders() -> None:
    """The public OpenAlex folders (../shared/data): Vietnam's 2023 links as SOURCE.md lists
    them, the aggregates' first year."""
    network = shared_path("data", "openalex-country-coauthorship")
    shared_path("data", "openalex-vn-aggregates")
    call_command("import_openalex", str(Path(network).parent))
    copub = _values(series.COPUB)
    assert copub[(2023, "")] == 10955
    assert copub[(2023, "US")] == 1838
    assert copub[(2023, "KR")] == 1400
    assert copub[(2023, "CN")] == 1357
    assert sorted({y for y, _ in copub}) == list(range(1990, 2024))
    assert _values(series.VN_WORKS)[(2000, "")] == 1280


def test_demo(admin: Any, taxonomy: Any) -> None:
    from caunoi.core.indicators import Scope
    from caunoi.reporting import evaluation
    from caunoi.reporting.demo_evaluation import SET_CODE, load_evaluation_demo
    from caunoi.reporting.models_evaluation import CriteriaSet

    counts = load_evaluation_demo()
    assert counts["sets"] == 1 and counts["entries"] == 7
    assert load_evaluation_demo() == {"sets": 0, "series": 0, "entries": 0}  # idempotent
    copub = _values(series.COPUB)
    assert len({p for _, p in copub if p}) == 10  # the ten largest partners of 2023
    assert all(v % 10 == 0 for v in copub.values())  # rounded, not the dataset's figures
    assert SeriesIndicator.objects.get(code="tech-alliances").values.count() == 6
    cs = CriteriaSet.objects.get(code=SET_CODE)
    assert [c.code for c in cs.criteria.all()] == [
        "relevance",
        "coherence",
        "effectiveness",
        "efficiency",
        "impact",
        "sustainability",
    ]
    overall = evaluation.evaluate(cs)
    efficiency = next(c for c in overall.criteria if c.criterion.code == "efficiency")
    days = next(i for i in efficiency.indicators if i.indicator.code == "thoi-gian-tham-dinh")
    assert days.score.formula == "30 / 38 × 100"  # lower is better
    kr = evaluation.evaluate(cs, Scope(country="KR"))
    impact = next(c for c in kr.criteria if c.criterion.code == "impact")
    copubs = next(i for i in impact.indicators if i.indicator.code == "cong-bo-quoc-te")
    years = {2020, 2021, 2022, 2023}
    assert copubs.value.value == sum(
        float(v) for (y, p), v in copub.items() if p == "KR" and y in years
    )


def test_an_import_keeps_the_values_officers_entered(
    data: Path, admin: Any, taxonomy: Any, capsys: Any
) -> None:
    from caunoi.accounts.models import AuditEvent
    from caunoi.reporting.evaluation import series_value_save

    series.ensure_catalog()
    indicator = SeriesIndicator.objects.get(code=series.COPUB)
    series_value_save(
        user=admin,
        indicator=indicator,
        year="2023",
        partner="KR",
        value="155",
        source="Báo cáo của Bộ",
        note="Đã đối chiếu",
    )
    call_command("import_openalex", str(data))
    kept = SeriesValue.objects.get(indicator=indicator, year=2023, partner="KR")
    assert (kept.value, kept.origin, kept.source) == (155, "entered", "Báo cáo của Bộ")
    assert _values(series.COPUB)[(2022, "KR")] == 120  # the rest is imported
    assert "Giữ 1 giá trị do cán bộ nhập" in capsys.readouterr().out
    event = AuditEvent.objects.filter(action="import").latest("pk")
    assert event.changes["kept_entered"] == [[series.COPUB, 2023, "KR"]]
    call_command("import_openalex", str(data), "--replace-entered")
    replaced = SeriesValue.objects.get(indicator=indicator, year=2023, partner="KR")
    assert (replaced.value, replaced.origin) == (150, "imported")
    event = AuditEvent.objects.filter(action="import").latest("pk")
    assert event.changes["replaced_entered"] == [[2023, "KR", "155.00", "Báo cáo của Bộ"]]
