"""Running headers that alternate by page parity (journal name on odd pages, article title
on even pages) are dropped, and the sentence they cut is whole again."""

from __future__ import annotations

from vntext.layout import Line, clean_document

JOURNAL = "Tạp chí Nghiên cứu Hợp tác Số 3/2025"
TITLE = "Hợp tác quốc tế về năng lượng tái tạo"


def _page(header: str | None, body: list[str], number: int) -> list[Line]:
    lines = [Line(header)] if header else []
    lines += [Line(t) for t in body]
    lines.append(Line(str(number)))
    return lines


def _pages(even_header: str = TITLE) -> list[list[Line]]:
    bodies = [
        ["BÀI NGHIÊN CỨU", "Các viện nghiên cứu trong nước đã ký nhiều văn bản hợp tác với"],
        ["các đối tác nước ngoài trong năm qua, nhất là về điện gió và điện mặt trời", "ở"],
        ["các tỉnh ven biển miền Trung, nơi có nhiều dự án thí điểm được triển khai", "và"],
        ["nhiều chuyên gia quốc tế đã tham gia đánh giá kết quả của các dự án này", "cùng"],
        ["với các nhà khoa học trong nước và đại diện của các doanh nghiệp.", "Hết."],
    ]
    out = []
    for n, body in enumerate(bodies, start=1):
        header = None if n == 1 else (JOURNAL if n % 2 else even_header)
        out.append(_page(header, body, n))
    return out


def test_headers_alternating_by_parity_are_dropped():
    doc = clean_document(_pages())
    assert JOURNAL not in doc.text and TITLE not in doc.text
    assert "điện mặt trời ở các tỉnh ven biển" in doc.text
    assert "triển khai và nhiều chuyên gia" in doc.text


def test_a_line_on_one_even_page_only_is_kept():
    pages = _pages()
    pages[3] = [Line("Bảng 1 tổng hợp các dự án"), *pages[3][1:]]
    doc = clean_document(pages)
    assert "Bảng 1 tổng hợp các dự án" in doc.text
    # the journal's name on the odd pages still goes
    assert JOURNAL not in doc.text
