"""Reference data the registry owns: the gazetteer's known organisations (international and
regional organisations, agencies, exchanges) and the HTQT department that keeps them."""

from __future__ import annotations

from django.db import transaction

from caunoi.accounts.models import Unit
from caunoi.registry.models import Organization
from caunoi.taxonomy.models import Country
from caunoi.taxonomy.services import taxonomy_sync
from vntext import gazetteer
from vntext.collation import sort_string


@transaction.atomic
def organizations_sync() -> int:
    """Create the gazetteer's organisations not yet in the registry; return how many."""
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
            sort_name=sort_string(o.name_vi),
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
    return len(new_orgs)


@transaction.atomic
def reference_sync() -> dict[str, int]:
    """Fields, countries and known organisations (``caunoi load-reference``). Safe to rerun."""
    counts = taxonomy_sync()
    counts["organizations"] = organizations_sync()
    return counts
