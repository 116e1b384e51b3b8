"""Paragraphs of hard-wrapped text dumps: numbered headings over several lines and all-caps
headings continued on the next line."""

from __future__ import annotations

from vntext.layout import clean_document, passages, text_lines

WRAPPED = [
    "Trong năm qua các viện nghiên cứu của tỉnh đã ký thêm nhiều văn bản hợp tác",
    "với các trường đại học và doanh nghiệp nước ngoài trong lĩnh vực nông nghiệp",
    "công nghệ cao, năng lượng tái tạo và chuyển đổi số, góp phần nâng cao năng",
    "lực nghiên cứu của các đơn vị trong tỉnh và thu hút thêm nguồn kinh phí. Các",
    "đơn vị cũng đã cử nhiều cán bộ đi đào tạo ngắn hạn tại các trường đại học của",
    "các nước đối tác, tổ chức nhiều hội thảo chuyên đề với sự tham gia của chuyên",
    "gia quốc tế và đại diện các doanh nghiệp trong và ngoài tỉnh trong năm 2025,",
    "và đề xuất thêm nhiều nhiệm vụ hợp tác mới cho giai đoạn tiếp theo của tỉnh.",
]


def _paras(text: str) -> list[str]:
    doc = clean_document([text_lines(text)], paged=False)
    return [doc.block_text(b) for b in doc.blocks if b.kind == "body"]


def test_a_numbered_heading_over_two_lines_ends_before_its_capitalised_body():
    lines = [
        *WRAPPED,
        "2.1.3. Mở rộng hợp tác với các đối tác ưu tiên trong",
        "lĩnh vực năng lượng và nông nghiệp công nghệ cao",
        "Xuất phát từ nhu cầu của các doanh nghiệp trong tỉnh, các đơn vị cần chủ động",
        "tìm kiếm đối tác và xây dựng các chương trình hợp tác dài hạn với các viện",
        "nghiên cứu nước ngoài có thế mạnh về công nghệ sinh học và vật liệu mới.",
    ]
    for sep in ("\n", "\n\n"):  # single- and double-spaced dumps
        paras = _paras(sep.join(lines))
        assert paras[1] == (
            "2.1.3. Mở rộng hợp tác với các đối tác ưu tiên trong lĩnh vực năng lượng và "
            "nông nghiệp công nghệ cao"
        ), sep
        assert paras[2].startswith("Xuất phát từ nhu cầu")
    doc = clean_document([text_lines("\n".join(lines))], paged=False)
    # the heading opens the passage of what it heads
    assert any(
        doc.text[s.start : s.end].startswith("2.1.3.") and "Xuất phát" in doc.text[s.start : s.end]
        for s in passages(doc)
    )


def test_an_all_caps_heading_continued_on_the_next_line_is_one_paragraph():
    text = "\n\n".join(["SỞ KHOA HỌC", "VÀ CÔNG NGHỆ TỈNH LÂM VIÊN", "BÁO CÁO", *WRAPPED])
    paras = _paras(text)
    assert paras[0] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH LÂM VIÊN"
    assert paras[1] == "BÁO CÁO"


SUBJECT = "V/v triển khai Quyết định số 2417/QĐ-TTg về mạng lưới trạm quan trắc ven biển"
BODY = [
    "Thực hiện Quyết định số 2417/QĐ-TTg của Thủ tướng Chính phủ phê duyệt Đề án phát",
    "triển mạng lưới trạm quan trắc ven biển đến năm 2030, Cục đã phối hợp với các địa",
    "phương triển khai nhiều nhiệm vụ trong năm 2024 và đạt được các kết quả sau đây.",
]


def test_a_blank_line_ends_a_paragraph_of_a_hard_wrapped_text():
    text = "\n".join(WRAPPED) + "\n\n" + SUBJECT + "\n\n" + "\n".join(BODY)
    paras = _paras(text)
    assert paras[-2] == SUBJECT  # not joined with the paragraph it heads
    assert paras[-1] == " ".join(BODY)  # hard line breaks joined within the paragraph
    assert paras[0] == " ".join(WRAPPED)


def test_a_double_spaced_dump_joins_across_its_single_blank_lines():
    # a blank line after every line, sentences running on across them: only a longer run
    # of blank lines (before a line that does not continue a sentence) ends a paragraph,
    # and a page number between blank lines ends nothing
    lines = [*WRAPPED[:4], "\n3\n", *WRAPPED[4:], "\n", SUBJECT, "\n", *BODY]
    paras = _paras("\n\n".join(lines))
    assert paras[0] == " ".join([*WRAPPED[:4], "3", *WRAPPED[4:]])
    assert paras[1] == SUBJECT
    assert paras[2] == " ".join(BODY)


def test_an_empty_line_of_a_pdf_ends_a_paragraph():
    from vntext.layout import Line

    def page(gap_after_subject: float) -> list[Line]:
        y, out = 800.0, []
        for text in [*WRAPPED[:3], SUBJECT, *BODY]:
            out.append(Line(text, size=12.0, y=y))
            y -= 17.0 + (gap_after_subject if text == SUBJECT else 0.0)
        return out

    apart = clean_document([page(17.0)], paged=True)  # an empty line after the subject
    texts = [apart.block_text(b) for b in apart.blocks]
    assert texts[-2].endswith("trạm quan trắc ven biển") and texts[-1] == " ".join(BODY)
    together = clean_document([page(0.0)], paged=True)  # no gap: the lines run on
    assert not any(together.block_text(b) == " ".join(BODY) for b in together.blocks)
