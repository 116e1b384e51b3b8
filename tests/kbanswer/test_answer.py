"""The extractive answering core: which sentence answers, citations, abstention."""

from __future__ import annotations

import numpy as np
import pytest

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
    # without the embeddings its words still meet the sentence through the lexicon
    # ("office" → "cơ quan", "focal point" → "đầu mối"), but words the lexicon lacks do not
    lexical = answer("Which office is the Vietnamese focal point?", [cand])
    assert lexical.ranked[0].text.startswith("Cơ quan đầu mối") and lexical.ranked[0].lexical > 0
    assert answer("Which zorbling is the quuxian flumph?", [cand]).abstained


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


# --- names, neighbours, the answerability check, spans and marks ----------------------------


def test_question_names_and_numbers_in_either_language():
    q = analyze("What did Nikola Tesla invent in 1890?")
    assert q.names == ("nikola", "tesla", "1890")
    vi = analyze("Chương trình với Hàn Quốc bắt đầu từ năm 2015 phải không?")
    assert {"han", "quoc", "2015"} <= set(vi.names)
    assert "chuong" not in vi.names  # the question's first word is capitalised anyway
    assert {"han", "quoc"} <= set(analyze("Which treaty did Korea sign?").names)
    assert analyze("Kinh phí đoàn ra do ai bảo đảm?").names == ()  # lower case: no names


def test_sentence_features_see_the_neighbours_and_the_names():
    cands = _cands(CHUONG_TRINH)
    q = analyze("Chương trình với Hàn Quốc triển khai bao nhiêu nhiệm vụ?")
    by_start = {s.start: s for s in score_sentences(q, cands)}
    second = by_start[CHUONG_TRINH.index("Hai bên")]
    # "Hàn Quốc" is in the sentence before: the names share counts neighbours, not the
    # sentence's own lexical share
    assert second.names == 1.0
    assert second.context > second.lexical
    assert second.passage >= second.context
    last = by_start[CHUONG_TRINH.index("Cơ quan")]
    # its only neighbour is the second sentence: of "Hàn Quốc" only "quốc" (in "quốc tế")
    assert last.names == 0.5
    assert by_start[0].names == 1.0


def test_alignment_uses_the_term_vectors():
    cands = [
        Candidate(
            key="p0",
            text="Sông chảy qua thủ đô. Núi cao nhất vùng.",
            sentence_vectors=np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32),
        )
    ]
    q = analyze("Which river flows through the capital?")
    cfg = Config(w_aligned=2.0, align_floor=0.5)
    ranked = score_sentences(
        q, cands, term_vectors={"river": np.array([1.0, 0.1], dtype=np.float32)}, config=cfg
    )
    assert ranked[0].text.startswith("Sông")
    assert ranked[0].aligned > 0.9 and ranked[1].aligned == 0.0


def test_the_answerability_check_replaces_the_support_threshold():
    from kbanswer import CHECK_FEATURES, answerability, check_features

    q = analyze("Hai bên đã triển khai bao nhiêu nhiệm vụ nghị định thư?")
    cands = _cands(CHUONG_TRINH, THOI_TIET)
    ranked = score_sentences(q, cands)
    feats = check_features(q, ranked)
    assert len(feats) == len(CHECK_FEATURES) and feats[0] == 1.0
    assert feats[CHECK_FEATURES.index("expected")] == 1.0  # "bao nhiêu" expects a number
    assert feats[CHECK_FEATURES.index("margin")] > 0  # another passage scores lower
    lexical_only = tuple({"bias": -2.0, "lexical": 4.0}.get(name, 0.0) for name in CHECK_FEATURES)
    assert answerability(feats, lexical_only) > 0.5
    cfg = Config(check=lexical_only, check_below=0.5, abstain_below=99.0)
    a = answer(q, cands, config=cfg)
    assert not a.abstained and "12 nhiệm vụ" in a.supports[0].text  # the old threshold is off
    assert a.confidence == answerability(feats, lexical_only)
    off = answer("Lương hưu của giáo viên mầm non được tính thế nào?", cands, config=cfg)
    assert off.abstained and off.confidence < 0.5


