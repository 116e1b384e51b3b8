"""A campaign's "Indicators" page: every measured indicator aggregated overall, by unit type,
by region and campaign by campaign over the template's yearly campaigns, for the officers
over every unit and for a unit over its own answers; its CSV and charts; and the home
dashboard's charts of the latest campaign and of the national series."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

from support import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_year(filled: Any, admin: Any, other: Any, ministry: Any, units: dict[str, Any]) -> Any:
    """The template's campaign of the next year: only Hà Nội sent (8 contracts, 90 %, two
    tasks costing 100 and 50)."""
    from caunoi.reporting.services import campaign_create
    from reporting.conftest import send

    campaign = campaign_create(
        user=admin,
        template_version=filled.template_version,
        title_vi="Báo cáo thử năm 2031",
        period_start=dt.date(2031, 1, 1),
        period_end=dt.date(2031, 12, 31),
        opens_on=dt.date(2031, 11, 1),
        deadline=dt.date(2031, 12, 15),
        timely_days=5,
        units=[units["hanoi"], ministry],
    )
    send(
        other,
        campaign.units.get(code="ha-noi").submissions.get(kind="report"),
        {
            "tom-tat": "Năm sau.",
            "so-hop-dong": 8,
            "ty-le": 90,
            "co-ke-hoach": True,
            "nhiem-vu": [{"ten": "Hội thảo", "kinh-phi": 100}, {"ten": "Đoàn ra", "kinh-phi": 50}],
        },
    )
    return campaign


def _rows(html: str, table: str) -> dict[str, list[str]]:
    """A page table's rows by their ``data-indicator``: the text of each cell."""
    import re

    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    out = {}
    for code, row in re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', body, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        out[code] = [re.sub(r"<[^>]+>", "", c).strip() for c in cells]
    return out


def test_the_officers_see_every_units_aggregates_and_the_trend(
    filled: Any, next_year: Any, owner: Any
) -> None:
    page = login(owner).get(f"/reporting/{filled.pk}/indicators/")
    assert page.status_code == 200
    html = page.content.decode()
    rows = _rows(html, "indicators")
    # narrative texts are not aggregated; a table is one row per number column
    assert set(rows) == {"so-hop-dong", "ty-le", "co-ke-hoach", "muc-do", "nhiem-vu.kinh-phi"}
    # label, rule, answers, all units, ministry, province, 2030, 2031
    contracts = rows["so-hop-dong"]
    assert contracts[2:] == [
        "2",
        "10 hợp đồng",
        "6 hợp đồng",
        "4 hợp đồng",
        "10 hợp đồng",
        "8 hợp đồng",
    ]
    assert rows["ty-le"][3:] == ["60%", "70%", "50%", "60%", "90%"]
    assert rows["co-ke-hoach"][3] == "1"  # one "yes"
    assert rows["muc-do"][3] == "Tốt: 2"
    # no table rows sent in 2030; 2031's two rows summed
    assert rows["nhiem-vu.kinh-phi"][2:4] == ["0", "0"] and rows["nhiem-vu.kinh-phi"][-1] == "150"
    regions = _rows(html, "indicators-regions")
    assert regions["so-hop-dong"][1:] == ["6 hợp đồng", "4 hợp đồng"]  # central, Red River delta
    # the ministry's draft correction (1000) does not count: what was sent does


def test_a_unit_sees_only_its_own_answers_aggregated(
    filled: Any, next_year: Any, other: Any
) -> None:
    html = login(other).get(f"/reporting/{filled.pk}/indicators/").content.decode()
    assert "chỉ tổng hợp câu trả lời của đơn vị bạn" in html
    rows = _rows(html, "indicators")
    assert rows["so-hop-dong"][2:] == [
        "1",
        "4 hợp đồng",
        "—",
        "4 hợp đồng",
        "4 hợp đồng",
        "8 hợp đồng",
    ]


