"""Ingestion end to end on small files of each type: clean text, pages, labels, footnotes,
metadata, mentions, search; all or nothing; idempotent by content hash; refused files."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from caunoi.kb import services
from caunoi.kb.ingest import ingest
from caunoi.kb.models import Document, Passage, State
from caunoi.search import service

from .files import make_docx, make_pdf

pytestmark = pytest.mark.django_db

DECISION = [
    [
        (11, "BỘ KHOA HỌC VÀ CÔNG NGHỆ"),
        (11, "Số: 25/2024/QĐ-BKHCN"),
        (11, "Hà Nội, ngày 12 tháng 3 năm 2024"),
        (11, "QUYẾT ĐỊNH"),
        (11, "Về việc ban hành Quy chế hợp tác Quelvantor"),
        (11, "Điều 1. Phạm vi điều chỉnh"),
        (11, "1. Quy chế này quy định việc hợp tác quốc tế về khoa học và công nghệ với các đối"),
        (11, "tác nước ngoài, bao gồm Hàn Quốc và Nhật Bản, theo Quyết định số 1851/QĐ-TTg."),
        (11, "2. Quy chế áp dụng cho các đơn vị thuộc Bộ và các tổ chức có liên quan trong"),
        (11, "quá trình triển khai các chương trình hợp tác song phương và đa phương."),
        (8, "1 Ghi chú: danh sách đối tác do Vụ Hợp tác quốc tế cập nhật."),
    ],
    [
        (11, "Điều 2. Trách nhiệm thi hành"),
        (11, "1. Vụ Hợp tác quốc tế chủ trì, phối hợp với các đơn vị liên quan theo dõi việc"),
        (11, "thực hiện và báo cáo Bộ trưởng trước ngày 15 tháng 12 hằng năm."),
        (11, "2. Các đơn vị chủ trì có trách nhiệm bố trí kinh phí từ nguồn ngân sách được"),
        (11, "giao và các nguồn hợp pháp khác."),
    ],
    [
        (11, "Điều 3. Hiệu lực"),
        (11, "Quyết định này có hiệu lực kể từ ngày ký."),
    ],
]


def _upload(user: Any, name: str, data: bytes, audience: str = "staff") -> Any:
    [result] = services.documents_upload(user=user, files=[(name, data)], audience=audience)
    return result


def test_pdf_becomes_clean_labelled_passages(admin: Any) -> None:
    data = make_pdf(DECISION, header="Bộ KH&CN — Quy chế thử nghiệm")
    result = _upload(admin, "qd-25.pdf", data)
    assert result.created and not result.error
    doc = Document.objects.get(pk=result.document.pk)
    assert doc.state == State.READY, doc.error
    assert doc.file_type == "pdf" and doc.page_count == 3
    # Running header and page numbers are gone; hard line breaks are joined.
    assert "Quy chế thử nghiệm" not in doc.clean_text
    assert "với các đối tác nước ngoài" in doc.clean_text
    passages = list(doc.passages.all())
    for p in passages:
        assert doc.clean_text[p.start : p.end] == p.text
    by_label = {p.label: p for p in passages if p.kind == "body"}
    assert "Điều 1 khoản 2" in by_label and by_label["Điều 1 khoản 2"].page == 1
    assert by_label["Điều 2 khoản 1"].page == 2
    assert "Điều 3" in by_label
    [note] = [p for p in passages if p.kind == "footnote"]
    assert note.page == 1 and "danh sách đối tác" in note.text
    assert "danh sách đối tác" not in by_label["Điều 1 khoản 2"].text
    # Metadata read from the header.
    assert doc.kind == "decision"
    assert doc.number == "25/2024/QĐ-BKHCN"
    assert doc.issuer == "Bộ Khoa học và Công nghệ"
    assert str(doc.signed_on) == "2024-03-12"
    assert "Quelvantor" in doc.title
    # Mentions: the legal reference and the countries.
    keys = set(doc.mentions.values_list("kind", "key"))
    assert ("legal_ref", "1851/QĐ-TTg") in keys
    assert ("country", "KR") in keys and ("country", "JP") in keys
    # Lexically searchable at once, with the passage's label in the hit.
    hits = service.search(user=admin, query="Quelvantor", mode="lexical", kinds=["passages"]).hits
    assert hits and all(h.url.startswith(doc.get_absolute_url()) for h in hits)


def test_same_file_twice_is_one_document(admin: Any) -> None:
    data = make_pdf(DECISION)
    first = _upload(admin, "a.pdf", data)
    again = _upload(admin, "b.pdf", data)
    assert first.created and not again.created
    assert again.document.pk == first.document.pk
    assert Document.objects.count() == 1
    n = Passage.objects.count()
    ingest(Document.objects.get())  # a re-run replaces, does not duplicate
    assert Passage.objects.count() == n


def test_docx_html_and_text(admin: Any) -> None:
    docx = _upload(
        admin,
        "mou.docx",
        make_docx(
            ["BẢN GHI NHỚ", "Về hợp tác nghiên cứu Brimalune", "Hai bên thống nhất hợp tác."],
            title="Ghi nhớ",
        ),
    )
    html = _upload(
        admin,
        "tin.html",
        (
            "<html><head><title>Tin Vortexil</title><script>var x='Loixoa';</script></head>"
            "<body><nav>Menu Loixoa</nav><h1>Tin Vortexil</h1><p>Đoàn công tác "
            "sang Phần Lan.</p></body></html>"
        ).encode(),
    )
    txt = _upload(
        admin,
        "seg.txt",
        "Hội_nhập quốc_tế về khoa_học và công_nghệ , theo Quyết_định số 418/QĐ-TTg , "
        "đóng vai_trò quan_trọng .\n".encode(),
    )
    for r in (docx, html, txt):
        r.document.refresh_from_db()
        assert r.document.state == State.READY, r.document.error
    assert docx.document.file_type == "docx" and docx.document.kind == "mou"
    assert html.document.file_type == "html" and html.document.title == "Tin Vortexil"
    assert "Loixoa" not in html.document.clean_text  # scripts and navigation dropped
    assert txt.document.clean_text.startswith(
        "Hội nhập quốc tế về khoa học và công nghệ, theo Quyết định số 418/QĐ-TTg, đóng"
    )


def test_refused_files_store_nothing(admin: Any, settings: Any) -> None:
    settings.CAUNOI_KB_MAX_BYTES = 1000
    big = _upload(admin, "big.txt", b"a" * 2000)
    exe = _upload(admin, "virus.pdf", b"MZ\x00\x00\x01binary")  # a .pdf name, not a PDF
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "0" * 900_000)  # unpacks 1000× larger
    settings.CAUNOI_KB_MAX_BYTES = 10_000
    bomb = _upload(admin, "bomb.docx", buf.getvalue())
    for r in (big, exe, bomb):
        assert r.document is None and r.error
    assert Document.objects.count() == 0


def test_a_damaged_file_fails_whole_and_says_why(admin: Any) -> None:
    result = _upload(admin, "broken.pdf", b"%PDF-1.4\n garbage that is not a pdf")
    doc = Document.objects.get(pk=result.document.pk)
    assert doc.state == State.FAILED and doc.error
    assert doc.passages.count() == 0 and doc.mentions.count() == 0
    assert doc.job is not None and doc.job.state == "failed"


def test_only_staff_officers_upload(viewer: Any, enterprise: Any) -> None:
    from caunoi.core.errors import DomainError

    for user in (viewer, enterprise):
        with pytest.raises(DomainError):
            services.documents_upload(user=user, files=[("a.txt", b"x")])


def test_officers_cannot_publish(owner: Any) -> None:
    from caunoi.core.errors import DomainError

    with pytest.raises(DomainError):
        services.documents_upload(user=owner, files=[("a.txt", b"x")], audience="public")


def test_text_file_notes_are_footnotes_linked_from_the_body(admin: Any) -> None:
    from django.test import Client

    text = (
        "Báo cáo hợp tác Quorvane\n\n"
        "Hai bên ký ba thỏa thuận mới [1] trong năm 2024.\n\n"
        "Ghi chú:\n"
        "[1] Gồm một bản ghi nhớ và hai nghị định thư.\n"
    )
    result = _upload(admin, "bao-cao.txt", text.encode(), audience="public")
    doc = result.document
    doc.refresh_from_db()
    assert doc.state == State.READY, doc.error
    note = Passage.objects.get(document=doc, kind="footnote")
    assert note.label == "[1]" and note.text.startswith("[1] Gồm một bản ghi nhớ")
    assert "Ghi chú" not in "".join(
        p.text for p in Passage.objects.filter(document=doc, kind="body")
    )
    page = Client().get(doc.get_absolute_url()).content.decode()
    assert f'<a href="#p{note.ordinal}">[1]</a>' in page


def test_a_web_page_without_a_declared_charset_reads_as_utf8(admin: Any) -> None:
    page = (
        "<html><head><title>Tin hợp tác với Phần Lan</title></head><body>"
        "<p>Bộ Khoa học và Công nghệ làm việc với Đại sứ quán Phần Lan về đổi mới sáng tạo.</p>"
        "</body></html>"
    )
    declared = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "<title>Café Brimalune</title></head><body><p>Déjà vu à Hanoï.</p></body></html>"
    )
    plain = _upload(admin, "tin.html", page.encode("utf-8"))
    latin = _upload(admin, "cafe.html", declared.encode("cp1252"))
    for r in (plain, latin):
        r.document.refresh_from_db()
        assert r.document.state == State.READY, r.document.error
    assert plain.document.title == "Tin hợp tác với Phần Lan"
    assert "làm việc với Đại sứ quán Phần Lan" in plain.document.clean_text
    assert "á»" not in plain.document.clean_text and "Ã" not in plain.document.clean_text
    # a page that declares its charset is read in it
    assert latin.document.title == "Café Brimalune"
    assert "Déjà vu à Hanoï." in latin.document.clean_text


def test_a_two_page_decision_keeps_its_articles_apart_and_drops_its_header(admin: Any) -> None:
    pages = [
        [
            (11, "QUYẾT ĐỊNH"),
            (11, "Điều 1. Phê duyệt kế hoạch hợp tác với Phần Lan năm 2025 gồm các hoạt động"),
            (11, "trao đổi chuyên gia và hội thảo chung."),
        ],
        [
            (11, "Điều 2. Vụ Hợp tác quốc tế chủ trì thực hiện và báo cáo kết quả."),
        ],
    ]
    data = make_pdf(pages, header="Bộ KH&CN — Kế hoạch Brimalune")
    r = _upload(admin, "two.pdf", data)
    doc = Document.objects.get(pk=r.document.pk)
    assert doc.state == State.READY, doc.error
    assert "Kế hoạch Brimalune" not in doc.clean_text  # running header on both pages
    body = list(doc.passages.filter(kind="body").order_by("ordinal"))
    one = [p for p in body if "Điều 1." in p.text]
    two = [p for p in body if "Điều 2." in p.text]
    assert len(one) == 1 and len(two) == 1 and one[0].pk != two[0].pk
    assert one[0].label == "Điều 1" and one[0].page == 1
    assert two[0].label == "Điều 2" and two[0].page == 2


def test_the_limits_are_read_from_the_environment() -> None:
    """An operator sets the knowledge base's limits like every CAUNOI_* setting."""
    import json
    import os
    import subprocess
    import sys

    names = {
        "CAUNOI_KB_MAX_BYTES": "max_bytes",
        "CAUNOI_KB_MAX_PAGES": "max_pages",
        "CAUNOI_KB_MAX_UNZIPPED": "max_unzipped",
        "CAUNOI_KB_MAX_RATIO": "max_ratio",
        "CAUNOI_KB_MAX_CHARS": "max_chars",
    }
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "caunoi.test_settings"}
    env.update({name: str(1000 + n) for n, name in enumerate(names)})
    code = (
        "import django, json; django.setup(); "
        "from caunoi.kb import extract; print(json.dumps(extract.limits()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {key: 1000 + n for n, key in enumerate(names.values())}
