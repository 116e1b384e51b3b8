"""Sentence splitting and word segmentation with protected spans."""

from __future__ import annotations

from vntext.normalize import normalize
from vntext.segment import (
    _lexicon,
    features,
    is_presegmented,
    segment,
    segment_spans,
    segment_words,
    sentences,
    word_tokens,
)


def test_protected_spans_are_single_words() -> None:
    text = (
        "Thực hiện Quyết định số 1851/QĐ-TTg ngày 27/12/2018, Nghị quyết 20-NQ/TW và Thông tư "
        "01/2014/TT-BGDĐT, Bộ KH&CN, V-KIST và HTQT chi 50.000 tỷ đồng (85,4%); xem "
        "https://most.gov.vn hoặc htqt@most.gov.vn."
    )
    words = [w for sent in segment(text) for w in sent]
    for protected in (
        "1851/QĐ-TTg",
        "27/12/2018",
        "20-NQ/TW",
        "01/2014/TT-BGDĐT",
        "KH&CN",
        "V-KIST",
        "HTQT",
        "85,4%",
        "https://most.gov.vn",
        "htqt@most.gov.vn",
    ):
        assert protected in words, protected
    assert "Quyết_định" in words and "Thủ_tướng" not in words
    # a number and its scale word are two words (VLSP, UD train and VnCoreNLP conventions)
    i = words.index("50.000")
    assert words[i + 1] == "tỷ"


def test_amounts_split_as_the_treebanks_do() -> None:
    (sent,) = segment("Giá tăng 80 % lên 51,9 tỉ đồng, tức 85,4% kế hoạch")
    assert sent[sent.index("80") + 1] == "%"  # a spaced percent sign is a word of its own
    assert sent[sent.index("51,9") + 1].startswith("tỉ")
    assert "85,4%" in sent  # glued, it stays one token


def test_glued_initials_and_day_month_are_one_word() -> None:
    words = segment_words("Tin , ảnh : N.ẨN ở TP.HCM từ 24/7 đến 31 / 7 , bà N.V.P. cho biết")
    for word in ("N.ẨN", "TP.HCM", "24/7", "N.V.P."):
        assert word in words, word
    assert "31/7" not in words and "/" in words  # spaced slashes are left alone
    # lower-case or long glued runs are not initials: "công nghệ.Tiếp" is a missing space
    assert "nghệ.Tiếp" not in segment_words("Đổi mới công nghệ.Tiếp theo là câu hai")


def test_one_letter_initials_keep_their_dot() -> None:
    # "ông H.", "P. 18", "Q. 12": the treebanks and VnCoreNLP write the letter with its dot
    text = "bác sĩ P. đã viết ở Q. 12 , chị T. , độ C."
    assert [t.text for t in word_tokens(text)] == text.split(" ")
    words = segment_words("Cụ H. nhập viện tại P. Hiệp Bình Phước")
    assert "H." in words and "P." in words
    # a longer word or a dot glued to the next letter is not an initial
    assert "nghệ." not in [t.text for t in word_tokens("công nghệ. Tiếp")]
    assert [t.text for t in word_tokens("ông H.Minh")] == ["ông", "H.Minh"]


def test_word_tokens_keep_offsets() -> None:
    text = normalize("Ông N.V.P. chi 1.400 tỉ và 80 % ngày 24/7 tại TP.HCM, ông H. ở P. 18.")
    for tok in word_tokens(text):
        assert text[tok.start : tok.end] == tok.text


def test_training_lexicon_feeds_the_features() -> None:
    lexicon = _lexicon()
    assert len(lexicon) > 1000
    assert all(" " in w and w == w.lower() for w in lexicon)
    # the lexicon a caller passes replaces the packaged one (training uses this)
    syl = ["tiền", "khả", "thi"]
    kinds = ["word"] * 3
    with_word = features(syl, kinds, ["B_W", "B_W", "I_W"], frozenset({"tiền khả thi"}))
    without = features(syl, kinds, ["B_W", "B_W", "I_W"], frozenset())
    assert "le=3" in with_word[2] and "le=" in without[2]
    assert "ls=3" in with_word[0] and "ls=" in without[0]


