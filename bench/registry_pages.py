"""Benchmark: registry list/detail pages and API endpoints with 100k agreements and 100k projects
on PostgreSQL.

Method
------
1. Create a fresh PostgreSQL database (default ``caunoi_bench`` on 127.0.0.1:5432, user
   postgres; override with ``--dsn``), migrate it and load the reference taxonomy.
2. Bulk-insert N agreements (each with one or two parties and one or two fields of S&T) and
   N projects (funder, lead organisation, fields), 60 % public, spread over 2000–2026.
3. ``ANALYZE``, then request each URL in-process through Django's test client (the whole stack:
   middleware, sessions, templates, ORM, PostgreSQL over TCP; no network proxy) ``--repeat``
   times after two warm-up requests, as an administrator and as the anonymous public, and
   record p50/p95 wall-clock milliseconds and the number of SQL queries per request.

Text search (``?q=``) goes through the search index, which bulk inserts bypass; its latency is
measured by bench/search/ instead.

Run: ``.venv/bin/python bench/registry_pages.py --n 100000`` (about 3 minutes on 2 cores).
Writes ``bench/results/registry_pages.json`` and prints a Markdown table for docs/benchmarks.md.
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


def setup_django(dsn: str) -> None:
    os.environ["DATABASE_URL"] = dsn
    os.environ.setdefault("CAUNOI_VAR_DIR", tempfile.mkdtemp(prefix="caunoi-bench-"))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "caunoi.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def recreate_database(dsn: str) -> None:
    import psycopg

    base, _, name = dsn.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def populate(n: int, seed: int = 7) -> dict[str, int]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from caunoi.accounts.models import Unit
    from caunoi.accounts.services import user_create
    from caunoi.registry.models import Agreement, AgreementParty, Organization, Project
    from caunoi.registry.reference import reference_sync
    from caunoi.taxonomy.models import Country, Field

    call_command("migrate", verbosity=0)
    reference_sync()
    rng = random.Random(seed)
    htqt = Unit.objects.get(code="htqt")
    province = Unit.objects.create(code="ha-noi", name_vi="Sở KH&CN Hà Nội", kind="province")
    user_create(username="admin", password="bench-admin-pw-1", role="admin", unit=htqt)
    countries = list(Country.objects.values_list("iso2", flat=True))
    orgs = list(Organization.objects.values_list("pk", flat=True))
    fields = list(Field.objects.values_list("pk", flat=True))
    topics = [
        "trí tuệ nhân tạo",
        "bán dẫn",
        "năng lượng tái tạo",
        "công nghệ sinh học",
        "vắc-xin",
        "chuyển đổi số",
        "vật liệu mới",
        "nông nghiệp công nghệ cao",
        "năng lượng nguyên tử",
        "vũ trụ",
        "biến đổi khí hậu",
        "đổi mới sáng tạo",
    ]
    kinds = [k for k, _ in Agreement.Kind.choices]
    statuses = [s for s, _ in Agreement.Status.choices]
    start = dt.date(2000, 1, 1)
    t0 = time.perf_counter()
    batch = 5000
    with transaction.atomic():
        for offset in range(0, n, batch):
            rows = []
            for i in range(offset, min(n, offset + batch)):
                signed = start + dt.timedelta(days=rng.randrange(0, 9800))
                rows.append(
                    Agreement(
                        title_vi=f"Thỏa thuận hợp tác về {rng.choice(topics)} số {i}",
                        title_en=f"Cooperation agreement no. {i}",
                        kind=rng.choice(kinds),
                        level="ministry",
                        status=rng.choice(statuses),
                        signed_on=signed,
                        effective_on=signed,
                        expires_on=signed + dt.timedelta(days=365 * rng.randint(1, 10)),
                        owner_unit=htqt if rng.random() < 0.8 else province,
                        is_public=rng.random() < 0.6,
                    )
                )
            created = Agreement.objects.bulk_create(rows)
            parties = []
            through = Agreement.fields.through
            links = []
            for a in created:
                parties.append(
                    AgreementParty(agreement=a, side="foreign", country_id=rng.choice(countries))
                )
                if rng.random() < 0.5:
                    parties.append(
                        AgreementParty(
                            agreement=a, side="foreign", organization_id=rng.choice(orgs)
                        )
                    )
                for f in rng.sample(fields, rng.randint(1, 2)):
                    links.append(through(agreement_id=a.pk, field_id=f))
            AgreementParty.objects.bulk_create(parties)
            through.objects.bulk_create(links)
        for offset in range(0, n, batch):
            rows = []
            for i in range(offset, min(n, offset + batch)):
                begin = start + dt.timedelta(days=rng.randrange(0, 9800))
                rows.append(
                    Project(
                        title_vi=f"Nhiệm vụ hợp tác quốc tế về {rng.choice(topics)} số {i}",
                        kind=rng.choice([k for k, _ in Project.Kind.choices]),
                        status=rng.choice([s for s, _ in Project.Status.choices]),
                        funder_id=rng.choice(orgs),
                        lead_organization_id=rng.choice(orgs),
                        budget=rng.randint(1, 500) * 100_000,
                        currency="USD",
                        planned_start=begin,
                        planned_end=begin + dt.timedelta(days=730),
                        owner_unit=htqt,
                        is_public=rng.random() < 0.6,
                    )
                )
            created_p = Project.objects.bulk_create(rows)
            through_p = Project.fields.through
            through_p.objects.bulk_create(
                [through_p(project_id=p.pk, field_id=rng.choice(fields)) for p in created_p]
            )
    from caunoi.registry.services import country_links_refresh

    country_links_refresh()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"agreements": n, "projects": n, "load_seconds": round(time.perf_counter() - t0, 1)}


class _QueryCounter:
    """Counts the SQL statements a request runs (works with DEBUG off)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.statements.append(sql)
        return execute(sql, params, many, context)

    def __len__(self) -> int:
        return len(self.statements)


