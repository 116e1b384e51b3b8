"""Amounts with mixed decimal conventions, percentages and dates (snippets from the seeds)."""

from __future__ import annotations

import pytest

from vntext.amounts import find_amounts, parse_number
from vntext.dates import find_dates


@pytest.mark.parametrize(
    ("snippet", "value", "unit", "currency", "amount"),
    [
        ("tổng hạn mức lên tới 50.000 tỷ đồng", 50000, "tỷ", "VND", 5e13),
        ("tổng số vốn đầu tư là: 17,779,119 triệu USD.", 17779.119, "triệu", "USD", 17779.119e6),
        ("đạt 3,240 tỷ đồng, chiếm", 3240, "tỷ", "VND", 3.24e12),
        ("với tổng kinh phí là 1,557 triệu đồng;", 1557, "triệu", "VND", 1.557e9),
        ("tổng kinh phí 30,7 tỷ đồng", 30.7, "tỷ", "VND", 30.7e9),
        ("đã báo cáo kết quả thực hiện, chiếm 85,4%.", 85.4, "%", "", 0.854),
        ("trị giá 10 triệu USD", 10, "triệu", "USD", 1e7),
        ("với tổng kinh phí gần 117 tỷ đồng;", 117, "tỷ", "VND", 1.17e11),
        ("giá 500.000đ một bộ", 500000, "", "VND", 5e5),
        ("khoảng 10 nghìn lượt khách", 10, "nghìn", "", 1e4),
        ("US$2.5 million", 2.5, "million", "USD", 2.5e6),
        ("Hoa_Kỳ tài_trợ 2 triệu đô_la Mỹ", 2, "triệu", "USD", 2e6),
    ],
)
def test_amounts(snippet: str, value: float, unit: str, currency: str, amount: float) -> None:
    found = find_amounts(snippet)
    assert len(found) == 1, found
    a = found[0]
    assert a.value == pytest.approx(value)
    assert (a.unit, a.currency) == (unit, currency)
    assert a.amount == pytest.approx(amount)
    assert snippet[a.start : a.end] == a.text


def test_qualifier_is_kept() -> None:
    (a,) = find_amounts("với tổng kinh phí gần 117 tỷ đồng")
    assert a.text == "gần 117 tỷ đồng" and a.qualifier == "gần"


def test_mixed_conventions_in_one_sentence() -> None:
    found = find_amounts("đạt 3,240 tỷ đồng, chiếm tỷ trọng 6,21% GRDP của tỉnh")
    assert [a.value for a in found] == [3240, 6.21]


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1.000.000", 1e6), ("0,500", 0.5), ("4.0", 4.0)],
)
def test_parse_number(raw: str, value: float) -> None:
    assert parse_number(raw) == value


def test_plain_numbers_are_not_amounts() -> None:
    assert find_amounts("năm 2020 đã có 70/82 đơn vị, 1039 dự án FDI, giai đoạn 2011 - 2020") == []


@pytest.mark.parametrize(
    ("snippet", "iso"),
    [
        ("ngày 27/12/2018 của", "2018-12-27"),
        ("Quyết_định số 418/QĐ-TTg , ngày 11-4-2012 ,", "2012-04-11"),
        ("ngày 27 tháng 12 năm 2018 của Thủ tướng", "2018-12-27"),
        ("tính đến hết tháng 07/2020, trên địa bàn", "2020-07"),
        ("Bộ Khoa học và Công nghệ16/07/2025", "2025-07-16"),
    ],
)
def test_dates(snippet: str, iso: str) -> None:
    (d,) = find_dates(snippet)
    assert d.date == iso
    assert snippet[d.start : d.end] == d.text


def test_not_dates() -> None:
    assert find_dates("70/82 đơn vị, 31/02/2020, 01/2014/TT-BGDĐT, 2011 - 2020, 3.2.5.") == []
