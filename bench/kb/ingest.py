"""Time to make a 100-page Vietnamese PDF lexically searchable (target: 10 s).

    python bench/kb/ingest.py [--pages 100] [--out bench/results/kb_ingest.json]

Method: ``bench/kb/pdfgen.py`` writes a PDF of numbered articles and clauses (running header,
page numbers, a footnote per page; DejaVu Sans). In a throwaway SQLite database (migrated
first) the file goes through the product's path, as ``caunoi ingest`` runs it: the upload
service (type check, hash, storage), ``caunoi.kb.ingest.ingest`` (read with pypdfium2, clean,
passages, metadata, mentions, passages' search documents, one transaction) and
``lexical.sync()`` (the tantivy index applies the change log). The clock stops when a search
as an administrator finds a phrase that only the last page holds (after the passages'
transaction commits; the mentions are written after that, and timed apart). CPU seconds of
the process are reported beside the wall clock, as the machine is shared. Embeddings are off
(``CAUNOI_SEARCH_EMBED=off``): they follow in the background and are not part of "lexically
searchable". The run is repeated ``--runs`` times on fresh databases; the median is reported.
The three PDF readers are also timed on the same file (text extraction only).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench" / "kb"))
WORK = Path("/tmp/caunoi-bench-kb")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
os.environ["CAUNOI_VAR_DIR"] = str(WORK / "var")
os.environ["CAUNOI_SEARCH_EMBED"] = "off"
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def readers(data: bytes) -> dict[str, float]:
    """Seconds each PDF library takes to extract the text of every page."""
    import io

    out: dict[str, float] = {}
    import pypdfium2 as pdfium

    t = time.perf_counter()
    doc = pdfium.PdfDocument(data)
    for i in range(len(doc)):
        tp = doc[i].get_textpage()
        tp.get_text_range(0, tp.count_chars())
        tp.close()
    doc.close()
    out["pypdfium2"] = round(time.perf_counter() - t, 2)
    try:
        import pypdf

        t = time.perf_counter()
        for page in pypdf.PdfReader(io.BytesIO(data)).pages:
            page.extract_text()
        out["pypdf"] = round(time.perf_counter() - t, 2)
    except ImportError:
        pass
    try:
        from pdfminer.high_level import extract_text

        t = time.perf_counter()
        extract_text(io.BytesIO(data))
        out["pdfminer.six"] = round(time.perf_counter() - t, 2)
    except ImportError:
        pass
    return out


def one_run(data: bytes, last_phrase: str) -> dict[str, float]:
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    shutil.rmtree(WORK / "var", ignore_errors=True)
    (WORK / "var").mkdir(parents=True)
    call_command("migrate", verbosity=0)
    from caunoi.accounts.models import User
    from caunoi.kb.ingest import ingest
    from caunoi.kb.services import documents_upload
    from caunoi.search import lexical, service

    admin = User.objects.create_user("bench-admin", password="x", role="admin")
    marks: dict[str, float] = {}
    found: list[int] = []
    started = time.perf_counter()
    cpu = time.process_time()

    def run(document: Any) -> None:
        def step(done: int, total: int) -> None:
            marks[f"step_{done}"] = time.perf_counter() - started
            if done == 3:  # the passages' transaction has committed
                lexical.sync()
                hits = service.search(
                    user=admin, query=last_phrase, mode="lexical", kinds=["passages"]
                ).hits
                found.append(len(hits))
                marks["searchable"] = time.perf_counter() - started
                marks["searchable_cpu"] = time.process_time() - cpu

        ingest(document, progress=step)

    [result] = documents_upload(user=None, files=[("bench.pdf", data)], run=run)
    assert result.document is not None and not result.error, result.error
    assert found and found[0], "the last page's phrase was not found"
    result.document.refresh_from_db()
    return {
        "seconds": round(marks["searchable"], 2),
        "cpu_seconds": round(marks["searchable_cpu"], 2),
        "read_file": round(marks["step_1"], 2),
        "clean_passages_analyse": round(marks["step_2"] - marks["step_1"], 2),
        "write_rows": round(marks["step_3"] - marks["step_2"], 2),
        "sync_and_search": round(marks["searchable"] - marks["step_3"], 2),
        "mentions_after": round(marks["step_4"] - marks["searchable"], 2),
        "passages": result.document.passages.count(),
        "pages": result.document.page_count or 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    import django

    django.setup()
    from pdfgen import article_text, make_pdf

    WORK.mkdir(parents=True, exist_ok=True)
    data = make_pdf(args.pages)
    out: dict[str, Any] = {"pages": args.pages, "bytes": len(data), "load_start": _load()}
    out["readers_seconds"] = readers(data)
    # A long-running worker has its analyser loaded: load it before the clock, and say how
    # long that takes (a one-off per process, paid by a cold ``caunoi ingest``).
    from caunoi.search import analyzer

    t = time.perf_counter()
    analyzer.document_terms("Khởi động", "Bộ Khoa học và Công nghệ ban hành quy chế.", "")
    out["analyser_load_seconds"] = round(time.perf_counter() - t, 2)

    runs = []
    for run in range(args.runs):
        import pypdfium2 as pdfium

        data = make_pdf(args.pages, seed=run + 1)  # new sentences: no analyser cache hits
        pdf = pdfium.PdfDocument(data)
        tp = pdf[len(pdf) - 1].get_textpage()
        last_lines = tp.get_text_range(0, tp.count_chars()).split("\r\n")
        tp.close()
        pdf.close()
        article = next(x for x in reversed(last_lines) if x.startswith("Điều "))
        n = int(article.split()[1].rstrip("."))
        phrase = f"Khoản 1 của Điều {n}"
        assert article_text(n, run + 1)
        runs.append(one_run(data, phrase))
        print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    out["runs"] = runs
    out["median_seconds"] = statistics.median(r["seconds"] for r in runs)
    out["median_cpu_seconds"] = statistics.median(r["cpu_seconds"] for r in runs)
    out["load_end"] = _load()
    text = json.dumps(out, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