def measure(repeat: int) -> list[dict[str, object]]:
    from django.db import connection
    from django.test import Client

    from caunoi.accounts.models import User
    from caunoi.registry.models import Agreement, Project

    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    public = Client()
    a_id = Agreement.objects.filter(is_public=True).order_by("pk").values_list("pk", flat=True)[500]
    p_id = Project.objects.filter(is_public=True).order_by("pk").values_list("pk", flat=True)[500]
    urls = [
        ("dashboard", "/"),
        ("agreements list", "/registry/agreements/"),
        ("agreements list, page 200", "/registry/agreements/?page=200"),
        ("agreements by status", "/registry/agreements/?status=in_force"),
        ("agreements by country", "/registry/agreements/?country=KR"),
        ("agreements by field", "/registry/agreements/?field=semiconductors"),
        ("agreements sorted by title", "/registry/agreements/?sort=title"),
        ("agreement detail", f"/registry/agreements/{a_id}/"),
        ("projects list", "/registry/projects/"),
        ("project detail", f"/registry/projects/{p_id}/"),
        ("country page (KR)", "/countries/kr/"),
        ("API agreements list", "/api/v1/agreements"),
        ("API agreements by country", "/api/v1/agreements?country=KR"),
        ("API agreement detail", f"/api/v1/agreements/{a_id}"),
        ("API projects list", "/api/v1/projects"),
        ("API project detail", f"/api/v1/projects/{p_id}"),
    ]
    results = []
    for who, client in (("admin", admin), ("public", public)):
        for label, url in urls:
            for _ in range(2):
                client.get(url)
            times = []
            queries = _QueryCounter()
            with connection.execute_wrapper(queries):
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            for _ in range(repeat):
                t = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            results.append(
                {
                    "who": who,
                    "page": label,
                    "url": url,
                    "queries": len(queries),
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
                }
            )
            print(
                f"{who:6} {label:32} p50 {results[-1]['p50_ms']:7.1f} ms  "
                f"p95 {results[-1]['p95_ms']:7.1f} ms  {len(queries)} queries",
                flush=True,
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--dsn", default="postgres://postgres@127.0.0.1:5432/caunoi_bench")
    parser.add_argument("--reuse", action="store_true", help="measure an existing bench database")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "registry_pages.json"))
    args = parser.parse_args()
    if not args.reuse:
        recreate_database(args.dsn)
    setup_django(args.dsn)
    loaded = {} if args.reuse else populate(args.n)
    print(f"loaded: {loaded}", flush=True)
    results = measure(args.repeat)
    out = {
        "n": args.n,
        "repeat": args.repeat,
        "loaded": loaded,
        "date": dt.date.today().isoformat(),
        "results": results,
    }
    Path(args.out).write_text(json.dumps(out, indent=1, ensure_ascii=False))
    print("\n| who | page | p50 ms | p95 ms | queries |\n|---|---|---|---|---|")
    for r in results:
        print(f"| {r['who']} | {r['page']} | {r['p50_ms']} | {r['p95_ms']} | {r['queries']} |")


if __name__ == "__main__":
    main()
