"""`caunoi demo` end to end (without serving): data, accounts and a searchable index."""

from __future__ import annotations

from typing import Any

import pytest
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
    # Lexical search works right after the demo starts, without diacritics.
    body = Client().get("/api/v1/search", {"q": "hiep dinh 123", "mode": "lexical"}).json()
    titles = [hit["title"] for hit in body["items"]]
    assert any("123" in t for t in titles[:3]), titles[:5]
    # A second run changes nothing.
    before = Agreement.objects.count()
    call_command("demo", "--no-serve", "--no-embed")
    assert Agreement.objects.count() == before
