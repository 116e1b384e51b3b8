"""The embedded default end to end, in separate processes on a SQLite file (as `caunoi demo`
runs it): the in-process worker runs jobs and the schedules, and a process that exits or
dies in the middle of a task leaves it to the next start, which completes it exactly once.

Each step is a fresh ``python`` process with the production settings and its own ``var/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, os, sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django_tasks_db.models import DBTaskResult
from caunoi.jobs.models import Job, ScheduledRun
from caunoi.jobs.services import job_enqueue
from caunoi.jobs.worker import start_in_process_worker, stop_in_process_worker
from jobs import sample_tasks

mode, folder = sys.argv[1], sys.argv[2]

def wait(predicate):
    deadline = time.monotonic() + 60
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.05)

def report(job):
    job.refresh_from_db()
    row = DBTaskResult.objects.get(id=job.result_id)
    from caunoi.accounts.models import Unit
    print(json.dumps({
        "state": job.state, "attempts": job.attempts, "result": job.result,
        "status": row.status, "workers": len(row.worker_ids),
        "units": sorted(Unit.objects.values_list("code", flat=True)),
        "scheduled": sorted(ScheduledRun.objects.values_list("name", flat=True)),
    }))

if mode == "migrate":
    print("{}")
elif mode in ("release", "kill"):
    task = sample_tasks.pause if mode == "release" else sample_tasks.units_around_a_pause
    args = (folder,) if mode == "release" else ("don-vi", folder)
    job = job_enqueue(task, *args, label="Tạm dừng")
    start_in_process_worker(interval=0.05)
    wait(lambda: Path(folder, "started").exists())
    if mode == "release":  # the process is exiting (Ctrl+C in the demo)
        stop_in_process_worker(timeout=0.1)
        report(job)
    sys.stdout.flush()
    os._exit(0 if mode == "release" else 9)  # "kill": gone at once, no clean-up at all
else:  # "resume": a new start of the process
    Path(folder, "go").touch()
    job = Job.objects.get(kind__startswith="jobs.sample_tasks.")
    start_in_process_worker(interval=0.05)
    wait(lambda: Job.objects.filter(pk=job.pk, state__in=Job.FINISHED).exists())
    wait(lambda: not Job.objects.exclude(state__in=Job.FINISHED).exists())
    stop_in_process_worker()
    report(job)
"""


def run(mode: str, tmp_path: Path) -> tuple[int, dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CAUNOI_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="caunoi.settings",
        DJANGO_SECRET_KEY="test-only-embedded-worker-key-0123456789",
        CAUNOI_VAR_DIR=str(tmp_path / "var"),
        CAUNOI_SEARCH_EMBED="off",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")]),
    )
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, str(tmp_path)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert proc.returncode in (0, 9), proc.stderr[-3000:]
    return proc.returncode, json.loads(lines[-1]) if lines else {}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("embedded")
    run("migrate", folder)
    return folder / "var"


@pytest.fixture
def instance(migrated: Path, tmp_path: Path) -> Path:
    """A working directory with a migrated embedded database of its own."""
    shutil.copytree(migrated, tmp_path / "var")
    return tmp_path


def test_a_job_put_back_when_the_process_exits_runs_at_the_next_start(instance: Path) -> None:
    tmp_path = instance
    code, before = run("release", tmp_path)
    assert code == 0
    assert (before["state"], before["attempts"], before["status"]) == ("queued", 0, "READY")

    code, after = run("resume", tmp_path)
    assert code == 0
    assert (after["state"], after["result"], after["status"]) == ("succeeded", "done", "SUCCESSFUL")
    assert (after["attempts"], after["workers"]) == (1, 1)  # the put-back attempt did not count
    # the worker also started the registered schedules
    assert {"jobs.prune", "registry.agreements-digest"} <= set(after["scheduled"])


def test_a_process_killed_mid_task_leaves_nothing_half_done_and_the_task_completes_once(
    instance: Path,
) -> None:
    tmp_path = instance
    code, _ = run("kill", tmp_path)
    assert code == 9

    code, after = run("resume", tmp_path)
    assert code == 0
    assert (after["state"], after["status"], after["result"]) == ("succeeded", "SUCCESSFUL", 2)
    assert (after["attempts"], after["workers"]) == (2, 2)
    assert after["units"] == ["don-vi-a", "don-vi-b"]  # each once: the dead attempt rolled back
