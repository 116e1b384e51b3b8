"""XQuAD paragraphs as parallel Vietnamese/English records (read from ../shared/data)."""

from __future__ import annotations

import json
from pathlib import Path


def load_pairs(folder: Path) -> tuple[list[str], list[str]]:
    """The 240 paragraphs of ``xquad.vi.json`` and ``xquad.en.json``, parallel by order."""
    out: list[list[str]] = []
    for lang in ("vi", "en"):
        data = json.loads((folder / f"xquad.{lang}.json").read_text(encoding="utf-8"))
        out.append([p["context"] for art in data["data"] for p in art["paragraphs"]])
    vi, en = out
    if len(vi) != len(en):
        raise SystemExit(f"paragraph counts differ: vi {len(vi)}, en {len(en)}")
    return vi, en


def load_titles(folder: Path) -> tuple[list[str], list[str]]:
    """The article title of each paragraph (English in both files), parallel to the paragraphs."""
    out: list[list[str]] = []
    for lang in ("vi", "en"):
        data = json.loads((folder / f"xquad.{lang}.json").read_text(encoding="utf-8"))
        out.append([art["title"] for art in data["data"] for _ in art["paragraphs"]])
    return out[0], out[1]
