"""Structure of normative documents: a section heading opens the next passage, a point right
under an article is labelled, "Nơi nhận:" starts a block."""

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
    assert "Mục 2" not in texts["Điều 2 khoản 2"]
    assert any(
        doc.text[s.start : s.end].startswith("Mục 2") and "Điều 3" in doc.text[s.start : s.end]
        for s in spans
    )


def test_a_point_right_under_an_article_is_labelled():
    doc = _doc()
    labels = {doc.block_text(b): b.label for b in doc.blocks}
    assert labels["a) Tham gia các chương trình nghiên cứu chung;"] == "Điều 3 điểm a"
    assert labels["b) Cử chuyên gia tham gia các diễn đàn quốc tế."] == "Điều 3 điểm b"


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
