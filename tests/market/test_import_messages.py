"""The import report's wording: a bad single choice lists the codes its column accepts, and an
empty file is the file's error, reported without a row number (page, API, command); in
Vietnamese and in English."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from caunoi.market.imports import import_records
from caunoi.market.models import Confidentiality, ExpertCategory, IpStatus, Stage
from support import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "column", "choices"),
    [
        ("offers", "ip_status", IpStatus),
        ("offers", "stage", Stage),
        ("requests", "confidentiality", Confidentiality),
        ("experts", "category", ExpertCategory),
    ],
)
@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "is not a valid choice; choose one of:"), ("vi", "không phải là lựa chọn hợp lệ")],
)
def test_a_bad_choice_lists_the_valid_ones(
    kind: str, column: str, choices: Any, language: str, words: str, owner: Any
) -> None:
    row = {"title_en": "Plasma seed treatment", "need": "A dryer", "name": "Lê Văn An"}
    row[column] = "no_such_choice"
    with translation.override(language):
        report = import_records(kind, user=owner, rows=[row], dry_run=True)
    message = {e.field: e.message for e in report.errors}[column]
    assert words in message and "no_such_choice" in message
    listed = message.rsplit(":", 1)[1].strip(" .").split(", ")
    assert listed == [c for c in choices.values if c]


def test_an_empty_file_is_the_files_error_without_a_row(owner: Any, tmp_path: Any) -> None:
    client = login(owner)
    for language, text in (("en", "The file has no data rows."), ("vi", "Tệp không có dòng")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        with translation.override(language):
            report = import_records("offers", user=owner, rows=[])
        assert [(e.row, e.field) for e in report.errors] == [(0, "")]
        assert report.errors[0].message.startswith(text)
        page = client.post(
            "/market/offers/import/",
            {"file": SimpleUploadedFile("a.csv", b"title_vi,title_en\n"), "mode": "check"},
        ).content.decode()
        assert text in page
        assert "<td>0</td>" not in page and 'class="file-error"><td></td>' in page
    api = client.post(
        "/api/v1/market/import",
        {"file": SimpleUploadedFile("a.csv", b"title_vi,title_en\n"), "kind": "offers"},
    )
    assert api.status_code == 400
    assert set(api.json()["errors"]) == {"file"}
    path = tmp_path / "a.csv"
    path.write_text("title_vi,title_en\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError), translation.override("en"):
        call_command("import_offers", str(path), "--user", owner.username, stdout=out)
    assert out.getvalue().strip() == "The file has no data rows."
