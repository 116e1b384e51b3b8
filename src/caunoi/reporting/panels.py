"""The campaigns panel of the home dashboard: open and recent campaigns with completeness."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from caunoi.core.sections import Panel, register_panel
from caunoi.reporting import charts


def _context(user: Any) -> dict[str, Any] | None:
    rows = charts.recent_campaigns(user)
    if not rows:
        return None
    return {
        "rows": rows[:5],
        "chart": charts.recent_campaigns_chart(rows),
        # the list page serves this chart's downloads (the same campaigns for the same user)
        "chart_url": reverse("reporting:list"),
    }


def register_panels() -> None:
    register_panel(
        Panel(
            key="reporting-campaigns", template="reporting/panel.html", context=_context, order=30
        )
    )
