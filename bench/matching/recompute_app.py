"""The app's full match recompute (the ``market.match_all`` task) on a seeded database:
N published requests × M published offers with stored vectors (goal of issue: 10k × 100k
within 5 minutes, embeddings precomputed).

    OPENBLAS_NUM_THREADS=1 python bench/matching/recompute_app.py [--requests 10000]
        [--offers 100000] [--out bench/results/matching_recompute_app.json] [--note ...]

With ``DATABASE_URL`` set (an empty PostgreSQL database made for the run), the same on
PostgreSQL; the tables are left for the caller to drop with the database.

Method. A throwaway SQLite database unless ``DATABASE_URL`` is set (migrated, with the
reference data of ``caunoi load-reference``: fields, countries, organisations). Offers and
requests are bulk inserted as published records (``bulk_create``, as
``bench/registry_pages.py`` seeds its pages: no signals, so no indexing or matching task
runs while seeding), with 1–2 priority fields each, and every offer gets a search document
carrying a stored vector of the current engine (384-d, L2-normalised, ``shared + topic +
noise`` over 2,000 topics as in ``speed.py``). Texts are synthetic Vietnamese/English
sentences from the templates of ``import_22k.py``. Requests carry preferred countries, a
minimum TRL, a budget and a capacity for some.

Then the task body runs as the worker runs it: ``notices.officer_digest()`` around
``matching.recompute_all()``. The time is split by wrapping, in this process only, the
functions the recompute calls:

- ``query embedding``: ``dense.embed_query`` (the app embeds each request's text as a query
  at recompute time; requests' stored vectors are not used);
- ``ranking``: ``MatchIndex.rank`` less the explanations made inside it (the app ranks
  without them and explains the kept rows after, so none; until this split was fixed the
  explanations made *after* rank were taken off it too, which moved their time into "the
  rest" in the figures recorded before);
- ``explanations``: ``MatchIndex.explain`` (only the stored rows are explained) and
  ``explanation_json``;
- ``notices``: ``notices.matches_stored_block`` (and the officer digest at the end);
- ``index build``: ``Matcher.build`` (candidates from the DB, stored vectors, the index);
- ``DB writes and the rest``: the remainder (deleting the old rows, ``bulk_create`` of the
  new ones, one transaction per block of requests, loading the requests, each block's
  dense cosines as one matrix product).

``--later`` measures a later recompute, as the goal states it (embeddings precomputed):
before the timed run every request gets a stored query vector (``RequestVector``, synthetic
like the offers', keyed by the hash of its text and the engine, as ``query_vectors`` stores
them) and one ``Matcher.build()`` runs (timed apart as ``first_build``), which stores every
candidate's analysis (``CandidateAnalysis``) as the first recompute after an import does.

Wall clock and this process's CPU time are reported for each part; the machine has 2 cores
shared with other work, so the load average is recorded before and after.

With ``--processes 2`` (``CAUNOI_TASK_PROCESSES``; 1 by default) the recompute ranks its blocks
in forked processes (``caunoi.jobs.parallel``) while this one stores them, and analyses many
candidates the same way.
Work done in the children is not seen by the wrappers above: with more than one process,
"ranking" and "explanations" read 0 and their CPU is ``children_cpu_s`` (with the analyses'
part of ``index_build``), and "DB writes and the rest" includes the parent's waits for the
children. ``--processes 1`` times every part in this process, as before.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench" / "matching"))
# the templates of the import bench (which sets its own environment: overridden below)
from import_22k import COUNTRIES, FIELDS, QUALITIES, THINGS, USES  # noqa: E402

WORK = Path(os.environ.get("CAUNOI_BENCH_WORK", "/tmp/caunoi-bench-recompute"))
os.environ["DJANGO_SETTINGS_MODULE"] = "caunoi.settings"
os.environ["CAUNOI_VAR_DIR"] = str(WORK / "var")
os.environ["CAUNOI_SEARCH_EMBED"] = "inline"
os.environ["CAUNOI_TASKS_WORKER"] = "off"
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)
OUT = ROOT / "bench" / "results" / "matching_recompute_app.json"

COOP = ["licence", "technical", "joint_venture", "commercial"]
BATCH = 5000


class Clock:
    """Wall and CPU seconds accumulated per part, for wrapped functions."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        # time of a part spent inside another: (outer, inner) -> wall, cpu
        self.inside: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
        self.active: list[str] = []

    def wrap(self, owner: Any, name: str, part: str) -> None:
        fn = getattr(owner, name)

        def timed(*a: Any, **kw: Any) -> Any:
            w, c = time.perf_counter(), time.process_time()
            self.active.append(part)
            try:
                return fn(*a, **kw)
            finally:
                self.active.pop()
                dw, dc = time.perf_counter() - w, time.process_time() - c
                self.wall[part] += dw
                self.cpu[part] += dc
                self.calls[part] += 1
                for outer in set(self.active):
                    self.inside[(outer, part)][0] += dw
                    self.inside[(outer, part)][1] += dc

        setattr(owner, name, timed)