def test_the_check_reads_what_answer_reads_with_the_default_floor():
    """The bench fits the check on ``check_inputs`` of ``lead_sentence``: they must be the
    numbers ``answer`` weighs, the semantic input on the default floor whatever the
    ordering's own ``semantic_floor``."""
    from kbanswer import CHECK_FEATURES, answerability, check_inputs, lead_sentence

    cos = 0.9
    qv = np.array([1.0, 0.0], dtype=np.float32)
    cands = [
        Candidate(
            key="p0",
            text="Hai bên đã triển khai 12 nhiệm vụ nghị định thư. Trời hôm nay đẹp.",
            score=1.0,
            sentence_vectors=np.array(
                [[cos, float(np.sqrt(1 - cos**2))], [0.0, 1.0]], dtype=np.float32
            ),
        )
    ]
    q = analyze("Hai bên đã triển khai bao nhiêu nhiệm vụ nghị định thư?")
    semantic_only = tuple({"bias": -1.0, "semantic": 3.0}.get(name, 0.0) for name in CHECK_FEATURES)
    cfg = Config(semantic_floor=0.5, check=semantic_only, check_below=0.01)
    ranked = score_sentences(q, cands, question_vector=qv, config=cfg)
    best = lead_sentence(q, ranked)
    assert best is not None and best.text.startswith("Hai bên")
    feats = check_inputs(q, ranked, best)
    floor = Config().semantic_floor
    semantic = feats[CHECK_FEATURES.index("semantic")]
    assert abs(semantic - (cos - floor) / (1 - floor)) < 1e-3  # not (cos - 0.5) / 0.5
    a = answer(q, cands, question_vector=qv, config=cfg)
    assert not a.abstained and a.supports[0] == best
    assert abs(a.confidence - answerability(feats, semantic_only)) < 1e-12
    assert lead_sentence(analyze("?"), ranked) is None  # no words: answer abstains first


def test_answer_span_is_the_part_that_answers():
    from kbanswer import answer_span

    text = "Chương trình hợp tác khoa học với Hàn Quốc bắt đầu từ năm 2015, theo Vụ Hợp tác."
    a, b = answer_span("Chương trình hợp tác với Hàn Quốc bắt đầu năm nào?", text)
    assert text[a:b] == "2015"
    a, b = answer_span("Hai bên triển khai bao nhiêu nhiệm vụ?", CHUONG_TRINH.split(". ")[1])
    assert "12" in CHUONG_TRINH.split(". ")[1][a:b]
    whole = "Hàn Quốc."
    assert answer_span("Hàn Quốc?", whole) == (0, len(whole))  # nothing but the question's


def test_marks_names_numbers_and_aligned_words():
    from kbanswer import marks

    text = "Sông Vistula chảy qua thủ đô Warszawa của Ba Lan, dài 1.047 km."
    spans = [text[a:b] for a, b in marks("How long is the Vistula in Poland?", text)]
    assert spans == ["Vistula", "Ba Lan"]
    vi = [text[a:b] for a, b in marks("Sông Vistula dài bao nhiêu?", text)]
    assert vi[:1] == ["Sông Vistula"] and "dài" in vi

    # the lexicon's renderings of the question's words are marked as written ("river" →
    # "sông", "flows" → "chảy", "capital" → "thủ đô"), without embeddings
    lexicon = [text[a:b] for a, b in marks("Which river flows through the capital?", text)]
    assert lexicon == ["Sông", "chảy", "thủ đô"]

    # aligned words: a fake embedding where "waterway" (not in the lexicon) is close to
    # "Sông" only
    def embed(texts: list[str]) -> np.ndarray:
        return np.array([[1.0, 0.0] if t == "Sông" else [0.3, 1.0] for t in texts])

    tv = {"waterway": np.array([1.0, 0.0], dtype=np.float32)}
    aligned = marks("Which waterway is the Vistula?", text, term_vectors=tv, embed=embed)
    assert [text[a:b] for a, b in aligned] == ["Sông Vistula"]  # merged with the name
    far = {"waterway": np.array([0.0, 1.0], dtype=np.float32)}  # close to nothing in particular
    assert [
        text[a:b]
        for a, b in marks("Which waterway is the Vistula?", text, term_vectors=far, embed=embed)
    ] == ["Vistula"]


def test_mark_grams_are_the_words_marks_embeds_capped_per_sentence():
    from kbanswer import MARK_GRAMS, mark_grams, marks

    text = "Sông Vistula chảy qua thủ đô Warszawa của Ba Lan, dài 1.047 km."
    grams = [text[a:b] for a, b in mark_grams("Which waterway is the Vistula?", text)]
    assert "Sông" in grams and "chảy qua" in grams
    assert "Vistula" not in grams  # already marked as a name
    assert mark_grams("Sông Vistula dài bao nhiêu?", text) == []  # Vietnamese: no embedding
    seen: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        seen.append(texts)
        return np.array([[1.0, 0.0] if t == "Sông" else [0.3, 1.0] for t in texts])

    tv = {"waterway": np.array([1.0, 0.0], dtype=np.float32)}
    marks("Which waterway is the Vistula?", text, term_vectors=tv, embed=embed)
    assert seen == [grams]  # marks embeds exactly those
    long = " ".join(["Hợp tác khoa học công nghệ quốc tế phát triển bền vững"] * 6) + "."
    capped = mark_grams("Which cooperation?", long)
    assert len(capped) == MARK_GRAMS
    assert capped == mark_grams("Which cooperation?", long, limit=10**6)[:MARK_GRAMS]


