"""Two imports of one file at once (two officers, a double click): the second to write checks
its rows again against what the first wrote, under a lock, so the records are not doubled."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.market import imports
from caunoi.market.models import TechnologyOffer

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = [
    {"title_vi": "Máy sấy nông sản dùng năng lượng mặt trời", "summary_vi": "Sấy cà phê, ca cao."},
    {"title_vi": "Cảm biến đo độ mặn cho ao nuôi tôm", "summary_vi": "Đo liên tục, cảnh báo."},
]


def _interleaved(monkeypatch: pytest.MonkeyPatch, user: Any) -> None:
    """The other import runs and commits between this one's duplicate check and its write."""
    check = imports._Duplicates.check
    calls = {"n": 0}

    def check_then_other_import(self: Any, rows: Any) -> Any:
        found = check(self, rows)
        calls["n"] += 1
        if calls["n"] == 1:
            other = imports.import_offers(user=user, rows=[dict(r) for r in ROWS])
            assert other.ok and other.created == 2
        return found

    monkeypatch.setattr(imports._Duplicates, "check", check_then_other_import)


def test_the_second_import_is_refused_after_the_first_wrote(
    owner: Any, taxonomy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _interleaved(monkeypatch, owner)
    report = imports.import_offers(user=owner, rows=[dict(r) for r in ROWS])
    assert not report.ok and report.created == 0
    assert {(e.row, e.field) for e in report.errors} == {(2, "title"), (3, "title")}
    assert TechnologyOffer.objects.count() == 2  # the first import's, not four


def test_with_skip_duplicates_the_second_import_skips_them(
    owner: Any, taxonomy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _interleaved(monkeypatch, owner)
    report = imports.import_offers(user=owner, rows=[dict(r) for r in ROWS], skip_duplicates=True)
    assert report.ok and report.created == 0
    assert [e.row for e in report.skipped] == [2, 3]
    assert TechnologyOffer.objects.count() == 2
