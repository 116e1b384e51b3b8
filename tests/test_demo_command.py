"""`caunoi demo` end to end (without serving): data, accounts and a searchable index."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import auth
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_loads_signs_in_and_searches(capsys: Any) -> None:
    from caunoi.portal.management.commands.demo import DEMO_USERS
    from caunoi.registry.models import Agreement

    call_command("demo", "--no-serve", "--no-embed")
    out = capsys.readouterr().out
    assert Agreement.objects.count() > 200
    client = Client()
    for username, password, *_ in DEMO_USERS:
        assert username in out and password in out
        assert client.login(username=username, password=password)
    # One outside account of each kind, signed in and linked to its organisation.
    from caunoi.portal.demo.load import OUTSIDE_DEMO_ACCOUNTS
    from caunoi.registry.affiliations import approved_organization_ids

    kinds = set()
    for username, password, kind, *_ in OUTSIDE_DEMO_ACCOUNTS:
        assert username in out and password in out
        assert client.login(username=username, password=password)
        user = auth.get_user(client)
        assert user.is_outside and not user.is_network_staff and approved_organization_ids(user)
        kinds.add(kind)
    assert kinds == {"enterprise", "research", "provider", "intermediary", "expert"}
    # Lexical search works right after the demo starts, without diacritics.
    body = Client().get("/api/v1/search", {"q": "hiep dinh 123", "mode": "lexical"}).json()
    titles = [hit["title"] for hit in body["items"]]
    assert any("123" in t for t in titles[:3]), titles[:5]
    # A second run changes nothing.
    before = Agreement.objects.count()
    call_command("demo", "--no-serve", "--no-embed")
    assert Agreement.objects.count() == before


def test_the_demo_staff_accounts_have_example_addresses() -> None:
    from caunoi.accounts.models import User
    from caunoi.portal.management.commands.demo import ensure_demo_users

    ensure_demo_users()
    emails = dict(User.objects.values_list("username", "email"))
    assert emails["admin"] == "admin@example.vn"
    assert emails["canbo.htqt"] == "canbo.htqt@example.vn"
    assert emails["canbo.hanoi"] == "canbo.hanoi@example.vn"
