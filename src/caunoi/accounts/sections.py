"""Parts of the account page that other apps contribute (accounts imports none of them).

An app registers a section in its ``AppConfig.ready()``; the account page renders, in
registration order, every section whose context function returns a dict for the user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from caunoi.accounts.models import User


@dataclass(frozen=True)
class AccountSection:
    key: str
    template: str
    # The template's context for this user, or None when the section does not apply to them.
    context: Callable[[User], dict[str, Any] | None]


_SECTIONS: dict[str, AccountSection] = {}


def register_account_section(section: AccountSection) -> None:
    """Add (or replace, by key) a section of the account page."""
    _SECTIONS[section.key] = section


def account_sections(user: User) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every section that applies to this user."""
    shown = []
    for section in _SECTIONS.values():
        context = section.context(user)
        if context is not None:
            shown.append((section.template, context))
    return shown
