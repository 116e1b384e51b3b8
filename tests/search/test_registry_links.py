"""The search index sees what the registry services derive: an agreement's countries."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_country_filter_finds_an_agreement_saved_with_an_organisation_party(
    admin: Any, make_org: Any, taxonomy: Any
) -> None:
    from caunoi.registry import services
    from caunoi.registry.models import Agreement
    from caunoi.search.service import search

    org = make_org(country_id="JP", name_vi="Viện Nghiên cứu Vật liệu Tokyo")
    agreement = services.agreement_save(
        user=admin,
        agreement=Agreement(),
        data={"title_vi": "Thỏa thuận về vật liệu bán dẫn", "kind": "mou", "level": "ministry"},
        parties=[("foreign", None, org)],
    )
    found = search(user=admin, query="vat lieu ban dan", mode="lexical", filters={"country": "JP"})
    assert [h.object_id for h in found.hits] == [agreement.pk]
    assert (
        search(user=admin, query="vat lieu ban dan", mode="lexical", filters={"country": "KR"}).hits
        == []
    )
