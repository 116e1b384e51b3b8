"""Load the shared reference data: fields of S&T and countries."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from vntext import gazetteer

FIELDS_TSV = Path(__file__).resolve().parent / "data" / "fields.tsv"


def _read_fields() -> list[dict[str, str]]:
    with FIELDS_TSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@transaction.atomic
def taxonomy_sync() -> dict[str, int]:
    """Create or update the fields of S&T and the countries. Safe to run again."""
    from caunoi.taxonomy.models import Country, Field

    rows = _read_fields()
    by_code: dict[str, Field] = {}
    for row in rows:  # parents precede children in the file
        field, _ = Field.objects.update_or_create(
            code=row["code"],
            defaults={
                "slug": row["slug"],
                "kind": row["kind"],
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "parent": by_code.get(row["parent"]) if row.get("parent") else None,
            },
        )
        by_code[field.code] = field

    existing = set(Country.objects.values_list("iso2", flat=True))
    new_countries: list[Country] = []
    updated: list[Country] = []
    for c in gazetteer.countries():
        obj = Country(
            iso2=c.iso2, iso3=c.iso3, name_vi=c.name_vi, name_en=c.name_en, aliases=list(c.aliases)
        )
        (updated if c.iso2 in existing else new_countries).append(obj)
    Country.objects.bulk_create(new_countries)
    Country.objects.bulk_update(updated, ["iso3", "name_vi", "name_en", "aliases"])

    return {"fields": len(by_code), "countries": len(new_countries) + len(updated)}
