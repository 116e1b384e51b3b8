"""Footnotes of text files: a trailing "Ghi chú" / "Chú thích" block of marked lines."""

from __future__ import annotations

from vntext.layout import clean_document, note_references, passages, text_lines

TEXT = (
    "Báo cáo hợp tác với Phần Lan\n\n"
    "Năm 2024 hai bên ký ba thỏa thuận mới [1]. Kinh phí do phía bạn tài trợ [2].\n\n"
    "Chú thích:\n"
    "[1] Gồm một bản ghi nhớ và hai nghị định thư.\n"
    "[2] Theo văn bản số 12/VP ngày 3/4/2024.\n"
)


def _clean(text: str):
    return clean_document([text_lines(text)], paged=False)


def test_a_trailing_notes_block_becomes_footnotes_labelled_by_marker():
    doc = _clean(TEXT)
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert [b.label for b in notes] == ["[1]", "[2]"]
    assert doc.block_text(notes[0]) == "[1] Gồm một bản ghi nhớ và hai nghị định thư."
    body = [doc.block_text(b) for b in doc.blocks if b.kind == "body"]
    assert all("Chú thích" not in t and "Gồm một" not in t for t in body)
    spans = passages(doc)
    assert [(s.kind, s.label) for s in spans if s.kind == "footnote"] == [
        ("footnote", "[1]"),
        ("footnote", "[2]"),
    ]
    refs = note_references(body[-1])
    assert [r[2] for r in refs] == ["[1]", "[2]"]
    assert body[-1][refs[0][0] : refs[0][1]] == "[1]"


def test_numbered_notes_and_blocks_that_are_not_notes():
    doc = _clean("Nội dung chính của văn bản.\n\nGhi chú\n1. Số liệu sơ bộ.\n2. Chưa kiểm toán.\n")
    assert [b.label for b in doc.blocks if b.kind == "footnote"] == ["[1]", "[2]"]
    # a "Ghi chú" heading followed by ordinary text is body text, kept whole
    plain = _clean("Nội dung.\n\nGhi chú\nCuộc họp sẽ dời sang tuần sau.\n")
    assert all(b.kind == "body" for b in plain.blocks)
    assert "Ghi chú" in plain.text and "dời sang" in plain.text
    # pages (PDF) keep their own footnote rule: no text-block notes there
    paged = clean_document([text_lines(TEXT)], paged=True)
    assert all(b.label == "" for b in paged.blocks if b.kind == "footnote")


# A PDF's text dump: hard-wrapped body lines, a footnote block at the foot of the page that
# cuts a sentence in two, the next page's first line indented.
DUMP = "\n".join(
    [
        "Năm 2024 Bộ đã phối hợp với các địa phương triển khai nhiều hoạt động hợp",
        "tác quốc tế về khoa học và công nghệ, trong đó có các chương trình với Phần",
        "Lan và Hàn Quốc về đổi mới sáng tạo1. Các đơn vị đã ký thêm nhiều văn bản",
        "hợp tác với các viện nghiên cứu nước ngoài, nhất là trong lĩnh vực năng lượng",
        "và chuyển đổi số của các tỉnh phía Bắc2. Bên cạnh đó, các hội thảo chuyên đề",
        "được tổ chức thường xuyên, thu hút nhiều doanh nghiệp và tổ chức nghiên cứu",
        " ",
        "1 Gồm Chương trình Đổi mới sáng tạo Việt Nam - Phần Lan giai đoạn 3 và các dự án "
        "hợp tác song phương",
        "với Quỹ Nghiên cứu Quốc gia Hàn Quốc trong lĩnh vực vật liệu mới.",
        "2 Bắc Ninh, Hải Dương và Quảng Ninh đã ký bản ghi nhớ với các đối tác của Nhật Bản "
        "và Hàn Quốc về",
        "năng lượng tái tạo và thành phố thông minh trong năm 2024.",
        " trong và ngoài nước tham gia, góp phần nâng cao năng lực tiếp nhận công nghệ",
        "từ nước ngoài của các doanh nghiệp Việt Nam trong giai đoạn tới của kế hoạch.",
        "Năm 2025 các đơn vị tiếp tục rà soát các văn bản đã ký và đề xuất các nội dung",
        "hợp tác mới với 3 đối tác chiến lược của Bộ trong khu vực châu Á.",
    ]
)


