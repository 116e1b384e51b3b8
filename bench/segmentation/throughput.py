"""Segmentation throughput on one core: syllables per second of CPU time.

    .venv/bin/python bench/segmentation/throughput.py [--repeat 3]

Method: the process is pinned to one CPU, the one with most idle time at the start (the
machine is shared), with ``os.sched_setaffinity``, and timed with
``time.process_time`` (CPU seconds of this process), so that other work on the machine does not
distort the figure; wall-clock figures are printed beside it. Models are loaded and warmed up on
one sentence first. Two workloads:

* ``ud-test``: the 800 UD VTB test sentences, one call per sentence (``segment_words``);
* ``seeds``: the five seed documents as whole texts through ``segment`` (normalisation,
  sentence splitting and segmentation), syllables counted as whitespace-separated tokens of
  the input with underscores replaced by spaces; ``vntext-extract`` runs ``extract`` (all
  recognisers) on the same documents.

The best of ``--repeat`` runs is reported for each system.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, SEEDS, UD_DIR, pyvi_segmenter, read_conllu, underthesea_segmenter

sys.path.insert(0, str(REPO / "src"))


def _cpu_times() -> dict[int, tuple[int, int]]:
    """(idle, total) jiffies per CPU from /proc/stat."""
    out = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *fields = line.split()
        if name.startswith("cpu") and name != "cpu":
            values = [int(v) for v in fields]
            out[int(name[3:])] = (values[3] + values[4], sum(values))
    return out


def quietest_cpu(allowed: list[int]) -> int:
    """The allowed CPU with the most idle time over half a second (others' jobs share cores)."""
    try:
        before = _cpu_times()
        time.sleep(0.5)
        after = _cpu_times()
    except OSError:
        return allowed[0]

    def idle_share(cpu: int) -> float:
        idle = after[cpu][0] - before[cpu][0]
        total = after[cpu][1] - before[cpu][1]
        return idle / total if total else 1.0

    return max(allowed, key=idle_share)


def measure(fn: Callable[[str], object], texts: list[str], repeat: int) -> tuple[float, float]:
    fn(texts[0])
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        for t in texts:
            fn(t)
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)
    return best_cpu, best_wall


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--systems", default="vntext,pyvi,underthesea")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        cpu = quietest_cpu(sorted(os.sched_getaffinity(0)))
        os.sched_setaffinity(0, {cpu})
        print(json.dumps({"pinned_cpu": cpu}))
    from vntext.extract import extract
    from vntext.segment import segment, segment_words

    ud = [" ".join(words) for words in read_conllu(UD_DIR / "vi_vtb-ud-test.conllu")]
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    workloads = {
        "ud-test": (ud, sum(len(t.split()) for t in ud)),
        "seeds": (seeds, sum(len(t.replace("_", " ").split()) for t in seeds)),
    }
    systems: dict[str, dict[str, Callable[[str], object]]] = {
        "vntext": {"ud-test": segment_words, "seeds": segment},
        "vntext-extract": {"seeds": extract},
    }
    if "pyvi" in args.systems:
        systems["pyvi"] = {"ud-test": pyvi_segmenter()}
    if "underthesea" in args.systems:
        systems["underthesea"] = {"ud-test": underthesea_segmenter()}
    for name, fns in systems.items():
        if name.split("-")[0] not in args.systems.split(","):
            continue
        for wl, fn in fns.items():
            texts, n_syl = workloads[wl]
            cpu, wall = measure(fn, texts, args.repeat)
            row = {
                "system": name,
                "workload": wl,
                "syllables": n_syl,
                "cpu_s": round(cpu, 3),
                "syllables_per_cpu_s": round(n_syl / cpu),
                "syllables_per_wall_s": round(n_syl / wall),
            }
            print(json.dumps(row))


if __name__ == "__main__":
    main()
