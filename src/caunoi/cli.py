"""The `caunoi` command: the project's management commands under one name.

`caunoi demo`, `caunoi extract FILE`, `caunoi agreements-digest` ... map to Django management
commands (dashes become underscores), so `caunoi migrate` and friends work too.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if args[:1] == ["demo"]:
        # The demo keeps outgoing e-mail (sign-up links, password resets) as files in var/mail/.
        os.environ.setdefault("DJANGO_EMAIL_BACKEND", "file")
    if args[:1] == ["--version"]:
        _version()
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["caunoi", *args])


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
