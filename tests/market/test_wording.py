"""The marketplace's Vietnamese is its own: a msgid another app's catalogue translates
differently carries the "market" context, so the market pages render the market's wording
and no other catalogue takes it over (nor the market's theirs)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from support import login

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "caunoi"


def _entries(path: Path) -> dict[tuple[str | None, str], tuple[str, bool]]:
    """(context, msgid) -> (first msgstr, plural) of a .po file, obsolete entries left out."""
    out: dict[tuple[str | None, str], tuple[str, bool]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[key] += ast.literal_eval(line)
                continue
            key, _, value = line.partition(" ")
            fields[key] = ast.literal_eval(value)
        if fields.get("msgid"):
            msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
            out[(fields.get("msgctxt"), fields["msgid"])] = (msgstr, "msgid_plural" in fields)
    return out


def _catalogues() -> dict[str, dict[tuple[str | None, str], tuple[str, bool]]]:
    found = {
        str(po.relative_to(SRC)): _entries(po) for po in SRC.glob("**/locale/vi/LC_MESSAGES/*.po")
    }
    assert "market/locale/vi/LC_MESSAGES/django.po" in found
    return found


def test_no_market_msgid_is_worded_otherwise_by_another_app() -> None:
    catalogues = _catalogues()
    market = catalogues.pop("market/locale/vi/LC_MESSAGES/django.po")
    clashes = [
        (key, name, theirs)
        for key, (ours, _plural) in market.items()
        for name, entries in catalogues.items()
        if key in entries and (theirs := entries[key][0]) and ours and theirs != ours
    ]
    assert not clashes, clashes


def test_every_market_string_renders_the_market_s_translation() -> None:
    """Through Django's merged catalogue (the project's and earlier apps' catalogues take
    precedence): each market entry translates to the market's own msgstr."""
    market = _entries(SRC / "market/locale/vi/LC_MESSAGES/django.po")
    wrong = []
    with translation.override("vi"):
        for (context, msgid), (ours, plural) in market.items():
            if not ours:
                continue
            if plural:
                got = (
                    translation.npgettext(context, msgid, msgid, 1)
                    if context
                    else translation.ngettext(msgid, msgid, 1)
                )
            else:
                got = (
                    translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                )
            if got != ours:
                wrong.append((context, msgid, ours, got))
    assert not wrong, wrong
    # The shared words the market gives its own context.
    for msgid, ours in (
        ("History", "Lịch sử"),
        ("Import", "Nhập"),
        ("created", "ngày tạo"),
        ("updated", "ngày cập nhật"),
        ("Change status", "Đổi trạng thái"),
    ):
        assert market[("market", msgid)][0] == ours


def test_market_pages_render_the_market_wording_in_vietnamese(
    provider: Any, enterprise: Any, owner: Any, make_offer: Any
) -> None:
    from caunoi.core.errors import DomainError
    from caunoi.market import interests, services
    from caunoi.market.models import TechnologyOffer, TechnologyRequest

    draft = make_offer(provider, title_en="Wording chip")
    me = login(provider)
    page = me.get(draft.get_absolute_url()).content.decode()
    assert "Đổi trạng thái" in page and "Thay đổi trạng thái" not in page
    listing = me.get("/market/offers/").content.decode()
    assert 'placeholder="Tìm…"' in listing and "1 bản ghi" in listing
    assert "Tìm kiếm…" not in listing and "1 hồ sơ" not in listing
    response = me.post(
        f"/market/offers/{draft.pk}/transition/",
        {"status": "submitted", "version": draft.version},
        follow=True,
    )
    assert "Đã đổi trạng thái." in response.content.decode()
    officer = login(owner)
    assert "Phê duyệt" in officer.get("/market/review/").content.decode()
    assert ">Nhập</button>" in officer.get("/market/offers/import/").content.decode()
    # The expression's page: its history under the market's heading.
    offer = TechnologyOffer.objects.get(pk=draft.pk)
    assert offer.status == "submitted"
    offer = services.transition(user=owner, record=offer, to="published")
    interest = interests.interest_create(user=enterprise, record=offer, message="Xin báo giá.")
    page = officer.get(interest.get_absolute_url()).content.decode()
    assert "<h2>Lịch sử</h2>" in page and "Lịch sử thay đổi" not in page
    # The field names and the service's refusals, in the market's words.
    with translation.override("vi"):
        assert str(TechnologyOffer._meta.get_field("created_at").verbose_name) == "ngày tạo"
        assert str(TechnologyRequest._meta.get_field("updated_at").verbose_name) == (
            "ngày cập nhật"
        )
        with pytest.raises(DomainError) as refused:
            services.record_save(user=enterprise, instance=offer, data={"title_en": "X"})
        assert refused.value.message == "Bạn không có quyền sửa bản ghi này."