def vectors(n: int, rng: np.random.Generator, topics: np.ndarray, shared: np.ndarray) -> Any:
    t = topics[rng.integers(0, len(topics), size=n)]
    v = 0.8 * shared + t * 1.6 + rng.normal(size=(n, shared.size)) * 0.6 / np.sqrt(shared.size)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v.astype(np.float32)


def text(rng: random.Random, lang: str, code: str) -> tuple[str, str]:
    thing, quality, use = rng.choice(THINGS), rng.choice(QUALITIES), rng.choice(USES)
    if lang == "vi":
        return (
            f"{thing[0].capitalize()} {quality[0]} {code}",
            f"Mẫu {code} là {thing[0]} {quality[0]} {use[0]}, đã thử nghiệm "
            f"{rng.randint(3, 40)} tháng.",
        )
    return (
        f"{quality[1].capitalize()} {thing[1]} {code}",
        f"Model {code} is a {quality[1]} {thing[1]} {use[1]}, tested for "
        f"{rng.randint(3, 40)} months.",
    )


def seed(n_requests: int, n_offers: int) -> dict[str, float]:
    from django.utils import timezone

    from caunoi.accounts.models import User
    from caunoi.market.models import Status, TechnologyOffer, TechnologyRequest
    from caunoi.registry.models import Organization
    from caunoi.search import dense
    from caunoi.search.models import SearchDocument
    from caunoi.taxonomy.models import Field

    t0 = time.perf_counter()
    owner = User.objects.create_user("bench-owner", password="x", role="admin")
    orgs = list(Organization.objects.order_by("key"))
    fields = {f.slug: f.pk for f in Field.objects.filter(slug__in=FIELDS)}
    assert len(fields) == len(FIELDS), fields
    field_pks = list(fields.values())
    ident = dense.engine_ident()
    nrng = np.random.default_rng(5)
    shared = nrng.normal(size=dense.DIM)
    shared /= np.linalg.norm(shared)
    topics = nrng.normal(size=(2000, dense.DIM)) / np.sqrt(dense.DIM)
    rng = random.Random(5)
    now = timezone.now()
    o_through = TechnologyOffer.fields.through
    r_through = TechnologyRequest.fields.through
    for start in range(0, n_offers, BATCH):
        size = min(BATCH, n_offers - start)
        objs = []
        for i in range(start, start + size):
            lang = "vi" if rng.random() < 0.7 else "en"
            title, summary = text(rng, lang, f"QX{i:06d}")
            price = rng.random() < 0.33
            objs.append(
                TechnologyOffer(
                    status=Status.PUBLISHED,
                    owner_user=owner,
                    owner_organization=orgs[i % len(orgs)],
                    published_at=now,
                    **{f"title_{lang}": title, f"summary_{lang}": summary},
                    language=lang,
                    trl=rng.randint(2, 9),
                    cooperation=rng.sample(COOP, rng.randint(1, 2)),
                    country_id=rng.choice(COUNTRIES),
                    keywords=[],
                    price_min=rng.randint(1, 50) * 100_000_000 if price else None,
                    price_max=None,
                    price_currency="VND",
                    needs_lab=rng.random() < 0.2,
                    needs_staff=rng.choice([None, None, None, 2, 5]),
                )
            )
        created = TechnologyOffer.objects.bulk_create(objs)
        o_through.objects.bulk_create(
            [
                o_through(technologyoffer_id=o.pk, field_id=f)
                for o in created
                for f in rng.sample(field_pks, rng.randint(1, 2))
            ]
        )
        vec = vectors(size, nrng, topics, shared)
        SearchDocument.objects.bulk_create(
            [
                SearchDocument(
                    kind="offers",
                    object_id=o.pk,
                    title=o.title_vi or o.title_en,
                    body=o.summary_vi or o.summary_en,
                    url=f"/market/offers/{o.pk}/",
                    status="published",
                    embedding=vec[j].tobytes(),
                    embedding_engine=ident,
                    embedded_at=now,
                )
                for j, o in enumerate(created)
            ]
        )
    for start in range(0, n_requests, BATCH):
        size = min(BATCH, n_requests - start)
        reqs = []
        for i in range(start, start + size):
            lang = "vi" if rng.random() < 0.8 else "en"
            title, summary = text(rng, lang, f"RQ{i:06d}")
            reqs.append(
                TechnologyRequest(
                    status=Status.PUBLISHED,
                    owner_user=owner,
                    owner_organization=orgs[i % len(orgs)],
                    published_at=now,
                    **{f"title_{lang}": title, f"summary_{lang}": summary},
                    need=summary,
                    preferred_countries=rng.sample(COUNTRIES, rng.randint(0, 2)),
                    cooperation=rng.sample(COOP, rng.randint(0, 2)),
                    min_trl=rng.choice([None, 4, 6]),
                    staff_count=rng.choice([None, 3, 10]),
                    has_lab=rng.choice([None, True, False]),
                    budget_min=None,
                    budget_max=rng.choice([None, 2_000_000_000, 5_000_000_000]),
                    currency="VND",
                )
            )
        created_r = TechnologyRequest.objects.bulk_create(reqs)
        r_through.objects.bulk_create(
            [
                r_through(technologyrequest_id=r.pk, field_id=f)
                for r in created_r
                for f in rng.sample(field_pks, rng.randint(1, 2))
            ]
        )
    return {"seed_seconds": round(time.perf_counter() - t0, 1)}


