"""The `caunoi` command: the project's management commands under one name.

`caunoi demo`, `caunoi extract FILE`, `caunoi agreements-digest` ... map to Django management
commands (dashes become underscores), so `caunoi migrate` and friends work too.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
    if args[:1] == ["demo"]:
        # The demo keeps outgoing e-mail (sign-up links, password resets) as files in var/mail/.
        os.environ.setdefault("DJANGO_EMAIL_BACKEND", "file")
    if args[:1] == ["--version"]:
        _version()
        return
    from django.core.management import ManagementUtility

    class Utility(ManagementUtility):
        """Finds ``eval-match`` as the command ``eval_match`` but keeps the name as typed in
        the command line, so ``--help`` and usage errors print ``caunoi eval-match``."""

        def fetch_command(self, subcommand: str) -> Any:
            return super().fetch_command(command_name(subcommand))

    Utility(["caunoi", *args]).execute()


def command_name(typed: str) -> str:
    """The Django command a typed name maps to: dashes become underscores."""
    return typed if typed.startswith("-") else typed.replace("-", "_")


def _version() -> None:
    """The project's version, Django's, and the embedding engine this machine would use."""
    from importlib.metadata import PackageNotFoundError, version

    import django

    django.setup()
    from caunoi.search import engine

    try:
        own = version("caunoi")
    except PackageNotFoundError:
        own = "unknown"
    print(f"caunoi {own} (Django {django.get_version()})")
    print(f"embedding engine: {engine.describe()}")


if __name__ == "__main__":
    main()
