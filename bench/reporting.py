"""Benchmark: a reporting campaign's page and its consolidated report at the issue's size,
82 units × 5 yearly campaigns × 200 indicators.

Method
------
1. A fresh embedded SQLite database in a temporary var directory (``--dsn`` for PostgreSQL),
   migrated; 19 ministries and 63 provinces; one template version of 200 indicators (100
   numbers, 40 percentages, 20 yes/no, 20 choices, 20 narrative texts, in 10 sections).
2. Five campaigns (2021–2025) over the 82 units; in each, about 85 % of the units send a
   report, with every indicator answered (random values, seeded), as a submitted version.
   Rows are bulk-inserted (the services' checks are measured by the tests, not here).
3. For the latest campaign, in-process through Django's test client as an administrator:
   the campaign page (completeness by unit type, region and category, its three charts; the
   units' status list) and the dashboard (the campaigns panel with its chart), ``--repeat``
   times after a warm-up; p50/p95 milliseconds (the query count of the campaign page is
   asserted constant by tests/reporting/test_pages.py); the campaign's "Indicators" page
   (the measured indicators aggregated overall, by unit type, by region and across the
   five campaigns of the template; its first page of 25 rendered) and one indicator's page
   (its three charts: the trend, by unit type, by region). Each campaign's aggregates are
   kept in Django's cache until its data change, so the Indicators page is also measured
   with the cache emptied before every request (all five campaigns gathered again). Drawn
   charts are kept in memory
   (``core.charts``, by their data), so each page is measured twice: as served (the charts
   already drawn by the warm-up) and with the charts drawn again on every request.
   Then the consolidated report: ``consolidate`` + DOCX (three charts drawn at 300 dpi),
   + PDF (the same), and + XLSX, wall-clock.

Run: ``.venv/bin/python bench/reporting.py`` (about a minute on 2 cores). Writes
``bench/results/reporting.json`` and prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NO_CHARTS = ("campaign list", "indicators page")


def setup_django(dsn: str | None) -> None:
    if dsn:
        os.environ["DATABASE_URL"] = dsn
    os.environ.setdefault("CAUNOI_VAR_DIR", tempfile.mkdtemp(prefix="caunoi-bench-"))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "caunoi.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def populate(n_indicators: int, years: int, seed: int = 11) -> tuple[object, list[object]]:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from caunoi.accounts.models import Unit, User
    from caunoi.reporting.models import (
        Campaign,
        CampaignUnit,
        Submission,
        SubmissionVersion,
    )
    from caunoi.reporting.regions import provinces_2020
    from caunoi.reporting.services import template_version_create

    call_command("migrate", verbosity=0)
    rnd = random.Random(seed)
    htqt = Unit.objects.create(code="htqt", name_vi="Vụ Hợp tác quốc tế", kind="department")
    admin = User.objects.create_user("bench", password="x", role="admin", unit=htqt)
    units = [
        Unit.objects.create(code=f"bo-{i}", name_vi=f"Bộ {i:02d}", kind="ministry")
        for i in range(19)
    ]
    provinces = []
    for p in provinces_2020():
        provinces.append(
            (Unit.objects.create(code=p.code, name_vi=p.name_vi, kind="province"), p.region)
        )
    kinds = ["number"] * 100 + ["percent"] * 40 + ["yesno"] * 20 + ["choice"] * 20 + ["text"] * 20
    kinds = kinds[:n_indicators]
    sections = []
    for s in range(10):
        items = []
        for i, kind in enumerate(kinds[s::10]):
            code = f"ct-{s:02d}-{i:03d}"
            item = {"code": code, "label_vi": f"Chỉ tiêu {s}.{i}", "kind": kind}
            if kind == "number":
                item.update(unit="đơn vị", aggregation="sum")
            elif kind == "percent":
                item.update(aggregation="average")
            elif kind in ("yesno", "choice"):
                item.update(aggregation="count")
            if kind == "choice":
                item["choices"] = [{"value": v, "label_vi": v} for v in ("tot", "kha", "tb")]
            items.append(item)
        sections.append({"code": f"muc-{s}", "title_vi": f"Mục {s + 1}", "indicators": items})
    version = template_version_create(code="bench", title_vi="Mẫu đo", sections=sections)
    indicators = [i for s in sections for i in s["indicators"]]

    def value(item: dict[str, object]) -> object:
        kind = item["kind"]
        if kind == "number":
            return rnd.randint(0, 500)
        if kind == "percent":
            return rnd.randint(0, 100)
        if kind == "yesno":
            return rnd.random() < 0.5
        if kind == "choice":
            return rnd.choice(["tot", "kha", "tb"])
        return "Đơn vị đã triển khai các nhiệm vụ theo kế hoạch, phối hợp với đối tác nước ngoài."

    campaigns = []
    with transaction.atomic():
        for year in range(2026 - years, 2026):
            opens = dt.date(year, 10, 1)
            campaign = Campaign.objects.create(
                title_vi=f"Báo cáo năm {year}",
                template_version=version,
                owner_unit=htqt,
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                opens_on=opens,
                deadline=dt.date(year, 12, 10),
                timely_days=5,
                created_by=admin,
            )
            campaigns.append(campaign)
            rows = [
                CampaignUnit(
                    campaign=campaign,
                    unit=u,
                    code=u.code,
                    name_vi=u.name_vi,
                    kind=u.kind,
                    region=r,
                    added_on=opens,
                )
                for u, r in [(u, "central") for u in units] + provinces
            ]
            CampaignUnit.objects.bulk_create(rows)
            subs = []
            for cu in CampaignUnit.objects.filter(campaign=campaign):
                for kind in ("plan", "report"):
                    sent = rnd.random() < (0.85 if kind == "report" else 0.4)
                    when = timezone.make_aware(
                        dt.datetime(year, 11, 1) + dt.timedelta(days=rnd.randint(0, 50))
                    )
                    subs.append(
                        Submission(
                            campaign_unit=cu,
                            kind=kind,
                            state="submitted" if sent else "draft",
                            answers={i["code"]: value(i) for i in indicators}
                            if sent and kind == "report"
                            else {},
                            first_submitted_at=when if sent else None,
                            submitted_at=when if sent else None,
                        )
                    )
            Submission.objects.bulk_create(subs)
            SubmissionVersion.objects.bulk_create(
                SubmissionVersion(submission=s, number=1, state=s.state, answers=s.answers)
                for s in Submission.objects.filter(
                    campaign_unit__campaign=campaign, state="submitted"
                )
            )
    return admin, campaigns


def timed(fn, repeat: int) -> tuple[list[float], object]:  # type: ignore[no-untyped-def]
    out = None
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dsn", default=None)
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    setup_django(args.dsn)
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client

    from caunoi.core.charts import render_png, render_svg
    from caunoi.reporting.consolidated import consolidate, write_docx, write_xlsx
    from caunoi.reporting.pdf import write_pdf

    def cold() -> None:
        """Forget every drawn chart: the next request draws its charts again."""
        render_svg.cache_clear()
        render_png.cache_clear()

    t0 = time.perf_counter()
    admin, campaigns = populate(args.indicators, args.years)
    load_s = time.perf_counter() - t0
    latest = campaigns[-1]
    client = Client()
    client.force_login(admin)
    results: dict[str, object] = {"load_s": round(load_s, 1), "vendor": connection.vendor}
    for name, url in (
        ("campaign page", f"/reporting/{latest.pk}/"),
        ("dashboard", "/"),
        ("campaign list", "/reporting/"),
        ("indicators page", f"/reporting/{latest.pk}/indicators/"),
        ("indicator page", f"/reporting/{latest.pk}/indicators/ct-00-000/"),
    ):
        client.get(url)
        times, _ = timed(lambda url=url: client.get(url), args.repeat)
        results[name] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(sorted(times)[max(0, int(len(times) * 0.95) - 1)], 1),
        }
        if name not in NO_CHARTS:  # the same page drawing its charts on every request

            def drawn(url: str = url) -> object:
                cold()
                return client.get(url)

            times, _ = timed(drawn, args.repeat)
            results[f"{name}, charts drawn"] = {
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(sorted(times)[max(0, int(len(times) * 0.95) - 1)], 1),
            }
        if name == "indicators page":  # every campaign's aggregates gathered again

            def gathered(url: str = url) -> object:
                caches["default"].clear()
                return client.get(url)

            times, _ = timed(gathered, args.repeat)
            results[f"{name}, aggregates gathered"] = {
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(sorted(times)[max(0, int(len(times) * 0.95) - 1)], 1),
            }
    times, _data = timed(lambda: consolidate(latest), 3)
    results["consolidate_ms"] = round(statistics.median(times), 1)

    def report(writer):  # type: ignore[no-untyped-def]
        cold()  # the report draws its charts at print resolution
        return writer(consolidate(latest))

    times, docx = timed(lambda: report(write_docx), 3)
    results["docx_ms"] = round(statistics.median(times), 1)
    results["docx_bytes"] = len(docx)  # type: ignore[arg-type]
    times, _xlsx = timed(lambda: write_xlsx(consolidate(latest)), 3)
    results["xlsx_ms"] = round(statistics.median(times), 1)
    times, pdf = timed(lambda: report(write_pdf), 3)
    results["pdf_ms"] = round(statistics.median(times), 1)
    results["pdf_bytes"] = len(pdf)  # type: ignore[arg-type]
    out = ROOT / "bench" / "results" / "reporting.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
