"""`caunoi eval-match`: run the matching engine over JSONL offers and requests and write a
TREC run file (requests are the queries), with the product's embeddings and ranking core.

Nothing touches the working directory's data: records are read from the files, embedded with
the search service's engine (queries with the ``query:`` prefix, offers as passages) and
ranked by ``techmatch`` with the field tree and term bridge the app ranks with
(``techmatch.fields.taxonomy_links``): of the working directory's taxonomy when its database
holds one (read only; a database file that does not exist is not created), else of the
shipped fields data the taxonomy is loaded from. One JSON line of timings goes to stderr.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError


def _embed(texts: Sequence[str], kind: str) -> np.ndarray:
    from caunoi.search import dense

    if kind == "query":
        return np.vstack([dense.embed_query(text) for text in texts])
    return dense.embed_passages(list(texts))


def _db_rows() -> list[Any] | None:
    """The taxonomy rows of the working directory's database, or None when it has none (no
    database file, not migrated, or no fields loaded)."""
    from django.db import DatabaseError, connection

    from caunoi.taxonomy.models import Field

    name = str(connection.settings_dict.get("NAME") or "")
    memory = name in ("", ":memory:") or name.startswith("file:")
    if connection.vendor == "sqlite" and not memory and not Path(name).exists():
        return None  # connecting would create an empty database file
    try:
        if Field._meta.db_table not in connection.introspection.table_names():
            return None
        rows = list(Field.objects.values_list("code", "parent__code", "name_vi", "name_en"))
    except DatabaseError:
        return None
    return rows or None


def taxonomy() -> tuple[Any, Any, str]:
    """The field tree and term bridge to rank with, and where they came from."""
    from caunoi.taxonomy.services import FIELDS_TSV
    from techmatch.fields import read_fields_tsv, taxonomy_links

    rows = _db_rows()
    if rows is not None:
        return (*taxonomy_links(rows), "database")
    return (*taxonomy_links(read_fields_tsv(FIELDS_TSV.read_text(encoding="utf-8"))), "shipped")


class Command(BaseCommand):
    help = "Match JSONL requests against JSONL offers and write a TREC run file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--offers", required=True, help="JSONL offers {id, title?, text, ...}")
        parser.add_argument("--requests", required=True, help="JSONL requests (the queries)")
        parser.add_argument("--out", required=True, help="TREC run file to write")
        parser.add_argument("--k", type=int, default=50, help="matches per request (default 50)")
        parser.add_argument(
            "--mode", choices=("hybrid", "dense", "lexical"), default="hybrid", help="signals"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from techmatch.evaluate import InputError, evaluate_match

        if options["k"] < 1:
            raise CommandError("--k must be at least 1")
        for name in ("offers", "requests"):
            if not Path(options[name]).is_file():
                raise CommandError(f"{name} file not found: {options[name]}")
        out = Path(options["out"])
        if not out.parent.exists():
            raise CommandError(f"output directory does not exist: {out.parent}")
        tree, bridge, _source = taxonomy()
        try:
            timings = evaluate_match(
                Path(options["offers"]),
                Path(options["requests"]),
                out,
                k=options["k"],
                embed=None if options["mode"] == "lexical" else _embed,
                mode=options["mode"],
                tree=tree,
                bridge=bridge,
            )
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(json.dumps(timings, ensure_ascii=False))
