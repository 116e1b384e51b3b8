"""The accounts app's block of the dashboard: the latest changes, for network staff."""

from __future__ import annotations

from typing import Any

from caunoi.accounts import permissions
from caunoi.accounts.models import AuditEvent
from caunoi.core.sections import Panel, register_panel


def _recent(user: Any) -> dict[str, Any] | None:
    if not permissions.is_staff_reader(user):
        return None
    return {"recent": AuditEvent.objects.select_related("actor")[:10]}


def register_panels() -> None:
    register_panel(Panel("recent-changes", "accounts/panels/recent.html", _recent, 90))
