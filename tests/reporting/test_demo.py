"""The demo's 2020 round: 82 units and exactly the 2020 report's figures, computed from the
loaded submissions, shown by `caunoi campaigns --json` and on the dashboard."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from support import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: Any) -> Any:
    """Today's units of the demo data set, the HTQT administrator, then the reporting demo."""
    import caunoi.portal
    from caunoi.accounts.models import Unit
    from caunoi.accounts.services import user_create
    from caunoi.reporting.demo import demo_campaign_2020, load_reporting_demo

    data = json.loads(
        (Path(caunoi.portal.__file__).parent / "demo" / "data" / "units.json").read_text("utf-8")
    )
    for group in data.values():
        Unit.objects.bulk_create(Unit(**u) for u in group)
    admin = user_create(
        username="quantri",
        password="Quan-tri-2026-x",
        role="admin",
        unit=Unit.objects.get(code="htqt"),
    )
    counts = load_reporting_demo()
    assert counts["campaigns"] == 2
    assert load_reporting_demo() == {"campaigns": 0, "submissions": 0}  # idempotent
    return demo_campaign_2020(), admin


def test_the_2020_round_has_the_figures_of_the_2020_report(demo: Any) -> None:
    from caunoi.reporting.selectors import campaign_completeness

    campaign, _admin = demo
    figures = campaign_completeness(campaign)
    total = figures.total
    assert (total.expected, total.actual, total.actual_rate) == (82, 70, 85.4)
    assert total.categories == {
        "report_with_plan": 30,
        "report_without_plan": 37,
        "plan_without_report": 3,
        "neither": 12,
    }
    assert figures.by_kind["ministry"].actual == 15
    assert figures.by_kind["province"].actual == 55
    assert figures.by_kind["province"].expected == 63
    assert len(figures.by_region) == 7
    assert total.on_time < total.actual  # some came after the timely window
    # Entered by HTQT from e-mailed reports: each sent one counts from the day it arrived.
    from django.utils import timezone

    from caunoi.reporting.models import Submission

    sent = Submission.objects.filter(
        campaign_unit__campaign=campaign, first_submitted_at__isnull=False
    )
    assert sent.count() == 100
    assert all(s.received_on == timezone.localtime(s.first_submitted_at).date() for s in sent)


def test_campaigns_json_follows_the_contract(demo: Any) -> None:
    campaign, _admin = demo
    out = StringIO()
    call_command("campaigns", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    row = next(r for r in rows if r["id"] == campaign.pk)
    for key in ("id", "title", "expected", "actual", "on_time", "actual_rate", "on_time_rate"):
        assert key in row
    assert (row["expected"], row["actual"], row["actual_rate"]) == (82, 70, 85.4)
    assert row["categories"]["report_without_plan"] == 37
    assert row["by_unit_type"]["ministry"]["actual"] == 15
    assert "1851" in row["title"]


def test_the_dashboard_shows_70_of_82(demo: Any) -> None:
    _campaign, admin = demo
    body = login(admin).get("/").content.decode()
    assert "70/82" in body and ("85,4%" in body or "85.4%" in body)


def test_caunoi_report_writes_the_2020_figures(demo: Any, tmp_path: Path) -> None:
    import io

    from docx import Document
    from openpyxl import load_workbook

    campaign, _admin = demo
    xlsx, docx = tmp_path / "bc.xlsx", tmp_path / "bc.docx"
    call_command(
        "report", str(campaign.pk), "--format", "xlsx", "--out", str(xlsx), stdout=StringIO()
    )
    rows = list(load_workbook(xlsx)["Tình hình gửi"].iter_rows(values_only=True))
    assert rows[2][:4] == ("Tất cả đơn vị", 82, 70, 85.4)
    call_command(
        "report", str(campaign.pk), "--format", "docx", "--out", str(docx), stdout=StringIO()
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.read_bytes())).paragraphs)
    assert "Có 70/82 đơn vị" in text and "85,4%" in text
    assert "có báo cáo, chưa có kế hoạch: 37" in text


def test_caunoi_report_refuses_bad_input(db: Any, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No reporting campaign"):
        call_command("report", "999", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx"))
