"""The demo documents load, read well and link to each other; the seeds ingest with the
right text, pages and legal references (where ../shared/seeds exists)."""

from __future__ import annotations

import glob
from typing import Any

import pytest
from django.core.management import call_command

from caunoi.kb.demo import load_kb_demo
from caunoi.kb.models import Document, RecordProposal
from support import shared_path

pytestmark = pytest.mark.django_db


def test_demo_documents(units: Any, client: Any) -> None:
    first = load_kb_demo()
    assert first == {"documents": 6, "created": 6}
    assert load_kb_demo() == {"documents": 6, "created": 0}  # idempotent
    new = Document.objects.get(number="112/QĐ-BKHCN")
    assert new.kind == "decision" and str(new.signed_on) == "2024-03-18"
    labels = set(new.passages.values_list("label", flat=True))
    assert {"Điều 2 khoản 2", "Điều 3 khoản 2", "Điều 5 khoản 1"} <= labels
    old = Document.objects.get(number="45/QĐ-BKHCN")
    assert old.status == "superseded" and old.superseded_by == new
    page = client.get(new.get_absolute_url()).content.decode()
    assert f'href="{old.get_absolute_url()}" class="superseded"' in page
    report = Document.objects.get(original_name="bao-cao-htqt-2024.html")
    assert report.kind == "report"  # its title starts with "Báo cáo"
    mou = Document.objects.get(original_name="ban-ghi-nho-kisti.txt")
    assert client.get(mou.get_absolute_url()).status_code == 404  # staff only
    # The two memoranda and the project decision each propose a draft record, kept pending.
    assert sorted(RecordProposal.objects.values_list("target", "state")) == [
        ("agreement", "pending"),
        ("agreement", "pending"),
        ("project", "pending"),
    ]


def test_seeds_ingest(units: Any, capsys: Any, client: Any) -> None:
    folder = shared_path("seeds")
    call_command("ingest", *sorted(glob.glob(f"{folder}/*")), "--audience", "public")
    docs = {d.original_name[:3]: d for d in Document.objects.all()}
    assert len(docs) == 5 and all(d.state == "ready" for d in docs.values())
    # 000 is word-segmented: restored for display.
    assert "giai_đoạn" not in docs["000"].clean_text
    assert "Trong giai đoạn đẩy mạnh công nghiệp hóa, hiện đại hóa" in docs["000"].clean_text
    assert docs["000"].mentions.filter(kind="legal_ref", key="418/QĐ-TTg").exists()
    # 002 is a PDF's text: hard line breaks joined, its page number dropped.
    report = docs["002"]
    assert report.kind == "report"
    assert "tổ chức, doanh nghiệp trong nước; công tác tuyên truyền" in report.clean_text
    assert not report.clean_text.startswith("1")
    assert report.mentions.filter(kind="legal_ref", key="1851/QĐ-TTg").count() >= 3
    # Its footnotes (a text dump: each opens with its number at the page's foot) are kept
    # apart, one passage each, and pointed to from the body's glued markers ("vực2.").
    notes = list(report.passages.filter(kind="footnote").order_by("ordinal"))
    assert len(notes) >= 8
    assert [p.label for p in notes] == [f"[{n}]" for n in range(1, len(notes) + 1)]
    body = "\n".join(report.passages.filter(kind="body").values_list("text", flat=True))
    for n, note in enumerate(notes, start=1):
        number, opening = note.text.split(None, 1)
        assert number == str(n)
        assert opening[:30] not in body  # no footnote text glued into a body sentence
    page = client.get(report.get_absolute_url()).content.decode()
    assert all(f'href="#p{note.ordinal}"' in page for note in notes)
    # It is a report with no date of its own: the date of the decision it reports on is not
    # its signing date.
    assert report.signed_on is None
    # Titles: the article's own words, not the file name, the site banner or the author.
    first = docs["000"]
    assert first.original_name[4:20] not in first.title and len(first.title) <= 170
    assert first.title.rstrip("…") in first.clean_text  # its opening words
    article = docs["001"].title
    assert not article.rstrip().endswith("*") and article.split()[-1].islower()  # no author
    news = docs["004"]
    banner = news.clean_text.split("\n\n", 1)[0]
    assert news.title != banner and ".vn" not in news.title and news.title in news.clean_text
    # 003 is English.
    assert docs["003"].language == "en"
    # Run again: nothing new.
    call_command("ingest", *sorted(glob.glob(f"{folder}/*")))
    assert Document.objects.count() == 5
    assert "already there" in capsys.readouterr().out
