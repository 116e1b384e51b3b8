"""A partner's and an agreement's registry page list the knowledge-base documents that
mention them, through the documents' audience: the public never sees a staff document."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.kb import services
from caunoi.kb.models import Document
from support import login

pytestmark = pytest.mark.django_db


def _document(user: Any, name: str, text: str, audience: str) -> Document:
    [r] = services.documents_upload(user=user, files=[(name, text.encode())], audience=audience)
    assert r.document is not None and not r.error
    return Document.objects.get(pk=r.document.pk)


def test_partner_page_lists_readable_documents_that_mention_it(
    client: Any, admin: Any, make_org: Any
) -> None:
    kisti = make_org(key="kisti", name_vi="Viện KISTI", name_en="KISTI")
    other = make_org()
    public = _document(
        admin, "tin.txt", "Đoàn công tác làm việc với KISTI về dữ liệu khoa học.\n", "public"
    )
    staff = _document(
        admin, "noi-bo.txt", "Biên bản nội bộ: KISTI đề xuất gia hạn hợp tác.\n", "staff"
    )
    page = client.get(f"/registry/partners/{kisti.pk}/").content.decode()
    assert 'id="kb-documents"' in page and public.get_absolute_url() in page
    assert staff.get_absolute_url() not in page  # not for the public
    page = login(admin).get(f"/registry/partners/{kisti.pk}/").content.decode()
    assert public.get_absolute_url() in page and staff.get_absolute_url() in page
    assert "Văn bản trong kho tri thức nhắc tới đối tác này" in page  # Vietnamese first
    # A partner no document mentions shows no such block.
    assert 'id="kb-documents"' not in client.get(f"/registry/partners/{other.pk}/").content.decode()


def test_agreement_page_lists_documents_on_its_legal_basis(
    client: Any, admin: Any, make_agreement: Any
) -> None:
    doc = _document(
        admin,
        "qd.txt",
        "Các đơn vị triển khai hợp tác theo Quyết định số 1851/QĐ-TTg của Thủ tướng.\n",
        "public",
    )
    based = make_agreement(legal_basis="Quyết định 1851/QĐ-TTg")
    unrelated = make_agreement(legal_basis="Nghị định 99/2020/NĐ-CP")
    assert (
        doc.get_absolute_url() in client.get(f"/registry/agreements/{based.pk}/").content.decode()
    )
    page = client.get(f"/registry/agreements/{unrelated.pk}/").content.decode()
    assert doc.get_absolute_url() not in page
