"""Django's Vietnamese for the min/max-value validators has a stray space before the period;
the project's catalogue corrects it, in forms and in the import report alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from caunoi.market.forms import OfferForm
from caunoi.market.imports import import_records

pytestmark = pytest.mark.django_db


def test_max_and_min_value_messages_have_no_space_before_the_period(owner: Any) -> None:
    with translation.override("vi"):
        too_high = OfferForm(data={"title_vi": "Cảm biến khí", "trl": "12"})
        too_low = OfferForm(data={"title_vi": "Cảm biến khí", "trl": "0"})
        high, low = too_high.errors["trl"][0], too_low.errors["trl"][0]
        report = import_records("offers", user=owner, rows=[{"title_vi": "A", "trl": "12"}])
    assert high == "Đảm bảo giá trị này nhỏ hơn hoặc bằng 9."
    assert low == "Đảm bảo giá trị này lớn hơn hoặc bằng 1."
    assert {e.field: e.message for e in report.errors}["trl"] == high
    with translation.override("en"):
        english = OfferForm(data={"title_vi": "Cảm biến khí", "trl": "12"}).errors["trl"][0]
    assert english == "Ensure this value is less than or equal to 9."
