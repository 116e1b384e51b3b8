"""caunoi create-user USERNAME --role ROLE [--unit CODE]: add an account (asks for the password)."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Create a user with a role (admin, officer, viewer) and, for officers, a unit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=["admin", "officer", "viewer"])
        parser.add_argument("--unit", help="the unit's code, e.g. htqt (required for officers)")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="", help="given name, e.g. Lan")
        parser.add_argument("--last-name", default="", help="family and middle names, e.g. Lê Thị")
        parser.add_argument("--password", help="omit to be asked (safer than the command line)")

    def handle(self, *args: Any, **options: Any) -> None:
        from caunoi.accounts.models import Unit
        from caunoi.accounts.services import user_create

        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No unit with code {options['unit']!r}.")
        if options["role"] == "officer" and unit is None:
            raise CommandError("A unit officer needs --unit.")
        password = options["password"]
        if not password:
            try:
                password = getpass.getpass("Password: ")
            except EOFError as exc:
                raise CommandError("No terminal to ask for the password: use --password.") from exc
        try:
            user = user_create(
                username=options["username"],
                password=password,
                role=options["role"],
                unit=unit,
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}).")
