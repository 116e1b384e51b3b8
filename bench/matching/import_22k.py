"""Time for an import of 22,000 technology offers (the national database's size) to be
lexically searchable (goal: 2 minutes), and the embeddings that follow in the background.

    python bench/matching/import_22k.py [--rows 22000] [--embed-seconds 60]
        [--out bench/results/matching_import_22k.json] [--note "measured under load"]

Method. In a throwaway SQLite database (migrated, with the reference data of
``caunoi load-reference``: fields, countries, organisations), an officer first imports 20
Vietnamese offers (the "existing" records). The generator then writes a CSV of ``--rows``
synthetic offers, written by us from templates: Vietnamese only (70 %), bilingual (20 %) or
English only (10 %), owned round-robin by the reference organisations, each with its own
model code and patent number, fields, country, TRL, cooperation types; among them the
English translations of the 20 existing offers (the same model code and patent number), which
are cross-language duplicates. The file goes through the product's path: the upload
(``imports.import_upload``, type and size checks, reading), which queues a background job as
the file has more than 500 rows; the bench runs that job in a ``caunoi`` worker (the product's
worker, in process, one task) with ``--skip-duplicates`` semantics (the duplicates are left
out and listed). The clock starts before the upload and stops when a lexical search as the
officer finds the last row by its model code (after ``lexical.sync()``, the tantivy index
applying the change log). The job analyses the search texts in ``CAUNOI_IMPORT_WORKERS``
processes (default: one per core) beside the importing one, which validates, checks the
duplicates and writes. CPU seconds are reported beside the wall clock, as the machine is
shared: of the importing process and of the analysis workers (children, counted once they
have exited), and the load average. Then the queued embedding job runs in a worker
subprocess for ``--embed-seconds`` and its progress (done/total from the job) gives the
embedding rate and the time the remaining embeddings need; the subprocess is then stopped
(the throwaway database is discarded).

The marketplace's default import limits take the file as it is
(``CAUNOI_MARKET_IMPORT_MAX_ROWS`` 25,000, ``CAUNOI_MARKET_IMPORT_MAX_BYTES`` 64 MB).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
WORK = Path("/tmp/caunoi-bench-import22k")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
os.environ["CAUNOI_VAR_DIR"] = str(WORK / "var")
os.environ["CAUNOI_SEARCH_EMBED"] = "inline"
os.environ["CAUNOI_TASKS_WORKER"] = "off"
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)
OUT = ROOT / "bench" / "results" / "matching_import_22k.json"

# (Vietnamese, English) pieces of the synthetic offers.
THINGS = [
    ("cảm biến khí", "gas sensor"),
    ("máy sấy lạnh", "cold dryer"),
    ("pin natri-ion", "sodium-ion battery"),
    ("bộ nghịch lưu năng lượng mặt trời", "solar inverter"),
    ("hệ thống tưới nhỏ giọt thông minh", "smart drip irrigation system"),
    ("chip xử lý ảnh", "image processing chip"),
    ("chế phẩm vi sinh xử lý rơm rạ", "microbial straw treatment"),
    ("máy phân loại hạt điều", "cashew grading machine"),
    ("vật liệu cách nhiệt sinh học", "bio-based insulation material"),
    ("phần mềm nhận dạng bệnh lúa", "rice disease recognition software"),
    ("thiết bị lọc nước nhiễm mặn", "brackish water purifier"),
    ("robot hàn công nghiệp", "industrial welding robot"),
]
QUALITIES = [
    ("công suất thấp", "low-power"),
    ("hiệu suất cao", "high-efficiency"),
    ("chi phí thấp", "low-cost"),
    ("thu nhỏ", "compact"),
    ("tự động", "automatic"),
]
USES = [
    ("cho hợp tác xã nông nghiệp", "for farming cooperatives"),
    ("cho nhà máy chế biến", "for processing plants"),
    ("cho trạm quan trắc môi trường", "for environmental monitoring stations"),
    ("cho bệnh viện tuyến tỉnh", "for provincial hospitals"),
]
FIELDS = ["semiconductors", "artificial-intelligence", "new-and-renewable-energy", "biotechnology"]
COOPERATION = ["licence", "technical", "joint_venture", "commercial"]
COUNTRIES = ["KR", "JP", "DE", "FR", "US", "VN", "CN", "SG"]
HEADER = [
    "title_vi",
    "title_en",
    "summary_vi",
    "summary_en",
    "trl",
    "cooperation",
    "owner_organization",
    "country",
    "fields",
    "patent_numbers",
    "source",
]


def offer(i: int, owner: str, rng: random.Random, language: str) -> dict[str, str]:
    thing, quality, use = rng.choice(THINGS), rng.choice(QUALITIES), rng.choice(USES)
    code = f"QX{i:05d}"
    patent = f"VN 1-00{i:05d}"
    row = {
        "title_vi": f"{thing[0].capitalize()} {quality[0]} {code}",
        "title_en": f"{quality[1].capitalize()} {thing[1]} {code}",
        "summary_vi": f"Mẫu {code} là {thing[0]} {quality[0]} {use[0]}, được bảo hộ theo "
        f"bằng {patent}, đã thử nghiệm {rng.randint(3, 40)} tháng.",
        "summary_en": f"Model {code} is a {quality[1]} {thing[1]} {use[1]}, protected by "
        f"patent {patent}, tested for {rng.randint(3, 40)} months.",
        "trl": str(rng.randint(3, 9)),
        "cooperation": ";".join(rng.sample(COOPERATION, 2)),
        "owner_organization": owner,
        "country": rng.choice(COUNTRIES),
        "fields": rng.choice(FIELDS),
        "patent_numbers": patent,
        "source": "manual",
    }
    if language == "vi":
        row["title_en"] = row["summary_en"] = ""
    elif language == "en":
        row["title_vi"] = row["summary_vi"] = ""
    return row


def write_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (the import's analysis workers), after
    reaping those that have exited."""
    import multiprocessing

    deadline = time.monotonic() + 30
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    t = os.times()
    return t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=22000)
    parser.add_argument("--embed-seconds", type=int, default=60)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--note", default="", help='conditions, e.g. "measured under load" (written as is)'
    )
    args = parser.parse_args()

    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "var").mkdir(parents=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django_tasks_db.models import DBTaskResult

    from caunoi.accounts.models import User
    from caunoi.jobs.models import Job
    from caunoi.jobs.worker import Worker
    from caunoi.market import imports
    from caunoi.market.models import TechnologyOffer
    from caunoi.registry.models import Organization
    from caunoi.registry.reference import reference_sync
    from caunoi.search import lexical, service

    reference_sync()
    officer = User.objects.create_user("bench-officer", password="x", role="admin")
    owners = list(Organization.objects.order_by("key").values_list("key", flat=True))
    rng = random.Random(22)
    existing = [offer(i, owners[i % len(owners)], rng, "vi") for i in range(20)]
    first = imports.import_offers(user=officer, rows=existing)
    assert first.ok, first.errors[:5]
    # the small import's embedding and matching jobs: not part of the measure
    DBTaskResult.objects.all().delete()
    Job.objects.all().delete()
    rows = []
    for i in range(20, 20 + args.rows - 20):
        roll = rng.random()
        language = "vi" if roll < 0.7 else "both" if roll < 0.9 else "en"
        rows.append(offer(i, owners[i % len(owners)], rng, language))
    # English twins of the existing offers (the same seed: the same model code and patent)
    rng_again = random.Random(22)
    planted = []
    for i in range(20):
        twin = offer(i, owners[i % len(owners)], rng_again, "both")
        planted.append({**twin, "title_vi": "", "summary_vi": ""})
    for k, row in enumerate(planted):
        rows.insert((k + 1) * (len(rows) // 21), row)
    last_code = rows[-1]["title_en"].split()[-1] if rows[-1]["title_en"] else ""
    last_code = last_code or rows[-1]["title_vi"].split()[-1]
    content = write_csv(rows)

    load_before = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    cpu = time.process_time()
    children_cpu = _children_cpu()
    job = imports.import_upload(
        user=officer, name="national.csv", content=content, skip_duplicates=True
    )
    assert isinstance(job, Job), job
    queued = time.perf_counter() - started
    Worker(batch=True, interval=0, max_tasks=1, scheduler=False).run()
    imported = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, (job.state, job.error, str(job.result)[:500])
    lexical.sync()
    hits = service.search(user=officer, query=last_code, mode="lexical", kinds=["offers"]).hits
    searchable = time.perf_counter() - started
    searchable_cpu = time.process_time() - cpu
    workers_cpu = _children_cpu() - children_cpu
    assert hits, f"{last_code} not found"
    result = job.result
    skipped = result.get("skipped", [])

    embed_job = Job.objects.filter(kind__endswith="embed_missing").first()
    embedding: dict[str, Any] = {"job": bool(embed_job)}
    if embed_job is not None:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        worker = subprocess.Popen(
            [sys.executable, "-m", "caunoi.cli", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        t0 = time.perf_counter()
        time.sleep(args.embed_seconds)
        embed_job.refresh_from_db()
        elapsed = time.perf_counter() - t0
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        rate = (embed_job.done or 0) / elapsed if elapsed else 0.0
        embedding = {
            "job": True,
            "state_seen": embed_job.state,
            "done": embed_job.done,
            "total": embed_job.total,
            "seconds_watched": round(elapsed, 1),
            "documents_per_second": round(rate, 2),
            "hours_for_the_rest": round(
                ((embed_job.total or 0) - (embed_job.done or 0)) / rate / 3600, 2
            )
            if rate
            else None,
        }
    report = {
        **({"note": args.note} if args.note else {}),
        "rows": len(rows),
        "database": "sqlite",
        "seconds_to_searchable": round(searchable, 2),
        "cpu_seconds_to_searchable": round(searchable_cpu, 2),
        "analysis_workers": imports.import_workers(),
        "workers_cpu_seconds": round(workers_cpu, 2),
        "cpu_seconds_all_processes": round(searchable_cpu + workers_cpu, 2),
        "upload_and_queue_seconds": round(queued, 2),
        "job_seconds": round(imported - queued, 2),
        "created": result.get("created"),
        "offers_in_database": TechnologyOffer.objects.count(),
        "duplicates_planted": len(planted),
        "duplicates_skipped": len(skipped),
        "possible_duplicate_warnings": [w["message"] for w in result.get("warnings", [])][:5],
        "possible_duplicate_warning_count": len(result.get("warnings", [])),
        "load_average_before": load_before,
        "load_average_after": round(os.getloadavg()[0], 2),
        "embedding": embedding,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
