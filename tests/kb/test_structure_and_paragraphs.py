"""Reading documents end to end: a normative document's passages carry their chapter and
section (in the passages, on the document page and in the assistant's citations), and a
blank line of a hard-wrapped text ends its paragraph (a subject line stays apart from the
text it heads) while the question about it is still answered."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caunoi.kb import services
from caunoi.kb.assistant import ask
from caunoi.kb.models import Document, State

pytestmark = pytest.mark.django_db

REGULATION = "\n\n".join(
    [
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
        "Số: 77/QĐ-BKHCN",
        "Hà Nội, ngày 4 tháng 4 năm 2025",
        "QUYẾT ĐỊNH",
        "Ban hành Quy chế hợp tác về quan trắc Velmorit",
        "Chương I",
        "QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi điều chỉnh",
        "Quy chế này quy định việc hợp tác quốc tế về quan trắc Velmorit.",
        "Chương II",
        "HỢP TÁC SONG PHƯƠNG",
        "Mục 1",
        "ĐOÀN RA",
        "Điều 2. Hồ sơ đoàn ra",
        "1. Hồ sơ đoàn ra gồm công văn đề nghị và chương trình làm việc.",
        "2. Đoàn ra quan trắc Velmorit phải được Vụ trưởng Vụ Hợp tác quốc tế phê duyệt "
        "trước 20 ngày làm việc.",
        "Mục 2",
        "ĐOÀN VÀO",
        "Điều 3. Đón đoàn vào",
        "Đơn vị chủ trì đón đoàn vào và báo cáo kết quả trong 10 ngày.",
    ]
)

# A decision's text saved from a PDF: hard-wrapped lines, a blank line between paragraphs,
# a subject line ("V/v …", no full stop) before the text it heads.
REPORT = """CỤC THÔNG TIN KHOA HỌC VÀ CÔNG NGHỆ QUỐC GIA

Số: 31/BC-CTT

V/v báo cáo tình hình thực hiện Quyết định số 2417/QĐ-TTg ngày 5/6/2021 của Chính phủ

Thực hiện Quyết định số 2417/QĐ-TTg ngày 5/6/2021 của Thủ tướng Chính phủ phê duyệt
Đề án “Phát triển mạng lưới trạm quan trắc Velmorit ven biển đến năm 2030”, Cục đã
phối hợp với các địa phương triển khai nhiều nhiệm vụ trong năm 2024 và đạt được các
kết quả chủ yếu như sau.

Một là, hoàn thành lắp đặt 12 trạm quan trắc tại các tỉnh ven biển miền Trung và đưa
vào vận hành thử nghiệm từ tháng 9 năm 2024 với sự hỗ trợ của các chuyên gia quốc tế
đến từ Nhật Bản và Hàn Quốc trong khuôn khổ các dự án hợp tác song phương đã ký.

Hai là, tổ chức 3 khóa đào tạo cho cán bộ kỹ thuật của các địa phương về vận hành và
bảo dưỡng trạm quan trắc, với tổng số 140 lượt học viên tham gia trong năm vừa qua.
"""


def _ingest(user: Any, name: str, text: str) -> Document:
    [result] = services.documents_upload(
        user=user, files=[(name, text.encode())], audience="public"
    )
    assert not result.error
    doc = Document.objects.get(pk=result.document.pk)
    assert doc.state == State.READY, doc.error
    return doc


def test_passages_citations_and_the_page_carry_chapter_and_section(admin: Any) -> None:
    doc = _ingest(admin, "quy-che-77.txt", REGULATION)
    labels = {p.label for p in doc.passages.all()}
    assert {
        "Chương I, Điều 1",
        "Chương II, Mục 1, Điều 2 khoản 1",
        "Chương II, Mục 1, Điều 2 khoản 2",
        "Chương II, Mục 2, Điều 3",
    } <= labels
    clause = doc.passages.get(label="Chương II, Mục 1, Điều 2 khoản 2")
    assert "20 ngày làm việc" in clause.text
    page = Client().get(doc.get_absolute_url()).content.decode()
    assert "Chương II, Mục 1, Điều 2 khoản 2" in page
    reply = ask(admin, "Đoàn ra quan trắc Velmorit phải được ai phê duyệt trước bao nhiêu ngày?")
    assert not reply.abstained
    assert reply.citations[0].label == "Chương II, Mục 1, Điều 2 khoản 2"
    assert "20 ngày" in reply.answer
    data = reply.as_json()
    assert data["citations"][0]["document"] == doc.pk


def test_a_blank_line_ends_the_subject_line_and_the_question_is_still_answered(
    admin: Any,
) -> None:
    doc = _ingest(admin, "bao-cao-31.txt", REPORT)
    # the subject line is a paragraph of its own; the wrapped lines after it are one
    assert "của Chính phủ\n\nThực hiện Quyết định số 2417/QĐ-TTg" in doc.clean_text
    assert (
        "của Thủ tướng Chính phủ phê duyệt Đề án “Phát triển mạng lưới trạm quan trắc Velmorit "
        "ven biển đến năm 2030”, Cục đã phối hợp" in doc.clean_text
    )
    assert "song phương đã ký.\n\nHai là" in doc.clean_text
    for question in (
        "Quyết định 2417/QĐ-TTg phê duyệt đề án gì?",
        "Quyết định số 2417/QĐ-TTg phê duyệt Đề án nào?",
    ):
        reply = ask(admin, question)
        assert not reply.abstained, question
        assert "Phát triển mạng lưới trạm quan trắc Velmorit ven biển" in reply.answer
        assert reply.citations[0].document == doc.pk
