"""The int8 embedding engine is built once per checkout (var/engine, ignored by git) rather than
in each test run's temporary var directory: the build takes seconds and never changes for the
same weights and builder."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault(
    "CAUNOI_ENGINE_DIR", str(Path(__file__).resolve().parents[2] / "var" / "engine")
)
