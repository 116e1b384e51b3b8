"""An expert's languages: a known code, a CEFR level A1–C2, each language once; refused with
a message naming the field in the form, the API and the services (which the demo loader and
any import go through), every problem at once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from support import login

pytestmark = pytest.mark.django_db


def _post(client: Client, body: Any) -> Any:
    return client.post("/api/v1/market/experts", json.dumps(body), content_type="application/json")


def test_the_api_names_each_bad_language(provider: Any, taxonomy: Any) -> None:
    from caunoi.market.models import Expert

    answer = _post(
        login(provider),
        {
            "name": "TS. Park Min-jun",
            "languages": [
                {"language": "ko", "level": "C2"},
                {"language": "xq", "level": "B1"},  # unknown code
                {"language": "en", "level": "D1"},  # unknown level (schema)
                {"language": "KO", "level": "B2"},  # Korean again
            ],
        },
    )
    assert answer.status_code == 422, answer.content
    errors = answer.json()["errors"]
    assert set(errors) == {"languages.1.language", "languages.2.level", "languages.3.language"}
    assert "xq" in errors["languages.1.language"][0]
    assert not Expert.objects.exists()
    fine = _post(
        login(provider),
        {"name": "TS. Park Min-jun", "languages": [{"language": "zh-hans", "level": "B2"}]},
    )
    assert fine.status_code == 201, fine.content


def test_the_messages_are_vietnamese_and_english(provider: Any, taxonomy: Any) -> None:
    from caunoi.market.models import language_problems

    values = [{"language": "en", "level": "B2"}, {"language": "en", "level": "Z9"}]
    with translation.override("vi"):
        vi = dict(language_problems(values))
    with translation.override("en"):
        en = dict(language_problems(values))
    assert set(vi) == set(en) == {"1.language", "1.level"}
    assert en["1.language"].startswith("Languages:") and "twice" in en["1.language"]
    assert vi["1.language"].startswith("Ngôn ngữ") and vi["1.language"] != en["1.language"]
    assert vi["1.level"] != en["1.level"] and "Z9" in vi["1.level"]


def test_the_form_shows_every_language_problem(provider: Any, taxonomy: Any) -> None:
    from caunoi.market.forms import ExpertForm
    from caunoi.market.models import Expert

    form = ExpertForm(
        {"name": "TS. Lê Văn An", "languages": "en C1, xx B2, fr Z1, EN B1", "version": ""},
        instance=Expert(),
        organizations=None,
    )
    assert not form.is_valid()
    text = " ".join(form.errors["languages"])
    assert "xx" in text and "Z1" in text and ("twice" in text or "hai lần" in text)
    assert len(form.errors["languages"]) == 3


def test_the_service_refuses_a_language_twice(provider: Any, taxonomy: Any) -> None:
    from caunoi.core.errors import DomainError
    from caunoi.market import services
    from caunoi.market.models import Expert

    with pytest.raises(DomainError) as refused:
        services.record_save(
            user=provider,
            instance=Expert(),
            data={
                "name": "TS. Trần Thu Hà",
                "languages": [{"language": "ja", "level": "B2"}, {"language": "ja", "level": "C1"}],
            },
        )
    assert "languages" in refused.value.errors
    assert not Expert.objects.exists()
