"""The extractive answering core: which sentence answers, citations, abstention."""

from __future__ import annotations

import numpy as np

from kbanswer import Candidate, Config, Expect, analyze, answer, score_sentences, split

CHUONG_TRINH = (
    "Chương trình hợp tác khoa học với Hàn Quốc bắt đầu từ năm 2015. "
    "Hai bên đã triển khai 12 nhiệm vụ nghị định thư trong giai đoạn đầu. "
    "Cơ quan đầu mối phía Việt Nam là Vụ Hợp tác quốc tế."
)
HOC_BONG = (
    "Sinh viên được xét học bổng khi điểm trung bình học kỳ từ 8,0 trở lên. "
    "Hồ sơ nộp tại phòng Công tác sinh viên trước ngày 15/10 hằng năm."
)
THOI_TIET = "Mùa mưa ở Nam Bộ kéo dài từ tháng 5 đến tháng 11. Lượng mưa trung bình khá cao."


def _cands(*texts: str) -> list[Candidate]:
    return [
        Candidate(key=f"p{i}", text=t, score=1.0 / (i + 1), document=f"d{i}", title=f"T{i}")
        for i, t in enumerate(texts)
    ]


def test_question_analysis_folds_and_finds_the_expected_answer():
    q = analyze("Hai bên đã triển khai bao nhiêu nhiệm vụ nghị định thư?")
    assert q.expect is Expect.NUMBER
    assert "nhiem" in q.terms and "bao" not in q.terms
    assert "nghi dinh" in q.bigrams
    assert not q.foreign
    plain = analyze("hai ben da trien khai bao nhieu nhiem vu nghi dinh thu")
    assert plain.terms == q.terms and plain.expect is Expect.NUMBER and not plain.foreign
    assert analyze("Chương trình bắt đầu khi nào?").expect is Expect.DATE
    assert analyze("Ai là cơ quan đầu mối?").expect is Expect.PERSON
    assert analyze("Hồ sơ nộp ở đâu?").expect is Expect.PLACE
    assert analyze("Why did the programme start?").expect is Expect.REASON


def test_english_question_is_foreign_and_keeps_names_and_numbers():
    q = analyze("How many protocol tasks did Vietnam and Korea carry out after 2015?")
    assert q.foreign
    assert "2015" in q.foreign_terms
    assert "han quoc" not in q.foreign_terms  # words, not phrases
    assert {"han", "quoc"} <= set(q.foreign_terms)  # Korea → Hàn Quốc
    assert q.lexical_terms == q.foreign_terms


def test_the_sentence_that_answers_comes_first_with_its_span():
    cands = _cands(CHUONG_TRINH, HOC_BONG)
    a = answer("Hai bên đã triển khai bao nhiêu nhiệm vụ nghị định thư?", cands)
    assert not a.abstained
    first = a.supports[0]
    assert first.candidate.key == "p0"
    assert "12 nhiệm vụ" in first.text
    assert CHUONG_TRINH[first.start : first.end] == first.text


def test_cue_prefers_the_sentence_with_the_expected_kind_of_answer():
    text = (
        "Quy chế học bổng được ban hành để khuyến khích sinh viên. "
        "Quy chế học bổng được ban hành năm 2019."
    )
    a = answer("Quy chế học bổng được ban hành năm nào?", _cands(text))
    assert "2019" in a.supports[0].text


def test_a_later_passage_wins_when_it_answers_and_the_first_does_not():
    a = answer("Hồ sơ học bổng nộp tại đâu, trước ngày nào?", _cands(THOI_TIET, HOC_BONG))
    assert a.supports[0].candidate.key == "p1"
    assert "phòng Công tác sinh viên" in a.supports[0].text


def test_abstains_when_the_passages_do_not_speak_of_the_question():
    a = answer("Thủ tục cấp thị thực cho chuyên gia nước ngoài gồm những gì?", _cands(THOI_TIET))
    assert a.abstained
    assert a.supports == []
    assert [c.key for c in a.closest] == ["p0"]


def test_abstains_without_candidates_or_content_words():
    assert answer("Học bổng là gì?", []).abstained
    assert answer("Là gì?", _cands(HOC_BONG)).abstained


def test_threshold_decides_abstention():
    q = "Sinh viên được xét học bổng khi nào?"
    strict = answer(q, _cands(HOC_BONG), config=Config(abstain_below=5.0))
    lenient = answer(q, _cands(HOC_BONG), config=Config(abstain_below=0.0))
    assert strict.abstained and not lenient.abstained
    assert strict.confidence == lenient.confidence > 0


def test_semantic_similarity_lets_an_english_question_reach_a_vietnamese_sentence():
    spans = split(CHUONG_TRINH)
    assert len(spans) == 3
    vecs = np.eye(3, 8, dtype=np.float32)  # one direction per sentence
    cand = Candidate(key="p0", text=CHUONG_TRINH, score=1.0, sentence_vectors=vecs)
    qv = np.zeros(8, dtype=np.float32)
    qv[2] = 1.0  # the question points at the third sentence
    a = answer("Which office is the Vietnamese focal point?", [cand], question_vector=qv)
    assert not a.abstained
    assert a.supports[0].text.startswith("Cơ quan đầu mối")
    assert a.supports[0].semantic == 1.0
    # without the embeddings the question has nothing to go on
    assert answer("Which office is the Vietnamese focal point?", [cand]).abstained


def test_vectors_that_do_not_match_the_sentences_are_ignored():
    cand = Candidate(
        key="p0", text=CHUONG_TRINH, score=1.0, sentence_vectors=np.ones((2, 8), np.float32)
    )
    scored = score_sentences("Cơ quan đầu mối là ai?", [cand], question_vector=np.ones(8))
    assert all(s.semantic is None for s in scored)


def test_supports_stay_within_the_length_budget_and_are_sentences_of_the_sources():
    long = " ".join(f"Học bổng loại {i} dành cho sinh viên có điểm từ {i},0." for i in range(1, 9))
    a = answer(
        "Học bổng dành cho sinh viên có điểm bao nhiêu?", _cands(long), config=Config(max_chars=120)
    )
    assert not a.abstained
    assert sum(s.end - s.start for s in a.supports) <= 120
    for s in a.supports:
        assert s.text in long


def test_split_cuts_an_overlong_sentence_at_a_clause():
    text = "Hồ sơ gồm: " + "; ".join(
        f"giấy tờ thứ {i} có xác nhận của nhà trường" for i in range(40)
    )
    spans = split(text)
    assert len(spans) > 1
    assert all(e - s <= 600 for s, e in spans)
    assert all(text[s:e].strip() == text[s:e] for s, e in spans)
