"""The history panel reads like the form: field names, choice labels, yes/no, names of
related records and people; rows that change nothing visible are left out."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.accounts.models import AuditEvent
from support import login

pytestmark = pytest.mark.django_db


def test_history_shows_labels_names_and_yes_no(
    admin: Any, make_agreement: Any, make_org: Any
) -> None:
    from caunoi.registry import services

    admin.first_name, admin.last_name = "Lan", "Nguyễn Thị"
    admin.save()
    agreement = make_agreement(status="in_force", is_public=False)
    org = make_org(name_vi="Viện Khoa học Hàn Quốc")
    services.agreement_transition(user=admin, agreement=agreement, to_status="expiring")
    services.record_save(user=admin, instance=agreement, data={"is_public": True})
    # A change that reads the same both ways (empty text to nothing) is not shown.
    AuditEvent.objects.create(
        actor=admin,
        actor_name="admin",
        action="update",
        model="registry.agreement",
        object_id=str(agreement.pk),
        object_repr=str(agreement),
        changes={"legal_basis": ["", None], "expires_on": [None, "2031-05-20"]},
    )
    services.record_save(user=admin, instance=org, data={"kind": "university"})
    page = login(admin).get(agreement.get_absolute_url()).content.decode()
    history = page[page.index('id="history"') :]
    assert "in_force" not in history and "is_public" not in history
    assert "Có hiệu lực → Sắp hết hạn" in history
    assert "không → có" in history
    assert "— → 20/05/2031" in history
    assert "Nguyễn Thị Lan" in history or "Lan Nguyễn Thị" in history
    assert "legal_basis" not in history and history.count("→") == 3
    org_page = login(admin).get(org.get_absolute_url()).content.decode()
    assert "Trường đại học" in org_page[org_page.index('id="history"') :]


def test_history_falls_back_to_the_username(admin: Any, make_agreement: Any) -> None:
    from caunoi.registry import services

    agreement = make_agreement()
    services.record_save(user=admin, instance=agreement, data={"summary": "Tóm tắt"})
    event = AuditEvent.objects.filter(object_id=str(agreement.pk)).latest("pk")
    assert event.actor_display == "admin"
    assert [r["new"] for r in event.change_rows()] == ["Tóm tắt"]
