"""A web page saved as text: widget lines, site menus and what follows the source line are
no passages."""

from __future__ import annotations

from vntext.layout import clean_document, text_lines

MENU = ["Trang chủ", "Thời sự", "Kinh tế", "Khoa học", "Địa phương", "Liên hệ"]
BODY = [
    "Tỉnh ký bản ghi nhớ với Na Uy về nghiên cứu biển",
    "Sáng 3/4/2025, lãnh đạo tỉnh tiếp đoàn công tác của Viện Hải dương Na Uy và hai bên "
    "đã ký bản ghi nhớ về khảo sát biển chung trong ba năm tới.",
    "img",
    "Toàn cảnh buổi ký kết.",
    "Theo bản ghi nhớ, hai bên sẽ trao đổi chuyên gia, dữ liệu và cùng tổ chức các hội thảo "
    "khoa học về hệ sinh thái ven biển của tỉnh.",
    "Nguồn: https://tin.example.vn/ban-ghi-nho-na-uy",
]
TAIL = [
    "Bình luận (0)",
    "No data",
    "Cùng chuyên mục",
    "Mùa lúa chín trên những thửa ruộng bậc thang",
    "Ngắm phố biển lung linh về đêm",
]


def _text(lines: list[str]) -> str:
    return clean_document([text_lines("\n\n".join(lines))], paged=False).text


def test_widgets_menus_and_the_tail_after_the_source_are_dropped():
    text = _text([*MENU, *BODY, *TAIL])
    for clutter in ("img", "Bình luận", "No data", "Cùng chuyên mục", "ruộng bậc thang", "Liên hệ"):
        assert clutter not in text, clutter
    assert text.startswith("Tỉnh ký bản ghi nhớ với Na Uy")
    assert "Toàn cảnh buổi ký kết." in text  # a caption is text
    assert text.endswith("Nguồn: https://tin.example.vn/ban-ghi-nho-na-uy")


def test_real_text_after_a_source_line_and_short_lists_are_kept():
    more = (
        "Sau lễ ký, đoàn đã thăm khu bảo tồn biển của tỉnh và làm việc với các nhà khoa học "
        "trong nước về kế hoạch khảo sát đầu tiên vào mùa hè năm nay."
    )
    text = _text([*BODY, more, "Hà Nội", "Na Uy", "Đà Nẵng"])
    assert more in text
    assert "Hà Nội" in text and "Đà Nẵng" in text  # three short lines are no menu


def test_a_tables_short_cells_inside_the_text_are_kept():
    cells = ["STT", "Tên dự án", "Đối tác", "Kinh phí", "Thời gian", "Ghi chú"]
    text = _text([BODY[1], *cells, BODY[4]])
    assert all(c in text for c in cells)
