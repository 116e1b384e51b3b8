"""Marketplace fixtures: an organisation with a confirmed member, and records in each state."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def org_member(make_org: Any, make_outside: Any, admin: Any) -> tuple[Any, Any]:
    """An enterprise user confirmed as a member of a registry organisation."""
    from caunoi.registry.affiliations import affiliation_decide, affiliation_request

    org = make_org(name_vi="Công ty Cổ phần Nông nghiệp Xanh", is_public=True)
    user = make_outside("enterprise", "member")
    claim = affiliation_request(user=user, organization=org)
    affiliation_decide(user=admin, affiliation=claim, approve=True)
    return user, org


@pytest.fixture
def make_offer(taxonomy: dict[str, Any]) -> Any:
    from caunoi.market import services
    from caunoi.market.models import TechnologyOffer

    def make(user: Any, **data: Any) -> Any:
        values = {"title_en": "Low-power edge AI chip", "summary_en": "A chip.", "trl": 6}
        values.update(data)
        return services.record_save(
            user=user,
            instance=TechnologyOffer(),
            data=values,
            m2m={"fields": [taxonomy["fields"]["semis"]]},
        )

    return make


@pytest.fixture
def make_request(taxonomy: dict[str, Any]) -> Any:
    from caunoi.market import services
    from caunoi.market.models import TechnologyRequest

    def make(user: Any, **data: Any) -> Any:
        values = {
            "title_vi": "Cần công nghệ sấy nông sản",
            "need": "Máy sấy năng lượng mặt trời cho cà phê",
        }
        values.update(data)
        return services.record_save(
            user=user, instance=TechnologyRequest(), data=values, m2m={"fields": []}
        )

    return make


@pytest.fixture
def publish(owner: Any) -> Any:
    """Submit (as its writer), review and approve (as an officer) a record."""
    from caunoi.market import services

    def run(record: Any) -> Any:
        services.transition(user=record.owner_user, record=record, to="submitted")
        services.transition(user=owner, record=record, to="in_review")
        return services.transition(user=owner, record=record, to="published")

    return run
