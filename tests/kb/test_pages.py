"""The knowledge base's pages: list with filters and empty state, document page with the
highlighted text, passages by article, entities linked, upload (several files), edit with
the version check and audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from caunoi.kb import services
from caunoi.kb.models import Document
from support import login

from .files import make_pdf
from .test_ingest import DECISION

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(admin: Any) -> Document:
    [r] = services.documents_upload(
        user=admin, files=[("qd.pdf", make_pdf(DECISION))], audience="public"
    )
    assert r.document is not None
    return Document.objects.get(pk=r.document.pk)


def test_list_filters_and_empty_state(client: Any, decision: Document) -> None:
    page = client.get("/kb/").content.decode()
    assert decision.title in page
    assert decision.title in client.get("/kb/?kind=decision&q=Quelvantor").content.decode()
    empty = client.get("/kb/?kind=law").content.decode()
    assert decision.title not in empty and 'class="empty"' in empty
    assert client.get("/kb/?sort=nonsense&page=99").status_code == 200


def test_document_page_highlights_and_outlines(client: Any, decision: Document) -> None:
    page = client.get(f"/kb/{decision.pk}/?q=Quelvantor").content.decode()
    assert "<mark>Quelvantor</mark>" in page
    assert 'href="#p' in page and "Điều 2 khoản 1" in page  # the outline by article
    assert 'id="kb-footnotes"' in page and "danh sách đối tác" in page
    assert "Hàn Quốc" in page and "/countries/kr/" in page  # entities, linked


def test_reference_to_a_superseded_document_is_a_flagged_link(
    client: Any, admin: Any, decision: Document
) -> None:
    older = Document.objects.create(
        title="Quyết định 1851/QĐ-TTg",
        number="1851/QĐ-TTg",
        status="superseded",
        audience="public",
        content_hash="f" * 64,
        state="ready",
    )
    page = client.get(decision.get_absolute_url()).content.decode()
    assert f'href="{older.get_absolute_url()}" class="superseded"' in page
    # and in the text itself, the reference is the same flagged link
    assert (
        f'<a href="{older.get_absolute_url()}" class="entity entity-legal_ref superseded"' in page
    )


def test_the_text_marks_and_links_what_it_mentions(client: Any, decision: Document) -> None:
    """Each mention is marked in the text where it is written: a country as a link to its
    page, a legal reference without a document in the knowledge base as a mark, each with
    what it is; the page lists them too."""
    import re

    from caunoi.kb.models import Mention

    page = client.get(decision.get_absolute_url()).content.decode()
    mentions = list(Mention.objects.filter(document=decision))
    assert {m.kind for m in mentions} >= {"country", "legal_ref"}
    country = next(m for m in mentions if m.kind == "country")
    found = re.search(
        r'<a href="/countries/([a-z]{2})/" class="entity entity-country" title="([^"]+)">'
        r"([^<]+)</a>",
        page,
    )
    assert found is not None
    assert found.group(1) == country.key.lower() and found.group(3) == country.text
    from html import escape

    refs = [m for m in mentions if m.kind == "legal_ref"]
    marked = [
        m
        for m in refs
        if re.search(
            r'<span class="entity entity-legal_ref" title="[^"]+">' + re.escape(escape(m.text)),
            page,
        )
    ]
    assert marked, [m.text for m in refs]  # no document of the knowledge base: a mark


def test_upload_several_files_and_refusals(owner: Any) -> None:
    c = login(owner)
    response = c.post(
        "/kb/upload/",
        {
            "upload": [
                SimpleUploadedFile("a.txt", "Văn bản thứ nhất về hợp tác.".encode()),
                SimpleUploadedFile("b.exe", b"MZ\x00\x00binary"),
            ],
            "audience": "staff",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="kb-upload-results"' in text
    assert Document.objects.count() == 1
    assert Document.objects.get().state == "ready"


def test_edit_with_version_check_and_audit(admin: Any, decision: Document) -> None:
    from caunoi.accounts.models import AuditEvent

    c = login(admin)
    form = {
        "title": "Quyết định mới",
        "kind": "decision",
        "number": decision.number,
        "issuer": decision.issuer,
        "status": "amended",
        "language": "vi",
        "audience": "public",
        "version": decision.version,
    }
    assert c.post(f"/kb/{decision.pk}/edit/", form).status_code == 302
    decision.refresh_from_db()
    assert decision.title == "Quyết định mới" and decision.status == "amended"
    assert AuditEvent.objects.filter(model="kb.document", action="update").exists()
    stale = c.post(f"/kb/{decision.pk}/edit/", {**form, "title": "Cũ"})  # old version
    assert stale.status_code == 200 and 'id="form-conflict"' in stale.content.decode()
    decision.refresh_from_db()
    assert decision.title == "Quyết định mới"
    # The passages' search documents follow the title.
    from caunoi.search.models import SearchDocument

    assert SearchDocument.objects.filter(kind="passages", title__contains="Quyết định mới").exists()


def test_document_page_and_api_show_the_embeddings_progress(
    client: Any, admin: Any, decision: Document
) -> None:
    from caunoi.search.dense import pending_q
    from caunoi.search.models import SearchDocument
    from caunoi.search.tasks import embed_documents

    n = decision.passages.count()
    docs = SearchDocument.objects.filter(
        kind="passages", object_id__in=decision.passages.values("pk")
    )
    assert docs.count() == n > 1
    embed_documents.call(list(docs.values_list("pk", flat=True)))  # the background job
    assert not docs.filter(pending_q()).exists()

    def line() -> str:
        page = client.get(decision.get_absolute_url()).content.decode()
        return page.split('id="kb-embeddings"', 1)[1].split("</p>", 1)[0]

    done = line()  # Vietnamese first: "Vectơ ngữ nghĩa: 7/7 đoạn"
    assert f": {n}/{n} " in done and "Vectơ ngữ nghĩa" in done and "part=embeddings" not in done
    # One passage's text changed: its embedding is pending again, and both say so.
    docs.filter(pk=docs.order_by("pk").first().pk).update(embedding=None)
    pending = line()
    assert f": {n - 1}/{n} " in pending and "part=embeddings" in pending
    part = client.get(
        f"{decision.get_absolute_url()}?part=embeddings", headers={"HX-Request": "true"}
    ).content.decode()
    assert part.startswith('<p class="meta" id="kb-embeddings"') and f"{n - 1}/{n}" in part
    api = login(admin).get(f"/api/v1/kb/documents/{decision.pk}").json()
    assert api["embeddings"] == {"done": n - 1, "total": n}


def test_upload_of_a_file_kept_from_the_uploader_shows_the_message(owner: Any, other: Any) -> None:
    data = "Biên bản nội bộ Quorthelan, chỉ cho Vụ.".encode()
    [mine] = services.documents_upload(user=owner, files=[("secret.txt", data)], audience="unit")
    assert mine.document is not None
    response = login(other).post(
        "/kb/upload/", {"upload": [SimpleUploadedFile("mine.txt", data)], "audience": "staff"}
    )
    assert response.status_code == 200  # not a redirect to a page Hà Nội may not open
    text = response.content.decode()
    assert 'id="kb-upload-results"' in text and "mine.txt" in text
    assert "đã có trong hệ tri thức" in text  # Vietnamese first
    assert mine.document.get_absolute_url() not in text and "secret" not in text


def test_upload_batch_with_an_empty_file_refuses_only_that_one(owner: Any) -> None:
    c = login(owner)
    files = [
        SimpleUploadedFile(f"van-ban-{n}.txt", f"Văn bản số {n} về hợp tác Korvalen.".encode())
        for n in range(5)
    ]
    response = c.post(
        "/kb/upload/",
        {"upload": [*files, SimpleUploadedFile("rong.txt", b"")], "audience": "staff"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert Document.objects.count() == 5  # the five others are added
    assert "rong.txt" in text and "Tệp rỗng." in text  # the empty one, by its name
    assert "Tập tin được gửi là rỗng." not in text


def test_upload_without_a_file_says_it_is_required(owner: Any) -> None:
    response = login(owner).post("/kb/upload/", {"audience": "staff"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-field="upload"' in text and "Trường này là bắt buộc." in text
    assert Document.objects.count() == 0
