"""What ingestion reads about a document from its text: its own signing date (not that of a
document it quotes), its title and its kind."""

from __future__ import annotations

import datetime as dt

from caunoi.kb.metadata import guess
from vntext.layout import clean_document, text_lines


def _guess(text: str, declared_title: str = "") -> dict:
    clean = clean_document([text_lines(text)], paged=False)
    return guess(clean.text, declared_title=declared_title)


def test_the_signing_date_is_the_documents_own_not_a_quoted_ones() -> None:
    report = _guess(
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ\n\nBÁO CÁO\n\n"
        "Kết quả thực hiện Quyết định số 1851/QĐ-TTg ngày 27 tháng 12 năm 2018 của Thủ tướng\n\n"
        "Thực hiện Quyết định số 1851/QĐ-TTg ngày 27/12/2018, Bộ đã triển khai nhiều việc.\n"
    )
    assert report["kind"] == "report" and "signed_on" not in report
    decision = _guess(
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ\n\nSố: 7/QĐ-BKHCN\n\nHà Nội, ngày 4 tháng 5 năm 2023\n\n"
        "QUYẾT ĐỊNH\n\nVề việc cử đoàn đi Phần Lan\n\n"
        "Căn cứ Quyết định số 1851/QĐ-TTg ngày 27 tháng 12 năm 2018;\n"
    )
    assert decision["signed_on"] == dt.date(2023, 5, 4)
    # an MoU whose place and date line the text glued to its subject line
    mou = _guess(
        "BẢN GHI NHỚ\n\nVề hợp tác giữa Viện Brimalune và KISTI Seoul, ngày 2 tháng 6 năm 2025\n\n"
        "Căn cứ Quyết định số 112/QĐ-BKHCN ngày 18 tháng 3 năm 2024, hai bên thỏa thuận.\n"
    )
    assert mou["signed_on"] == dt.date(2025, 6, 2)
    assert mou["title"] == "Bản ghi nhớ về hợp tác giữa Viện Brimalune và KISTI"
    # a signature block at the end counts too
    signed_at_end = _guess(
        "KẾ HOẠCH\n\nHợp tác với Phần Lan năm 2026\n\nCác đơn vị thực hiện các nội dung sau.\n\n"
        "Hà Nội, ngày 9 tháng 1 năm 2026\n"
    )
    assert signed_at_end["signed_on"] == dt.date(2026, 1, 9)


def test_titles_leave_out_authors_banners_and_source_tags() -> None:
    article = _guess(
        "Hợp tác khoa học với Phần Lan trong giai đoạn mới\n\nTrần Văn Brimalune *\n\n"
        "Tóm tắt: Bài viết trình bày kết quả hợp tác.\n"
    )
    assert article["title"] == "Hợp tác khoa học với Phần Lan trong giai đoạn mới"
    glued = guess("Hợp tác khoa học với Phần Lan trong giai đoạn mới Trần Văn Brimalune *")
    assert glued["title"] == "Hợp tác khoa học với Phần Lan trong giai đoạn mới"
    news = _guess(
        "Tin.vn - Trang tin khoa học\n\nBộ làm việc với Đại sứ quán Phần Lan\n\n"
        "Chiều 15/7/2025, Bộ trưởng làm việc với Đại sứ.\n"
    )
    assert news["title"] == "Bộ làm việc với Đại sứ quán Phần Lan"
    long_first = _guess("TCCS - " + "Hợp tác quốc tế về khoa học và công nghệ " * 12 + ". Sau.")
    assert not long_first["title"].startswith("TCCS")
    assert len(long_first["title"]) <= 170 and long_first["title"].endswith("…")


def test_a_report_title_gives_its_kind_and_a_decision_title_is_no_article() -> None:
    assert _guess("Báo cáo tóm tắt kết quả năm 2024\n\nNăm 2024 các đơn vị đã ký.\n")["kind"] == (
        "report"
    )
    assert _guess("x", declared_title="Báo cáo hợp tác với Phần Lan")["kind"] == "report"
    decision = _guess("QUYẾT ĐỊNH\n\nĐiều 1. Phê duyệt kế hoạch.\n\nĐiều 2. Hiệu lực.\n")
    assert decision["kind"] == "decision" and decision["title"] == "Quyết định"


def test_a_placeholder_metadata_title_gives_way_to_the_first_heading() -> None:
    text = (
        "Hợp tác nghiên cứu biển với Na Uy\n\n"
        "Hai viện đã thống nhất kế hoạch khảo sát chung trong năm tới.\n"
    )
    for placeholder in (
        "untitled",
        "Microsoft Word - bao cao tong hop.docx",
        "Document1",
        "scan_0012",
        "khao-sat-2025.pdf",
    ):
        assert _guess(text, declared_title=placeholder)["title"] == (
            "Hợp tác nghiên cứu biển với Na Uy"
        ), placeholder
    # a real declared title is kept
    kept = _guess(text, declared_title="Kế hoạch khảo sát biển chung")
    assert kept["title"] == "Kế hoạch khảo sát biển chung"


def test_news_and_articles_are_told_by_generic_cues() -> None:
    news = _guess(
        "Tin.vn - Trang tin khoa học\n\nTỉnh ký bản ghi nhớ với Na Uy về nghiên cứu biển\n\n"
        "Sáng 3/4/2025, lãnh đạo tỉnh tiếp đoàn công tác của Viện Hải dương Na Uy.\n\n"
        "Hai bên thống nhất khảo sát chung trong năm tới.\n\n"
        "Nguồn: https://tin.example.vn/ban-ghi-nho\n"
    )
    assert news["kind"] == "news"
    article = _guess(
        "Hợp tác nghiên cứu biển với Na Uy: kinh nghiệm và bài học\n\nTS. Lê Thị Brimalune\n\n"
        "Tóm tắt: Bài viết phân tích kết quả hợp tác giai đoạn 2015 - 2025.\n\n"
        "Hai viện đã triển khai năm dự án chung.\n"
    )
    assert article["kind"] == "article"
    references = _guess(
        "Marine research cooperation with Norway\n\nThe two institutes ran five projects.\n\n"
        "Tran, A. (2020). Cooperation in marine science. Hanoi.\n\n"
        "Le, B. (2021). Joint surveys of the coast. Hanoi.\n"
    )
    assert references["kind"] == "article"
    # a plain note without such cues gets no kind from them
    plain = _guess("Ghi nhớ công việc\n\nGọi điện cho văn phòng về lịch họp tuần sau.\n")
    assert "kind" not in plain
