"""The answerability check's margin is taken over sentences that could answer instead of the
lead — not the same statement in another source, not a sentence of another document that
names nothing the question names, not one whose only value is the question's own code, not
one of the lead's own document that holds nothing asked but what names the document (when
the question names it) — a
named document's title words count in each of its sentences, and the ambiguous Vietnamese
numeral "năm" (five, year) renders an English word only in the sense it has there. The
texts are written by the tests."""

from __future__ import annotations

import pytest

from kbanswer import Candidate, analyze, check_inputs, lead_sentence, score_sentences
from kbanswer.extract import CHECK_FEATURES, marks, same_statement
from kbanswer.question import bridged, numeral_at, words

MARGIN = CHECK_FEATURES.index("margin")

QUOTED = (
    "Quyết định số 2468/QĐ-TTg ngày 15/6/2021 phê duyệt Chương trình phát triển mạng lưới "
    "phòng thí nghiệm chung với đối tác nước ngoài đến năm 2030"
)


def _margin(question: str, candidates: list[Candidate]) -> tuple[float, object, list]:
    q = analyze(question)
    ranked = score_sentences(q, candidates)
    lead = lead_sentence(q, ranked)
    assert lead is not None
    return check_inputs(q, ranked, lead)[MARGIN], lead, ranked


def test_the_same_statement_in_two_sources_is_recognised() -> None:
    first = f"Thực hiện {QUOTED}, các viện đã ký thỏa thuận với đối tác."
    second = f"{QUOTED} là căn cứ để các địa phương xây dựng kế hoạch."
    assert same_statement(first, second) and same_statement(second, first)
    assert not same_statement(first, "Các địa phương xây dựng kế hoạch hằng năm về đối tác.")
    assert not same_statement("", first)


def test_a_near_duplicate_of_the_lead_agrees_with_it_and_is_no_rival() -> None:
    question = "Quyết định 2468/QĐ-TTg phê duyệt chương trình gì?"
    first = Candidate(key="a", text=f"Thực hiện {QUOTED}, các viện đã ký.", score=1.0)
    second = Candidate(key="b", text=f"{QUOTED} là căn cứ để lập kế hoạch.", score=0.95)
    other = Candidate(key="c", text="Các chương trình hợp tác được rà soát.", score=0.5)
    margin, lead, ranked = _margin(question, [first, second, other])
    duplicate = next(s for s in ranked if s.candidate.key != lead.candidate.key and s.rank < 2)
    rival = next(s for s in ranked if s.candidate.key == "c")
    # the margin is over the sentence that says something else, not over the duplicate
    assert margin == pytest.approx(lead.score - rival.score)
    assert margin > lead.score - duplicate.score


BUDGET = "7. Tổng kinh phí: 2.500.000 EUR vốn viện trợ không hoàn lại."
TITLE = "Quyết định 310/QĐ-BKHCN phê duyệt dự án hỗ trợ doanh nghiệp khởi nghiệp"


def _project(key: str, text: str, score: float) -> Candidate:
    return Candidate(key=key, text=text, score=score, document="310", title=TITLE)


def test_a_named_document_s_title_words_count_in_each_of_its_sentences() -> None:
    question = "Dự án IPP3 có tổng kinh phí bao nhiêu?"
    code = _project("code", "2. Mã số dự án: IPP3-VN-2025-01.", 1.0)
    budget = _project("budget", BUDGET, 0.9)
    ranked = score_sentences(analyze(question), [code, budget])
    lead = next(s for s in ranked if s.candidate.key == "budget")
    assert lead.lexical == pytest.approx(1.0)  # "dự án" is the title's, "IPP3" the code's
    # not for a document the question does not name
    unnamed = score_sentences(analyze("Dự án có tổng kinh phí bao nhiêu?"), [code, budget])
    assert next(s for s in unnamed if s.candidate.key == "budget").lexical < 1.0


