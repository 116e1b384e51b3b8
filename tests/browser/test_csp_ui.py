"""The pages work under the Content-Security-Policy: no violation on the dashboard, a list
filtered with htmx, a detail page with its delete button, and the API docs (Swagger UI)."""

from __future__ import annotations

from typing import Any

import pytest

from support import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

_RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || ""));
});
"""


def _watch(page: Any) -> list[str]:
    """Console messages that report a CSP violation (they also cover pages already left)."""
    seen: list[str] = []
    page.add_init_script(_RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return seen


def _violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__csp || []"))


def test_pages_work_under_the_policy(
    page: Any, live_server: Any, owner: Any, make_agreement: Any
) -> None:
    page.set_default_timeout(30_000)  # Swagger UI is a large bundle on a busy machine
    console = _watch(page)
    agreement = make_agreement(title_vi="Hiệp định về năng lượng hạt nhân", country="US")
    make_agreement(title_vi="Thỏa thuận về bán dẫn", country="KR")

    sign_in(page, live_server, "owner")  # lands on the dashboard
    assert (
        "default-src 'self'"
        in (page.goto(f"{live_server.url}/").headers["content-security-policy"])
    )
    assert _violations(page) == []

    page.goto(f"{live_server.url}/registry/agreements/")
    page.fill("#q", "hạt nhân")  # htmx filtering as you type
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 1")
    assert "năng lượng hạt nhân" in page.locator("#results").inner_text()
    assert _violations(page) == []

    # The delete button asks first (a handler in caunoi.js, not an inline onsubmit).
    page.goto(f"{live_server.url}{agreement.get_absolute_url()}")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.click("form[data-confirm] button")
    assert asked and page.url.endswith(agreement.get_absolute_url())
    assert _violations(page) == []

    docs = page.goto(f"{live_server.url}/api/v1/docs")
    assert docs is not None and docs.headers.get("content-security-policy")
    page.wait_for_selector(
        ".swagger-ui .opblock", timeout=30_000
    )  # Swagger UI rendered the operations
    assert _violations(page) == []
    assert console == []
