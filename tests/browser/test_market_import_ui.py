"""The officers' import of technology offers in a real headless Chromium: a file with one bad
row is refused with a report naming the row and the column, and nothing is saved; fixed,
"check only" writes nothing; imported, the offers are on the marketplace's search. A file
above the background threshold (lowered here) is followed on its progress page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from support import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "title_vi,summary_vi,trl,country,cooperation\n"
GOOD = (
    "Máy sấy lạnh thanh long,Sấy lạnh giữ màu và vitamin cho trái cây xuất khẩu,6,KR,licence\n"
    "Cảm biến độ mặn ao tôm,Đo độ mặn liên tục và cảnh báo qua điện thoại,5,JP,technical\n"
)
BAD_ROW = "Pin natri-ion lưu trữ điện mặt trời,Pin giá rẻ cho hộ gia đình,12,KR,licence\n"
FIXED_ROW = "Pin natri-ion lưu trữ điện mặt trời,Pin giá rẻ cho hộ gia đình,4,KR,licence\n"


def upload(page: Any, name: str, text: str, button: str) -> None:
    page.set_input_files(
        "#import-file", files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.click(button)
    page.wait_for_load_state()


def test_import_refused_checked_then_imported_and_searchable(
    page: Any, live_server: Any, owner: Any, taxonomy: Any, settings: Any
) -> None:
    from caunoi.jobs.models import Job
    from caunoi.market.models import TechnologyOffer

    page.set_default_timeout(30_000)  # the first page of a live server, on a busy machine
    sign_in(page, live_server, "owner", "pw-owner-123")
    page.goto(f"{live_server.url}/market/offers/import/")
    assert page.locator("#import-empty").is_visible()
    # One bad row (TRL 12): the report names row 4 and the column trl; nothing is saved.
    upload(page, "chao-ban.csv", HEADER + GOOD + BAD_ROW, "#import-submit")
    report = page.locator("#import-report")
    assert report.locator("h2").inner_text() == "1 lỗi — không có dữ liệu nào được nhập"
    cells = [
        [c.strip() for c in row.locator("td").all_inner_texts()]
        for row in report.locator("tbody tr").all()
    ]
    assert [row[:2] for row in cells] == [["4", "trl"]], cells
    assert TechnologyOffer.objects.count() == 0
    # Fixed: "check only" passes and still writes nothing.
    upload(page, "chao-ban.csv", HEADER + GOOD + FIXED_ROW, "#import-check")
    assert page.locator("#import-done").inner_text().startswith("Kiểm tra đạt: 3 dòng")
    assert TechnologyOffer.objects.count() == 0
    # Imported: published, and found by the marketplace's search.
    upload(page, "chao-ban.csv", HEADER + GOOD + FIXED_ROW, "#import-submit")
    assert page.locator("#import-done").inner_text().startswith("Đã nhập xong: 3 hồ sơ")
    assert TechnologyOffer.objects.filter(status="published").count() == 3
    page.goto(f"{live_server.url}/market/")
    page.fill("#market-search input[name=q]", "thanh long")
    page.click("#market-search button[type=submit]")
    page.wait_for_url(re.compile(r"/market/\?q="))
    found = page.locator("ul.results").first.inner_text()
    assert "Máy sấy lạnh thanh long" in found and "Cảm biến độ mặn" not in found
    page.fill("#market-search input[name=q]", "độ mặn")
    page.click("#market-search button[type=submit]")
    page.wait_for_load_state()
    assert "Cảm biến độ mặn ao tôm" in page.locator("ul.results").first.inner_text()
    # Above the background threshold (lowered to 2 rows): the import is a job, followed on
    # its progress page until its report is ready.
    settings.CAUNOI_IMPORT_BACKGROUND_ROWS = 2
    page.goto(f"{live_server.url}/market/offers/import/")
    more = (
        "Robot hái chè,Robot hái chè búp cho đồi dốc,5,JP,joint_venture\n"
        "Màng lọc nước nhiễm mặn,Màng lọc thẩm thấu ngược cho vùng ven biển,6,KR,licence\n"
        "Phân bón vi sinh từ rơm,Ủ rơm thành phân bón hữu cơ trong ba tuần,7,KR,technical\n"
    )
    upload(page, "them.csv", HEADER + more, "#import-submit")
    page.wait_for_url(re.compile(r"/market/offers/import/\?job=\d+$"))
    job = page.locator("#import-job")
    assert job.locator("#import-job-state").inner_text() == "Hoàn thành"
    assert job.locator("#import-job-done").inner_text().startswith("Đã nhập xong: 3 hồ sơ")
    imported = Job.objects.get(kind__endswith="import_market_task")
    assert (imported.state, imported.done, imported.total) == ("succeeded", 3, 3)
    assert TechnologyOffer.objects.filter(status="published").count() == 6
