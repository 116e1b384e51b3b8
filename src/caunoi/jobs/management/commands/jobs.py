"""`caunoi jobs [--json] [ID]`: background jobs and their progress."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from caunoi.jobs.api import job_dict
from caunoi.jobs.models import Job


class Command(BaseCommand):
    help = "List recent background jobs with their progress, or show one job."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", nargs="?", type=int, help="show this job")
        parser.add_argument("--json", action="store_true", help="print JSON (one line per job)")
        parser.add_argument("--limit", type=int, default=20, help="how many (default: 20)")
        parser.add_argument("--state", choices=Job.State.values, help="only jobs in this state")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["id"] is not None:
            job = Job.objects.select_related("user").filter(pk=options["id"]).first()
            if job is None:
                raise CommandError(f"no job {options['id']}")
            if options["json"]:
                self.stdout.write(json.dumps(job_dict(job), ensure_ascii=False))
            else:
                self._detail(job)
            return
        if options["limit"] <= 0:
            raise CommandError("--limit must be more than zero")
        jobs = Job.objects.select_related("user")
        if options["state"]:
            jobs = jobs.filter(state=options["state"])
        rows = list(jobs[: options["limit"]])
        if options["json"]:
            for job in rows:
                self.stdout.write(json.dumps(job_dict(job), ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("No jobs.")
            return
        for job in rows:
            created = timezone.localtime(job.created_at)
            self.stdout.write(
                f"#{job.pk:<6} {job.state:<9} {_progress(job):>15}  "
                f"{created:%Y-%m-%d %H:%M}  {job.label_en or job.label_vi}"
            )

    def _detail(self, job: Job) -> None:
        def when(value: Any) -> str:
            return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S}" if value else ""

        rows = [
            ("id", job.pk),
            ("label", job.label_en or job.label_vi),
            ("kind", job.kind),
            ("state", job.state),
            ("progress", _progress(job)),
            ("attempts", job.attempts),
            ("user", job.user.get_username() if job.user else "system"),
            ("created", when(job.created_at)),
            ("started", when(job.started_at)),
            ("finished", when(job.finished_at)),
            ("error", job.error),
            ("result", json.dumps(job.result, ensure_ascii=False) if job.result else ""),
        ]
        for key, value in rows:
            if value not in (None, ""):
                self.stdout.write(f"{key + ':':<10} {value}")


def _progress(job: Job) -> str:
    if job.total is None:
        return str(job.done) if job.done else "-"
    percent = job.percent
    return (
        f"{job.done}/{job.total} ({percent}%)" if percent is not None else f"{job.done}/{job.total}"
    )
