"""`caunoi embed-sentences`: store the assistant's sentence vectors still missing or stale
(after a bulk load, with ``CAUNOI_SEARCH_EMBED=off``, or after a change of engine)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from caunoi.kb import sentences
from caunoi.kb.models import Passage


class Command(BaseCommand):
    help = "Compute the assistant's missing sentence vectors (all passages with --all)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="check every passage's key (finds vectors another engine made)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        qs = Passage.objects.order_by("pk")
        if not options["all"]:
            qs = qs.filter(pk__in=sentences.missing())

        def progress(done: int, total: int) -> None:
            sys.stderr.write(f"\rembed-sentences: {done}/{total}")
            if done == total:
                sys.stderr.write("\n")

        n = sentences.embed(qs.iterator(chunk_size=500), progress=progress)
        self.stdout.write(
            f"embedded the sentences of {n} passages in {time.monotonic() - started:.1f}s"
        )
