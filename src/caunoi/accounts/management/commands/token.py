"""caunoi token USERNAME [--name NAME]: create an API token (printed once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Create an API bearer token for a user; the token is printed once and not stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        from caunoi.accounts.models import User
        from caunoi.accounts.services import api_token_create

        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        _, raw = api_token_create(user=user, name=options["name"])
        self.stdout.write(raw)
