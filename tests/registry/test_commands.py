"""Management commands that operators use: users, reference data, tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_create_user_with_role_and_unit(units: Any, capsys: Any) -> None:
    from caunoi.accounts.models import User

    call_command(
        "create_user",
        "lan",
        "--role",
        "officer",
        "--unit",
        "ha-noi",
        "--password",
        "mat-khau-dai-2026",
        "--first-name",
        "Lan",
        "--last-name",
        "Lê Thị",
    )
    user = User.objects.get(username="lan")
    assert user.role == "officer" and user.unit == units["hanoi"]
    assert user.check_password("mat-khau-dai-2026")
    assert user.get_full_name() == "Lê Thị Lan"
    with pytest.raises(CommandError):
        call_command("create_user", "binh", "--role", "officer", "--password", "x-long-pass-99")
    with pytest.raises(CommandError):
        call_command("create_user", "an", "--role", "viewer", "--password", "123")


def test_superuser_is_an_htqt_administrator(db: Any) -> None:
    from caunoi.accounts.models import User

    user = User.objects.create_superuser("root", "root@example.org", "pw-root-long-1")
    assert user.role == "admin" and user.is_admin


def test_token_command_prints_a_working_token(admin: Any, capsys: Any) -> None:
    from caunoi.accounts.services import api_token_authenticate

    call_command("token", "admin")
    raw = capsys.readouterr().out.strip()
    assert api_token_authenticate(raw) == admin
    with pytest.raises(CommandError):
        call_command("token", "nobody")


def test_load_reference_is_idempotent(db: Any) -> None:
    from caunoi.registry.models import Organization
    from caunoi.taxonomy.models import Country, Field

    call_command("load_reference")
    counts = (Country.objects.count(), Field.objects.count(), Organization.objects.count())
    assert counts[0] >= 249 and counts[1] > 40 and counts[2] > 50
    call_command("load_reference")
    assert (Country.objects.count(), Field.objects.count(), Organization.objects.count()) == counts
    korea = Country.objects.get(iso2="KR")
    assert korea.name_vi == "Hàn Quốc"


def test_refresh_country_links_rebuilds_from_parties(make_agreement: Any, capsys: Any) -> None:
    agreement = make_agreement(country="KR")
    agreement.countries.clear()  # as after a bulk load that bypassed the services
    call_command("refresh_country_links")
    assert list(agreement.countries.values_list("iso2", flat=True)) == ["KR"]
    assert "1 agreement links" in capsys.readouterr().out


def test_create_user_without_terminal_fails_cleanly(units: Any, monkeypatch: Any) -> None:
    import getpass

    def no_terminal(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr(getpass, "getpass", no_terminal)
    with pytest.raises(CommandError, match="--password"):
        call_command("create_user", "lan", "--role", "viewer")
