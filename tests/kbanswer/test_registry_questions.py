"""The registry-question parser: count/list intents, Vietnamese and English, with and without
diacritics, and questions it must leave to the documents."""

from __future__ import annotations

import pytest

from kbanswer import parse_registry_question


@pytest.mark.parametrize(
    "text",
    [
        "Việt Nam đã ký bao nhiêu hiệp định với Hàn Quốc?",
        "viet nam da ky bao nhieu hiep dinh voi han quoc",
        # "Viet Nam" is found without diacritics; the partner must be found too
        "Viet Nam da ky bao nhieu hiep dinh voi Han Quoc?",
        "Việt Nam đã ký bao nhiêu hiệp định với Han Quoc?",
        "How many agreements has Vietnam signed with South Korea?",
    ],
)
def test_count_agreements_with_a_country(text):
    i = parse_registry_question(text)
    assert i is not None
    assert (i.operation, i.entity, i.countries) == ("count", "agreements", ("KR",))


@pytest.mark.parametrize(
    "text", ["Which agreements expire in 2027?", "Các hiệp định nào hết hạn năm 2027?"]
)
def test_expiry_year(text):
    i = parse_registry_question(text)
    assert i is not None
    assert (i.operation, i.entity, i.date_field, i.year_from, i.year_to) == (
        "list",
        "agreements",
        "expires",
        2027,
        2027,
    )
    assert i.status == ""


@pytest.mark.parametrize(
    "text",
    [
        "Danh sách dự án ODA với Phần Lan",
        "danh sach du an oda voi phan lan",
        "List ODA projects with Finland",
    ],
)
def test_oda_projects_with_a_country(text):
    i = parse_registry_question(text)
    assert i is not None
    assert (i.operation, i.entity, i.kind, i.countries) == ("list", "projects", "oda", ("FI",))


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("Các thỏa thuận thực hiện Quyết định 1851/QĐ-TTg", "1851/QĐ-TTg"),
        ("cac thoa thuan thuc hien quyet dinh 1851/QD-TTg", "1851/QD-TTg"),
        ("Which agreements implement Decision 1851/QĐ-TTg?", "1851/QĐ-TTg"),
    ],
)
def test_legal_basis(text, basis):
    i = parse_registry_question(text)
    assert i is not None
    assert (i.entity, i.legal_basis) == ("agreements", basis)
    assert i.year_from is None  # the year-like part of a number is not a year


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("Có bao nhiêu đoàn ra năm 2025?", "out"),
        ("co bao nhieu doan vao nam 2025", "in"),
        ("How many outgoing delegations in 2025?", "out"),
        ("Có bao nhiêu đoàn công tác năm 2025?", ""),
    ],
)
def test_delegation_direction_and_year(text, direction):
    i = parse_registry_question(text)
    assert i is not None
    assert (i.entity, i.direction, i.year_from, i.year_to) == (
        "delegations",
        direction,
        2025,
        2025,
    )


def test_year_ranges_and_status():
    i = parse_registry_question("Có bao nhiêu dự án với Nhật Bản đang thực hiện từ 2020 đến 2024?")
    assert i is not None
    assert (i.operation, i.entity, i.status, i.countries) == (
        "count",
        "projects",
        "implementation",
        ("JP",),
    )
    assert (i.date_field, i.year_from, i.year_to) == ("starts", 2020, 2024)
    j = parse_registry_question("How many agreements were signed before 2010?")
    assert j is not None and (j.date_field, j.year_from, j.year_to) == ("signed", None, 2009)
    k = parse_registry_question("Danh sách hiệp định còn hiệu lực với Pháp")
    assert k is not None and (k.status, k.countries) == ("in_force", ("FR",))


@pytest.mark.parametrize(
    "text",
    [
        "Hiệp định với Hàn Quốc quy định gì về sở hữu trí tuệ?",
        "What does the agreement with Korea say about patents?",
        "Sinh viên có thể gửi đơn xin thôi học khi nào?",
        "Bao nhiêu vật thể trong hệ mặt trời được thu thập?",
        "Sinh viên có bao nhiêu nhiệm vụ trong học kỳ?",
        "Hàn Quốc",
        "",
    ],
)
def test_not_registry_questions(text):
    assert parse_registry_question(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Đoàn ra phải được ai phê duyệt trước bao nhiêu ngày?",
        "Hội nghị được tổ chức bao nhiêu lần mỗi năm?",
        "Dự án phải nộp báo cáo trong bao nhiêu ngày?",
        "Sự kiện nào đã xảy ra cách đây 66 triệu năm?",
        "Ai chịu trách nhiệm cho các dự án xây dựng mới ở Jacksonville?",
        "Khi nào Go trở thành dự án mã nguồn mở",
        "What must a project adhere to?",
    ],
)
def test_a_count_of_something_else_is_not_a_registry_count(text):
    assert parse_registry_question(text) is None


def test_cues_next_to_the_record_type():
    i = parse_registry_question("Hiệp định nào với Hàn Quốc hết hạn năm 2027?")
    assert i is not None and i.operation == "list" and i.countries == ("KR",)
    j = parse_registry_question("Có bao nhiêu dự án ODA với Phần Lan?")
    assert j is not None and (j.operation, j.kind) == ("count", "oda")
