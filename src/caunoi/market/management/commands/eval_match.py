"""`caunoi eval-match`: run the matching engine over JSONL offers and requests and write a
TREC run file (requests are the queries), with the product's embeddings and ranking core.

Nothing touches the working directory's data: records are read from the files, embedded with
the search service's engine (queries with the ``query:`` prefix, offers as passages) and
ranked by ``techmatch``. One JSON line of timings goes to stderr.
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
        try:
            timings = evaluate_match(
                Path(options["offers"]),
                Path(options["requests"]),
                out,
                k=options["k"],
                embed=None if options["mode"] == "lexical" else _embed,
                mode=options["mode"],
            )
        except InputError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(json.dumps(timings, ensure_ascii=False))
