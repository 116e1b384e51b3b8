"""Demo documents of the knowledge base, written by us (``demo_data/``): an older decision
that a newer one supersedes, the newer decision with articles and clauses, a memorandum of
understanding and a short report; a second memorandum (with KIST) and a project decision,
which propose draft registry records for an officer to confirm. Loaded through the upload
service and ingested in this process; idempotent (the same files are the same documents)."""

from __future__ import annotations

from pathlib import Path

from caunoi.kb.ingest import ingest
from caunoi.kb.models import Document, Status
from caunoi.kb.services import documents_upload

DATA_DIR = Path(__file__).parent / "demo_data"
# file → who may read it
FILES = {
    "quyet-dinh-45-2019.txt": "public",
    "quyet-dinh-112-2024.txt": "public",
    "ban-ghi-nho-kisti.txt": "staff",
    "bao-cao-htqt-2024.html": "public",
    # An MoU and a project decision: each proposes a draft registry record to officers.
    "ban-ghi-nho-kist-2025.txt": "staff",
    "quyet-dinh-phe-duyet-du-an-2025.txt": "public",
}


def load_kb_demo() -> dict[str, int]:
    from caunoi.accounts.models import Unit

    unit = Unit.objects.filter(code="htqt").first()
    created = 0
    for name, audience in FILES.items():
        [result] = documents_upload(
            user=None,
            files=[(name, (DATA_DIR / name).read_bytes())],
            audience=audience,
            owner_unit=unit,
            run=ingest,
        )
        created += result.created
    old = Document.objects.filter(number="45/QĐ-BKHCN").first()
    new = Document.objects.filter(number="112/QĐ-BKHCN").first()
    if old is not None and new is not None and old.status != Status.SUPERSEDED:
        Document.objects.filter(pk=old.pk).update(status=Status.SUPERSEDED, superseded_by=new)
    return {"documents": Document.objects.count(), "created": created}
