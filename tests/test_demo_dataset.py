"""The demo data files validate on load, and a broken copy names every problem at once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from caunoi.portal.demo import dataset


def _edit(path: Path, change: Any) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


def test_shipped_data_validates() -> None:
    facts = dataset.load()
    assert len(facts.units) == 71 and len(facts.provinces) == 34
    assert facts.agreements[0].key == "us-123" and facts.agreements[0].verified
    assert facts.legal_bases["nq20"].startswith("Nghị quyết số 20-NQ/TW")
    # Typed on load: dates, amounts and tuples, not JSON strings and lists.
    iaea = next(m for m in facts.memberships if m.org == "iaea")
    assert iaea.since is not None and iaea.since.year == 1978
    assert str(iaea.annual_fee) == "450000"
    assert isinstance(facts.agreements[0].parties, tuple)
    assert dataset.facts() == facts


def test_files_keep_vietnamese_text_and_omit_defaults() -> None:
    text = (dataset.DATA_DIR / "units.json").read_text(encoding="utf-8")
    assert "Vụ Hợp tác quốc tế" in text and "\\u" not in text
    record = json.loads(text)["departments"][0]
    assert list(record) == ["code", "name_vi", "name_en", "kind"]
    first = json.loads((dataset.DATA_DIR / "agreements.json").read_text())["agreements"][0]
    assert "owner" not in first and "public" not in first  # left at their defaults


def test_broken_copy_names_file_record_and_field_of_every_problem(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(dataset.DATA_DIR, data)

    def agreements(doc: dict[str, Any]) -> None:
        del doc["agreements"][0]["title_en"]  # a missing required field
        doc["agreements"][1]["kind"] = "treaty"  # a bad choice code
        doc["agreements"][2]["parties"][1] = {"side": "foreign", "org": "no-such-partner"}

    def events(doc: dict[str, Any]) -> None:
        doc["events"][1]["country"] = "XQ"  # not a country of the gazetteer

    _edit(data / "agreements.json", agreements)
    _edit(data / "events.json", events)
    with pytest.raises(dataset.DemoDataError) as caught:
        dataset.load(data)
    problems = caught.value.problems
    assert problems == [
        "agreements.json: agreements[0] (key 'us-123'): title_en: Field required",
        "agreements.json: agreements[1] (key 'ru-strategic'): kind: 'treaty' is not a kind of "
        "registry.Agreement.Kind",
        "agreements.json: agreements[2] (key 'us-st'): parties.1.org: 'no-such-partner' is not "
        "an organisation key of organizations.json or the gazetteer",
        "events.json: events[1] (title_vi 'Techmart Việt Nam 2023'): country: 'XQ' is not an "
        "ISO2 country code of the gazetteer",
    ]
    assert all(p in str(caught.value) for p in problems)


def test_structure_and_references_between_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(dataset.DATA_DIR, data)

    def projects(doc: dict[str, Any]) -> None:
        doc["projects"][0]["agreement"] = "no-such-agreement"
        doc["projects"][0]["budget"] = True
        doc["projects"][1]["colour"] = "đỏ"
        doc["protocol_projects"][0]["key"] = doc["projects"][0]["key"]

    def units(doc: dict[str, Any]) -> None:
        del doc["ministries"]

    _edit(data / "projects.json", projects)
    _edit(data / "units.json", units)
    (data / "events.json").write_text("[", encoding="utf-8")
    with pytest.raises(dataset.DemoDataError) as caught:
        dataset.load(data)
    problems = caught.value.problems
    assert problems[0] == "units.json: section 'ministries' is missing"
    assert problems[1].startswith("events.json: cannot be read:")
    text = "\n".join(problems)
    assert "projects.json: projects[0] (key 'v-kist'): agreement: 'no-such-agreement'" in text
    assert "projects.json: projects[0] (key 'v-kist'): budget: " in text
    assert "projects.json: projects[1] (key 'ipp1'): colour: unknown field" in text
    assert (
        "projects.json: protocol_projects[0] (key 'v-kist'): key: duplicate of projects[0]" in text
    )
    # The units of the missing section are unknown to the records that name them.
    assert (
        "agreements[20] (key 'us-semiconductor-moc'): owner: 'bo-tai-chinh' is not a unit" in text
    )


def test_files_are_in_the_canonical_layout() -> None:
    """Each file is exactly what ``dump_file`` writes for its records: edits stay diffable."""
    facts = dataset.load()
    for name, (_, sections) in dataset.FILES.items():
        records: dict[str, Any] = {s: getattr(facts, s) for s in sections}
        if "legal_bases" in records:
            records["legal_bases"] = [
                dataset.LegalBasisFact(k, v) for k, v in facts.legal_bases.items()
            ]
        text = (dataset.DATA_DIR / name).read_text(encoding="utf-8")
        assert text == dataset.dump_file(records), name
