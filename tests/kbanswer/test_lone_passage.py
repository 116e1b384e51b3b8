"""The answerability check's margin when one passage is the only candidate (a small
knowledge base): the margin is over that passage's next sentence, not a tie with itself."""

from __future__ import annotations

from kbanswer import CHECK_FEATURES, Candidate, analyze, check_features, score_sentences

PASSAGE = (
    "Số: 31/BC-CTT. "
    "Thực hiện Quyết định số 2417/QĐ-TTg của Thủ tướng Chính phủ phê duyệt Đề án phát triển "
    "mạng lưới trạm quan trắc ven biển, Cục đã triển khai nhiều nhiệm vụ."
)
OTHER = "Các đơn vị báo cáo kết quả hợp tác quốc tế trước ngày 15 tháng 12 hằng năm."
MARGIN = CHECK_FEATURES.index("margin")


def test_a_lone_passage_s_margin_is_over_its_next_sentence() -> None:
    q = analyze("Quyết định 2417/QĐ-TTg phê duyệt đề án gì?")
    alone = score_sentences(q, [Candidate(key="a", text=PASSAGE, score=1.0, document="d")])
    assert len(alone) == 2 and alone[0].text.startswith("Thực hiện")
    margin = check_features(q, alone)[MARGIN]
    assert margin > 0 and abs(margin - (alone[0].score - alone[1].score)) < 1e-9
    # with another passage among the candidates it is still over that passage's best
    both = score_sentences(
        q,
        [
            Candidate(key="a", text=PASSAGE, score=1.0, document="d"),
            Candidate(key="b", text=OTHER, score=0.5, document="e"),
        ],
    )
    other = max(s.score for s in both if s.candidate.key == "b")
    assert abs(check_features(q, both)[MARGIN] - (both[0].score - other)) < 1e-9
    # a single sentence alone has nothing to be over
    single = score_sentences(q, [Candidate(key="c", text=PASSAGE.split(". ", 1)[1], score=1.0)])
    assert check_features(q, single)[MARGIN] == 0.0