def test_the_page_is_denied_to_anonymous_and_outsiders(
    filled: Any, client: Any, make_outside: Any, viewer: Any
) -> None:
    url = f"/reporting/{filled.pk}/indicators/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client.get(f"{url}so-hop-dong/?chart=indicator-trend&format=csv").status_code == 302
    outsider = login(make_outside("enterprise", "dn"))
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"{url}?export=csv").status_code == 404
    # network staff of no unit read no submission: the page shows no figure
    rows = _rows(login(viewer).get(url).content.decode(), "indicators")
    assert rows["so-hop-dong"][2:4] == ["0", "0 hợp đồng"]
    assert login(viewer).get(f"/reporting/{filled.pk + 999}/indicators/").status_code == 404


def test_the_csv_has_every_indicator_with_every_breakdown(
    filled: Any, next_year: Any, admin: Any
) -> None:
    response = login(admin).get(f"/reporting/{filled.pk}/indicators/?export=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    head, rows = lines[0], {r[0]: r for r in lines[1:]}
    assert len(rows) == 5
    contracts = dict(zip(head, rows["so-hop-dong"], strict=True))
    # in the page's language, Vietnamese
    assert contracts["Số trả lời"] == "2" and contracts["Tất cả đơn vị"] == "10"
    assert contracts["Bộ, cơ quan trung ương"] == "6"
    assert contracts["Tỉnh, thành phố"] == "4"
    assert contracts["Đợt báo cáo 2030"] == "10" and contracts["Đợt báo cáo 2031"] == "8"
    assert dict(zip(head, rows["ty-le"], strict=True))["Tất cả đơn vị"] == "60"


def test_an_indicators_page_has_its_charts_and_their_downloads(
    filled: Any, next_year: Any, admin: Any
) -> None:
    client = login(admin)
    url = f"/reporting/{filled.pk}/indicators/so-hop-dong/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="indicator-overall">10 hợp đồng<' in html
    for key in ("indicator-trend", "indicator-by-unit-type", "indicator-by-region"):
        assert f'data-chart="{key}"' in html
        assert f"{url}?chart={key}&amp;format=svg" in html
    trend = client.get(f"{url}?chart=indicator-trend&format=csv").content.decode()
    assert trend.splitlines()[1:] == ["2030,10", "2031,8"]
    assert client.get(f"{url}?chart=indicator-by-region&format=png")["Content-Type"] == "image/png"
    assert client.get(f"{url}?chart=indicator-trend&format=svg").status_code == 200
    assert client.get(f"{url}?chart=nope&format=csv").status_code == 404
    assert client.get(f"/reporting/{filled.pk}/indicators/tom-tat/").status_code == 404  # text
    column = f"/reporting/{filled.pk}/indicators/nhiem-vu.kinh-phi/"
    trend = client.get(f"{column}?chart=indicator-trend&format=csv").content.decode()
    assert trend.splitlines()[1:] == ["2030,0", "2031,150"]


def test_units_removed_before_the_deadline_are_not_aggregated_even_once_cached(
    filled: Any, admin: Any
) -> None:
    from caunoi.reporting.indicators import campaign_indicators

    before = campaign_indicators(filled, admin).row("so-hop-dong")  # now in the cache
    assert before is not None and before.overall == 10
    bo = filled.units.get(code="bo-y-te")
    bo.removed_on = dt.date(2030, 12, 1)
    bo.save()
    data = campaign_indicators(filled, admin)  # the cached figures are not used
    contracts = data.row("so-hop-dong")
    assert contracts is not None and contracts.overall == 4 and contracts.answered == 1
    assert data.kinds == ["province"]


def test_many_indicators_are_paged_and_filtered(admin: Any, units: dict[str, Any]) -> None:
    from caunoi.reporting.services import campaign_create, template_version_create

    sections = [
        {
            "code": f"muc-{s}",
            "title_vi": f"Mục {s}",
            "indicators": [
                {"code": f"ct-{s}-{i}", "label_vi": f"Chỉ tiêu {s}.{i}", "kind": "number"}
                for i in range(20)
            ],
        }
        for s in range(3)
    ]
    version = template_version_create(code="nhieu", title_vi="Nhiều chỉ tiêu", sections=sections)
    campaign = campaign_create(
        user=admin,
        template_version=version,
        title_vi="Nhiều",
        period_start=dt.date(2030, 1, 1),
        period_end=dt.date(2030, 12, 31),
        opens_on=dt.date(2030, 11, 1),
        deadline=dt.date(2030, 12, 15),
        units=[units["hanoi"]],
    )
    client = login(admin)
    url = f"/reporting/{campaign.pk}/indicators/"
    first = _rows(client.get(url).content.decode(), "indicators")
    assert len(first) == 25 and "ct-0-0" in first
    last = client.get(f"{url}?page=3").content.decode()
    assert len(_rows(last, "indicators")) == 10
    section = _rows(client.get(f"{url}?section=muc-2").content.decode(), "indicators")
    assert set(section) == {f"ct-2-{i}" for i in range(20)}
    assert set(_rows(client.get(f"{url}?q=ct-1-1").content.decode(), "indicators")) == {
        "ct-1-1",
        *(f"ct-1-1{i}" for i in range(10)),
    }


def test_the_home_dashboard_shows_the_latest_campaigns_and_series_charts(
    filled: Any, next_year: Any, admin: Any
) -> None:
    from caunoi.reporting import series
    from caunoi.reporting.models_evaluation import SeriesOrigin, SeriesValue

    catalog = series.ensure_catalog()
    for year, value in ((2028, 10), (2029, 12), (2030, 15)):
        SeriesValue.objects.create(
            indicator=catalog[series.MOBILITY],
            year=year,
            value=Decimal(value),
            source="Hồ sơ đoàn ra",
            origin=SeriesOrigin.ENTERED,
        )
    client = login(admin)
    html = client.get("/").content.decode()
    latest = next_year  # opened before today, the newest deadline
    charts = html.split('id="latest-campaign-charts"', 1)[1].split("</div>\n</section>", 1)[0]
    for key in ("by-unit-type", "by-region"):
        assert f'data-chart="{key}"' in charts
        link = f"/reporting/{latest.pk}/?chart={key}&amp;format=csv"
        assert link in charts
        assert client.get(link.replace("&amp;", "&")).status_code == 200
    assert f"/reporting/{latest.pk}/indicators/" in charts
    kinds = client.get(f"/reporting/{latest.pk}/?chart=by-unit-type&format=csv").content.decode()
    assert "1,1" in kinds  # the province expected one and sent one (next year's campaign)
    key = f"series-{series.MOBILITY}"
    assert f'data-chart="{key}"' in html
    download = f"/reporting/evaluation/series/?chart={key}&format=csv"
    assert download.replace("&", "&amp;") in html
    assert client.get(download).content.decode().splitlines()[1:] == [
        "2028,10",
        "2029,12",
        "2030,15",
    ]


def test_the_query_count_does_not_grow_with_units_or_answers(filled: Any, admin: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caunoi.accounts.models import Unit
    from caunoi.reporting import services
    from reporting.conftest import send

    client = login(admin)
    url = f"/reporting/{filled.pk}/indicators/"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        unit = Unit.objects.create(code=f"tinh-{i}", name_vi=f"Tỉnh {i}", kind="province")
        services.campaign_unit_add(user=admin, campaign=filled, unit=unit)
        cu = filled.units.get(code=f"tinh-{i}")
        send(admin, cu.submissions.get(kind="report"), {"tom-tat": "Có", "so-hop-dong": i})
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(many) == len(few)
    assert _rows(page.content.decode(), "indicators")["so-hop-dong"][2:4] == ["8", "25 hợp đồng"]
