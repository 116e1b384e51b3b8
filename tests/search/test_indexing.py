"""The index follows every write through the services, and rolls back with it."""

from __future__ import annotations

from typing import Any

import pytest
import tantivy
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction

from caunoi.registry.models import Organization
from caunoi.registry.services import (
    agreement_save,
    agreement_transition,
    record_delete,
    record_save,
)
from caunoi.search import lexical
from caunoi.search.models import SearchDocument
from caunoi.search.service import search

pytestmark = pytest.mark.django_db


def found(query: str, user: Any = None) -> list[int]:
    result = search(user=user or AnonymousUser(), query=query, mode="lexical")
    return [h.object_id for h in result.hits]


def new_org(admin: Any, **data: Any) -> Organization:
    fields = {
        "key": "kist",
        "name_vi": "Viện Khoa học và Công nghệ Hàn Quốc",
        "kind": "research_institute",
    }
    fields.update(data)
    return record_save(user=admin, instance=Organization(), data={"is_public": True, **fields})


def physics_agreement(admin: Any, taxonomy: Any, title: str, signed_on: str, iso2: str) -> Any:
    """A signed, public agreement in physics with one foreign party, through the service."""
    from caunoi.registry.models import Agreement

    return agreement_save(
        user=admin,
        agreement=Agreement(),
        data={
            "title_vi": title,
            "kind": "intergovernmental",
            "level": "government",
            "status": "signed",
            "signed_on": signed_on,
            "is_public": True,
        },
        fields=[taxonomy["fields"]["physics"]],
        parties=[("foreign", taxonomy["countries"][iso2], None)],
    )


def index_is_consistent() -> None:
    """The lexical index holds exactly the search documents, each under its own terms."""
    docs = {
        pk: set(terms.split()) for pk, terms in SearchDocument.objects.values_list("pk", "terms")
    }
    searcher = lexical.sync().searcher()
    every = searcher.search(tantivy.Query.all_query(), 10_000, count=False)
    indexed = searcher.fast_field_values("doc_id", [a for _, a in every.hits])
    assert sorted(indexed) == sorted(docs)
    for term in set().union(*docs.values()) if docs else set():
        q = lexical.LexicalQuery([[term]], True, None, None, 10_000)
        assert {i for i, _ in lexical.search(q)} == {pk for pk, t in docs.items() if term in t}


def test_create_update_delete(admin: Any, taxonomy: Any) -> None:
    org = new_org(admin, country=taxonomy["countries"]["KR"])
    assert found("khoa hoc cong nghe han quoc") == [org.pk]
    record_save(user=admin, instance=org, data={"name_vi": "Viện Nghiên cứu Điện tử Hàn Quốc"})
    assert found("khoa hoc cong nghe") == []
    assert found("nghien cuu dien tu") == [org.pk]
    index_is_consistent()
    record_delete(user=admin, instance=org)
    assert found("nghien cuu dien tu") == []
    assert not SearchDocument.objects.exists()
    index_is_consistent()


def test_publication_change_is_indexed(admin: Any) -> None:
    org = new_org(admin)
    record_save(user=admin, instance=org, data={"is_public": False})
    assert found("khoa hoc cong nghe han quoc") == []
    assert found("khoa hoc cong nghe han quoc", user=admin) == [org.pk]


def test_rollback_leaves_the_index_as_it_was(admin: Any) -> None:
    org = new_org(admin)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_save(user=admin, instance=org, data={"name_vi": "Quỹ Đổi mới Sáng tạo"})
        assert found("doi moi sang tao") == [org.pk]  # visible inside the transaction
        raise RuntimeError("abort")
    assert found("doi moi sang tao") == []
    assert found("khoa hoc cong nghe han quoc") == [org.pk]
    with pytest.raises(RuntimeError), transaction.atomic():
        new_org(admin, key="nafosted", name_vi="Quỹ Phát triển Khoa học")
        raise RuntimeError("abort")
    assert found("quy phat trien") == []
    index_is_consistent()


def test_agreement_parties_status_and_fields(admin: Any, taxonomy: Any) -> None:
    agreement = physics_agreement(
        admin, taxonomy, "Hiệp định hợp tác về năng lượng hạt nhân", "2014-05-06", "US"
    )
    result = search(user=AnonymousUser(), query="nang luong hat nhan", mode="lexical")
    facets = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    assert facets["country"] == {"US": 1} and facets["status"] == {"signed": 1}
    assert facets["field"] == {"physical-sciences": 1} and facets["year"] == {"2014": 1}
    assert found("hoa ky") == [agreement.pk]  # the party's name is indexed
    agreement_transition(user=admin, agreement=agreement, to_status="in_force")
    assert (
        search(
            user=AnonymousUser(), query="hat nhan", mode="lexical", filters={"status": "in_force"}
        ).total
        == 1
    )
    # Searching a parent field finds records tagged with a sub-field.
    assert (
        search(
            user=AnonymousUser(),
            query="hat nhan",
            mode="lexical",
            filters={"field": "natural-sciences"},
        ).total
        == 1
    )
    index_is_consistent()


def test_reindex_rebuilds_everything(admin: Any, make_agreement: Any, capsys: Any) -> None:
    a = make_agreement(title_vi="Thỏa thuận về công nghệ bán dẫn")
    new_org(admin)
    SearchDocument.objects.all().delete()  # behind the index's back: no change rows
    assert found("ban dan") == []  # stale index entries never reach a result
    call_command("reindex", "--no-embed")
    assert found("ban dan") == [a.pk]
    assert "indexed" in capsys.readouterr().out
    index_is_consistent()


def test_registry_list_search_uses_the_index(make_agreement: Any) -> None:
    from django.test import Client

    a = make_agreement(title_vi="Hiệp định về năng lượng hạt nhân")
    make_agreement(title_vi="Thỏa thuận về bán dẫn")
    body = Client().get("/registry/agreements/", {"q": "NANG LUONG hat nhan"}).content.decode()
    assert f"/registry/agreements/{a.pk}/" in body and "bán dẫn" not in body


def test_a_service_indexes_its_record_once(
    admin: Any, taxonomy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caunoi.search import indexing

    written: list[tuple[str, int]] = []
    real = indexing.write_document

    def counting(kind: str, object_id: int, data: Any) -> Any:
        written.append((kind, object_id))
        return real(kind, object_id, data)

    monkeypatch.setattr(indexing, "write_document", counting)
    agreement = physics_agreement(
        admin, taxonomy, "Hiệp định về vật liệu tiên tiến", "2020-01-02", "JP"
    )
    # saved, fields set, parties written: one analysis, with everything in it
    assert written == [("agreements", agreement.pk)]
    assert found("vat lieu tien tien") == [agreement.pk]
    assert found("nhat ban vat lieu") == [agreement.pk]  # the party, indexed at the end
