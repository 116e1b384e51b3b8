"""The criteria-set editor in a real headless Chromium: the HTQT officer creates a set with
two indicators (one computed from the platform's agreements, one entered with evidence),
gets a Vietnamese message for a weight of zero on its row, corrects it and saves; then, on
the set's page, enters the value with its evidence and sees the formula and the evidence
behind every number."""

from __future__ import annotations

import re
from typing import Any

import pytest

from support import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_a_criteria_set_fix_a_weight_and_see_the_scores(
    page: Any, live_server: Any, owner: Any
) -> None:
    from caunoi.reporting.models_evaluation import CriteriaSet, EvalIndicator

    page.set_default_timeout(20_000)
    sign_in(page, live_server, "owner")
    page.goto(f"{live_server.url}/reporting/evaluation/")
    page.click("#set-new")
    page.wait_for_url(re.compile(r"/reporting/evaluation/new/$"))
    page.fill("#id_code", "hieu-qua-2026")
    page.fill("#id_title_vi", "Hiệu quả hợp tác quốc tế 2026")
    page.fill("#id_period_start", "2026-01-01")
    page.fill("#id_period_end", "2026-12-31")
    # the six criteria are taken in, weight 1; only relevance and effectiveness are kept
    for n in (1, 3, 4, 5):
        page.uncheck(f"#id_c-{n}-included")
    page.fill("#id_c-0-weight", "2")
    page.select_option("#id_i-0-criterion", "relevance")
    page.fill("#id_i-0-code", "thoa-thuan")
    page.fill("#id_i-0-label_vi", "Số thỏa thuận có hiệu lực")
    page.select_option("#id_i-0-source_key", "registry.agreements_in_force")
    page.fill("#id_i-0-weight", "0")
    page.fill("#id_i-0-target", "5")
    page.select_option("#id_i-1-criterion", "effectiveness")
    page.fill("#id_i-1-code", "hai-long")
    page.fill("#id_i-1-label_vi", "Mức độ hài lòng của đối tác")
    page.fill("#id_i-1-target", "10")
    page.click("#save")

    # Refused: the message on the weight of the first indicator, the rest kept as typed.
    page.locator("#form-errors").wait_for()
    error = page.locator('.field-error[data-field="i-0-weight"]')
    assert error.inner_text() == "Trọng số phải là số dương."
    assert page.input_value("#id_i-1-label_vi") == "Mức độ hài lòng của đối tác"
    assert page.locator("#weight-total").inner_text() == "3"  # relevance 2 + effectiveness 1
    assert not CriteriaSet.objects.exists()

    page.fill("#id_i-0-weight", "1.5")
    page.click("#save")
    page.wait_for_url(re.compile(r"/reporting/evaluation/\d+/$"))
    cs = CriteriaSet.objects.get(code="hieu-qua-2026")
    assert "Đã lưu bộ tiêu chí." in page.content()
    assert page.locator("#criterion-relevance").is_visible()
    assert page.locator("#criterion-effectiveness").is_visible()
    assert page.locator("#criterion-impact").count() == 0

    # The entered indicator: its value with evidence, from the set's page.
    entered = EvalIndicator.objects.get(criterion__criteria_set=cs, code="hai-long")
    evidence = page.locator(f"#ind-{entered.pk} + tr.evidence")
    evidence.locator("summary").click()
    evidence.locator("input[name=value]").fill("8")
    evidence.locator("input[name=note]").fill("Khảo sát đối tác tháng 11/2026")
    evidence.locator("input[name=evidence_url]").fill("https://khaosat.example.vn/2026")
    evidence.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/reporting/evaluation/{cs.pk}/#ind-{entered.pk}$"))

    # Every number with its formula and its evidence.
    row = page.locator(f"#ind-{entered.pk}")
    assert row.locator("td.value").inner_text().strip().startswith("8")
    assert row.locator("code").inner_text() == "min(8 / 10; 1) × 100"
    assert row.locator("td.score").inner_text().strip() == "80,0"
    evidence = page.locator(f"#ind-{entered.pk} + tr.evidence")
    evidence.locator("summary").click()
    current = evidence.locator("ol.entries li.current")
    assert "Khảo sát đối tác tháng 11/2026" in current.inner_text()
    assert current.locator("a").first.get_attribute("href") == "https://khaosat.example.vn/2026"
    computed = EvalIndicator.objects.get(criterion__criteria_set=cs, code="thoa-thuan")
    assert "Số thỏa thuận hợp tác có hiệu lực" in page.locator(f"#ind-{computed.pk}").inner_text()
    assert page.locator(f"#ind-{computed.pk} code").inner_text() == "min(0 / 5; 1) × 100"
    assert page.locator("#set-formula").inner_text()  # the set's own formula
    assert "80" in page.locator("#criterion-effectiveness h2").inner_text()
