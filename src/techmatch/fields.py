"""Field codes and their hierarchy (OECD fields of S&T "2.2", priority technologies "P01").

The caller may pass the taxonomy's parent links; without them a dotted code's parent is its
prefix ("2.2.1" → "2.2" → "2") and other codes stand alone. Relations between a requested
code and a candidate's code, best first:

- ``same`` (1.0): the same code, or the candidate's code lies under the requested one
  (a request in "2" matches an offer in "2.2");
- ``broader`` (0.5): the candidate's code is an ancestor of the requested one (a request in
  "2.2" and an offer filed only under "2");
- ``sibling`` (0.25): both codes share their parent ("2.2" and "2.3").

:func:`taxonomy_links` builds, from the taxonomy's rows, both things the ranking takes from
it: the field tree and the term bridge of bilingual field names. The app (from its
database), ``caunoi eval-match`` (from the database when it holds the taxonomy, else the
shipped ``fields.tsv``) and the quality bench (the TSV, :func:`read_fields_tsv`) all build
them through it, so the three rank alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from techmatch.lexical import TermBridge

Relation = Literal["same", "broader", "sibling"]
RELATION_SCORE: dict[Relation, float] = {"same": 1.0, "broader": 0.5, "sibling": 0.25}


class FieldTree:
    """Parent links between field codes."""

    def __init__(self, parents: Mapping[str, str | None] | None = None) -> None:
        self._parents: dict[str, str | None] = dict(parents or {})

    def parent(self, code: str) -> str | None:
        if code in self._parents:
            return self._parents[code] or None
        if "." in code:
            return code.rsplit(".", 1)[0]
        return None

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The ancestors of ``code``, nearest first (cycles in the given links are cut)."""
        out: list[str] = []
        seen = {code}
        p = self.parent(code)
        while p is not None and p not in seen:
            out.append(p)
            seen.add(p)
            p = self.parent(p)
        return tuple(out)

    def relation(self, requested: str, candidate: str) -> Relation | None:
        if candidate == requested or requested in self.ancestors(candidate):
            return "same"
        if candidate in self.ancestors(requested):
            return "broader"
        p = self.parent(requested)
        if p is not None and p == self.parent(candidate):
            return "sibling"
        return None


@dataclass(frozen=True)
class FieldMatch:
    """The best relation of one requested code to the candidate's codes."""

    requested: str
    matched: str
    relation: Relation
    score: float


def field_matches(
    tree: FieldTree, requested: Iterable[str], candidate: Iterable[str]
) -> tuple[FieldMatch, ...]:
    """For each requested code with any relation, the candidate code that relates best."""
    cand = sorted(set(candidate))
    out: list[FieldMatch] = []
    for r in sorted(set(requested)):
        best: FieldMatch | None = None
        for c in cand:
            rel = tree.relation(r, c)
            if rel is None:
                continue
            s = RELATION_SCORE[rel]
            if best is None or s > best.score:
                best = FieldMatch(r, c, rel, s)
        if best is not None:
            out.append(best)
    return tuple(out)


def field_score(tree: FieldTree, requested: Iterable[str], candidate: Iterable[str]) -> float:
    """Mean over the requested codes of their best relation score (0 when none requested)."""
    req = set(requested)
    if not req:
        return 0.0
    return sum(m.score for m in field_matches(tree, req, candidate)) / len(req)


# A taxonomy row: code, parent code (or None/""), Vietnamese name, English name.
FieldRow = tuple[str, str | None, str, str]


def taxonomy_links(rows: Iterable[FieldRow]) -> tuple[FieldTree, TermBridge]:
    """The field tree (parent links by code) and the term bridge (each field's Vietnamese and
    English names as one cross-language concept) of the taxonomy's rows."""
    parents: dict[str, str | None] = {}
    labels: dict[str, tuple[str, ...]] = {}
    for code, parent, name_vi, name_en in rows:
        parents[code] = parent or None
        names = tuple(n for n in (name_vi, name_en) if n)
        if names:
            labels[code] = names
    return FieldTree(parents), TermBridge(labels)


def read_fields_tsv(text: str) -> list[FieldRow]:
    """The rows of the taxonomy's shipped ``fields.tsv`` (columns code, parent, kind, slug,
    name_vi, name_en, with a header line)."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    return [
        (row["code"], row.get("parent") or None, row.get("name_vi") or "", row.get("name_en") or "")
        for row in reader
        if row.get("code")
    ]
