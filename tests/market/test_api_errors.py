"""One submission to the marketplace API names every bad field: the schema's errors and the
rules' (unknown references, past dates, organisations, the model's checks) together, in one
422 with the API's error shape, and nothing is written."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from support import login

pytestmark = pytest.mark.django_db


def _send(client: Client, method: str, path: str, body: Any, **headers: str) -> Any:
    return client.generic(
        method, path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_schema_and_rule_errors_come_back_in_one_answer(provider: Any, taxonomy: Any) -> None:
    from caunoi.market.models import TechnologyOffer

    past = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    body = {
        "title_en": "GaN power transistor process",
        "trl": 12,  # schema: out of bounds
        "cooperation": ["bribery"],  # schema: not a choice
        "price_negotiable": "maybe",  # schema: wrong type
        "country": "ZZ",  # rule: unknown country
        "fields": ["semiconductors", "no-such-field"],  # rule: unknown field (item 1)
        "valid_until": past,  # rule: a past date
    }
    answer = _send(login(provider), "POST", "/api/v1/market/offers", body)
    assert answer.status_code == 422, answer.content
    found = answer.json()
    assert set(found) == {"detail", "errors"}
    assert set(found["errors"]) == {
        "trl",
        "cooperation.0",
        "price_negotiable",
        "country",
        "fields.1",
        "valid_until",
    }
    assert all(isinstance(m, list) and m for m in found["errors"].values())
    assert not TechnologyOffer.objects.exists()


def test_rule_errors_alone_have_the_same_status_and_shape(provider: Any, taxonomy: Any) -> None:
    answer = _send(
        login(provider),
        "POST",
        "/api/v1/market/offers",
        {"title_en": "x", "country": "ZZ", "fields": ["nope"]},
    )
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"country", "fields.0"}


def test_a_missing_required_field_and_a_model_rule_together(provider: Any, taxonomy: Any) -> None:
    from caunoi.market.models import Expert

    # ``name`` missing (schema), a bad ORCID check digit (the model's clean) and an unknown
    # country (a reference) at once.
    answer = _send(
        login(provider),
        "POST",
        "/api/v1/market/experts",
        {"orcid": "0000-0002-1825-0098", "country": "QQ", "category": "alien"},
    )
    assert answer.status_code == 422, answer.content
    assert {"name", "orcid", "country", "category"} <= set(answer.json()["errors"])
    assert not Expert.objects.exists()


def test_a_patch_names_every_bad_field_and_writes_nothing(
    provider: Any, make_offer: Any, taxonomy: Any
) -> None:
    offer = make_offer(provider, title_en="Edge AI chip", trl=4)
    me = login(provider)
    path = f"/api/v1/market/offers/{offer.pk}"
    tag = me.get(path)["ETag"]
    past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    answer = _send(
        me,
        "PATCH",
        path,
        {"trl": "six", "valid_until": past, "preferred": 1, "title_en": "Changed"},
        **{"If-Match": tag},
    )
    assert answer.status_code == 422, answer.content
    assert set(answer.json()["errors"]) == {"trl", "valid_until", "preferred"}
    offer.refresh_from_db()
    assert offer.title_en == "Edge AI chip" and offer.trl == 4
    # The same tag still works: nothing was written.
    fine = _send(me, "PATCH", path, {"title_en": "Changed"}, **{"If-Match": tag})
    assert fine.status_code == 200 and fine.json()["title_en"] == "Changed"


def test_an_organisation_the_caller_is_not_member_of_beside_a_schema_error(
    provider: Any, make_org: Any, taxonomy: Any
) -> None:
    org = make_org(name_vi="Viện Không Liên Quan", is_public=True)
    answer = _send(
        login(provider),
        "POST",
        "/api/v1/market/requests",
        {
            "title_vi": "Cần sấy lạnh",
            "need": "Sấy lạnh",
            "owner_organization": org.pk,
            "min_trl": 0,
        },
    )
    assert answer.status_code == 422, answer.content
    assert set(answer.json()["errors"]) == {"owner_organization", "min_trl"}


def test_a_body_that_is_not_an_object_is_one_error(provider: Any, taxonomy: Any) -> None:
    answer = _send(login(provider), "POST", "/api/v1/market/offers", ["title_en"])
    assert answer.status_code == 422
    assert answer.json()["errors"]