def test_words_are_joined_with_underscores() -> None:
    (sent,) = segment("Hội nhập quốc tế về khoa học và công nghệ")
    assert sent == ["Hội_nhập", "quốc_tế", "về", "khoa_học", "và", "công_nghệ"]


def test_presegmented_input_is_kept() -> None:
    text = "Hoạt_động hội_nhập quốc_tế về khoa_học và công_nghệ của nước ta hiện_nay ."
    assert is_presegmented(text)
    assert segment(text) == [text.split()]


def test_sentence_splitting_survives_abbreviations_and_hard_wraps() -> None:
    text = (
        "Những thành tựu to lớn của KH&CN đã \n\nthúc đẩy nhanh chóng tiến trình toàn cầu \n\n"
        "hóa. TP. Hồ Chí Minh có ThS. Nguyễn Văn An. Tiếp theo là câu ba!\n"
        "1. Đặt vấn đề\nNội dung mục một."
    )
    spans = sentences(text)
    got = [" ".join(text[a:b].split()) for a, b in spans]
    assert got == [
        "Những thành tựu to lớn của KH&CN đã thúc đẩy nhanh chóng tiến trình toàn cầu hóa.",
        "TP. Hồ Chí Minh có ThS. Nguyễn Văn An.",
        "Tiếp theo là câu ba!",
        "1. Đặt vấn đề",
        "Nội dung mục một.",
    ]


def test_word_offsets_point_into_the_original() -> None:
    text = "Hoà\u00a0bình và hợp\u00adtác  quốc tế."
    for sent in segment_spans(text):
        assert text[sent.start : sent.end] == sent.text
        for w in sent.words:
            assert w.start < w.end
            assert text[w.start : w.end].replace("\u00a0", " ").replace("\u00ad", "")


def test_bullets_start_sentences_but_wrapped_dashes_do_not() -> None:
    assert segment("Gồm:\n- mục một\n- mục hai") == [
        ["Gồm", ":"],
        ["-", "mục", "một"],
        ["-", "mục", "hai"],
    ]
    wrapped = "Diễn đàn Hợp tác kinh tế Châu Á \n\n- Thái Bình Dương (APEC), Tổ chức Thương mại."
    assert len(sentences(wrapped)) == 1


def test_short_wrapped_lines_are_not_titles() -> None:
    text = (
        "Năm 1995, Việt Nam gia nhập ASEAN, thiết lập quan hệ hợp tác với Liên minh \n\n"
        "Châu Âu (EU) và Mỹ.\n\n1. Đặt vấn đề \n\nNhững thành tựu to lớn."
    )
    got = [" ".join(text[a:b].split()) for a, b in sentences(text)]
    assert got == [
        "Năm 1995, Việt Nam gia nhập ASEAN, thiết lập quan hệ hợp tác với Liên minh Châu Âu "
        "(EU) và Mỹ.",
        "1. Đặt vấn đề",
        "Những thành tựu to lớn.",
    ]


def test_threads_get_the_same_words() -> None:
    import threading

    texts = [
        "Hội nhập quốc tế về khoa học và công nghệ của Việt Nam trong giai đoạn mới",
        "Bộ Khoa học và Công nghệ đã phối hợp chặt chẽ với các bộ, ngành và địa phương",
    ] * 40
    expected = [segment(t) for t in texts]
    results: list[list[list[list[str]]]] = []

    def run() -> None:
        results.append([segment(t) for t in texts])

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_seed_000_keeps_its_own_segmentation(seed_texts: dict[str, str]) -> None:
    text = next(t for name, t in seed_texts.items() if name.startswith("000"))
    assert is_presegmented(text)
    words = [w for sent in segment(text) for w in sent]
    assert words == normalize(text).split()  # words come normalised ("khoá" → "khóa")
