"""caunoi token USERNAME [--name NAME] [--days N]: create an API token (printed once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Create an API bearer token for a user; the token is printed once and not stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")
        parser.add_argument(
            "--days", type=int, default=None, help="valid for N days (CAUNOI_API_TOKEN_DAYS)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from caunoi.accounts.models import User
        from caunoi.accounts.services import api_token_create

        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        _, raw = api_token_create(user=user, name=options["name"], days=options["days"])
        self.stdout.write(raw)
