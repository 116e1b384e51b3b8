"""Every import kind's downloadable templates (CSV, JSON, XLSX) import cleanly as they are,
through a dry run: a wrong example value (a choice that is no longer one, a bad number) fails
here, for any kind added later too."""

from __future__ import annotations

from typing import Any

import pytest

from caunoi.market.imports import IMPORT_KINDS, _as_list, import_records, read_offers
from support import login

pytestmark = pytest.mark.django_db


def _references(example: dict[str, str], make_org: Any) -> None:
    """The reference data an example names (countries, fields, organisations) exist as they
    would in a deployment; its values are imported as they are."""
    from caunoi.taxonomy.models import Country, Field

    codes = [example["country"]] if example.get("country") else []
    codes += _as_list(example.get("preferred_countries", ""))
    for code in codes:
        Country.objects.get_or_create(
            iso2=code.upper(), defaults={"iso3": code.upper() + "X", "name_en": code}
        )
    for slug in _as_list(example.get("fields", "")):
        if not Field.objects.filter(slug=slug).exists() and not Field.objects.filter(code=slug):
            Field.objects.create(code=slug[:20], slug=slug, kind="priority", name_en=slug)
    if example.get("owner_organization"):
        make_org(key=example["owner_organization"])


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
@pytest.mark.parametrize("kind", sorted(IMPORT_KINDS))
def test_every_template_imports_cleanly_in_a_dry_run(
    kind: str, fmt: str, owner: Any, make_org: Any, taxonomy: Any
) -> None:
    _references(IMPORT_KINDS[kind].example, make_org)
    response = login(owner).get(f"/market/{kind}/import/template.{fmt}")
    assert response.status_code == 200
    rows = read_offers(f"template.{fmt}", response.content)
    assert len(rows) == 1
    report = import_records(kind, user=owner, rows=rows, dry_run=True)
    assert report.ok, [(e.row, e.field, e.message) for e in report.errors]
    assert report.created == 1 and report.dry_run


@pytest.mark.parametrize("kind", sorted(IMPORT_KINDS))
def test_every_csv_template_passes_the_command_dry_run(
    kind: str, owner: Any, make_org: Any, taxonomy: Any, tmp_path: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    _references(IMPORT_KINDS[kind].example, make_org)
    path = tmp_path / "template.csv"
    path.write_bytes(login(owner).get(f"/market/{kind}/import/template.csv").content)
    out = StringIO()
    call_command(f"import_{kind}", str(path), "--user", owner.username, "--dry-run", stdout=out)
    assert f"dry run: 1 {kind} would be imported from 1 rows" in out.getvalue()
