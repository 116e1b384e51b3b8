"""How well "from document to record" reads documents its rules were not written against.

    python bench/kb/proposals.py [--set heldout|fresh|all] [--out FILE] [--show]

Method
------
The documents under ``bench/kb/proposals/<set>/`` are short agreements, MoUs and project
decisions (mostly Vietnamese, some English) and documents that must propose nothing (a report,
news articles, a circular, a decision that is no project approval), written for this bench;
each ``NAME.txt`` has a ``NAME.json`` with what an officer would enter: ``target``
("agreement", "project" or null) and ``values`` by the registry form's field names.

In a throwaway SQLite database (migrated, then ``caunoi load-reference``: fields of S&T,
countries and the gazetteer's organisations; plus the partners of
``bench/kb/proposals/registry.json``, registry partners the gazetteer does not know) each file
goes through the product's path: the upload service, ``caunoi.kb.ingest.ingest`` (reading,
cleaning, metadata, passages, mentions, the proposal). The proposal is then read again with
the day fixed (``TODAY``), as statuses depend on the day.

Scoring, per gold field (every field the gold file names is scored):

* a null, ``false`` or empty gold value means "nothing should be proposed": right when the
  proposal has no value (or false / empty) there;
* organisations: the set of keys proposed for the field, plus the names of the proposed new
  partners for that field, must equal the gold set (a registry key, or
  ``{"new": name, "country": ISO}`` compared by name, ignoring case and spacing, and country);
* legal basis: the set of legal numbers read; fields of S&T, countries: the set of codes;
  the budget as a number; titles ignoring case, spacing and a final full stop; others equal.

Reported: right/total per field and overall, per document, the proposals' targets (a
document proposing the wrong kind of record scores its fields as absent), and false proposals
(a document whose gold target is null that proposed a record). Prints a Markdown table and
writes the JSON (``--out``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "proposals"
sys.path.insert(0, str(ROOT / "src"))
WORK = Path("/tmp/caunoi-bench-kb-proposals")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
os.environ["CAUNOI_VAR_DIR"] = str(WORK / "var")
os.environ["CAUNOI_SEARCH_EMBED"] = "off"
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)
TODAY = dt.date(2026, 12, 1)
ORG_FIELDS = ("vn_organizations", "foreign_organizations", "participants")
ONE_ORG = ("lead_organization", "funder")


def _norm(text: Any) -> str:
    return " ".join(str(text).casefold().replace("\u00a0", " ").split()).rstrip(". ")


def _empty(value: Any) -> bool:
    return value is None or value is False or value == [] or value == ""


def _orgs_proposed(values: dict[str, Any], name: str) -> set[str]:
    item = values.get(name) or {}
    value = item.get("value")
    keys = value if isinstance(value, list) else ([value] if value else [])
    out = {f"key:{k}" for k in keys}
    for new in (values.get("new_partners") or {}).get("value") or []:
        if new.get("field") == name:
            out.add(f"new:{_norm(new.get('name', ''))}|{new.get('country') or ''}")
    return out


def _orgs_gold(expected: Any) -> set[str]:
    items = expected if isinstance(expected, list) else [expected]
    out = set()
    for e in items:
        if isinstance(e, dict):
            out.add(f"new:{_norm(e['new'])}|{e.get('country') or ''}")
        else:
            out.add(f"key:{e}")
    return out


def score_field(name: str, expected: Any, values: dict[str, Any]) -> tuple[bool, Any]:
    """(right, what was proposed) for one gold field."""
    if name in ORG_FIELDS or name in ONE_ORG:
        got = _orgs_proposed(values, name)
        if _empty(expected):
            return not got, sorted(got)
        return got == _orgs_gold(expected), sorted(got)
    item = values.get(name)
    value = None if item is None else item.get("value")
    if name == "legal_basis" and item is not None:
        value = sorted((item.get("extra") or {}).get("numbers") or []) or value
    if _empty(expected):
        return _empty(value), value
    if value is None:
        return False, None
    if isinstance(expected, list):
        got = value if isinstance(value, list) else [value]
        return sorted(map(str, got)) == sorted(map(str, expected)), got
    if name == "budget":
        try:
            return abs(float(value) - float(expected)) < 0.005, value
        except (TypeError, ValueError):
            return False, value
    if name.startswith("title"):
        return _norm(value) == _norm(expected), value
    return value == expected, value


def _setup() -> Any:
    import django

    django.setup()
    from django.core.management import call_command

    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "var").mkdir(parents=True)
    call_command("migrate", verbosity=0)
    from caunoi.accounts.models import Unit, User
    from caunoi.registry.models import Organization
    from caunoi.registry.reference import reference_sync

    reference_sync()
    htqt = Unit.objects.get(code="htqt")
    for row in json.loads((HERE / "registry.json").read_text()):
        Organization.objects.create(
            key=row["key"],
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            acronym=row["acronym"],
            kind=row["kind"],
            country_id=row["country"],
            aliases=row["aliases"],
            owner_unit=htqt,
        )
    return User.objects.create_user("bench-admin", password="x", role="admin")


def run(sets: list[str], show: bool) -> dict[str, Any]:
    admin = _setup()
    from caunoi.kb import proposals
    from caunoi.kb.ingest import ingest
    from caunoi.kb.models import Document, RecordProposal
    from caunoi.kb.services import documents_upload

    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    per_doc: list[dict[str, Any]] = []
    false_proposals: list[str] = []
    missed: list[str] = []
    for folder in sets:
        for path in sorted((HERE / folder).glob("*.txt")):
            gold = json.loads(path.with_suffix(".json").read_text())
            [r] = documents_upload(
                user=admin, files=[(path.name, path.read_bytes())], audience="staff", run=ingest
            )
            assert r.document is not None and not r.error, (path.name, r.error)
            document = Document.objects.get(pk=r.document.pk)
            assert document.state == "ready", (path.name, document.error)
            proposal = proposals.refresh(document, today=TODAY)
            stored = RecordProposal.objects.filter(document=document).first()
            target = stored.target if stored else None
            values = stored.values if stored and proposal else {}
            row: dict[str, Any] = {
                "document": f"{folder}/{path.name}",
                "target": target,
                "gold_target": gold["target"],
            }
            if gold["target"] is None:
                if target is not None:
                    false_proposals.append(row["document"])
                per_doc.append(row)
                continue
            if target != gold["target"]:
                missed.append(row["document"])
                values = {}
            wrong = {}
            n_right = 0
            for name, expected in gold["values"].items():
                ok, got = score_field(name, expected, values)
                total[name] += 1
                right[name] += ok
                n_right += ok
                if not ok:
                    wrong[name] = {"expected": expected, "proposed": got}
            row.update(right=n_right, total=len(gold["values"]), wrong=wrong)
            per_doc.append(row)
    overall_right, overall_total = sum(right.values()), sum(total.values())
    negatives = sum(1 for d in per_doc if d["gold_target"] is None)
    result = {
        "sets": sets,
        "today": TODAY.isoformat(),
        "documents": len(per_doc),
        "proposing_documents": len(per_doc) - negatives,
        "not_proposing_documents": negatives,
        "fields": {k: [right[k], total[k]] for k in sorted(total)},
        "overall": [overall_right, overall_total],
        "overall_share": round(overall_right / overall_total, 3) if overall_total else None,
        "false_proposals": false_proposals,
        "wrong_or_missing_target": missed,
        "per_document": per_doc,
    }
    print("| field | right | of |\n|---|---|---|")
    for k in sorted(total):
        print(f"| {k} | {right[k]} | {total[k]} |")
    share = result["overall_share"]
    print(f"| **overall** | **{overall_right}** | **{overall_total}** ({share:.0%}) |")
    print(f"\nfalse proposals: {len(false_proposals)} of {negatives} {false_proposals}")
    print(f"proposing documents with a wrong or missing target: {missed}")
    for d in per_doc:
        if "total" in d:
            print(f"- {d['document']}: {d['right']}/{d['total']}")
            if show:
                for name, w in d["wrong"].items():
                    print(f"    {name}: expected {w['expected']!r}, proposed {w['proposed']!r}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", default="heldout", choices=["heldout", "fresh", "all"])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--show", action="store_true", help="print every wrong value")
    args = parser.parse_args()
    sets = ["heldout", "fresh"] if args.set == "all" else [args.set]
    result = run(sets, args.show)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
