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
