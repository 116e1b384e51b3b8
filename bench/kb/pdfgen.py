"""A Vietnamese PDF written by us, for the ingest benchmark and the tests.

Pages carry what real documents carry: a running header, a page number at the foot, a
footnote in a smaller font, numbered articles and clauses (Điều / khoản), paragraphs whose
lines the PDF breaks hard. The text is generated from a few sentences of our own, varied per
article so that pages differ.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from pathlib import Path

SENTENCES = [
    "Các bộ, ngành và địa phương phối hợp triển khai hoạt động hợp tác quốc tế về khoa học "
    "và công nghệ theo kế hoạch được phê duyệt.",
    "Kinh phí thực hiện được bố trí từ ngân sách nhà nước và các nguồn tài trợ hợp pháp "
    "khác theo quy định của pháp luật.",
    "Đơn vị chủ trì có trách nhiệm báo cáo kết quả thực hiện trước ngày 15 tháng 12 hằng năm "
    "cho Bộ Khoa học và Công nghệ.",
    "Việc chuyển giao công nghệ từ nước ngoài vào Việt Nam ưu tiên các lĩnh vực năng lượng "
    "tái tạo, nông nghiệp thông minh và trí tuệ nhân tạo.",
    "Hợp tác với Hàn Quốc, Nhật Bản và Cộng hòa Liên bang Đức được mở rộng trong khuôn khổ "
    "các hiệp định đã ký kết.",
]
NOTES = [
    "Số liệu do các đơn vị tổng hợp đến hết quý III.",
    "Theo báo cáo của Vụ Hợp tác quốc tế.",
    "Không bao gồm các dự án đã kết thúc trước năm 2020.",
    "Danh mục kèm theo được cập nhật hằng năm.",
    "Tỷ giá quy đổi theo công bố của Ngân hàng Nhà nước.",
    "Xem thêm phụ lục II.",
    "Bao gồm cả kinh phí đối ứng của địa phương.",
]
HEADER = "Bộ Khoa học và Công nghệ — Quy chế thử nghiệm"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    candidates = [FONT_DIR / "DejaVuSans.ttf", *sorted(Path("/usr/share/fonts").rglob("*.ttf"))]
    for path in candidates:
        if path.exists():
            pdfmetrics.registerFont(TTFont("BenchVi", str(path)))
            return "BenchVi"
    raise RuntimeError("no TrueType font with Vietnamese glyphs found")


WORDS = sorted({w.strip(".,") for s in SENTENCES for w in s.split()} - {""})


def _sentence(rng: random.Random) -> str:
    """A sentence of our words in a random order, with a number: no two alike, so nothing
    downstream (the analyser caches sentences) sees the same sentence twice."""
    words = rng.choices(WORDS, k=rng.randint(12, 24))
    words.insert(rng.randint(1, len(words) - 1), str(rng.randint(2, 9999)))
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "."


def article_text(n: int, seed: int = 0) -> list[str]:
    """The clauses of article ``n`` (each a real sentence of ours and two generated ones)."""
    rng = random.Random(seed * 1_000_003 + n)
    out = []
    for k in range(1, 4):
        first = SENTENCES[(n + k) % len(SENTENCES)]
        out.append(f"{k}. Khoản {k} của Điều {n}: {first} {_sentence(rng)} {_sentence(rng)}")
    return out


def make_pdf(pages: int = 100, seed: int = 0) -> bytes:
    """A ``pages``-page PDF (A4) of numbered articles with header, page numbers, footnotes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    left, right = 70, width - 70

    def wrap(text: str, size: float) -> list[str]:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        lines: list[str] = []
        line = ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if stringWidth(trial, font, size) > right - left and line:
                lines.append(line)
                line = word
            else:
                line = trial
        if line:
            lines.append(line)
        return lines

    # The body as (size, text) lines, laid out over as many pages as asked.
    def body() -> Iterator[tuple[float, str]]:
        n = 1
        while True:
            yield 11, f"Điều {n}. Nội dung số {n}"
            for clause in article_text(n, seed):
                for line in wrap(clause, 11):
                    yield 11, line
            yield 0, ""
            n += 1

    lines = body()
    for page in range(1, pages + 1):
        c.setFont(font, 9)
        c.drawString(left, height - 40, HEADER)
        y = height - 80
        if page == 1:
            c.setFont(font, 14)
            c.drawString(left, y, "QUY CHẾ THỬ NGHIỆM VỀ HỢP TÁC QUỐC TẾ")
            y -= 30
        while y > 120:
            size, text = next(lines)
            if not size:
                y -= 8
                continue
            c.setFont(font, size)
            c.drawString(left, y, text)
            y -= 15
        c.setFont(font, 8)
        note = NOTES[page % len(NOTES)]
        c.drawString(left, 90, f"{page} {note}")
        c.setFont(font, 9)
        c.drawString(width / 2, 50, str(page))
        c.showPage()
    c.save()
    return buf.getvalue()


if __name__ == "__main__":
    import sys

    Path(sys.argv[1] if len(sys.argv) > 1 else "bench-100.pdf").write_bytes(make_pdf())