def test_a_code_is_one_name_and_the_label_so_is_optional():
    with_so = analyze("Quyết định số 1851/QĐ-TTg phê duyệt Đề án nào?")
    without = analyze("Quyết định 1851/QĐ-TTg phê duyệt đề án gì?")
    assert with_so.names == without.names == ("1851/qd-ttg",)
    assert with_so.terms == without.terms and with_so.bigrams == without.bigrams
    assert analyze("Số sinh viên là bao nhiêu?").terms[0] == "so"  # "số" as a word stays
    assert analyze("Số 45").names == ("45",) and analyze("?").terms == ()
    assert analyze("Quyết định 112/QĐ-BKHCN thay thế quyết định nào?").expect is Expect.REFERENCE
    assert analyze("What is the budget of the IPP3 project?").expect is Expect.NUMBER


def test_the_question_s_own_number_or_code_is_not_an_answer():
    header = Candidate(key="h", text="Số: 112/QĐ-BKHCN", score=1.0, document="112")
    article = Candidate(
        key="a",
        text="1. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 45/QĐ-BKHCN.",
        score=0.5,
        document="112",
        context="112/QĐ-BKHCN",
    )
    code = Candidate(key="c", text="2. Mã số dự án: IPP3-VN-2025-01.", score=1.0, document="310")
    lenient = Config(abstain_below=0.0, abstain_below_foreign=0.0)
    a = answer(
        "Which decision does Decision 112/QD-BKHCN replace?", [header, article], config=lenient
    )
    assert not a.abstained and "45/QĐ-BKHCN" in a.supports[0].text
    assert all(s.candidate.key != "h" for s in a.supports)
    # the document's number names its passages: the article is near the name asked
    vi = score_sentences("Quyết định 112/QĐ-BKHCN thay thế quyết định nào?", [header, article])
    assert next(s for s in vi if s.candidate.key == "a").names == 1.0
    alone = answer("What is the budget of the IPP3 project?", [code], config=lenient)
    assert alone.abstained  # the code holds the project's name and no amount
    found = score_sentences("Dự án IPP3 có tổng kinh phí bao nhiêu?", [code])
    assert found[0].names == 1.0  # "IPP3" is found in "IPP3-VN-2025-01"


def test_a_name_of_the_sentence_s_document_counts_as_written_in_it():
    """ "Quyết định này … thay thế Quyết định số 45" answers a question that names decision
    112 when the sentence is decision 112's: the number counts in its lexical share (and
    context and passage shares), as it does for no sentence of another document."""
    question = "Quyết định 112/QĐ-BKHCN thay thế quyết định nào?"
    text = "1. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 45/QĐ-BKHCN."
    own = Candidate(key="a", text=text, score=1.0, document="112", context="112/QĐ-BKHCN")
    other = Candidate(key="b", text=text, score=1.0, document="7", context="7/QĐ-BKHCN")
    loose = Candidate(key="c", text=text, score=1.0)
    by_key = {s.candidate.key: s for s in score_sentences(question, [own, other, loose])}
    assert by_key["a"].lexical > by_key["b"].lexical == by_key["c"].lexical
    assert by_key["a"].lexical == 1.0  # every term of the question: the number by its document
    assert by_key["a"].passage == by_key["a"].context == 1.0
    assert by_key["b"].passage < 1.0


def test_a_further_sentence_from_another_document_must_be_near_what_the_question_names():
    """ "Bản ghi nhớ với KIST …": the KIST memorandum's sentence answers; KISTI's memorandum,
    a different partner, adds nothing to it however alike its wording."""
    kist = Candidate(
        key="a",
        text="Bản ghi nhớ này có giá trị trong thời hạn 5 năm.",
        score=1.0,
        document="kist",
        context="Bản ghi nhớ hợp tác với KIST",
    )
    kisti = Candidate(
        key="b",
        text="Bản ghi nhớ này có giá trị trong thời hạn 3 năm.",
        score=0.98,
        document="kisti",
        context="Bản ghi nhớ hợp tác với KISTI",
    )
    same = Candidate(
        key="c",
        text="Bản ghi nhớ có thể gia hạn thêm 5 năm.",
        score=0.97,
        document="kist",
        context="Bản ghi nhớ hợp tác với KIST",
    )
    lenient = Config(abstain_below=0.0, abstain_below_foreign=0.0, keep_ratio=0.0)
    a = answer(
        "Bản ghi nhớ với KIST có giá trị trong thời hạn bao lâu?",
        [kist, kisti, same],
        config=lenient,
    )
    assert not a.abstained and a.supports[0].candidate.key == "a"
    assert "b" not in {s.candidate.key for s in a.supports}
    # with no name in the question, another document's sentence may add to the answer
    b = answer("Bản ghi nhớ có giá trị trong thời hạn bao lâu?", [kist, kisti], config=lenient)
    assert {s.candidate.key for s in b.supports} == {"a", "b"}


