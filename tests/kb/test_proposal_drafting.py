"""The drafting rules on wordings beyond the demo documents: English agreements, signing cues,
conditional entry into force, parties the registry lacks, project items run into one line."""

from __future__ import annotations

import datetime as dt

from caunoi.kb import drafting

TODAY = dt.date(2026, 12, 1)


def _values(text: str, **kw: object) -> dict[str, object]:
    found = drafting.draft(text, kind="other", today=TODAY, **kw)  # type: ignore[arg-type]
    assert found is not None
    return {name: p.value for name, p in found[1].items()}


def test_an_english_mou() -> None:
    v = _values(
        "MEMORANDUM OF UNDERSTANDING ON COOPERATION IN BIOTECHNOLOGY\n\n"
        "between the Vietnam Academy of Science and Technology and Lund University (Sweden)\n\n"
        "This Memorandum shall enter into force on the date of its signature and remain in "
        "force for a period of three (3) years. It shall be automatically renewed.\n\n"
        "Done at Lund this 2nd day of February 2026."
    )
    assert v["kind"] == "mou"
    assert v["signed_on"] == "2026-02-02" and v["signed_place"] == "Lund"
    assert v["effective_on"] == "2026-02-02" and v["expires_on"] == "2029-02-02"
    assert v["auto_renew"] is True and v["status"] == "in_force"
    assert v["vn_organizations"] == ["vast"]
    assert v["new_partners"] == [
        {
            "name": "Lund University",
            "country": "SE",
            "kind": "university",
            "field": "foreign_organizations",
        }
    ]


def test_signing_cue_with_the_place_after_and_an_expired_term() -> None:
    v = _values(
        "THỎA THUẬN HỢP TÁC\n\nGiữa Viện Hàn lâm Khoa học và Công nghệ Việt Nam và Viện "
        "Nghiên cứu Kỹ thuật Biển Na Uy\n\nThỏa thuận được ký ngày 05/01/2021 tại Oslo.\n\n"
        "Thỏa thuận có hiệu lực kể từ ngày ký và có giá trị 3 năm."
    )
    assert v["signed_on"] == "2021-01-05" and v["signed_place"] == "Oslo"
    assert v["expires_on"] == "2024-01-05"
    assert v["status"] == "expired"  # past its term, not renewed
    [new] = v["new_partners"]  # type: ignore[misc]
    assert new["name"] == "Viện Nghiên cứu Kỹ thuật Biển Na Uy"
    assert new["kind"] == "research_institute" and new["country"] == "NO"


def test_a_conditional_entry_into_force_gives_no_expiry() -> None:
    v = _values(
        "HIỆP ĐỊNH\n\nHợp tác khoa học và công nghệ giữa Chính phủ nước Cộng hòa xã hội chủ "
        "nghĩa Việt Nam và Chính phủ Cộng hòa Chi-lê\n\nHiệp định có hiệu lực kể từ ngày nhận "
        "được thông báo sau cùng và có giá trị 5 năm.\n\nLàm tại Santiago ngày 3 tháng 5 năm "
        "2024, bằng tiếng Việt, tiếng Tây Ban Nha và tiếng Anh."
    )
    assert v["kind"] == "intergovernmental" and v["signed_place"] == "Santiago"
    assert v["signed_on"] == "2024-05-03"
    assert "effective_on" not in v and "expires_on" not in v
    assert v["foreign_countries"] == ["CL"]  # not Spain: "tiếng Tây Ban Nha" is a language
    assert "new_partners" not in v


def test_a_registry_partner_by_its_english_name_or_qualified_name() -> None:
    registry = [
        ("lund-u", "Đại học Lund", "", "SE", ("Lund University",)),
        ("dst-x", "Bộ Khoa học Xứ Y", "", "IN", ("Department of Science and Technology (India)",)),
    ]
    v = _values(
        "MEMORANDUM OF UNDERSTANDING\n\nbetween the Vietnam Academy of Science and Technology "
        "and LUND UNIVERSITY and the Department of Science and Technology, Government of "
        "India\n\nSigned on March 3, 2025 in Hanoi.",
        registry_orgs=registry,
    )
    assert sorted(v["foreign_organizations"]) == ["dst-x", "lund-u"]  # type: ignore[arg-type]
    assert v["signed_on"] == "2025-03-03" and v["signed_place"] == "Hanoi"
    assert "new_partners" not in v


def test_project_items_run_into_one_line() -> None:
    text = (
        "QUYẾT ĐỊNH\n\nVề việc phê duyệt Văn kiện dự án viện trợ\n\n"
        "Căn cứ Nghị định số 114/2021/NĐ-CP về quản lý vốn ODA và vốn vay ưu đãi;\n\n"
        "Điều 1. Phê duyệt dự án: - Tên dự án: Xây dựng phòng thí nghiệm pin mặt trời - Nhà "
        "tài trợ: Quỹ Hợp tác Xanh Bắc Âu, Vương quốc Đan Mạch - Chủ dự án: Viện Năng lượng - "
        "Thời gian thực hiện: từ tháng 2/2025 đến tháng 1/2027 - Tổng kinh phí: 900.000 USD, "
        "trong đó vốn đối ứng 2.000.000.000 đồng.\n"
    )
    v = _values(text)
    assert v["title_vi"] == "Xây dựng phòng thí nghiệm pin mặt trời"
    assert v["kind"] == "oda"  # not "loan": the cited decree's title is not read for the kind
    assert v["planned_start"] == "2025-02-01" and v["planned_end"] == "2027-01-31"
    assert v["budget"] == "900000.00" and v["currency"] == "USD"
    assert v["lead_organization"] == "vien-nang-luong"
    [funder] = v["new_partners"]  # type: ignore[misc]
    assert funder["name"] == "Quỹ Hợp tác Xanh Bắc Âu" and funder["field"] == "funder"
    assert funder["kind"] == "fund" and funder["country"] == "DK"


def test_a_decision_that_only_mentions_an_approval_proposes_nothing() -> None:
    text = (
        "QUYẾT ĐỊNH\n\nVề việc cử cán bộ đi công tác\n\nĐiều 1. Cử 2 cán bộ đi Tokyo để "
        "trao đổi về việc phê duyệt dự án hợp tác.\n"
    )
    assert drafting.draft(text, kind="decision", today=TODAY) is None


def test_nested_field_phrases() -> None:
    v = _values(
        "BẢN GHI NHỚ\n\nVề hợp tác công nghệ sinh học\n\nHà Nội, ngày 1 tháng 2 năm 2025\n",
        field_names={"1.6": "Sinh học", "P12": "Công nghệ sinh học"},
    )
    assert v["fields"] == ["P12"]


def test_signed_on_the_nth_day_and_a_party_after_and_the() -> None:
    v = _values(
        "MEMORANDUM OF UNDERSTANDING\n\n"
        "between the Vietnam Academy of Science and Technology and the University of Leeds "
        "(United Kingdom)\n\nThis Memorandum shall enter into force on the date of its "
        "signature and remain in force for a period of five (5) years.\n\n"
        "Signed at Leeds on the 18th day of June 2025."
    )
    assert v["signed_on"] == "2025-06-18" and v["signed_place"] == "Leeds"
    assert v["expires_on"] == "2030-06-18" and v["status"] == "in_force"
    assert [p["name"] for p in v["new_partners"]] == ["University of Leeds"]  # type: ignore[attr-defined]