def test_sentences_that_cannot_answer_instead_are_no_rivals() -> None:
    question = "Dự án IPP3 có tổng kinh phí bao nhiêu?"
    code = _project("code", "2. Mã số dự án: IPP3-VN-2025-01.", 1.0)
    budget = _project("budget", BUDGET, 0.95)
    dates = _project("dates", "6. Thời gian thực hiện: từ tháng 4 năm 2025 đến năm 2028.", 0.9)
    memo = Candidate(
        key="memo",
        text="Mỗi bên tự bảo đảm kinh phí; tổng kinh phí dự kiến khoảng 200.000 USD.",
        score=0.85,
        document="77",
        title="Bản ghi nhớ về hợp tác thông tin khoa học",
    )
    funder = _project("funder", "3. Kinh phí do Bộ Ngoại giao Phần Lan tài trợ.", 0.3)
    margin, lead, ranked = _margin(question, [code, budget, dates, memo, funder])
    assert lead.candidate.key == "budget"
    # the project's code (no amount but the code), its dates (nothing asked but what names
    # the decision) and another document's budget (it names no IPP3) do not compete; the
    # decision's own sentence on its funding does
    rival = next(s for s in ranked if s.candidate.key == "funder")
    assert margin == pytest.approx(lead.score - rival.score)
    for key in ("code", "dates", "memo"):
        other = next(s for s in ranked if s.candidate.key == key)
        assert margin > lead.score - other.score, key
    # nothing that could answer instead: the margin is over the weakest candidate sentence
    alone, lead, ranked = _margin(question, [code, budget, dates, memo])
    assert alone == pytest.approx(lead.score - min(s.score for s in ranked))


def test_a_document_the_question_does_not_name_lends_its_sentences_nothing() -> None:
    # "999/QĐ-BKHCN" names no candidate: the header line of the decision that is retrieved
    # holds nothing asked, but it is not passed over as borrowing the document's name; it
    # stays the rival of the decision's "thay thế" clause
    question = "Quyết định 999/QĐ-BKHCN thay thế quyết định nào?"
    header = Candidate(key="h", text="Số: 112/QĐ-BKHCN", score=1.0, document="112")
    clause = Candidate(
        key="c",
        text="Quyết định này thay thế Quyết định số 45/QĐ-BKHCN.",
        score=0.95,
        document="112",
        context="112/QĐ-BKHCN",
    )
    margin, lead, ranked = _margin(question, [header, clause])
    assert lead.candidate.key == "c" and lead.names == 0.0
    rival = next(s for s in ranked if s.candidate.key == "h")
    assert margin == pytest.approx(lead.score - rival.score)


@pytest.mark.parametrize(
    ("text", "numeral"),
    [
        ("Năm người được cử đi học.", True),
        ("Đã phê duyệt năm dự án.", True),
        ("Bản ghi nhớ có giá trị năm năm.", True),
        ("Tổng cộng năm mươi đơn vị.", True),
        ("Năm 2020, cơ quan được thành lập.", False),
        ("Hằng năm các bên họp một lần.", False),
        ("Kết quả trong năm.", False),
        ("Mỗi năm người ta tổ chức hội thảo.", False),
    ],
)
def test_nam_is_a_numeral_only_before_what_it_counts(text: str, numeral: bool) -> None:
    folded = words(text)
    at = folded.index("nam")
    assert numeral_at(folded, at) is numeral


def test_nam_renders_five_where_it_counts_and_year_elsewhere() -> None:
    five = analyze("Which five projects were approved?")
    year = analyze("In what year was the agency founded?")
    counted = "Năm dự án đã được phê duyệt."
    dated = "Năm 2020, cơ quan được thành lập."
    for text, reads_five in ((counted, True), (dated, False)):
        ws = words(text)
        assert ("five" in bridged(five, set(ws), ws)) is reads_five, text
        assert ("what year" in bridged(year, set(ws), ws)) is not reads_five, text
    # "năm năm": the first counts (five), the second is the unit (years)
    ws = words("Bản ghi nhớ có giá trị năm năm.")
    assert "five" in bridged(five, set(ws), ws)
    assert "years" in bridged(analyze("How many years is it valid?"), set(ws), ws)
    # the marks follow the same reading: "Năm" of "Năm 2020" is not marked for "five", that
    # of "Năm dự án" is (with "dự án", for "projects")
    assert all(a != 0 for a, _ in marks(five, dated))
    assert any(a == 0 for a, _ in marks(five, counted))
