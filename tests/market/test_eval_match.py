"""`caunoi eval-match` (ARCHITECTURE.md contract): JSONL offers and requests in, a TREC run
out, timings on stderr; bad input is a clear error and a non-zero exit."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

# The command reads the taxonomy of the working directory's database (here: the test
# database, empty unless a test loads fields, so the shipped fields data is used).
pytestmark = pytest.mark.django_db

OFFERS = [
    {"id": "o-chip", "title": "Chip design", "text": "Semiconductor chip design and "
     "packaging know-how for microcontrollers.", "lang": "en", "country": "KR", "trl": 7},
    {"id": "o-rice", "title": "Giống lúa", "text": "Giống lúa chịu mặn cho đồng bằng sông "
     "Cửu Long, năng suất cao.", "lang": "vi", "country": "JP", "trl": 8},
    {"id": "o-solar", "title": "Solar", "text": "Thin-film solar panels for rooftops.",
     "lang": "en", "country": "DE", "trl": 9},
]  # fmt: skip
REQUESTS = [
    {"id": "r-chip", "text": "Cần công nghệ thiết kế chip bán dẫn cho vi điều khiển", "lang": "vi"},
    {"id": "r-rice", "text": "salt-tolerant rice varieties for the Mekong delta", "lang": "en"},
]


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def run(tmp_path: Path, mode: str) -> list[list[str]]:
    out = tmp_path / "run.trec"
    err = io.StringIO()
    call_command(
        "eval_match",
        offers=str(write(tmp_path / "o.jsonl", OFFERS)),
        requests=str(write(tmp_path / "r.jsonl", REQUESTS)),
        out=str(out),
        k=2,
        mode=mode,
        stderr=err,
    )
    assert json.loads(err.getvalue())["requests"] == len(REQUESTS)
    return [line.split() for line in out.read_text().splitlines()]


@pytest.mark.parametrize("mode", ["hybrid", "lexical"])
def test_writes_a_trec_run_ranking_the_right_offer_first(tmp_path: Path, mode: str) -> None:
    lines = run(tmp_path, mode)
    assert all(len(line) == 6 and line[1] == "Q0" for line in lines)
    by_request: dict[str, list[str]] = {}
    for qid, _q0, docid, rank, _score, _tag in lines:
        by_request.setdefault(qid, []).append(docid)
        assert int(rank) == len(by_request[qid])
    assert all(len(docs) <= 2 for docs in by_request.values())
    assert by_request["r-chip"][0] == "o-chip"  # "chip" is written alike in both languages
    if mode == "hybrid":  # the rice request shares no word with any offer: dense tells
        assert by_request["r-rice"][0] == "o-rice"
    else:  # lexically nothing matches it ("for" and "the" are no shared subject)
        assert "r-rice" not in by_request


def test_bad_input_is_an_error_naming_the_line(tmp_path: Path) -> None:
    offers = write(tmp_path / "o.jsonl", [*OFFERS, {"id": "o-bad", "text": "x", "trl": 12}])
    requests = write(tmp_path / "r.jsonl", REQUESTS)
    with pytest.raises(CommandError, match=r"o\.jsonl.*4|4.*trl|trl"):
        call_command(
            "eval_match", offers=str(offers), requests=str(requests), out=str(tmp_path / "x")
        )
    with pytest.raises(CommandError, match="not found"):
        call_command("eval_match", offers="missing.jsonl", requests=str(requests), out="x")


BRIDGED_OFFERS = [
    {"id": "o-semi", "title": "Wafer packaging", "text": "Semiconductors: wafer-level "
     "packaging line for power devices.", "lang": "en", "fields": ["X1"]},
    {"id": "o-phys", "title": "Optics", "text": "Physical sciences: optical test benches.",
     "lang": "en", "fields": ["1.3"]},
]  # fmt: skip
BRIDGED_REQUESTS = [
    {"id": "r-semi", "text": "Cần dây chuyền đóng gói cho công nghệ bán dẫn", "lang": "vi",
     "fields": ["P02"]},
]  # fmt: skip


def _run_file(tmp_path: Path, offers: list[dict[str, object]], mode: str) -> list[list[str]]:
    out = tmp_path / f"run-{mode}.trec"
    call_command(
        "eval_match",
        offers=str(write(tmp_path / "bo.jsonl", offers)),
        requests=str(write(tmp_path / "br.jsonl", BRIDGED_REQUESTS)),
        out=str(out),
        k=5,
        mode=mode,
        stderr=io.StringIO(),
    )
    return [line.split() for line in out.read_text().splitlines()]


def test_ranks_like_the_app_with_the_taxonomy_of_the_database(
    tmp_path: Path, taxonomy: dict[str, object]
) -> None:
    """With the database's taxonomy, the command ranks as the app's index does (field tree
    and term bridge from ``matching.taxonomy``): a Vietnamese request and an English offer
    meet on the bilingual field name, and a field below the requested one by a parent link
    of the database (not a dotted code) counts as the same field."""
    from caunoi.market import matching
    from caunoi.taxonomy.models import Field
    from techmatch import MatchIndex
    from techmatch.evaluate import MODE_WEIGHTS, offer_from_json, request_from_json

    Field.objects.create(
        code="X1", slug="x1", kind="priority", name_vi="Đóng gói chip", name_en="Chip packaging",
        parent=taxonomy["fields"]["semis"],  # type: ignore[index]
    )  # fmt: skip
    tree, bridge = matching.taxonomy()
    offers = [offer_from_json(o) for o in BRIDGED_OFFERS]
    query = request_from_json(BRIDGED_REQUESTS[0])
    for mode in ("lexical", "hybrid"):
        if mode == "hybrid":  # the engine's vectors, embedded as the command embeds them
            from caunoi.market.management.commands.eval_match import _embed
            from techmatch.evaluate import _embed_missing

            offers = _embed_missing(offers, _embed, "passage")
            query = _embed_missing([query], _embed, "query")[0]
        app = MatchIndex(offers, tree=tree, bridge=bridge, weights=MODE_WEIGHTS[mode])
        expected = [(m.id, round(m.score, 6)) for m in app.rank(query, 5)]
        got = [(line[2], float(line[4])) for line in _run_file(tmp_path, BRIDGED_OFFERS, mode)]
        assert [d for d, _ in got] == [d for d, _ in expected], mode
        assert [s for _, s in got] == pytest.approx([s for _, s in expected], abs=1e-5)
        if mode == "lexical":
            # the bridged field name is what the two share: without the bridge, nothing
            assert [d for d, _ in got] == ["o-semi"]
            bare = MatchIndex(offers, tree=tree, weights=MODE_WEIGHTS[mode])
            assert bare.rank(query, 5) == []
        else:
            fields = app.explain(query, app.position["o-semi"]).components.fields
            assert fields == 1.0  # X1 lies under P02 by the database's parent link


def test_without_a_taxonomy_in_the_database_the_shipped_fields_are_used(tmp_path: Path) -> None:
    """An empty database (or none): the tree and bridge of the shipped fields data, the
    bench's (``fields.tsv``: P02 is "Chip bán dẫn và công nghiệp bán dẫn" / "Semiconductors
    and chips")."""
    from caunoi.market.management.commands.eval_match import taxonomy

    _tree, bridge, source = taxonomy()
    assert source == "shipped" and bridge
    offers = [{"id": "o-semi", "text": "Semiconductors and chips for power devices", "lang": "en"}]
    requests = [{"id": "r", "text": "Chip bán dẫn và công nghiệp bán dẫn trong nước", "lang": "vi"}]
    out = tmp_path / "run.trec"
    call_command(
        "eval_match",
        offers=str(write(tmp_path / "o.jsonl", offers)),
        requests=str(write(tmp_path / "r.jsonl", requests)),
        out=str(out),
        mode="lexical",
        stderr=io.StringIO(),
    )
    assert [line.split()[2] for line in out.read_text().splitlines()] == ["o-semi"]
