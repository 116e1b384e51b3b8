"""The list's export links carry the filters, also in the htmx-refreshed fragment."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_refreshed_results_carry_export_links_with_the_filters(make_agreement: Any) -> None:
    make_agreement(country="US", status="in_force")
    make_agreement(country="KR", status="expired")
    response = Client().get(
        "/registry/agreements/",
        {"status": "expired"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    html = response.content.decode()
    assert 'id="export-csv" href="?status=expired&export=csv"' in html
    assert 'id="export-xlsx" href="?status=expired&export=xlsx"' in html
    export = Client().get("/registry/agreements/?status=expired&export=csv")
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert body.decode("utf-8-sig").count("\n") == 2  # the header and the one expired record
