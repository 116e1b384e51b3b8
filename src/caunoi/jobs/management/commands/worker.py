"""`caunoi worker`: run background tasks and the scheduled jobs (production)."""

from __future__ import annotations

import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import task_backends

from caunoi.jobs.worker import Worker, database_backend


class Command(BaseCommand):
    help = (
        "Run queued background tasks (database backend) and the scheduled jobs; "
        "tasks interrupted by a stopped worker are queued again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue",
            default="*",
            help="queues to take tasks from, comma-separated (default: every queue)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait when the queue is empty (default: 1)",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="run what is queued (and due), then exit",
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="exit after this many tasks"
        )
        parser.add_argument(
            "--no-scheduler",
            dest="scheduler",
            action="store_false",
            help="do not start scheduled jobs from this worker",
        )
        parser.add_argument("--worker-id", default=None, help="unique id (default: random)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not database_backend():
            backend = type(task_backends["default"]).__name__
            raise CommandError(
                f"the task backend is {backend}, not the database backend: nothing to run "
                "(see CAUNOI_TASKS_BACKEND)"
            )
        if options["interval"] < 0:
            raise CommandError("--interval must be zero or more")
        if options["max_tasks"] is not None and options["max_tasks"] <= 0:
            raise CommandError("--max-tasks must be more than zero")
        worker_id = options["worker_id"]
        if worker_id is not None and not 0 < len(worker_id) <= 64:
            raise CommandError("--worker-id must have 1 to 64 characters")
        self._log_to_stdout(options["verbosity"])
        worker = Worker(
            queue_names=[q.strip() for q in options["queue"].split(",") if q.strip()],
            interval=options["interval"],
            batch=options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            scheduler=options["scheduler"],
        )
        handled = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
        previous = {sig: signal.getsignal(sig) for sig in handled}
        worker.configure_signals()  # SIGTERM/SIGINT: finish the task in hand, then exit
        try:
            worker.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _log_to_stdout(self, verbosity: int) -> None:
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("caunoi.jobs", "django_tasks", "django_tasks_db"):
            log = logging.getLogger(name)
            log.setLevel(level)
            if not log.handlers:
                log.addHandler(logging.StreamHandler(self.stdout))
                log.propagate = False