def precompute(n_requests: int) -> dict[str, float]:
    """Stored query vectors for every request, and the candidates' analyses (one build)."""
    import hashlib

    from caunoi.market import matching
    from caunoi.market.models import RequestVector, Status, TechnologyRequest
    from caunoi.search import dense

    t0 = time.perf_counter()
    nrng = np.random.default_rng(7)
    shared = nrng.normal(size=dense.DIM)
    shared /= np.linalg.norm(shared)
    topics = nrng.normal(size=(2000, dense.DIM)) / np.sqrt(dense.DIM)
    ident = dense.engine_ident()
    requests = list(TechnologyRequest.objects.filter(status=Status.PUBLISHED).order_by("pk"))
    vec = vectors(len(requests), nrng, topics, shared)
    RequestVector.objects.bulk_create(
        [
            RequestVector(
                request_id=r.pk,
                text_hash=hashlib.sha256(matching._query_text(r).encode()).hexdigest(),
                engine=ident,
                embedding=vec[i].tobytes(),
            )
            for i, r in enumerate(requests)
        ],
        batch_size=2000,
    )
    t1 = time.perf_counter()
    c1 = time.process_time()
    k1 = os.times()
    matching.Matcher.build(refresh_stats=True)
    k2 = os.times()
    return {
        "query_vectors_seconds": round(t1 - t0, 1),
        "first_build": {
            "wall_s": round(time.perf_counter() - t1, 2),
            "cpu_s": round(time.process_time() - c1, 2),
            "children_cpu_s": round(
                (k2.children_user - k1.children_user) + (k2.children_system - k1.children_system),
                2,
            ),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--note", default="", help="conditions, e.g. under load (as is)")
    parser.add_argument(
        "--notify-score",
        type=float,
        default=None,
        help="CAUNOI_MATCH_NOTIFY_SCORE for the run (the synthetic scores are low: 0.1 "
        "makes every request's writer hear of new matches, as after a first recompute)",
    )
    parser.add_argument(
        "--later",
        action="store_true",
        help="a later recompute: query vectors stored and candidates analysed before",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=None,
        help="CAUNOI_TASK_PROCESSES for the run (1, the default: none forked, every part "
        "timed in this process; 0: one per core)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with DATABASE_URL: a database an earlier --later run of the same sizes left "
        "(seeded, vectors stored, candidates analysed, matches stored) is recomputed again "
        "without seeding it anew",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="also write a cProfile of the timed recompute to this file (its overhead "
        "inflates every part: for finding where the time goes, not for the figures)",
    )
    args = parser.parse_args()
    if args.notify_score is not None:
        os.environ["CAUNOI_MATCH_NOTIFY_SCORE"] = str(args.notify_score)
    if args.processes is not None:
        os.environ["CAUNOI_TASK_PROCESSES"] = str(args.processes)

    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "var").mkdir(parents=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from caunoi.jobs import parallel
    from caunoi.market import matching, notices
    from caunoi.market.models import Match, TechnologyOffer, TechnologyRequest
    from caunoi.registry.reference import reference_sync
    from caunoi.search import dense
    from techmatch import MatchIndex

    reference_sync()
    seeded: dict[str, Any]
    reuse = (
        args.reuse
        and args.later
        and "DATABASE_URL" in os.environ
        and TechnologyRequest.objects.count() == args.requests
        and TechnologyOffer.objects.count() == args.offers
    )
    if args.reuse and not reuse:
        sys.exit("--reuse: the database does not hold an earlier --later run of these sizes")
    if reuse:
        seeded = {"reused": True}  # a later recompute of the matches stored by the last run
    else:
        seeded = dict(seed(args.requests, args.offers))
        print(f"seeded {args.requests} × {args.offers} in {seeded['seed_seconds']} s", flush=True)
    if args.later and not reuse:
        seeded.update(precompute(args.requests))
        print(f"precomputed: {seeded}", flush=True)

    clock = Clock()
    clock.wrap(dense, "embed_query", "query_embedding")
    clock.wrap(matching.Matcher, "build", "index_build")
    clock.wrap(MatchIndex, "rank", "rank_incl_explain")
    clock.wrap(MatchIndex, "explain", "explanations")
    clock.wrap(matching, "explanation_json", "explanation_json")
    clock.wrap(notices, "matches_stored_block", "notices")

    load_before = [round(x, 2) for x in os.getloadavg()]
    w0, c0 = time.perf_counter(), time.process_time()
    k0 = os.times()
    profiler = None
    if args.profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with notices.officer_digest():
        stored = matching.recompute_all()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(args.profile))
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    k1 = os.times()  # the forked children's CPU, counted once they were waited for
    children_cpu = (k1.children_user - k0.children_user) + (k1.children_system - k0.children_system)
    load_after = [round(x, 2) for x in os.getloadavg()]
    assert stored == Match.objects.count(), (stored, Match.objects.count())
    from django.conf import settings
    from django.db.models import Avg, Max

    from caunoi.accounts.models import Notification

    scores = Match.objects.aggregate(mean=Avg("score"), best=Max("score"))

    def part(name: str, wall_s: float, cpu_s: float) -> dict[str, float]:
        return {"wall_s": round(wall_s, 2), "cpu_s": round(cpu_s, 2)}

    # explain runs after rank for the kept rows (and for the pairs with feedback, none here)
    expl_w = clock.wall["explanations"] + clock.wall["explanation_json"]
    expl_c = clock.cpu["explanations"] + clock.cpu["explanation_json"]
    # only the explanations made inside the core's rank are taken off its time (the app
    # ranks without them and explains the kept rows after)
    nested_w, nested_c = clock.inside[("rank_incl_explain", "explanations")]
    rank_w = clock.wall["rank_incl_explain"] - nested_w
    rank_c = clock.cpu["rank_incl_explain"] - nested_c
    known_w = (
        clock.wall["query_embedding"] + clock.wall["index_build"] + rank_w + expl_w
    ) + clock.wall["notices"]
    known_c = (
        clock.cpu["query_embedding"] + clock.cpu["index_build"] + rank_c + expl_c
    ) + clock.cpu["notices"]
    result = {
        "what": "matching.recompute_all() inside notices.officer_digest() (the match_all task)",
        "database": connection.vendor,
        "requests": args.requests,
        "offers": args.offers,
        "matches_stored": stored,
        "explanations": clock.calls["explanations"],
        "score_mean": round(scores["mean"] or 0.0, 3),
        "score_max": round(scores["best"] or 0.0, 3),
        "notify_score": settings.CAUNOI_MATCH_NOTIFY_SCORE,
        "notifications": Notification.objects.count(),
        "processes": parallel.workers(),
        "total": part("total", wall, cpu),
        "children_cpu_s": round(children_cpu, 2),
        "parts": {
            "index_build": part("", clock.wall["index_build"], clock.cpu["index_build"]),
            "query_embedding": part(
                "", clock.wall["query_embedding"], clock.cpu["query_embedding"]
            ),
            "ranking": part("", rank_w, rank_c),
            "explanations": part("", expl_w, expl_c),
            "notices": part("", clock.wall["notices"], clock.cpu["notices"]),
            "db_writes_and_rest": part("", wall - known_w, cpu - known_c),
        },
        "per_request_ms": round(wall / max(args.requests, 1) * 1000, 2),
        "engine": dense.engine_ident(),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "cores": os.cpu_count(),
        "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", ""),
        "later_recompute": args.later,
        **seeded,
        "note": args.note,
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
