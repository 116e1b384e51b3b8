"""The API fuzz test at a large size, on both databases.

Method: `tests/test_api_fuzz.py` derives requests from the published OpenAPI
(`/api/v1/openapi.json`) with schemathesis and hypothesis — every operation, anonymous and with
an administrator's token, a fixed seed (`derandomize`), `--examples` generated cases per
operation and caller (the test suite runs 6) — and checks each response: no 5xx, a documented
status code and content type, a body and headers that match the declared schema. Each database
is a fresh test database (pytest-django), the requests go through the whole Django stack
in-process (WSGI).

    .venv/bin/python bench/api_fuzz.py --examples 100      # ~20 minutes on 2 cores

Writes `bench/results/api_fuzz.json`: per database the operations × callers run, the failures
and the wall-clock time; figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(database: str, examples: int) -> dict[str, object]:
    env = {
        **os.environ,
        "CAUNOI_TEST_DB": database,
        "CAUNOI_FUZZ_EXAMPLES": str(examples),
        "PYTHONPATH": str(ROOT / "src"),
    }
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_api_fuzz.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    counts = {k: int(n) for n, k in re.findall(r"(\d+) (passed|failed|error)", summary)}
    failed = re.findall(r"^FAILED (.*)$", done.stdout, re.M)
    return {
        "database": database,
        "examples_per_operation": examples,
        "tests": sum(counts.values()),
        "passed": counts.get("passed", 0),
        "failed": failed,
        "seconds": round(seconds, 1),
        "summary": summary,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/api_fuzz.json")
    args = parser.parse_args()
    results = [run(db, args.examples) for db in args.databases.split(",")]
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    for r in results:
        print(f"{r['database']}: {r['summary']} ({r['seconds']} s)")
    if any(r["failed"] or not r["passed"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
