"""Country and organisation gazetteer shared by the extractor and the registry's taxonomy.

The data lives in ``data/countries.tsv`` (all ISO 3166-1 entries, official Vietnamese names as
used by Vietnam's Ministry of Foreign Affairs, common aliases) and ``data/organizations.tsv``
(international bodies, foreign agencies and Vietnamese S&T bodies). Both files are the single
source of truth: the Django taxonomy seeds its tables from these functions.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

ORGANIZATION_KINDS: tuple[str, ...] = (
    "international",
    "regional",
    "government_agency",
    "university",
    "research_institute",
    "company",
    "technology_exchange",
    "fund",
    "other",
)


@dataclass(frozen=True)
class Country:
    """One ISO 3166-1 entry with its Vietnamese names."""

    iso2: str
    iso3: str
    name_en: str
    name_vi: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Organization:
    """An organisation the ministry works with; ``key`` is a stable slug id."""

    key: str
    acronym: str
    name_en: str
    name_vi: str
    kind: str
    country: str
    aliases: tuple[str, ...]
    website: str
    ror: str


def _read_tsv(name: str) -> list[dict[str, str]]:
    text = resources.files("vntext").joinpath("data", name).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [dict(row) for row in reader]


def _split_aliases(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split("|") if a.strip())


@cache
def countries() -> tuple[Country, ...]:
    """All 249 ISO 3166-1 countries and territories, sorted by ISO2 code."""
    return tuple(
        Country(
            iso2=row["iso2"],
            iso3=row["iso3"],
            name_en=row["name_en"],
            name_vi=row["name_vi"],
            aliases=_split_aliases(row["aliases"]),
        )
        for row in _read_tsv("countries.tsv")
    )


@cache
def _countries_by_iso2() -> dict[str, Country]:
    return {c.iso2: c for c in countries()}


def country_by_iso2(code: str) -> Country | None:
    """The country with this ISO 3166-1 alpha-2 code (case-insensitive), or None."""
    return _countries_by_iso2().get(code.strip().upper())


@cache
def organizations() -> tuple[Organization, ...]:
    """All organisations in the gazetteer, in file order."""
    return tuple(
        Organization(
            key=row["key"],
            acronym=row["acronym"],
            name_en=row["name_en"],
            name_vi=row["name_vi"],
            kind=row["kind"],
            country=row["country"],
            aliases=_split_aliases(row["aliases"]),
            website=row["website"],
            ror=row["ror"],
        )
        for row in _read_tsv("organizations.tsv")
    )


@cache
def _organizations_by_key() -> dict[str, Organization]:
    return {o.key: o for o in organizations()}


def organization_by_key(key: str) -> Organization | None:
    """The organisation with this slug id, or None."""
    return _organizations_by_key().get(key)
