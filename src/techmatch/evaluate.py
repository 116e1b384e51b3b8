"""Offline evaluation of the matching engine: JSONL offers and requests in, a TREC run out.

The function behind ``caunoi eval-match --offers O.jsonl --requests R.jsonl --out RUN.trec
[--k 50]``. Each line of the offers file is one offer, of the requests file one request (the
queries), with the marketplace's fields:

``id`` and ``text`` (required), ``title``, ``lang``, ``fields`` (codes), ``country`` (ISO2),
``trl``; offers: ``cooperation``, ``ip_status``, ``price`` ``{"low", "high"}``, ``needs``
``{"staff", "lab", "equipment"}``; requests: ``preferred_countries``, ``countries_only``,
``min_trl``, ``cooperation``, ``budget`` ``{"low", "high"}``, ``capacity`` ``{"staff",
"lab", "equipment", "prior_transfers"}``, ``confidentiality``, ``identity``; either may
carry a precomputed ``vector`` (a list of floats). Unknown keys are ignored.

Records without a vector are embedded with the caller's ``embed(texts, kind)`` (``kind`` is
"query" for requests and "passage" for offers; it returns L2-normalised rows) when given;
otherwise they are matched without the dense signal.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from techmatch.constraints import Policy
from techmatch.fields import FieldTree
from techmatch.index import MatchIndex, Weights
from techmatch.lexical import TermBridge
from techmatch.records import CONFIDENTIALITY, Budget, Capacity, Offer, Request, Vector

EmbedFn = Callable[[Sequence[str], str], npt.NDArray[np.floating[Any]]]
Mode = Literal["hybrid", "dense", "lexical"]
MODE_WEIGHTS: dict[str, Weights] = {
    "hybrid": Weights(),
    "dense": Weights(dense=1.0, lexical=0.0, fields=0.0),
    "lexical": Weights(dense=0.0, lexical=1.0, fields=0.0),
}


class InputError(ValueError):
    """A bad line in an input file (the message names the file, line and field)."""


def _strs(d: dict[str, Any], key: str) -> tuple[str, ...]:
    v = d.get(key) or ()
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list | tuple) or not all(isinstance(x, str) for x in v):
        raise ValueError(f"{key!r} must be a list of strings")
    return tuple(v)


def _opt_int(
    d: dict[str, Any], key: str, lo: int | None = None, hi: int | None = None
) -> int | None:
    v = d.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or int(v) != v:
        raise ValueError(f"{key!r} must be an integer")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ValueError(f"{key!r} must be between {lo} and {hi}")
    return int(v)


def _opt_bool(d: dict[str, Any], key: str) -> bool | None:
    v = d.get(key)
    if v is None:
        return None
    if not isinstance(v, bool):
        raise ValueError(f"{key!r} must be true or false")
    return v


def _budget(d: dict[str, Any], key: str) -> Budget:
    v = d.get(key) or {}
    if not isinstance(v, dict):
        raise ValueError(f"{key!r} must be an object with low/high")
    out: list[float | None] = []
    for side in ("low", "high"):
        x = v.get(side)
        if x is not None and (isinstance(x, bool) or not isinstance(x, int | float)):
            raise ValueError(f"{key}.{side} must be a number")
        out.append(None if x is None else float(x))
    return Budget(out[0], out[1])


def _capacity(d: dict[str, Any], key: str) -> Capacity:
    v = d.get(key) or {}
    if not isinstance(v, dict):
        raise ValueError(f"{key!r} must be an object")
    return Capacity(
        staff=_opt_int(v, "staff", 0),
        lab=_opt_bool(v, "lab"),
        equipment=_opt_bool(v, "equipment"),
        prior_transfers=_opt_int(v, "prior_transfers", 0),
    )


def _vector(d: dict[str, Any]) -> Vector | None:
    v = d.get("vector")
    if v is None:
        return None
    arr = np.asarray(v, dtype=np.float32)
    if arr.ndim != 1 or not len(arr) or not np.all(np.isfinite(arr)):
        raise ValueError("'vector' must be a non-empty list of numbers")
    n = float(np.linalg.norm(arr))
    return arr / n if n else arr


def _common(d: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(d, dict):
        raise ValueError("a line must be a JSON object")
    rid, text = d.get("id"), d.get("text")
    if not isinstance(rid, str | int) or isinstance(rid, bool) or str(rid).strip() == "":
        raise ValueError("'id' is required (a string)")
    if not isinstance(text, str):
        raise ValueError("'text' is required (a string)")
    title = d.get("title") or ""
    if not isinstance(title, str):
        raise ValueError("'title' must be a string")
    return {
        "id": str(rid),
        "text": text,
        "title": title,
        "lang": str(d.get("lang") or ""),
        "fields": _strs(d, "fields"),
        "country": str(d.get("country") or "").upper(),
        "vector": _vector(d),
    }


def offer_from_json(d: dict[str, Any]) -> Offer:
    return Offer(
        **_common(d),
        trl=_opt_int(d, "trl", 1, 9),
        cooperation=_strs(d, "cooperation"),
        ip_status=_strs(d, "ip_status"),
        price=_budget(d, "price"),
        needs=_capacity(d, "needs"),
    )


def request_from_json(d: dict[str, Any]) -> Request:
    conf = d.get("confidentiality") or "public"
    if conf not in CONFIDENTIALITY:
        raise ValueError(f"'confidentiality' must be one of {', '.join(CONFIDENTIALITY)}")
    return Request(
        **_common(d),
        preferred_countries=tuple(c.upper() for c in _strs(d, "preferred_countries")),
        countries_only=bool(d.get("countries_only") or False),
        min_trl=_opt_int(d, "min_trl", 1, 9),
        cooperation=_strs(d, "cooperation"),
        budget=_budget(d, "budget"),
        capacity=_capacity(d, "capacity"),
        confidentiality=conf,
        identity=_strs(d, "identity"),
    )


def read_jsonl(path: Path, parse: Callable[[dict[str, Any]], Any]) -> list[Any]:
    out = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read: {e}") from e
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = parse(json.loads(line))
        except (json.JSONDecodeError, ValueError, TypeError) as e:
            raise InputError(f"{path}:{n}: {e}") from e
        if rec.id in seen:
            raise InputError(f"{path}:{n}: duplicate id {rec.id!r}")
        seen.add(rec.id)
        out.append(rec)
    if not out:
        raise InputError(f"{path}: no records")
    return out


def _embed_missing(records: list[Any], embed: EmbedFn, kind: str) -> list[Any]:
    todo = [i for i, r in enumerate(records) if r.vector is None]
    if not todo:
        return records
    texts = [f"{records[i].title}\n{records[i].text}".strip() for i in todo]
    vecs = np.asarray(embed(texts, kind), dtype=np.float32)
    if vecs.shape[0] != len(todo):
        raise ValueError(f"embed returned {vecs.shape[0]} vectors for {len(todo)} texts")
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs = vecs / np.maximum(norms, 1e-12)
    out = list(records)
    for i, v in zip(todo, vecs, strict=True):
        out[i] = replace(out[i], vector=v)
    return out


def evaluate_match(
    offers: Path | str,
    requests: Path | str,
    out: Path | str,
    *,
    k: int = 50,
    embed: EmbedFn | None = None,
    mode: Mode = "hybrid",
    weights: Weights | None = None,
    policy: Policy | None = None,
    tree: FieldTree | None = None,
    bridge: TermBridge | None = None,
    tag: str = "techmatch",
) -> dict[str, float | int | str]:
    """Rank the offers for every request and write a TREC run (``qid Q0 docid rank score tag``).

    Returns timings and counts: ``load_seconds``, ``embed_seconds``, ``index_seconds``,
    ``rank_seconds``, ``query_p50_ms``/``query_p95_ms`` (ranking one request, its embedding
    excluded), ``offers``, ``requests``, ``lines``, ``mode``. Raises :class:`InputError` on a
    bad input line, ``ValueError`` on bad arguments.
    """
    if k <= 0:
        raise ValueError("k must be positive")
    if mode not in MODE_WEIGHTS:
        raise ValueError(f"mode must be one of {', '.join(MODE_WEIGHTS)}")
    t0 = time.perf_counter()
    offer_recs: list[Offer] = read_jsonl(Path(offers), offer_from_json)
    request_recs: list[Request] = read_jsonl(Path(requests), request_from_json)
    t1 = time.perf_counter()
    if embed is not None and mode != "lexical":
        offer_recs = _embed_missing(offer_recs, embed, "passage")
        request_recs = _embed_missing(request_recs, embed, "query")
    t2 = time.perf_counter()
    index = MatchIndex(
        offer_recs, tree=tree, bridge=bridge, weights=weights or MODE_WEIGHTS[mode], policy=policy
    )
    t3 = time.perf_counter()
    lines: list[str] = []
    per_query: list[float] = []
    for req in request_recs:
        s = time.perf_counter()
        matches = index.rank(req, k, explain=False, exclude_self=False)
        per_query.append((time.perf_counter() - s) * 1000)
        for m in matches:
            lines.append(f"{req.id} Q0 {m.id} {m.rank} {m.score:.6f} {tag}")
    t4 = time.perf_counter()
    Path(out).write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    q = np.array(per_query)
    return {
        "mode": mode,
        "offers": len(offer_recs),
        "requests": len(request_recs),
        "lines": len(lines),
        "load_seconds": round(t1 - t0, 3),
        "embed_seconds": round(t2 - t1, 3),
        "index_seconds": round(t3 - t2, 3),
        "rank_seconds": round(t4 - t3, 3),
        "query_p50_ms": round(float(np.percentile(q, 50)), 2),
        "query_p95_ms": round(float(np.percentile(q, 95)), 2),
    }
