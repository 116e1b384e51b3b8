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
