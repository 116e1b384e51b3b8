"""The knowledge base's API: lists and reads follow the audience rule, upload answers per
file, PATCH needs If-Match and refuses a stale version."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from caunoi.kb import services
from caunoi.kb.models import Document
from support import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(admin: Any) -> dict[str, Document]:
    out = {}
    for name, audience in (("pub", "public"), ("int", "staff")):
        [r] = services.documents_upload(
            user=admin,
            files=[(f"{name}.txt", f"Văn bản {name} về hợp tác Trelvanic {name}.".encode())],
            audience=audience,
        )
        assert r.document is not None
        out[name] = Document.objects.get(pk=r.document.pk)
    return out


def test_reads_follow_the_audience(client: Client, viewer: Any, docs: dict[str, Document]) -> None:
    anon = client.get("/api/v1/kb/documents").json()
    assert [d["id"] for d in anon["items"]] == [docs["pub"].pk]
    assert client.get(f"/api/v1/kb/documents/{docs['int'].pk}").status_code == 404
    assert client.get(f"/api/v1/kb/documents/{docs['int'].pk}/passages").status_code == 404
    staff = login(viewer).get("/api/v1/kb/documents").json()
    assert {d["id"] for d in staff["items"]} == {docs["pub"].pk, docs["int"].pk}
    passages = client.get(f"/api/v1/kb/documents/{docs['pub'].pk}/passages").json()["items"]
    assert passages and "Trelvanic" in passages[0]["text"]


def test_upload_and_patch(owner: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login(owner)
    response = c.post(
        "/api/v1/kb/documents",
        {
            "files": [
                SimpleUploadedFile("a.txt", "Quy chế hợp tác Zentharis.".encode()),
                SimpleUploadedFile("b.bin", b"\x00\x01\x02binary"),
            ]
        },
    )
    assert response.status_code == 201, response.content
    first, second = response.json()
    assert first["created"] and first["document"]["state"] == "ready"
    assert second["document"] is None and second["error"]
    pk = first["document"]["id"]
    url = f"/api/v1/kb/documents/{pk}"
    body = json.dumps({"number": "12/QĐ-BKHCN"})
    assert c.patch(url, body, content_type="application/json").status_code == 428
    tag = c.get(url)["ETag"]
    ok = c.patch(url, body, content_type="application/json", headers={"If-Match": tag})
    assert ok.status_code == 200 and ok.json()["number"] == "12/QĐ-BKHCN"
    stale = c.patch(url, body, content_type="application/json", headers={"If-Match": tag})
    assert stale.status_code == 412


def test_upload_of_a_file_kept_from_the_uploader_gives_nothing_of_it(
    owner: Any, other: Any
) -> None:
    """htqt's unit-only file, uploaded again by Hà Nội under another name: Hà Nội is told the
    file is already there under an audience it may not read, and given nothing of it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "Biên bản nội bộ Quorthelan, chỉ cho Vụ.".encode()
    [mine] = services.documents_upload(user=owner, files=[("secret.txt", data)], audience="unit")
    assert mine.document is not None
    response = login(other).post(
        "/api/v1/kb/documents", {"files": [SimpleUploadedFile("mine.txt", data)]}
    )
    assert response.status_code == 200, response.content
    [result] = response.json()
    assert result["document"] is None and not result["created"]
    assert "đã có trong hệ tri thức" in result["error"]
    text = response.content.decode()
    for leak in ("secret", "Quorthelan", "htqt", str(mine.document.pk) + ","):
        assert leak not in text
    assert Document.objects.count() == 1
    # a reader of the stored document still gets it back
    again = login(owner).post(
        "/api/v1/kb/documents", {"files": [SimpleUploadedFile("again.txt", data)]}
    )
    assert again.json()[0]["document"]["id"] == mine.document.pk
