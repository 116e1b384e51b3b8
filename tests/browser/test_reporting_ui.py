"""Reporting in a real headless Chromium: a province officer fills a report (autosaved as a
draft, a Vietnamese message for the missing required answer) and submits it; the HTQT officer
returns it with a comment; the province corrects and resubmits; the HTQT officer approves;
the campaign's completeness and the home dashboard's panel follow. Then a stale autosave:
another writer saved meanwhile, and the form says so and shows the difference."""

from __future__ import annotations

import re
from typing import Any

import pytest

from reporting import conftest as reporting_fixtures
from support import sign_in

# The reporting tests' fixtures (a small template, a campaign over Hà Nội and a ministry).
campaign = reporting_fixtures.campaign
ministry = reporting_fixtures.ministry
template_version = reporting_fixtures.template_version

pytestmark = pytest.mark.django_db(transaction=True)


def _new_page(browser: Any) -> Any:
    page = browser.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(20_000)
    return page


def test_fill_submit_return_resubmit_approve(
    browser: Any, live_server: Any, campaign: Any, other: Any, owner: Any
) -> None:
    from caunoi.reporting.models import Submission

    report = campaign.units.get(code="ha-noi").submissions.get(kind="report")
    province, htqt = _new_page(browser), _new_page(browser)
    sign_in(htqt, live_server, "owner")
    htqt.goto(f"{live_server.url}/reporting/{campaign.pk}/")
    assert "0/2" in htqt.locator("#completeness-total").inner_text()

    # The province officer opens the report from "my submissions" and fills it.
    sign_in(province, live_server, "other")
    province.goto(f"{live_server.url}/reporting/mine/")
    province.locator("#my-submissions a", has_text="Báo cáo").first.click()
    province.wait_for_url(re.compile(rf"/reporting/submissions/{report.pk}/$"))
    province.fill("#id_so-hop-dong", "1.234")
    province.locator("#id_ty-le").focus()  # leaving the field saves the draft
    status = province.locator("#autosave-status")
    status.and_(province.locator("[data-state=saved]")).wait_for()
    assert "Đã tự động lưu" in status.inner_text()
    report.refresh_from_db()
    assert report.answers["so-hop-dong"] == 1234 and report.state == "draft"
    # Submitting without the required summary: refused, in Vietnamese, beside the answer.
    province.click("#submit-report")
    error = province.locator('.field-error[data-field="tom-tat"]')
    error.wait_for()
    assert "trước khi gửi" in error.inner_text()
    province.fill("#id_tom-tat", "Thành phố đã ký 3 thỏa thuận hợp tác.")
    province.click("#submit-report")
    province.wait_for_url(re.compile(rf"/reporting/submissions/{report.pk}/$"))
    assert province.locator("#submission-state").get_attribute("data-state") == "submitted"
    assert province.locator("#submission-form").count() == 0  # sent: read-only for the unit

    # The HTQT officer sees it counted and returns it with a comment.
    htqt.goto(f"{live_server.url}/reporting/{campaign.pk}/")
    assert "1/2" in htqt.locator("#completeness-total").inner_text()
    htqt.locator('#unit-status tr[data-unit="ha-noi"] a', has_text="Đã gửi").click()
    htqt.wait_for_url(re.compile(rf"/reporting/submissions/{report.pk}/$"))
    htqt.fill("#id_comment", "Đề nghị bổ sung tỷ lệ hoàn thành.")
    htqt.click("#return")
    assert htqt.locator("#submission-state").get_attribute("data-state") == "returned"

    # The province sees the comment, completes the answer and resubmits.
    province.reload()
    assert "bổ sung tỷ lệ hoàn thành" in province.locator("#review-comment").inner_text()
    province.fill("#id_ty-le", "85,5")
    province.click("#submit-report")
    province.wait_for_url(re.compile(rf"/reporting/submissions/{report.pk}/$"))
    assert province.locator("#submission-state").get_attribute("data-state") == "submitted"

    # The HTQT officer approves; the campaign and the dashboard show it.
    htqt.reload()
    htqt.click("#approve")
    assert htqt.locator("#submission-state").get_attribute("data-state") == "approved"
    saved = Submission.objects.get(pk=report.pk)
    assert saved.state == "approved" and float(saved.answers["ty-le"]) == 85.5
    assert [v.state for v in saved.versions.order_by("number")][-4:] == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    htqt.goto(f"{live_server.url}/reporting/{campaign.pk}/")
    assert "1/2" in htqt.locator("#completeness-total").inner_text()
    assert "50,0%" in htqt.locator("#completeness-total").inner_text() or "50.0%" in (
        htqt.locator("#completeness-total").inner_text()
    )
    row = htqt.locator('#unit-status tr[data-unit="ha-noi"]')
    assert "Đã duyệt" in row.inner_text() and "Có báo cáo, chưa có kế hoạch" in row.inner_text()
    htqt.goto(f"{live_server.url}/")
    panel = htqt.locator("#reporting-campaigns")
    assert "1/2" in panel.locator(".completeness").first.inner_text()


def test_a_stale_autosave_tells_the_user_and_shows_the_difference(
    browser: Any, live_server: Any, campaign: Any, other: Any, owner: Any
) -> None:
    from caunoi.reporting import services
    from caunoi.reporting.models import Submission

    report = campaign.units.get(code="ha-noi").submissions.get(kind="report")
    province = _new_page(browser)
    sign_in(province, live_server, "other")
    province.goto(f"{live_server.url}/reporting/submissions/{report.pk}/")
    # Meanwhile the HTQT officer enters the report that came by e-mail.
    services.submission_save(
        user=owner,
        submission=report,
        answers={"tom-tat": "Bản Vụ HTQT nhập từ thư điện tử."},
        expected_version=report.version,
    )
    province.fill("#id_tom-tat", "Bản của Sở.")  # autosaved two seconds after typing
    conflict = province.locator("#autosave-conflict")
    conflict.wait_for()
    row = conflict.locator('tr[data-field="tom-tat"]')
    assert "Bản Vụ HTQT nhập từ thư điện tử." in row.locator(".theirs").inner_text()
    assert "Bản của Sở." in row.locator(".yours").inner_text()
    saved = Submission.objects.get(pk=report.pk)
    assert saved.answers["tom-tat"] == "Bản Vụ HTQT nhập từ thư điện tử."
    # Saving by hand from the stale form is refused the same way (409 with the table).
    province.click("#save-draft")
    province.locator("#form-conflict").wait_for()
    assert Submission.objects.get(pk=report.pk).answers["tom-tat"].startswith("Bản Vụ HTQT")
