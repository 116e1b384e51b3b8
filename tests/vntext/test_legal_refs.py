"""Legal references: every reference in the five seeds, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vntext.legal import find_legal_refs, parse_number

DATA = Path(__file__).resolve().parent / "data"


def test_all_seed_references_found_exactly(seed_texts: dict[str, str]) -> None:
    gold = json.loads((DATA / "legal_refs_gold.json").read_text(encoding="utf-8"))
    assert set(gold) == set(seed_texts)
    for name, text in seed_texts.items():
        got = [
            {
                "start": r.start,
                "end": r.end,
                "kind": r.kind,
                "number": r.number,
                "issuer": r.issuer,
                "year": r.year,
                "date": r.date,
            }
            for r in find_legal_refs(text)
        ]
        assert got == gold[name], name
        for r in find_legal_refs(text):
            assert text[r.start : r.end] == r.text


@pytest.mark.parametrize(
    ("snippet", "kind", "number", "issuer", "year", "date"),
    [
        (
            "Quyết định số 1851/QĐ-TTg ngày 27 tháng 12 năm 2018 của Thủ tướng",
            "Quyết định",
            "1851/QĐ-TTg",
            "TTg",
            2018,
            "2018-12-27",
        ),
        (
            "Nghị_quyết số 20-NQ / TW , ngày 31-10-2012",
            "Nghị quyết",
            "20-NQ/TW",
            "TW",
            2012,
            "2012-10-31",
        ),
        (
            "Thông tư số 01/2014/TT-BGDĐT ngày 24/01/2014",
            "Thông tư",
            "01/2014/TT-BGDĐT",
            "BGDĐT",
            2014,
            "2014-01-24",
        ),
        (
            "Công văn số 6089/BGDĐT-GDTX ngày 27/10/2014",
            "Công văn",
            "6089/BGDĐT-GDTX",
            "BGDĐT",
            2014,
            "2014-10-27",
        ),
        (
            "(Hướng dẫn số 05/HD-SKHCN ngày 09/10/2020)",
            "Hướng dẫn",
            "05/HD-SKHCN",
            "SKHCN",
            2020,
            "2020-10-09",
        ),
        (
            "Quyết định số 36/2016/QĐ-\n\nUBND ngày 08/11/2016",
            "Quyết định",
            "36/2016/QĐ-UBND",
            "UBND",
            2016,
            "2016-11-08",
        ),
        (
            "Chương trình hành động số 43-CTr/TU ngày 18/9/2020",
            "Chương trình hành động",
            "43-CTr/TU",
            "TU",
            2020,
            "2020-09-18",
        ),
        (
            "(Quyết định số \n\n171/QĐ-LĐTBXH ngày 14/02/2020)",
            "Quyết định",
            "171/QĐ-LĐTBXH",
            "LĐTBXH",
            2020,
            "2020-02-14",
        ),
        ("theo Nghị định 08/2014/NĐ-CP", "Nghị định", "08/2014/NĐ-CP", "CP", 2014, None),
        ("Luật số 29/2013/QH13", "Luật", "29/2013/QH13", "QH13", 2013, None),
        (
            "căn cứ 15/2020/QĐ-UBND ngày 23/04/2020",
            "Quyết định",
            "15/2020/QĐ-UBND",
            "UBND",
            2020,
            "2020-04-23",
        ),
        (
            "Quyết định ngày 27/12/2018 của Thủ tướng Chính phủ",
            "Quyết định",
            "",
            "TTg",
            2018,
            "2018-12-27",
        ),
        (
            "Theo tinh thần của Nghị quyết Trung \n\nương 6 khóa XI",
            "Nghị quyết",
            "",
            "TW",
            None,
            None,
        ),
        ("theo Đề án 1851 của Thủ tướng", "Đề án", "1851", "", None, None),
    ],
)
def test_reference_shapes(
    snippet: str, kind: str, number: str, issuer: str, year: int | None, date: str | None
) -> None:
    refs = find_legal_refs(snippet)
    assert len(refs) == 1, refs
    r = refs[0]
    assert (r.kind, r.number, r.issuer, r.year, r.date) == (kind, number, issuer, year, date)
    assert snippet[r.start : r.end] == r.text


@pytest.mark.parametrize(
    "snippet",
    [
        "năm 2020 đã có 70/82 đơn vị gửi báo cáo",
        "Chiến lược phát triển kinh tế - xã hội 2011 - 2020",
        "tính đến hết tháng 07/2020, có 1039 dự án FDI",
        "Kế hoạch 5 năm 2016 - 2020 và Chương trình 10 năm",
        "ngày 27/12/2018 Bộ trưởng làm việc với Vụ HTQT",
        "Quyết định này có hiệu lực từ ngày ký.",
        "khung năng lực ngoại ngữ 6 bậc, TEIN4/APAN, COVID-19, ISO 9001:2015",
        "Luật chơi công nghệ toàn cầu năm 2025",
    ],
)
def test_no_false_positives(snippet: str) -> None:
    assert find_legal_refs(snippet) == []


def test_parse_number() -> None:
    p = parse_number("20-NQ / TW")
    assert (p.number, p.type_code, p.issuer, p.year) == ("20-NQ/TW", "NQ", "TW", None)
    p = parse_number("18/2016/NQ-HĐND")
    assert (p.type_code, p.issuer, p.year) == ("NQ", "HĐND", 2016)


def test_laws_named_by_title_and_year() -> None:
    refs = find_legal_refs("theo Luật Khoa học và Công nghệ năm 2013 và Bộ luật Lao động năm 2019.")
    assert [(r.kind, r.title, r.year, r.issuer) for r in refs] == [
        ("Luật", "Khoa học và Công nghệ", 2013, "QH"),
        ("Bộ luật", "Lao động", 2019, "QH"),
    ]
    assert find_legal_refs("Luật Đầu tư có hiệu lực từ năm 2021; để Luật và Chiến lược") == []


def test_titled_laws_with_numbers() -> None:
    (ref,) = find_legal_refs("theo Luật Sở hữu trí tuệ số 50/2005/QH11 ngày 29/11/2005.")
    assert (ref.kind, ref.title, ref.number, ref.issuer, ref.year, ref.date) == (
        "Luật",
        "Sở hữu trí tuệ",
        "50/2005/QH11",
        "QH11",
        2005,
        "2005-11-29",
    )
    assert ref.text.startswith("Luật Sở hữu trí tuệ")


@pytest.mark.parametrize(
    ("text", "issuer", "date"),
    [
        ("Thực hiện Nghị quyết của Bộ Chính trị ngày 22 tháng 3 năm 2018 về", "TW", "2018-03-22"),
        ("theo Chỉ thị ngày 11-4-2012 của Thủ tướng Chính phủ,", "TTg", "2012-04-11"),
    ],
)
def test_numberless_mentions_identified_by_date_and_issuer(
    text: str, issuer: str, date: str
) -> None:
    (ref,) = find_legal_refs(text)
    assert ref.number == "" and ref.issuer == issuer and ref.date == date
    assert text[ref.start : ref.end].startswith(ref.kind)
    assert ref.text.endswith(("2018", "Chính phủ"))


def test_kind_with_only_an_issuer_is_not_a_reference() -> None:
    assert find_legal_refs("các nghị quyết của Chính phủ về khoa học") == []
