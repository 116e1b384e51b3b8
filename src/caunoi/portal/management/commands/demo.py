"""caunoi demo: migrate the embedded database, load the demo data set and serve it."""

from __future__ import annotations

from typing import Any, TextIO, cast

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

DEMO_PASSWORD_NOTE = "Demo accounts (change or delete them before real use):"

# (username, password, role, unit code, full name, e-mail: officers' notices are sent there)
DEMO_USERS = [
    ("admin", "caunoi-admin-2026", "admin", "htqt", "Nguyễn Thu Hà", "admin@example.vn"),
    ("canbo.htqt", "caunoi-htqt-2026", "officer", "htqt", "Trần Minh Đức", "canbo.htqt@example.vn"),
    (
        "canbo.hanoi",
        "caunoi-hanoi-2026",
        "officer",
        "ha-noi",
        "Lê Thị Lan",
        "canbo.hanoi@example.vn",
    ),
    ("xem", "caunoi-viewer-2026", "viewer", None, "Phạm Quốc Bảo", ""),
]


def ensure_demo_users() -> list[tuple[str, str, str]]:
    from caunoi.accounts.models import Unit, User
    from caunoi.accounts.services import user_create

    created = []
    with transaction.atomic():
        for username, password, role, unit_code, full_name, email in DEMO_USERS:
            unit = None
            if unit_code:
                unit, _ = Unit.objects.get_or_create(
                    code=unit_code,
                    defaults={
                        "name_vi": "Sở Khoa học và Công nghệ Hà Nội"
                        if unit_code == "ha-noi"
                        else unit_code,
                        "kind": Unit.Kind.PROVINCE
                        if unit_code == "ha-noi"
                        else Unit.Kind.DEPARTMENT,
                    },
                )
            if not User.objects.filter(username=username).exists():
                first, _, last = full_name.rpartition(" ")
                user_create(
                    username=username,
                    password=password,
                    role=role,
                    unit=unit,
                    email=email,
                    first_name=last,
                    last_name=first,
                )
            created.append((username, password, str(User.Role(role).label)))
    return created


class Command(BaseCommand):
    help = "Set up the embedded database with demo data and serve on http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-embed",
            dest="embed",
            action="store_false",
            help="skip computing embeddings (lexical search only until `caunoi embed`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        from caunoi.portal.demo.load import load_demo, load_outside_demo_accounts
        from caunoi.registry.reference import reference_sync

        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Loading the taxonomy and reference data…")
        counts = reference_sync()
        self.stdout.write(f"  {counts}")
        self.stdout.write("Loading the demo data set…")
        counts = load_demo(stdout=cast(TextIO, self.stdout))
        self.stdout.write(f"  {counts}")
        self.stdout.write("Indexing for search (lexical now, embeddings in the background)…")
        call_command("reindex", "--no-embed", stdout=self.stdout)
        users = ensure_demo_users() + load_outside_demo_accounts()
        from caunoi.market.demo import load_market_demo

        self.stdout.write(f"Technology marketplace: {load_market_demo()}")
        from caunoi.reporting.demo import load_reporting_demo

        self.stdout.write(f"Reporting campaigns: {load_reporting_demo()}")
        from caunoi.reporting.demo_evaluation import load_evaluation_demo

        self.stdout.write(f"Evaluation: {load_evaluation_demo()}")
        from caunoi.kb.demo import load_kb_demo

        self.stdout.write(f"Knowledge base: {load_kb_demo()}")
        self.stdout.write("")
        self.stdout.write(DEMO_PASSWORD_NOTE)
        for username, password, role in users:
            self.stdout.write(f"  {username:<14} {password:<22} {role}")
        self.stdout.write("")
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(f"Outgoing e-mail is written to {settings.EMAIL_FILE_PATH}/")
            self.stdout.write("")
        if options["no_serve"]:
            if options["embed"]:
                call_command("embed", stdout=self.stdout)
            return
        from caunoi.jobs.worker import start_in_process_worker, stop_in_process_worker
        from caunoi.search.tasks import embed_missing_enqueue

        # Background tasks run in this process: semantic and cross-lingual search fill in
        # (a job with progress) while the site is already usable.
        job = embed_missing_enqueue() if options["embed"] else None
        start_in_process_worker()
        if job is not None:
            self.stdout.write(
                f"Embeddings are computed in the background: "
                f"http://{options['addrport']}/jobs/{job.pk}/ (as admin)"
            )
        self.stdout.write(f"Serving on http://{options['addrport']}/ (Ctrl+C to stop)")
        try:
            call_command(
                "runserver", options["addrport"], use_reloader=False, insecure_serving=True
            )
        finally:
            stop_in_process_worker()
