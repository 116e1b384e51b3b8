"""A large import's fast path (search texts analysed in worker processes, duplicates compared
only with the candidates that could be one) gives the same report and the same stored search
terms as the plain path (analysed in the importing process, every pair compared)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from caunoi.market import imports, matching
from caunoi.market.imports import IMPORT_KINDS, import_offers, report_dict
from caunoi.market.models import CandidateAnalysis, TechnologyOffer
from caunoi.search.models import SearchDocument

pytestmark = pytest.mark.django_db

THINGS = [
    ("cảm biến khí", "gas sensor"),
    ("máy sấy lạnh", "cold dryer"),
    ("pin natri-ion", "sodium-ion battery"),
    ("robot hàn công nghiệp", "industrial welding robot"),
]
EXISTING = {
    "title_vi": "Cảm biến khí MEMS KX-200 đo CO và NO2",
    "summary_vi": "Cảm biến khí MEMS KX-200 theo bằng sáng chế KR 10-2215678, đo CO và NO2 "
    "cho trạm quan trắc không khí, công suất thấp.",
}


def _rows(orgs: list[str], *, bad: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i in range(26):
        vi, en = THINGS[i % len(THINGS)]
        code = f"QX{i:03d}"
        row = {
            "title_vi": f"{vi.capitalize()} {code}",
            "title_en": f"{en.capitalize()} {code}",
            "summary_vi": f"Mẫu {code} là {vi} theo bằng VN 1-00{i:03d}, thử nghiệm {i} tháng.",
            "summary_en": f"Model {code} is a {en} under patent VN 1-00{i:03d}.",
            "trl": str(3 + i % 6),
            "cooperation": "licence;technical",
            "owner_organization": orgs[i % 3] if i % 3 < 2 else "",
            "country": ["KR", "JP", "VN"][i % 3],
            "fields": "semiconductors;natural-sciences" if i % 2 else "physical-sciences",
            "keywords": "MEMS;cảm biến" if i % 4 == 0 else "",
            "patent_numbers": f"VN 1-00{i:03d}",
        }
        if i % 3 == 1:
            row["title_en"] = row["summary_en"] = ""
        elif i % 5 == 2:
            row["title_vi"] = row["summary_vi"] = ""
        rows.append(row)
    # the English translation of the existing offer (same owner): across languages
    rows.insert(
        9,
        {
            "title_en": "MEMS gas sensor KX-200 for CO and NO2",
            "summary_en": "The MEMS gas sensor KX-200, under patent KR 10-2215678, measures CO "
            "and NO2 for air monitoring stations at low power.",
            "owner_organization": orgs[0],
        },
    )
    # a near-identical title in the file (same owner, no numbers), and a different owner's
    rows.insert(14, {"title_vi": "Máy lọc nước nhiễm mặn", "owner_organization": orgs[1]})
    rows.insert(20, {"title_vi": "May loc nuoc nhiem man.", "owner_organization": orgs[1]})
    rows.insert(22, {"title_vi": "Máy lọc nước nhiễm mặn", "owner_organization": orgs[0]})
    if bad:
        rows.insert(5, {**rows[4], "title_vi": "Robot hàn", "trl": "12", "country": "ZZ"})
    return rows


def _import(owner: Any, rows: list[dict[str, Any]], *, fast: bool, monkeypatch: Any) -> Any:
    monkeypatch.setattr(imports, "PARALLEL_ROWS", 0 if fast else 10**9)
    monkeypatch.setattr(imports, "CHUNK", 4)  # several chunks, some left to this process
    monkeypatch.setattr(imports, "BLOCKING", fast)
    with override_settings(CAUNOI_IMPORT_WORKERS=2 if fast else 1):
        return import_offers(user=owner, rows=rows, skip_duplicates=True)


def _stored() -> dict[tuple[str, str], tuple[str, str, str, int]]:
    docs = {d.object_id: d for d in SearchDocument.objects.filter(kind="offers")}
    return {
        (o.title_vi, o.title_en): (
            docs[o.pk].terms,
            docs[o.pk].body,
            docs[o.pk].text_hash,
            docs[o.pk].length,
        )
        for o in TechnologyOffer.objects.all()
    }


def _analyses() -> dict[tuple[str, str], tuple[str, str, Any]]:
    """The matching's stored analyses of the offers (``CandidateAnalysis``), by title."""
    rows = {a.object_id: a for a in CandidateAnalysis.objects.filter(kind="offer")}
    return {
        (o.title_vi, o.title_en): (rows[o.pk].text_hash, rows[o.pk].analyzer, rows[o.pk].data)
        for o in TechnologyOffer.objects.all()
        if o.pk in rows
    }


