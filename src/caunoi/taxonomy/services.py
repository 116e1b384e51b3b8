"""Load the shared reference data: fields of S&T, countries and known organisations."""

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
    """Create or update fields, countries and gazetteer organisations. Safe to run again."""
    from caunoi.accounts.models import Unit
    from caunoi.registry.models import Organization
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

    htqt, _ = Unit.objects.get_or_create(
        code="htqt",
        defaults={
            "name_vi": "Vụ Hợp tác quốc tế",
            "name_en": "International Cooperation Department",
            "kind": Unit.Kind.DEPARTMENT,
        },
    )
    known = set(Organization.objects.values_list("key", flat=True))
    countries = set(Country.objects.values_list("iso2", flat=True))
    new_orgs = [
        Organization(
            key=o.key,
            acronym=o.acronym,
            name_vi=o.name_vi,
            name_en=o.name_en,
            kind=o.kind,
            country_id=o.country if o.country in countries else None,
            aliases=list(o.aliases),
            website=o.website,
            ror=o.ror,
            owner_unit=htqt,
            is_public=True,
        )
        for o in gazetteer.organizations()
        if o.key not in known
    ]
    Organization.objects.bulk_create(new_orgs)
    return {
        "fields": len(by_code),
        "countries": len(new_countries) + len(updated),
        "organizations": len(new_orgs),
    }
