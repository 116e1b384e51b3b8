"""Two sources that say the same thing support an answer; they do not cancel each other.

The documents here are written by the tests: two reports that quote one decision's title in
near-identical sentences. Asked what the decision approved, the assistant answers with both
loaded as it does with either alone: a sentence of another passage that says what the lead
says agrees with it, it is no rival in the answerability check's margin
(``kbanswer.check_inputs``). The same holds for the demo documents together with the seeds
(where ../shared/seeds exists)."""

from __future__ import annotations

import glob
from typing import Any

import pytest
from django.core.management import call_command

from caunoi.kb.assistant import ask
from caunoi.kb.demo import load_kb_demo
from caunoi.kb.ingest import ingest
from caunoi.kb.services import documents_upload
from support import shared_path

pytestmark = pytest.mark.django_db

TITLE = (
    "Chương trình “Phát triển mạng lưới phòng thí nghiệm chung với đối tác nước ngoài "
    "trong lĩnh vực vật liệu và năng lượng, giai đoạn đến năm 2030”"
)
FIRST = f"""BÁO CÁO

Kết quả thực hiện Chương trình phòng thí nghiệm chung năm 2025

Thực hiện Quyết định số 2468/QĐ-TTg ngày 15 tháng 6 năm 2021 của Thủ tướng Chính phủ phê \
duyệt {TITLE}, các viện nghiên cứu đã ký kết thỏa thuận với đối tác và cử cán bộ tham gia.

Trong năm 2025, ba phòng thí nghiệm chung được thành lập tại Hà Nội, Đà Nẵng và Cần Thơ.

Kinh phí thực hiện được bố trí từ nguồn sự nghiệp khoa học và công nghệ.
"""
SECOND = f"""BÁO CÁO

Sơ kết ba năm triển khai hợp tác phòng thí nghiệm

Quyết định số 2468/QĐ-TTg ngày 15/6/2021 của Thủ tướng Chính phủ phê duyệt {TITLE} là căn cứ \
để các bộ, ngành và địa phương xây dựng kế hoạch hằng năm.

Các đơn vị đề nghị tăng cường trao đổi chuyên gia và chia sẻ thiết bị dùng chung.
"""
QUESTIONS = (
    "Quyết định 2468/QĐ-TTg phê duyệt chương trình gì?",
    "Quyết định số 2468/QĐ-TTg phê duyệt Chương trình nào?",
)


def _load(units: Any, *files: tuple[str, str]) -> None:
    for name, text in files:
        [result] = documents_upload(
            user=None,
            files=[(name, text.encode())],
            audience="staff",
            owner_unit=units["htqt"],
            run=ingest,
        )
        assert result.created == 1


@pytest.mark.parametrize(
    "files",
    [("first",), ("second",), ("first", "second")],
    ids=["first alone", "second alone", "both"],
)
def test_two_sources_saying_the_same_thing_support_the_answer(
    units: Any, owner: Any, files: tuple[str, ...]
) -> None:
    texts = {"first": ("bao-cao-ptn-2025.txt", FIRST), "second": ("so-ket-ptn.txt", SECOND)}
    _load(units, *(texts[f] for f in files))
    for question in QUESTIONS:
        reply = ask(owner, question)
        assert not reply.abstained, (files, question)
        assert "phòng thí nghiệm chung với đối tác nước ngoài" in reply.answer


def test_the_demo_documents_and_the_seeds_together_answer_decision_1851(
    units: Any, owner: Any
) -> None:
    folder = shared_path("seeds")
    load_kb_demo()
    call_command("ingest", *sorted(glob.glob(f"{folder}/*")), "--audience", "staff")
    for question in (
        "Quyết định 1851/QĐ-TTg phê duyệt đề án gì?",
        "Quyết định số 1851/QĐ-TTg phê duyệt Đề án nào?",
    ):
        reply = ask(owner, question)
        assert not reply.abstained, question
        assert "chuyển giao, làm chủ và phát triển công nghệ" in reply.answer
