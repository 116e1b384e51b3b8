"""A new record type plugs into search by registering a source, and takes nothing away."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from caunoi.search import service
from caunoi.search.sources import DocData, Source, all_sources, register, unregister

pytestmark = pytest.mark.django_db

REGISTRY_KINDS = {
    "partners",
    "agreements",
    "memberships",
    "projects",
    "delegations",
    "events",
    "representatives",
}


@pytest.fixture
def unit_source() -> Iterator[Source]:
    """A throwaway source over reporting units (a model no app indexes)."""
    from caunoi.accounts.models import Unit

    source = Source(
        kind="throwaway-units",
        model=Unit,
        build=lambda u: DocData(title=u.name_vi, body=u.code, audience=("public",)),
        queryset=lambda: Unit.objects.all(),
        label="unit",
        label_plural="units",
    )
    register(source)
    yield source
    unregister(source.kind)


def test_registry_kinds_are_registered_by_the_registry_app() -> None:
    assert set(all_sources()) >= REGISTRY_KINDS


def test_a_new_source_is_searched_beside_every_registry_kind(
    unit_source: Source, make_agreement: Any, make_org: Any, admin: Any
) -> None:
    from caunoi.accounts.models import Unit
    from caunoi.registry.models import Delegation

    assert REGISTRY_KINDS | {"throwaway-units"} <= set(all_sources())
    make_org(name_vi="Viện Quang học Xylanh")
    make_agreement(title_vi="Hiệp định Xylanh")
    Delegation.objects.create(
        title_vi="Đoàn Xylanh",
        direction="out",
        owner_unit=admin.unit,
        start_on="2024-01-01",
        end_on="2024-01-02",
        is_public=True,
    )
    Unit.objects.create(code="so-xylanh", name_vi="Sở Xylanh", kind=Unit.Kind.PROVINCE)
    result = service.search(user=admin, query="xylanh", mode="lexical")
    assert {h.kind for h in result.hits} == {
        "partners",
        "agreements",
        "delegations",
        "throwaway-units",
    }
    kinds = next(f for f in result.facets if f.name == "kind")
    assert {v.value for v in kinds.values} >= {"throwaway-units", "agreements"}


def test_registering_another_model_under_a_taken_kind_is_refused(unit_source: Source) -> None:
    from caunoi.accounts.models import User

    with pytest.raises(ValueError, match="already registered"):
        register(
            Source(
                kind="agreements",
                model=User,
                build=lambda u: DocData(title="", body=""),
                queryset=lambda: User.objects.all(),
            )
        )


def test_an_unregistered_source_is_no_longer_kept_in_step(unit_source: Source) -> None:
    from caunoi.accounts.models import Unit
    from caunoi.search.models import SearchDocument

    Unit.objects.create(code="so-a", name_vi="Sở A", kind=Unit.Kind.PROVINCE)
    assert SearchDocument.objects.filter(kind="throwaway-units").count() == 1
    unregister("throwaway-units")
    Unit.objects.create(code="so-b", name_vi="Sở B", kind=Unit.Kind.PROVINCE)
    assert SearchDocument.objects.filter(kind="throwaway-units").count() == 1
    assert "throwaway-units" not in all_sources()
