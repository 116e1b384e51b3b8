"""The panels of the home dashboard: open and recent campaigns with completeness; the
evaluation of international cooperation (co-publications by partner, the latest criteria
set's scores by criterion), for network staff, who read the evaluation pages."""

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


def _evaluation_context(user: Any) -> dict[str, Any] | None:
    from caunoi.reporting import evaluation, evaluation_sets

    if not evaluation.is_reader(user):
        return None
    return {
        **charts.evaluation_panel(),
        # the evaluation list page serves these charts' downloads
        "chart_url": reverse("reporting:evaluation-list"),
        "can_manage": evaluation_sets.can_manage_sets(user),
    }


def register_panels() -> None:
    register_panel(
        Panel(
            key="reporting-campaigns", template="reporting/panel.html", context=_context, order=30
        )
    )
    register_panel(
        Panel(
            key="reporting-evaluation",
            template="reporting/evaluation/panel.html",
            context=_evaluation_context,
            order=35,
        )
    )
