"""How well "from document to record" reads: per-field accuracy of the proposed values on our
demo documents against what an officer would enter (written by hand below), and that
documents which are no agreement or project decision (the other demo documents, the five
seeds where ../shared/seeds exists) propose nothing. The figures are in docs/kb.md; run with
``-s`` to print them."""

from __future__ import annotations

import datetime as dt
import glob
from collections import Counter
from pathlib import Path
from typing import Any

from caunoi.kb import drafting, extract, metadata
from caunoi.kb.demo import DATA_DIR
from support import shared_path
from vntext.layout import clean_document

TODAY = dt.date(2026, 12, 1)  # statuses depend on the day; the figures are for this one
FIELDS = {
    "P09": "Năng lượng mới và năng lượng tái tạo",
    "P11": "Pin và lưu trữ năng lượng",
    "P19": "Vật liệu mới",
    "P27": "Đổi mới sáng tạo và khởi nghiệp",
    "1.2": "Khoa học máy tính và thông tin",
    "2.5": "Kỹ thuật vật liệu và luyện kim",
}

# What an officer enters from each document (free-text summary/description not measured).
GOLD: dict[str, tuple[str, dict[str, Any]]] = {
    "ban-ghi-nho-kisti.txt": (
        "agreement",
        {
            "kind": "mou",
            "level": "agency",
            "status": "in_force",
            "signed_on": "2024-09-05",
            "signed_place": "Hà Nội",
            "effective_on": "2024-09-05",
            "expires_on": "2027-09-05",
            "legal_basis": "Quyết định số 112/QĐ-BKHCN",
            "vn_organizations": ["nasati"],
            "foreign_organizations": ["kisti"],
            "fields": ["1.2"],
        },
    ),
    "ban-ghi-nho-kist-2025.txt": (
        "agreement",
        {
            "kind": "mou",
            "level": "agency",
            "status": "in_force",
            "signed_on": "2025-06-12",
            "signed_place": "Seoul",
            "effective_on": "2025-06-12",
            "expires_on": "2030-06-12",
            "auto_renew": True,
            "legal_basis": "Quyết định số 112/QĐ-BKHCN",
            "vn_organizations": ["vast"],
            "foreign_organizations": ["kist"],
            "fields": ["P09", "P11", "P19"],
        },
    ),
    "quyet-dinh-phe-duyet-du-an-2025.txt": (
        "project",
        {
            "title_vi": "Nâng cao năng lực đổi mới sáng tạo cho doanh nghiệp khởi nghiệp công "
            "nghệ Việt Nam",
            "code": "IPP3-VN-2025-01",
            "kind": "oda",
            "status": "implementation",
            "lead_organization": "natec",
            "funder": "formin-finland",
            "participants": ["vtt"],
            "planned_start": "2025-04-01",
            "planned_end": "2028-03-31",
            "budget": "2500000.00",
            "currency": "EUR",
            "fields": ["P27"],
        },
    ),
}
NOT_PROPOSING = ("quyet-dinh-45-2019.txt", "quyet-dinh-112-2024.txt", "bao-cao-htqt-2024.html")


def _read(path: Path) -> tuple[str, str, str]:
    read = extract.read_file(path.read_bytes())
    clean = clean_document(read.pages, paged=read.paged)
    guessed = metadata.guess(clean.text, declared_title=read.title)
    return clean.text, str(guessed.get("kind", "other")), str(guessed.get("title", ""))


def _draft(path: Path) -> tuple[str, dict[str, Any]] | None:
    text, kind, title = _read(path)
    found = drafting.draft(text, kind=kind, title=title, field_names=FIELDS, today=TODAY)
    if found is None:
        return None
    target, values = found
    return target, {name: p.value for name, p in values.items()}


def test_per_field_accuracy_on_the_demo_documents() -> None:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for name, (target, gold) in GOLD.items():
        found = _draft(DATA_DIR / name)
        assert found is not None and found[0] == target, name
        for field, expected in gold.items():
            got = found[1].get(field)
            if isinstance(expected, list):
                got = sorted(got or [])
            total[field] += 1
            right[field] += got == expected
    for name in NOT_PROPOSING:
        assert _draft(DATA_DIR / name) is None, name
    for field in sorted(total):
        print(f"{field}: {right[field]}/{total[field]}")
    overall = sum(right.values()) / sum(total.values())
    print(f"overall: {sum(right.values())}/{sum(total.values())} = {overall:.0%}")
    assert overall >= 0.9
    # Dates, parties and legal basis are read from the text, not guessed: all right here.
    for field in ("signed_on", "expires_on", "legal_basis", "foreign_organizations", "code"):
        assert right[field] == total[field], field


def test_the_seeds_propose_nothing() -> None:
    """None of the five seeds is an agreement, MoU or project decision (two articles, a
    report on 1851/QĐ-TTg, an English paper, a news page)."""
    folder = shared_path("seeds")
    paths = sorted(glob.glob(f"{folder}/*"))
    assert len(paths) == 5
    for path in paths:
        assert _draft(Path(path)) is None, path


def test_a_partner_outside_the_gazetteer_is_found_by_its_registry_name() -> None:
    text = (
        "BẢN GHI NHỚ\n\nVề hợp tác giữa Viện Hàn lâm Khoa học và Công nghệ Việt Nam và Viện "
        "Nghiên cứu Ánh Dương Busan\n\nHà Nội, ngày 3 tháng 3 năm 2025\n\nHai bên hợp tác.\n"
    )
    registry = [("anh-duong", "Viện Nghiên cứu Ánh Dương Busan", "", "KR")]
    found = drafting.draft(text, kind="other", registry_orgs=registry, today=TODAY)
    assert found is not None
    foreign = found[1]["foreign_organizations"]
    assert foreign.value == ["anh-duong"] and foreign.quote == "Viện Nghiên cứu Ánh Dương Busan"
    assert found[1]["vn_organizations"].value == ["vast"]
    assert drafting.draft(text, kind="other", today=TODAY)[1].get("foreign_organizations") is None
