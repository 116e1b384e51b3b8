"""Countries and organisations recognised from the gazetteer, on text from the seeds."""

from __future__ import annotations

from vntext.entities import find_countries, find_organizations


def isos(text: str) -> list[str]:
    return [c.iso2 for c in find_countries(text)]


def test_official_transliterations_and_common_names() -> None:
    text = "điển hình với EPO, Hoa_Kỳ , Ô-xtrây-li-a , Nga , Xin-ga-po , Lào ... và Úc, Mỹ"
    assert isos(text) == ["US", "AU", "RU", "SG", "LA", "AU", "US"]
    assert isos("các nước Nhật Bản, Hàn \nQuốc, Trung Quốc, Đức, Italia, Mỹ") == [
        "JP",
        "KR",
        "CN",
        "DE",
        "IT",
        "US",
    ]
    assert isos("Vietnam's R&D organizations and the Republic of Korea") == ["VN", "KR"]


def test_ambiguous_short_names_in_context() -> None:
    assert isos("Chương trình tiếng Anh thực hành") == []
    assert isos("ông Nguyễn Minh Đức và bà Trần Thị Nga") == []
    assert isos("hợp tác với Hội đồng Anh") == ["GB"]
    assert isos("với Pháp, ký Biên bản ghi nhớ") == ["FR"]


def test_organisations_with_acronyms() -> None:
    text = (
        "Việt Nam đã tham gia Hiệp hội các Quốc gia Đông Nam Á (ASEAN), Diễn đàn Hợp tác "
        "kinh tế Châu Á - Thái Bình Dương (APEC), Tổ chức Thương mại Thế giới (WTO)."
    )
    found = find_organizations(text)
    assert [o.key for o in found] == ["asean", "apec", "wto"]
    assert found[0].text == "Hiệp hội các Quốc gia Đông Nam Á (ASEAN)"
    assert found[0].acronym == "ASEAN"
    keys = [o.key for o in find_organizations("KISTI, KIAT của Hàn Quốc; IPI của Singapore")]
    assert keys == ["kisti", "kiat", "ipi-singapore"]


def test_ambiguous_acronyms_need_their_name() -> None:
    assert [o.key for o in find_organizations("đổi mới toàn diện công tác HTQT")] == []
    assert [o.key for o in find_organizations("làm việc với Vụ HTQT")] == ["most-htqt"]
    assert [o.key for o in find_organizations("chứng nhận ISO 9001:2015")] == []
    assert [o.key for o in find_organizations("công nghệ CAS được hoàn thiện")] == []


def test_uppercase_headings_match() -> None:
    (o,) = find_organizations("BỘ KHOA HỌC VÀ CÔNG NGHỆ")
    assert o.key == "most"


def test_iso3_codes_in_upper_case_only() -> None:
    assert isos("đối tác: KOR, JPN và VNM") == ["KR", "JP", "VN"]
    assert isos("SCIENCE AND TECHNOLOGY, we CAN") == []
