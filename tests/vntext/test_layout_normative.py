"""Structure of normative documents: a section heading opens the next passage, a point right
under an article is labelled, labels carry the chapter and section above the article,
"Nơi nhận:" starts a block."""

from __future__ import annotations

from vntext.layout import Line, clean_document, passages

LINES = [
    "Chương I",
    "QUY ĐỊNH CHUNG",
    "Điều 1. Phạm vi điều chỉnh",
    "Quy chế này quy định việc hợp tác với các tổ chức nước ngoài.",
    "Điều 2. Nguyên tắc",
    "1. Bảo đảm lợi ích quốc gia.",
    "2. Tuân thủ các cam kết quốc tế mà Việt Nam là thành viên.",
    "Mục 2",
    "HỢP TÁC ĐA PHƯƠNG",
    "Điều 3. Hình thức hợp tác",
    "a) Tham gia các chương trình nghiên cứu chung;",
    "b) Cử chuyên gia tham gia các diễn đàn quốc tế.",
    "Nơi nhận: các đơn vị thuộc Bộ; lưu văn thư.",
]


def _doc():
    return clean_document([[Line(t) for t in LINES]], paged=False)


def test_a_section_heading_opens_the_next_passage():
    doc = _doc()
    spans = passages(doc)
    texts = {s.label: doc.text[s.start : s.end] for s in spans}
    assert "Mục 2" not in texts["Chương I, Điều 2 khoản 2"]
    assert any(
        doc.text[s.start : s.end].startswith("Mục 2") and "Điều 3" in doc.text[s.start : s.end]
        for s in spans
    )


def test_a_point_right_under_an_article_is_labelled():
    doc = _doc()
    labels = {doc.block_text(b): b.label for b in doc.blocks}
    assert labels["a) Tham gia các chương trình nghiên cứu chung;"].endswith("Điều 3 điểm a")
    assert labels["b) Cử chuyên gia tham gia các diễn đàn quốc tế."].endswith("Điều 3 điểm b")


def test_labels_carry_the_chapter_and_section_above_the_article():
    doc = _doc()
    labels = {doc.block_text(b): b.label for b in doc.blocks}
    assert labels["QUY ĐỊNH CHUNG"] == "Chương I"  # a chapter's heading, before any article
    assert labels["1. Bảo đảm lợi ích quốc gia."] == "Chương I, Điều 2 khoản 1"
    assert labels["HỢP TÁC ĐA PHƯƠNG"] == "Chương I, Mục 2"
    assert labels["b) Cử chuyên gia tham gia các diễn đàn quốc tế."] == (
        "Chương I, Mục 2, Điều 3 điểm b"
    )
    # the recipients close the document: no article of it
    assert labels["Nơi nhận: các đơn vị thuộc Bộ; lưu văn thư."] == ""
    spans = {s.label for s in passages(doc)}
    assert "Chương I, Mục 2, Điều 3 điểm a" in spans


def test_a_new_chapter_starts_its_sections_afresh_and_a_part_its_chapters():
    lines = [
        "Phần thứ nhất",
        "Chương I",
        "Mục 1",
        "Điều 1. Phạm vi",
        "Quy chế này áp dụng cho các đơn vị thuộc Bộ.",
        "Chương II",
        "Điều 2. Nguyên tắc",
        "Hợp tác bình đẳng, cùng có lợi.",
        "Phần thứ hai",
        "Điều 3. Hiệu lực",
        "Quy chế có hiệu lực từ ngày ký.",
    ]
    doc = clean_document([[Line(t) for t in lines]], paged=False)
    labels = {doc.block_text(b): b.label for b in doc.blocks}
    assert labels["Quy chế này áp dụng cho các đơn vị thuộc Bộ."] == "Chương I, Mục 1, Điều 1"
    assert labels["Hợp tác bình đẳng, cùng có lợi."] == "Chương II, Điều 2"  # no Mục 1 left
    assert labels["Quy chế có hiệu lực từ ngày ký."] == "Điều 3"  # a new part: no chapter


def test_a_document_without_chapters_keeps_its_article_labels():
    lines = ["Điều 1. Phạm vi", "1. Áp dụng cho các đơn vị.", "Điều 2. Hiệu lực", "Có hiệu lực."]
    doc = clean_document([[Line(t) for t in lines]], paged=False)
    assert [b.label for b in doc.blocks] == ["Điều 1", "Điều 1 khoản 1", "Điều 2", "Điều 2"]


def test_the_recipients_line_starts_a_block_in_a_hard_wrapped_text():
    wrapped = [
        "Điều 4. Hiệu lực thi hành",
        "Quyết định này có hiệu lực kể từ ngày ký và thay thế các quy định trước đây",
        "về hợp tác quốc tế của các đơn vị thuộc Bộ, trừ các dự án đang thực hiện",
        "Điều 5. Trách nhiệm thi hành",
        "Chánh Văn phòng, Vụ trưởng Vụ Hợp tác quốc tế và thủ trưởng các đơn vị có",
        "liên quan chịu trách nhiệm thi hành Quyết định này kể từ ngày ban hành và",
        "Nơi nhận: như Điều 5; lưu văn thư, Vụ Hợp tác quốc tế của Bộ trong năm nay",
        "và các đơn vị có liên quan khác theo danh sách gửi kèm quyết định này nhé",
    ]
    doc = clean_document([[Line(t) for t in wrapped]], paged=True)
    assert any(doc.block_text(b).startswith("Nơi nhận:") for b in doc.blocks)
