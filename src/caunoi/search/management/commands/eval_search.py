"""`caunoi eval-search`: run the product's search over a corpus and write a TREC run file.

The corpus is indexed into a throwaway store — a temporary SQLite database, or a temporary
PostgreSQL database when the configured database is PostgreSQL — with the product's
analyzer, index and ranking (``caunoi.search.ranking.rank``); nothing touches the working
directory's data. One JSON line of timings goes to stderr.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from caunoi.core.audience import PUBLIC
from caunoi.search.sources import DocData


def _read_jsonl(path: str, what: str, need: tuple[str, ...]) -> list[dict[str, Any]]:
    p = Path(path)
    if not p.is_file():
        raise CommandError(f"{what} file not found: {path}")
    rows: list[dict[str, Any]] = []
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"{path}:{n}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or any(k not in row for k in need):
                raise CommandError(f"{path}:{n}: a line needs {', '.join(need)}")
            rows.append(row)
    if not rows:
        raise CommandError(f"{what} file is empty: {path}")
    return rows


@contextmanager
def throwaway_store() -> Iterator[str]:
    """Point the default database at a new empty store with the search tables, then drop it."""
    current = dict(connections["default"].settings_dict)
    backend = "postgresql" if "postgresql" in current["ENGINE"] else "sqlite"
    tmpdir = tempfile.mkdtemp(prefix="caunoi-eval-")
    temp_name = f"caunoi_eval_{uuid.uuid4().hex[:12]}"
    if backend == "postgresql":
        with connections["default"].cursor() as cur:
            cur.execute(f'CREATE DATABASE "{temp_name}"')
        new = {**current, "NAME": temp_name}
    else:
        new = {
            **current,
            "NAME": str(Path(tmpdir) / "eval.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    connections["default"].close()
    connections.settings["default"] = new
    del connections["default"]
    embed_setting = getattr(settings, "CAUNOI_SEARCH_EMBED", "inline")
    settings.CAUNOI_SEARCH_EMBED = "off"  # embeddings are computed (and timed) in one batch
    index_setting = getattr(settings, "CAUNOI_SEARCH_INDEX_DIR", None)
    settings.CAUNOI_SEARCH_INDEX_DIR = Path(tmpdir) / "search"  # the lexical index too
    try:
        call_command("migrate", "search", verbosity=0)
        yield backend
    finally:
        settings.CAUNOI_SEARCH_EMBED = embed_setting
        settings.CAUNOI_SEARCH_INDEX_DIR = index_setting
        connections["default"].close()
        connections.settings["default"] = current
        del connections["default"]
        if backend == "postgresql":
            with connections["default"].cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{temp_name}"')
        shutil.rmtree(tmpdir, ignore_errors=True)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


class Command(BaseCommand):
    help = "Index a JSONL corpus into a throwaway store, run JSONL queries, write a TREC run."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--corpus", required=True, help='JSONL lines {"id", "title"?, "text"}')
        parser.add_argument("--queries", required=True, help='JSONL lines {"id", "text"}')
        parser.add_argument("--out", required=True, help="TREC run file to write")
        parser.add_argument("--k", type=int, default=100, help="results per query (default 100)")
        parser.add_argument(
            "--mode", choices=("lexical", "dense", "hybrid"), default="hybrid", help="ranking"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from caunoi.search import dense, lexical, ranking
        from caunoi.search.indexing import bulk_write_documents
        from caunoi.search.models import SearchDocument

        k = options["k"]
        if k < 1:
            raise CommandError("--k must be at least 1")
        mode = options["mode"]
        corpus = _read_jsonl(options["corpus"], "corpus", ("id", "text"))
        queries = _read_jsonl(options["queries"], "queries", ("id", "text"))
        doc_ids = [str(row["id"]) for row in corpus]
        if len(set(doc_ids)) != len(doc_ids):
            raise CommandError("corpus ids must be unique")
        out_path = Path(options["out"])
        if not out_path.parent.exists():
            raise CommandError(f"output directory does not exist: {out_path.parent}")

        timings: dict[str, Any] = {"mode": mode, "documents": len(corpus), "queries": len(queries)}
        with throwaway_store() as backend:
            timings["backend"] = backend
            started = time.perf_counter()
            with transaction.atomic():
                bulk_write_documents(
                    "passage",
                    (
                        (
                            n,
                            DocData(
                                title=str(row.get("title") or ""),
                                body=str(row["text"]),
                                audience=(PUBLIC,),
                            ),
                        )
                        for n, row in enumerate(corpus)
                    ),
                )
            lexical.sync()  # the lexical index follows the committed documents
            timings["index_seconds"] = round(time.perf_counter() - started, 3)
            if mode != "lexical":
                model = dense.model()
                tokens_before = model.tokens
                started = time.perf_counter()
                dense.embed_pending(batch=32)
                seconds = time.perf_counter() - started
                tokens = model.tokens - tokens_before  # 0 for vectors from CAUNOI_EMBED_CACHE
                timings["embed_seconds"] = round(seconds, 3)
                timings["embed_engine"] = model.ident
                timings["embed_tokens"] = tokens
                timings["embed_tokens_per_second"] = round(tokens / seconds) if seconds else 0
            by_pk = dict(SearchDocument.objects.values_list("pk", "object_id"))
            latencies: list[float] = []
            lines: list[str] = []
            tag = f"caunoi-{mode}"
            for q in queries:
                started = time.perf_counter()
                ranked, _ = ranking.rank(
                    str(q["text"]), mode=mode, limit=k, dense_limit=max(k, 100)
                )
                latencies.append((time.perf_counter() - started) * 1000)
                for rank_no, r in enumerate(ranked[:k], 1):
                    docid = doc_ids[by_pk[r.doc_id]]
                    lines.append(f"{q['id']} Q0 {docid} {rank_no} {r.score:.6f} {tag}")
        out_path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
        timings["query_p50_ms"] = round(_percentile(latencies, 0.5), 2)
        timings["query_p95_ms"] = round(_percentile(latencies, 0.95), 2)
        sys.stderr.write(json.dumps(timings) + "\n")