def test_the_lexicon_carries_an_english_question_s_words_to_vietnamese_text():
    from kbanswer.question import lemmas, lexicon, translations

    table = lexicon()
    assert len(table) > 1000 and "thay the" in table["replace"]
    assert {"agreement", "agreements"} <= set(lemmas("agreements"))
    assert "sign" in lemmas("signed") and "study" in lemmas("studies")
    assert "plan" in lemmas("planned") and "apply" in lemmas("applied")
    q = analyze("How long is the agreement with Korea valid?")
    assert q.foreign and q.expect is Expect.DURATION
    keys = dict(q.bridge)
    assert "thoi han" in keys["how long"]  # a phrase, read before its words
    assert "hiep dinh" in keys["agreement"] and "hieu luc" in keys["valid"]
    assert {"how long", "agreement", "valid"} <= set(q.lexical_terms)
    # a word that is also a Vietnamese syllable stands as "~word": the syllable as written
    # in Vietnamese text is not taken for it
    assert dict(translations(["long", "river"])).keys() == {"~long", "river"}
    # Vietnamese questions are not translated
    assert analyze("Hiệp định có hiệu lực bao lâu?").bridge == ()
    assert analyze("Hiệp định có hiệu lực bao lâu?").expect is Expect.NUMBER


def test_translated_words_count_as_the_question_s_words_in_a_sentence():
    text = (
        "Hiệp định được ký kết năm 2015. "
        "Hiệp định có hiệu lực trong thời hạn 5 năm kể từ ngày ký. "
        "Các bên trao đổi chuyên gia mỗi tháng."
    )
    cand = Candidate(key="p0", text=text, score=1.0)
    lenient = Config(abstain_below=0.0, abstain_below_foreign=0.0)
    a = answer("How long is the agreement valid?", [cand], config=lenient)
    assert not a.abstained and "5 năm" in a.supports[0].text
    assert a.supports[0].lexical > a.ranked[-1].lexical
    # a duration: a number with its unit, not a bare number
    durations = score_sentences("How long is the agreement valid?", [cand])
    by_text = {s.text: s.cue for s in durations}
    assert by_text["Hiệp định có hiệu lực trong thời hạn 5 năm kể từ ngày ký."] == 1.0
    assert by_text["Các bên trao đổi chuyên gia mỗi tháng."] == 0.5  # a unit, no count
    assert by_text["Hiệp định được ký kết năm 2015."] == 1.0  # ("năm" is also "five": a limit)


def test_an_english_question_is_retrieved_with_its_words_vietnamese_renderings():
    from kbanswer import retrieval_query

    query = retrieval_query("What is the budget of the IPP3 project?")
    assert query.startswith("What is the budget of the IPP3 project? ")
    assert "kinh phí" in query and "dự án" in query  # as written, with diacritics
    vi = "Dự án IPP3 có tổng kinh phí bao nhiêu?"
    assert retrieval_query(vi) == vi


def test_a_list_item_s_label_is_no_number_and_a_passed_over_sentence_no_rival():
    from kbanswer import check_inputs, lead_sentence
    from kbanswer.extract import CHECK_FEATURES, cue_score

    q = "What is the budget of the IPP3 project?"
    label = "4. Chủ dự án: Cục Phát triển thị trường."
    assert cue_score(Expect.NUMBER, label, [], q) == 0.0  # "4." labels the item
    assert cue_score(Expect.NUMBER, "7. Tổng kinh phí: 2.500.000 EUR.", [], q) == 1.0
    code = Candidate(key="c", text="2. Mã số dự án: IPP3-VN-2025-01.", score=1.0, document="310")
    budget = Candidate(
        key="b", text="7. Tổng kinh phí: 2.500.000 EUR.", score=0.9, document="310", context=""
    )
    # a rival that could answer: the decision's own sentence on the budget
    other = Candidate(key="o", text="Kinh phí do Phần Lan tài trợ.", score=0.5, document="310")
    analysed = analyze(q)
    ranked = score_sentences(analysed, [code, budget, other])
    assert ranked[0].candidate.key == "c"  # the code outranks the answer...
    lead = lead_sentence(analysed, ranked)
    assert lead is not None and lead.candidate.key == "b"  # ...but is passed over
    margin = check_inputs(analysed, ranked, lead)[CHECK_FEATURES.index("margin")]
    rival = next(s for s in ranked if s.candidate.key == "o")
    assert margin == pytest.approx(lead.score - rival.score) and margin > 0
