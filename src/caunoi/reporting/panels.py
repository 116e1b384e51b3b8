"""The campaigns panel of the home dashboard: open and recent campaigns with completeness."""

from __future__ import annotations

from typing import Any

from caunoi.core.sections import Panel, register_panel
from caunoi.reporting import access, selectors


def _context(user: Any) -> dict[str, Any] | None:
    campaigns = list(access.campaigns_readable(user)[:5])
    if not campaigns:
        return None
    return {"rows": [(c, selectors.campaign_completeness(c).total) for c in campaigns]}


def register_panels() -> None:
    register_panel(
        Panel(
            key="reporting-campaigns", template="reporting/panel.html", context=_context, order=30
        )
    )
