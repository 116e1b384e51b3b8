"""Questions over the demo documents (written by the project, shipped with it), in
Vietnamese and English: the answer holds the fact the document states, a sentence that only
repeats the question's own number or code is never the answer, English questions are answered
through the lexicon with the same facts, the wording of a question
("gì" / "nào", with or without "số") does not flip it, and what the documents do not say is
abstained."""

from __future__ import annotations

import glob
from typing import Any

import pytest
from django.core.management import call_command

from caunoi.kb.assistant import ABSTAIN, ABSTAIN_EN, ask
from caunoi.kb.demo import load_kb_demo
from support import shared_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(units: Any, owner: Any) -> Any:
    load_kb_demo()
    return owner


def test_vietnamese_questions_are_answered_from_the_demo_documents(demo: Any) -> None:
    for question in (
        "Quyết định 112/QĐ-BKHCN thay thế quyết định nào?",
        "Quyết định số 112/QĐ-BKHCN thay thế quyết định nào?",
    ):
        reply = ask(demo, question)
        assert not reply.abstained, question
        assert "45/QĐ-BKHCN" in reply.answer
        assert reply.citations[0].label == "Điều 5 khoản 1"
    kist = ask(demo, "Bản ghi nhớ với KIST có giá trị trong thời hạn bao lâu?")
    assert not kist.abstained and "5 năm" in kist.answer


def test_english_questions_are_answered_from_the_demo_documents(demo: Any) -> None:
    # The lexicon (kbanswer/data/en_vi.tsv) carries the English words to the Vietnamese
    # documents: the same facts as the Vietnamese questions, in the documents' own words,
    # with the renderings of the question's words marked in the cited sentence.
    for question, fact, marked in (
        ("Which decision does Decision 112/QD-BKHCN replace?", "45/QĐ-BKHCN", "thay thế"),
        ("What is the budget of the IPP3 project?", "2.500.000 EUR", "kinh phí"),
        ("How long is the MoU with KIST valid?", "5 năm", "Bản ghi nhớ"),
    ):
        reply = ask(demo, question)
        assert not reply.abstained, question
        assert fact in reply.citations[0].quote, (question, reply.answer)
        first = reply.citations[0]
        marks = [first.quote[a:b] for a, b in first.highlights]
        assert any(marked in m for m in marks), (question, marks)
        assert "Mã số dự án" not in reply.answer and not reply.answer.startswith("Số:")


def test_the_wording_of_the_question_does_not_flip_the_answer(demo: Any) -> None:
    replies = [
        ask(demo, "Quyết định 1851/QĐ-TTg phê duyệt đề án gì?"),
        ask(demo, "Quyết định số 1851/QĐ-TTg phê duyệt Đề án nào?"),
    ]
    assert [r.abstained for r in replies] == [False, False]
    for reply in replies:
        assert "chuyển giao, làm chủ và phát triển công nghệ" in reply.answer


def test_a_sentence_that_only_repeats_the_question_s_number_is_no_answer(demo: Any) -> None:
    for question, fact in (
        ("Which decision does Decision 112/QD-BKHCN replace?", "45/QĐ-BKHCN"),
        ("What is the budget of the IPP3 project?", "2.500.000 EUR"),
        ("Dự án IPP3 có tổng kinh phí bao nhiêu?", "2.500.000 EUR"),
    ):
        reply = ask(demo, question)
        # answered with the fact, or abstained: never the header line or the project's code
        assert reply.abstained or fact in reply.answer, (question, reply.answer)
        assert not reply.answer.startswith("Số:")
        assert "Mã số dự án" not in reply.answer


@pytest.mark.parametrize(
    "question",
    [
        "Thủ đô của Pháp là gì?",
        "Ai là tổng thống Mỹ năm 2030?",
        "What is the capital of France?",
        "Quyết định 999/QĐ-BKHCN thay thế quyết định nào?",
    ],
)
def test_what_the_demo_documents_do_not_say_is_abstained(demo: Any, question: str) -> None:
    reply = ask(demo, question)
    assert reply.abstained, reply.answer
    english = question.startswith("What")
    assert reply.answer == (ABSTAIN_EN if english else ABSTAIN) and reply.closest
    assert reply.as_json()["answer"] == reply.answer and reply.as_json()["abstained"] is True


def test_the_wording_does_not_flip_the_answer_over_the_seeds(units: Any, owner: Any) -> None:
    folder = shared_path("seeds")
    call_command("ingest", *sorted(glob.glob(f"{folder}/*")), "--audience", "public")
    replies = [
        ask(owner, "Quyết định 1851/QĐ-TTg phê duyệt đề án gì?"),
        ask(owner, "Quyết định số 1851/QĐ-TTg phê duyệt Đề án nào?"),
    ]
    assert [r.abstained for r in replies] == [False, False]
    assert replies[0].answer == replies[1].answer
    assert "chuyển giao" in replies[0].answer


def test_the_project_s_budget_is_answered_for_officers_and_the_public(demo: Any) -> None:
    # Officers also read the KISTI memorandum, whose "tổng kinh phí dự kiến" names no IPP3:
    # it is no rival of the project decision's budget clause, nor is the decision's line
    # with the project's code, whose only number is the code.
    from caunoi.core.audience import ANONYMOUS

    for user in (demo, ANONYMOUS):
        reply = ask(user, "Dự án IPP3 có tổng kinh phí bao nhiêu?")
        assert not reply.abstained, user
        assert "2.500.000 EUR" in reply.citations[0].quote
        assert "Mã số dự án" not in reply.answer
