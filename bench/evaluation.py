"""Benchmark: the evaluation comparison page (a criteria set scored for every unit and every
partner country) on the demo data.

Method
------
1. The demo database: ``--var-dir DIR`` of an existing ``caunoi demo --no-serve --no-embed``
   (only read here), else one built in a temporary var directory the same way (about two
   minutes: migrate, the demo data set, the lexical index, the reporting and evaluation demo).
   The demo's criteria set *Đánh giá hiệu quả hợp tác quốc tế về KH&CN giai đoạn 2020–2025*
   (twelve indicators, eight computed by the registry's sources) over 301 agreements, 327
   projects and 164 delegations; the page scores every unit owning records and every partner
   country of the agreements in force.
2. In-process, through Django's test client as the demo administrator: the comparison page
   (``/reporting/evaluation/<id>/compare/``) ``--repeat`` times after a warm-up, p50/p95
   milliseconds and its query count; as served (its two charts already drawn, taken from
   ``core.charts``' cache) and with the charts drawn again on every request.
3. The evaluation alone, without the page: ``evaluation.comparisons`` for the units and the
   countries (every scope at once: the sources' grouped queries) against the former method,
   ``evaluation.evaluate`` once per scope (each source asked for each scope), with their query
   counts; and a check that both give the same results (scores, values, evidence).

Run: ``.venv/bin/python bench/evaluation.py [--var-dir DIR]``. Writes
``bench/results/evaluation.json`` and prints the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django(var_dir: str | None) -> bool:
    """Django on the demo's var directory; True when the demo still has to be loaded."""
    fresh = var_dir is None
    os.environ["CAUNOI_VAR_DIR"] = var_dir or tempfile.mkdtemp(prefix="caunoi-bench-")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "caunoi.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    return fresh


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times, result


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)], 1),
    }


def queries(fn: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var-dir", default=None, help="an existing demo's var directory")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    fresh = setup_django(args.var_dir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from caunoi.accounts.models import User
    from caunoi.core.charts import cache_clear
    from caunoi.core.indicators import Scope
    from caunoi.reporting import evaluation
    from caunoi.reporting.demo_evaluation import SET_CODE
    from caunoi.reporting.models_evaluation import CriteriaSet

    results: dict[str, Any] = {"vendor": connection.vendor}
    if fresh:
        t0 = time.perf_counter()
        call_command("demo", no_serve=True, embed=False, stdout=open(os.devnull, "w"))  # noqa: SIM115
        results["demo_load_s"] = round(time.perf_counter() - t0, 1)
    cs = CriteriaSet.objects.get(code=SET_CODE)
    units = evaluation.scope_units(cs)
    countries = evaluation.scope_countries(cs)
    unit_scopes = [(u.name_vi, Scope(unit_id=u.pk)) for u in units]
    country_scopes = [(c.name_vi, Scope(country=c.iso2)) for c in countries]
    results.update({"units": len(units), "countries": len(countries)})

    admin = User.objects.filter(role="admin", is_active=True).order_by("pk").first()
    client = Client()
    client.force_login(admin)
    url = f"/reporting/evaluation/{cs.pk}/compare/"
    assert client.get(url).status_code == 200  # the warm-up: the charts are drawn once
    results["page_queries"] = queries(lambda: client.get(url))
    times, _ = timed(lambda: client.get(url), args.repeat)
    results["compare page"] = summary(times)

    def drawn() -> Any:
        cache_clear()
        return client.get(url)

    times, _ = timed(drawn, args.repeat)
    results["compare page, charts drawn"] = summary(times)

    def batched() -> Any:
        return evaluation.comparisons(cs, unit_scopes, country_scopes)

    def one_by_one() -> Any:
        structure = evaluation.criteria_of(cs)
        return [
            evaluation.evaluate(cs, scope, structure=structure)
            for _label, scope in unit_scopes + country_scopes
        ]

    results["evaluation_batched_queries"] = queries(batched)
    times, (by_unit, by_country) = timed(batched, args.repeat)
    results["evaluation, all scopes at once"] = summary(times)
    results["evaluation_one_by_one_queries"] = queries(one_by_one)
    times, singles = timed(one_by_one, max(1, min(3, args.repeat)))
    results["evaluation, one scope at a time"] = summary(times)

    def flat(ev: Any) -> Any:  # the scores and every indicator's value with its evidence
        return (
            ev.score,
            [(c.score, [(i.value, i.entry, i.score) for i in c.indicators]) for c in ev.criteria],
        )

    batched_results = {ev.scope: flat(ev) for _l, ev in by_unit + by_country}
    results["same_results"] = batched_results == {ev.scope: flat(ev) for ev in singles}
    with contextlib.suppress(OSError):
        results["load_average"] = [round(x, 1) for x in os.getloadavg()]
    out = ROOT / "bench" / "results" / "evaluation.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
