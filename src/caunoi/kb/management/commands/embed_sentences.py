"""`caunoi embed-sentences`: store the assistant's sentence vectors still missing or stale
(after a bulk load, with ``CAUNOI_SEARCH_EMBED=off``, or after a change of engine)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from caunoi.core.progress import ProgressLine
from caunoi.kb import sentences
from caunoi.kb.models import Passage

CHUNK = 500  # passages read and checked at a time


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
        qs = Passage.objects.order_by("pk") if options["all"] else sentences.missing()
        ids = list(qs.values_list("pk", flat=True))
        written = 0
        progress = ProgressLine("embed-sentences")
        for i in range(0, len(ids), CHUNK):
            chunk = Passage.objects.filter(pk__in=ids[i : i + CHUNK]).order_by("pk")
            written += sentences.embed(chunk)
            progress(min(i + CHUNK, len(ids)), len(ids))
        self.stdout.write(
            f"embedded the sentences of {written} passages in {time.monotonic() - started:.1f}s"
        )