def test_a_text_dump_keeps_its_footnotes_apart_and_the_body_whole():
    doc = _clean(DUMP)
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert [b.label for b in notes] == ["[1]", "[2]"]
    assert doc.block_text(notes[0]).startswith("1 Gồm Chương trình")
    assert doc.block_text(notes[0]).endswith("vật liệu mới.")
    assert doc.block_text(notes[1]).endswith("trong năm 2024.")
    body = " ".join(doc.block_text(b) for b in doc.blocks if b.kind == "body")
    # the sentence cut by the page foot is whole again, and no footnote text is in it
    assert "thu hút nhiều doanh nghiệp và tổ chức nghiên cứu trong và ngoài nước" in body
    assert "Gồm Chương trình" not in body and "thành phố thông minh" not in body
    # the body's glued markers point to them; "3 đối tác" is neither a marker nor a note
    refs = note_references(body, {1, 2})
    assert [(body[a:b], m) for a, b, m in refs] == [("1", "[1]"), ("2", "[2]")]
    assert "3 đối tác chiến lược" in body


def test_a_numbered_line_without_its_marker_stays_in_the_body():
    text = DUMP.replace("sáng tạo1.", "sáng tạo.")
    doc = _clean(text)
    assert not [b for b in doc.blocks if b.kind == "footnote"]
    assert "1 Gồm Chương trình" in doc.text


# A dump whose author note "(*)" sits at the foot of the first page, cutting a sentence.
STAR_DUMP = "\n".join(
    [
        "Các viện nghiên cứu của tỉnh đã hợp tác với nhiều trường đại học nước ngoài",
        "trong lĩnh vực nông nghiệp công nghệ cao và có ba đặc điểm chính như sau:(*)",
        "Thứ nhất là hợp tác dựa trên nhu cầu thực tế của các hợp tác xã địa phương,",
        "thứ hai là kinh phí do hai bên cùng đóng góp theo tỷ lệ đã thỏa thuận trong",
        "bản ghi nhớ, và thứ ba là kết quả được chuyển giao cho các nông hộ trong",
        "   ",
        "(*) Thạc sĩ, Sở Khoa học và Công nghệ tỉnh Lâm Viên.",
        "ĐT: 0900000001. Email: tacgia@example.org.",
        " vùng dự án trong vòng hai năm kể từ khi nghiệm thu các đề tài nghiên cứu",
        "theo đúng quy định của tỉnh và của các đối tác nước ngoài tham gia dự án.",
    ]
)


def test_an_author_note_marked_with_a_star_leaves_the_body():
    doc = _clean(STAR_DUMP)
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert [b.label for b in notes] == ["[*]"]
    assert doc.block_text(notes[0]).startswith("(*) Thạc sĩ")
    assert "tacgia@example.org" in doc.block_text(notes[0])
    body = " ".join(doc.block_text(b) for b in doc.blocks if b.kind == "body")
    assert "0900000001" not in body and "tacgia" not in body
    assert "chuyển giao cho các nông hộ trong vùng dự án" in body
    assert "như sau:(*)" in body  # the body keeps its marker


def test_an_enumeration_in_parentheses_is_no_footnote():
    text = STAR_DUMP.replace("như sau:(*)", "như sau: (1) nhu cầu,").replace(
        "(*) Thạc sĩ", "(1) Thạc sĩ"
    )
    doc = _clean(text)
    assert not [b for b in doc.blocks if b.kind == "footnote"]
    assert "(1) Thạc sĩ" in doc.text


def test_notes_after_a_dashed_rule_leave_the_body():
    text = (
        "Báo cáo hợp tác với Na Uy\n\n"
        "Hai bên đã thống nhất kế hoạch khảo sát biển chung trong năm tới (1).\n\n"
        "Kinh phí được bố trí từ ngân sách của chương trình (2).\n\n"
        "---------------------- - (1) Theo biên bản họp ngày 3/4/2025. (2) Chương trình "
        "hợp tác biển giai đoạn 2025 - 2030.\n"
    )
    doc = _clean(text)
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert [b.label for b in notes] == ["[1]", "[2]"]
    assert doc.block_text(notes[0]) == "(1) Theo biên bản họp ngày 3/4/2025."
    assert doc.block_text(notes[1]).startswith("(2) Chương trình hợp tác biển")
    body = " ".join(doc.block_text(b) for b in doc.blocks if b.kind == "body")
    assert "----" not in body and "biên bản họp" not in body
    assert "trong năm tới (1)." in body
    # a dashed rule followed by ordinary text stays in the body
    plain = _clean("Nội dung.\n\n---------- Phần sau do văn phòng bổ sung.\n")
    assert all(b.kind == "body" for b in plain.blocks)
