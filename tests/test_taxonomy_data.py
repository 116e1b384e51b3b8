"""The bilingual taxonomy shipped in fields.tsv is well-formed."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

FIELDS_TSV = (
    Path(__file__).resolve().parent.parent / "src" / "caunoi" / "taxonomy" / "data" / "fields.tsv"
)
COLUMNS = ["code", "parent", "kind", "slug", "name_vi", "name_en"]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with FIELDS_TSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_every_row_has_all_columns(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert None not in row, row  # no extra tab-separated cells
        assert all(row[c] is not None for c in COLUMNS), row


def test_codes_and_slugs_are_unique(rows: list[dict[str, str]]) -> None:
    codes = [r["code"] for r in rows]
    slugs = [r["slug"] for r in rows]
    assert len(codes) == len(set(codes))
    assert len(slugs) == len(set(slugs))


def test_slugs_are_ascii_lowercase_hyphenated(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["slug"]), row["slug"]
        assert len(row["slug"]) <= 80


def test_parents_exist_and_precede_children(rows: list[dict[str, str]]) -> None:
    seen: dict[str, dict[str, str]] = {}
    for row in rows:
        if row["parent"]:
            assert row["parent"] in seen, f"{row['code']}: parent {row['parent']} missing or later"
            assert seen[row["parent"]]["kind"] == row["kind"]
        seen[row["code"]] = row


def test_names_are_not_empty(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert row["name_vi"].strip() and row["name_en"].strip(), row
        assert row["name_vi"] == row["name_vi"].strip()


def test_kinds(rows: list[dict[str, str]]) -> None:
    assert {r["kind"] for r in rows} == {"fos", "priority"}
    for row in rows:
        if row["kind"] == "priority":
            assert re.fullmatch(r"P\d{2}", row["code"]) and not row["parent"], row
        else:
            assert re.fullmatch(r"[1-6](\.\d{1,2})?", row["code"]), row
            assert bool(row["parent"]) == ("." in row["code"]), row
            if row["parent"]:
                assert row["code"].split(".")[0] == row["parent"]


def test_oecd_major_fields_present(rows: list[dict[str, str]]) -> None:
    majors = {r["code"]: r["name_en"] for r in rows if r["kind"] == "fos" and not r["parent"]}
    assert majors == {
        "1": "Natural sciences",
        "2": "Engineering and technology",
        "3": "Medical and health sciences",
        "4": "Agricultural sciences",
        "5": "Social sciences",
        "6": "Humanities",
    }
    subfields = [r for r in rows if r["kind"] == "fos" and r["parent"]]
    assert len(subfields) == 42


def test_key_priority_technologies_present(rows: list[dict[str, str]]) -> None:
    slugs = {r["slug"] for r in rows if r["kind"] == "priority"}
    for slug in (
        "artificial-intelligence",
        "semiconductors",
        "digital-transformation",
        "biotechnology",
        "nuclear-energy-and-radiation",
        "space-technology",
        "new-materials",
        "high-tech-agriculture",
    ):
        assert slug in slugs
    assert len(slugs) >= 20
