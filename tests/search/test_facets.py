"""Facets and counts come from the lexical index's columns: the same figures as reading every
candidate's row from the database, for every reader, filter and sort.

The reference below is the previous implementation (each candidate's facet columns read from
``SearchDocument`` and counted in Python), kept here as the oracle.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import pytest
import tantivy
from django.contrib.auth.models import AnonymousUser

from caunoi.core.audience import ANONYMOUS, EVERYTHING, Reader
from caunoi.search import lexical, ranking, service
from caunoi.search.indexing import bulk_write_documents
from caunoi.search.models import SearchDocument
from caunoi.search.sources import DocData, all_sources

pytestmark = pytest.mark.django_db

WORDS = ["hợp", "tác", "khoa", "học", "công", "nghệ", "năng", "lượng"]
WORDS += ["bán", "dẫn", "nông", "nghiệp", "y", "tế"]
STATUSES = ["in_force", "expired", "draft", ""]
COUNTRIES = ["KR", "US", "JP", "VN"]
FIELDS = ["natural-sciences", "physical-sciences", "semiconductors"]
AUDIENCES: list[tuple[str, ...]] = [
    ("public",),
    ("public",),
    ("staff",),
    ("org:1",),
    ("user:7", "org:2"),
    ("public", "org:1"),
]
READERS = {
    "anonymous": ANONYMOUS,
    "org1": Reader(frozenset({"public", "org:1"})),
    "staff": Reader(frozenset({"public", "staff"})),
    "user7": Reader(frozenset({"public", "user:7"})),
    "admin": EVERYTHING,
}


@pytest.fixture
def corpus(taxonomy: Any) -> list[int]:
    """120 documents of three kinds: mixed audiences, statuses, countries, fields, dates."""
    rng = random.Random(5)
    kinds = sorted(all_sources())[:3]
    for k, kind in enumerate(kinds):
        items = []
        for i in range(40):
            words = rng.sample(WORDS, rng.randint(2, 5))
            year = rng.choice([None, 2019, 2021, 2024])
            date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28)) if year else None
            data = DocData(
                title=" ".join(words[:2]),
                body=" ".join(words),
                date=date,
                status=rng.choice(STATUSES),
                countries=tuple(rng.sample(COUNTRIES, rng.randint(0, 2))),
                fields=tuple(rng.sample(FIELDS, rng.randint(0, 2))),
                audience=rng.choice(AUDIENCES),
            )
            items.append((k * 100 + i, data))
        bulk_write_documents(kind, items)
    ids = list(SearchDocument.objects.values_list("pk", flat=True))
    lexical.sync()
    return ids


# --- the previous implementation, as the oracle ------------------------------------------


def _old_passes(doc: dict[str, Any], filters: dict[str, str], skip: str, fields: set[str]) -> bool:
    for name, value in filters.items():
        if name == skip:
            continue
        if name == "kind" and doc["kind"] != value:
            return False
        if name == "status" and doc["status"] != value:
            return False
        if name == "year" and str(doc["year"] or "") != value:
            return False
        if name == "country" and f" {value} " not in doc["countries"]:
            return False
        if name == "field" and not fields.intersection(doc["fields"].split()):
            return False
    return True


def _old_values(doc: dict[str, Any], name: str) -> list[str]:
    if name == "country":
        return str(doc["countries"]).split()
    if name == "field":
        return str(doc["fields"]).split()
    value = doc[name]
    return [str(value)] if value not in (None, "") else []


def reference(
    reader: Reader, query: str, mode: str, filters: dict[str, str], sort: str
) -> tuple[list[int], dict[str, dict[str, int]], int]:
    """Matched ids in page order, facet counts and total, as the database-reading path had it."""
    clean = service._clean_filters(filters, None)
    if query:
        ranked, _ = ranking.rank(query, mode=mode, limit=service.MAX_CANDIDATES, reader=reader)
        order = [r.doc_id for r in ranked if r.strong][: service.MAX_CANDIDATES]
    else:
        qs = SearchDocument.objects.filter(service.audience_q(reader))
        order = list(qs.order_by("-date", "-pk").values_list("pk", flat=True))
        order = order[: service.MAX_CANDIDATES]
    cols = ("id", "kind", "date", "year", "status", "countries", "fields")
    rows = {d["id"]: d for d in SearchDocument.objects.filter(pk__in=order).values(*cols)}
    candidates = [rows[i] for i in order if i in rows]
    fields = service._field_family(clean["field"]) if "field" in clean else set()
    matched = [d for d in candidates if _old_passes(d, clean, "", fields)]
    if sort == "date":
        matched.sort(key=lambda d: (d["date"] is None, -(d["date"] or dt.date.min).toordinal()))
    counts: dict[str, dict[str, int]] = {}
    for name in service.FACETS:
        c: dict[str, int] = {}
        for d in candidates:
            if _old_passes(d, clean, name, fields):
                for v in _old_values(d, name):
                    c[v] = c.get(v, 0) + 1
        counts[name] = c
    return [d["id"] for d in matched], counts, len(matched)


CASES = [
    ("hợp tác", "lexical", {}, "relevance"),
    ("hop tac khoa hoc", "lexical", {"country": "kr"}, "relevance"),
    ("công nghệ năng lượng y tế nông nghiệp bán dẫn", "lexical", {"status": "expired"}, "date"),
    ("khoa học", "lexical", {"field": "natural-sciences"}, "relevance"),  # a family of fields
    ("khoa học", "lexical", {"field": "semiconductors", "year": "2021"}, "date"),
    ("cong nghe", "lexical", {"country": "US", "status": "in_force", "year": "2024"}, "relevance"),
    ("", "lexical", {}, "relevance"),
    ("", "lexical", {"country": "JP", "field": "physical-sciences"}, "date"),
    ("", "lexical", {"year": "1999"}, "relevance"),  # nothing passes
    # values a filter aggregation's query string cannot hold as they are: the term-query path
    ("hợp tác", "lexical", {"status": 'in"force OR x'}, "relevance"),
    ("khoa học", "lexical", {"country": "KR", "field": "semi conductors"}, "date"),
]


@pytest.mark.parametrize("reader_name", list(READERS))
@pytest.mark.parametrize("case", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_facets_match_the_database_path(
    corpus: list[int],
    reader_name: str,
    case: tuple[str, str, dict[str, str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    query, mode, filters, sort = case
    reader = READERS[reader_name]
    monkeypatch.setattr(service, "reader_for", lambda user: reader)
    kinds = sorted(all_sources())[:3]
    if query == "" and not filters:
        filters = {"kind": kinds[1]}
    expected_ids, expected_counts, expected_total = reference(reader, query, mode, filters, sort)
    result = service.search(
        user=AnonymousUser(), query=query, mode=mode, filters=filters, sort=sort, page_size=100
    )
    got = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    assert got == expected_counts
    assert result.total == expected_total
    assert [h.object_id for h in result.hits] == [
        SearchDocument.objects.get(pk=i).object_id for i in expected_ids[:100]
    ]
    # Nothing the reader may not see is counted, shown or offered.
    visible = set(SearchDocument.objects.filter(service.audience_q(reader)).values_list("pk"))
    assert {(i,) for i in expected_ids} <= visible
    # The fixture exercises the rule: some documents are hidden from everyone but admins.
    if reader_name != "admin" and not filters and query:
        assert expected_total < len(corpus)


def test_facets_on_a_page_beyond_the_first_and_counts_cover_every_candidate(
    corpus: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "reader_for", lambda user: EVERYTHING)
    first = service.search(user=AnonymousUser(), query="", page_size=7)
    second = service.search(user=AnonymousUser(), query="", page=2, page_size=7)
    assert first.total == second.total == len(corpus)
    assert not {h.object_id for h in first.hits} & {h.object_id for h in second.hits}
    kinds = {v.value: v.count for f in first.facets if f.name == "kind" for v in f.values}
    assert sum(kinds.values()) == len(corpus)


def test_facet_counts_of_no_candidates() -> None:
    fc = lexical.facet_counts([], {"country": {"KR"}}, service.FACETS)
    assert fc.matched == {}
    assert fc.counts == {n: {} for n in service.FACETS}


def test_an_index_of_the_previous_schema_is_rebuilt(corpus: list[int]) -> None:
    """An index written before the facet columns existed (same state file, same watermark)
    fails to open with this schema and is rebuilt from the database."""
    path = lexical.index_dir()
    state = json.loads((path / "state.json").read_text())
    lexical._engines.clear()
    for f in path.iterdir():
        if f.is_file():
            f.unlink()
    old = tantivy.SchemaBuilder()
    old.add_integer_field("doc_id", stored=False, indexed=True, fast=True)
    old.add_text_field("kind", stored=False, tokenizer_name="raw", index_option="basic")
    old.add_text_field("aud", stored=False, tokenizer_name="raw", index_option="basic")
    old.add_text_field("terms", stored=False, tokenizer_name="raw", index_option="freq")
    index = tantivy.Index(old.build(), str(path))
    writer = index.writer(15_000_000, 1)
    for i in corpus:
        writer.add_document(tantivy.Document(doc_id=i, kind="x", aud=["public"], terms="hợp"))
    writer.commit()
    writer.wait_merging_threads()
    del writer, index
    (path / "state.json").write_text(json.dumps(state))  # claims to be current
    fc = lexical.facet_counts(corpus, {}, ["kind"])
    assert sum(fc.counts["kind"].values()) == len(corpus)
    assert set(fc.counts["kind"]) == set(sorted(all_sources())[:3])
    assert lexical.corpus_size() == len(corpus)
