"""The knowledge base in a real headless Chromium: an officer uploads a Vietnamese PDF (for
officers only, the default) and watches its ingestion progress on the document page, finds
the entities it mentions linked, asks the assistant and follows a citation to the
highlighted span; an anonymous visitor asks the same and is answered from the public
sources only, never from the officers' document.

Tasks go through the database backend here, as in production: the upload queues the
ingestion, the page polls its state, and the worker (run by the test, as ``caunoi worker``
would) does the work while the browser watches.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from support import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "Đoàn ra phải được phê duyệt trước bao nhiêu ngày làm việc?"


@pytest.fixture(autouse=True)
def database_tasks(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def run_worker() -> None:
    from caunoi.jobs.worker import Worker

    Worker(batch=True, interval=0, scheduler=False).run()


def _pdf() -> bytes:
    from kb.files import make_pdf

    return make_pdf(
        [
            [
                (14, "QUY CHẾ HỢP TÁC QUỐC TẾ VỀ KHOA HỌC VÀ CÔNG NGHỆ"),
                (11, "Điều 1. Phạm vi điều chỉnh"),
                (11, "Quy chế này thực hiện Quyết định số 1851/QĐ-TTg về hợp tác quốc tế."),
                (11, "Quy chế áp dụng cho hợp tác với Hàn Quốc và các đối tác khác."),
            ],
            [
                (11, "Điều 2. Đoàn ra"),
                (11, "Đoàn ra phải được Vụ trưởng Vụ Hợp tác quốc tế phê duyệt trước"),
                (11, "15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ."),
                (11, "Kinh phí đoàn ra do đơn vị chủ trì tự bảo đảm."),
            ],
        ],
    )


def test_officer_uploads_a_pdf_then_the_public_asks(
    browser: Any, live_server: Any, owner: Any, taxonomy: Any, tmp_path: Path
) -> None:
    from caunoi.kb.models import Document, Passage
    from caunoi.kb.search import index_passages

    # Another document the first one refers to, and one for officers only.
    decision = Document.objects.create(
        title="Quyết định phê duyệt Chiến lược hợp tác quốc tế",
        number="1851/QĐ-TTg",
        kind="decision",
        audience="public",
        owner_unit=owner.unit,
        content_hash="d" * 64,
        clean_text="Phê duyệt Chiến lược hợp tác quốc tế về khoa học.",
        state="ready",
    )
    index_passages(
        [
            Passage.objects.create(
                document=decision, ordinal=0, text=decision.clean_text, start=0, end=49
            )
        ]
    )
    # A public notice on the same subject, without the figure the officers' document has.
    notice_text = "Hồ sơ đoàn ra được gửi Vụ Hợp tác quốc tế để phê duyệt theo quy chế."
    notice = Document.objects.create(
        title="Thông báo về hồ sơ đoàn ra",
        audience="public",
        owner_unit=owner.unit,
        content_hash="e" * 64,
        clean_text=notice_text,
        state="ready",
    )
    index_passages(
        [
            Passage.objects.create(
                document=notice, ordinal=0, text=notice_text, start=0, end=len(notice_text)
            )
        ]
    )
    pdf = tmp_path / "Quy che hop tac quoc te.pdf"
    pdf.write_bytes(_pdf())

    context = browser.new_context(locale="vi-VN")
    officer = context.new_page()
    officer.set_default_timeout(30_000)
    sign_in(officer, live_server, "owner", "pw-owner-123")
    # Upload: the page goes to the new document, which is waiting for the worker.
    officer.goto(f"{live_server.url}/kb/upload/")
    officer.set_input_files("#id_upload", str(pdf))
    assert officer.locator("#id_audience").input_value() == "staff"  # officers only
    officer.click("#kb-upload-submit")
    officer.wait_for_url(re.compile(r"/kb/\d+/$"))
    assert "Đang chờ" in officer.locator("#kb-state").inner_text()
    doc = Document.objects.exclude(pk__in=[decision.pk, notice.pk]).get()
    assert doc.state == "queued"
    # The worker ingests it; the page follows by itself (htmx polling), no reload.
    run_worker()
    officer.wait_for_selector("#kb-state >> text=Sẵn sàng")
    doc.refresh_from_db()
    assert doc.state == "ready" and doc.page_count == 2
    officer.locator("#kb-state a").click()
    officer.wait_for_selector("#kb-text")
    text = officer.locator("#kb-text").inner_text()
    assert "Đoàn ra phải được Vụ trưởng Vụ Hợp tác quốc tế phê duyệt trước 15 ngày" in text
    # What it mentions, linked: the decision in the knowledge base, the country page.
    entities = officer.locator("#kb-entities")
    ref = entities.locator(f"a[href='{decision.get_absolute_url()}']")
    assert ref.count() == 1 and "1851/QĐ-TTg" in ref.inner_text()
    assert officer.locator(f"#kb-text a[href='{decision.get_absolute_url()}']").count() >= 1
    korea = entities.locator("a", has_text="Hàn Quốc")
    assert korea.count() == 1
    korea.click()
    officer.wait_for_url(re.compile(r"/countries/kr/?$"))
    assert "Hàn Quốc" in officer.locator("h1").inner_text()
    # The officer asks; the answer cites the new document, and its link opens the span.
    officer.goto(f"{live_server.url}/kb/ask/")
    officer.fill("#ask-q", QUESTION)
    officer.click(".ask-form button[type=submit]")
    officer.wait_for_selector("#conversation .exchange")
    exchange = officer.locator("#conversation .exchange").last
    assert "15 ngày làm việc" in exchange.locator(".supports").inner_text()
    doc.refresh_from_db()
    citation = exchange.locator(f"a.citation[href^='{doc.get_absolute_url()}?hl=']").first
    assert doc.title in citation.inner_text()
    citation.click()
    officer.wait_for_url(re.compile(rf"/kb/{doc.pk}/\?hl=\d+-\d+#p\d+$"))
    cited = officer.locator("mark#cited")
    assert "15 ngày làm việc" in cited.inner_text()
    assert cited.is_visible()
    context.close()

    # The public asks the same: the officers' document is never quoted nor linked, the
    # public notice is what it may be shown.
    visitor = browser.new_context(locale="vi-VN").new_page()
    visitor.set_default_timeout(30_000)
    visitor.goto(f"{live_server.url}/kb/ask/")
    visitor.fill("#ask-q", QUESTION)
    visitor.click(".ask-form button[type=submit]")
    visitor.wait_for_selector("#conversation .exchange")
    answer = visitor.locator("#conversation .exchange").last
    links = [a.get_attribute("href") or "" for a in answer.locator("a").all()]
    assert any(h.startswith(notice.get_absolute_url()) for h in links), links
    assert not any(h.startswith(doc.get_absolute_url()) for h in links), links
    assert "15 ngày" not in answer.inner_text()
    assert doc.title not in answer.inner_text()
    visitor.context.close()


def test_the_chat_page_says_why_a_question_is_not_asked(live_server: Any, browser: Any) -> None:
    """A question of spaces passes the browser's `required`; the server's message shows under
    the field (htmx, status 400), the text stays, and the next answered question clears it."""
    page = browser.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/kb/ask/")
    page.fill("#ask-q", "   ")
    page.click(".ask-form button[type=submit]")
    error = page.locator("#ask-error")
    error.wait_for(state="visible")
    assert error.inner_text() == "Trường này không được để trống."
    assert page.input_value("#ask-q") == "   "  # not reset
    assert page.locator("#conversation .exchange").count() == 0
    page.fill("#ask-q", "Có bao nhiêu hiệp định với Hàn Quốc?")
    page.click(".ask-form button[type=submit]")
    page.wait_for_selector("#conversation .exchange")
    assert not page.locator("#ask-error").is_visible()
    # an asked question empties the field (after the request, once the answer is in)
    for _ in range(50):
        if page.input_value("#ask-q") == "":
            break
        page.wait_for_timeout(100)
    assert page.input_value("#ask-q") == ""
    page.context.close()