@pytest.fixture
def existing(owner: Any, make_org: Any) -> tuple[list[str], Any]:
    orgs = [
        make_org(key="kiat", name_vi="Viện KIAT", name_en="KIAT").key,
        make_org(key="kisti", name_vi="Viện KISTI", name_en="KISTI").key,
        "",
    ]
    assert import_offers(user=owner, rows=[{**EXISTING, "owner_organization": orgs[0]}]).ok
    return orgs, TechnologyOffer.objects.get()


def test_a_bad_row_gives_the_same_report_and_writes_nothing(
    owner: Any, existing: Any, monkeypatch: Any
) -> None:
    orgs, _first = existing
    rows = _rows(orgs, bad=True)
    plain = _import(owner, rows, fast=False, monkeypatch=monkeypatch)
    fast = _import(owner, rows, fast=True, monkeypatch=monkeypatch)
    assert not plain.ok and plain.created == 0
    assert {(e.row, e.field) for e in plain.errors} >= {(7, "trl"), (7, "country")}
    assert report_dict(fast, committed=False) == report_dict(plain, committed=False)
    assert TechnologyOffer.objects.count() == 1


def test_the_fast_path_stores_the_same_terms_and_reports_the_same_duplicates(
    owner: Any, existing: Any, monkeypatch: Any
) -> None:
    orgs, first = existing
    rows = _rows(orgs, bad=False)
    plain = _import(owner, rows, fast=False, monkeypatch=monkeypatch)
    assert plain.ok and plain.created == len(rows) - 2, plain.errors
    skipped = {(e.row, e.message) for e in plain.skipped}
    assert len(skipped) == 2 and any(f"#{first.pk}" in m for _r, m in skipped)
    before, analysed = _stored(), _analyses()
    # every imported offer's analysis as a candidate is stored with the import
    assert CandidateAnalysis.objects.count() == TechnologyOffer.objects.count()
    TechnologyOffer.objects.exclude(pk=first.pk).delete()
    CandidateAnalysis.objects.exclude(object_id=first.pk).delete()
    assert SearchDocument.objects.filter(kind="offers").count() == 1

    fast = _import(owner, rows, fast=True, monkeypatch=monkeypatch)
    assert report_dict(fast, committed=True) == report_dict(plain, committed=True)
    assert _stored() == before
    assert _analyses() == analysed  # the workers' analyses are the ones made here


def test_the_recompute_after_an_import_finds_every_candidate_analysed(
    owner: Any, existing: Any, monkeypatch: Any
) -> None:
    """The import stores the matching's analyses of the offers it writes, with the text hash
    and analyser the index build checks, so the recompute it queues analyses none again."""
    orgs, _first = existing

    def no_analysis(*_args: Any, **_kw: Any) -> Any:
        raise AssertionError("analysed again in the importing process")

    # every candidate's analysis is the one the workers (or this process's share of their
    # chunks) made ahead: none is made again when they are stored
    with monkeypatch.context() as m:
        m.setattr(matching, "analyze", no_analysis)
        assert _import(owner, _rows(orgs, bad=False), fast=True, monkeypatch=monkeypatch).ok
    made = dict(CandidateAnalysis.objects.values_list("object_id", "analysed_at"))
    published = set(TechnologyOffer.objects.values_list("pk", flat=True))
    assert set(made) == published
    matching.recompute_all()
    assert dict(CandidateAnalysis.objects.values_list("object_id", "analysed_at")) == made


def test_every_valid_row_is_analysed_ahead_with_the_written_texts(
    owner: Any, existing: Any, monkeypatch: Any
) -> None:
    """The texts foreseen before writing are those of the written records, so no row is
    analysed twice (the workers' terms are used, not recomputed)."""
    from caunoi.search.sources import source_for_model

    orgs, first = existing
    rows = _rows(orgs, bad=False)
    kind = IMPORT_KINDS["offers"]
    monkeypatch.setattr(imports, "CHUNK", 4)
    analysis = imports._Analysis(kind, owner, 2)
    try:
        resolver = imports._Rows(owner, kind)
        for raw in rows:
            data, fields = resolver.convert(raw, {})
            analysis.add(kind.model(owner_user=owner, **data), fields)
        analysis.flush()
        assert len(analysis.chunks) >= 2
        assert _import(owner, rows, fast=False, monkeypatch=monkeypatch).ok
        source = source_for_model(TechnologyOffer)
        assert source is not None
        from caunoi.search.indexing import document_terms
        from techmatch.index import record_text
        from techmatch.lexical import analyze

        written = TechnologyOffer.objects.exclude(pk=first.pk).prefetch_related("fields")
        assert written.count() == len(rows) - 2
        for record in written.select_related("country", "owner_organization"):
            data = source.build(record)
            assert analysis.terms(data) == document_terms(data)
            assert (data.title, data.body, data.extra) in analysis.known
            # and the text the matching analyses of it as a candidate, the same analysis
            cand = matching.target_record("offer", record)
            text = record_text(cand)
            assert analysis.candidate_analyses()[(cand.lang, text)] == analyze(text, cand.lang)
    finally:
        analysis.close()
