"""Fixtures for the vntext tests: the shared seeds and data sets, found beside the checkout.

The shared folder is ``<repo root>/../shared``. Where it is absent the tests that need it are
skipped, except under CI (``CI=true``), where its absence is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


def _require(path: Path) -> Path:
    if path.exists():
        return path
    message = f"{path} is missing (the shared seeds and data sets live beside the checkout)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _require(SHARED / "seeds")


@pytest.fixture(scope="session")
def ud_dir() -> Path:
    return _require(SHARED / "data" / "ud-vietnamese-vtb")


@pytest.fixture(scope="session")
def seed_texts(seeds_dir: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}
