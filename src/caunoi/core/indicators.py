"""Indicator sources: figures computed from the platform's own records, with their evidence.

An app registers an ``IndicatorSource`` in its ``ready()`` (the registry's agreements and
projects, the marketplace's transfers...); an evaluation indicator names a source by its key
and the evaluation asks it for a period and an optional scope (an account unit, a partner
country). The answer is the value *and* the records it counted, with links, so every number
on an evaluation page can be checked. Core knows no app: it only keeps the registrations.

A source may also answer for many scopes at once (``compute_many``: one grouped query for
every unit and country of a comparison page instead of one per scope); ``values`` uses it when
present and falls back to ``compute`` scope by scope. Both must give the same answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EvidenceItem:
    """One record behind a figure: what it is, where to see it, and what it added."""

    label: str
    url: str = ""
    amount: float | None = None  # what this record contributed (a budget, members), if not 1


@dataclass(frozen=True)
class IndicatorValue:
    """A source's answer: ``value`` is None when the source does not apply to the scope (a
    marketplace figure asked for a ministry)."""

    value: float | None
    evidence: tuple[EvidenceItem, ...] = ()
    note: str = ""  # how it was counted, in the user's language
    truncated: int = 0  # evidence items left out of ``evidence`` (the value counts them all)


@dataclass(frozen=True)
class Scope:
    """Whose figure: everyone (both None), one account unit, or one partner country."""

    unit_id: int | None = None
    country: str | None = None  # ISO2


Compute = Callable[[dt.date, dt.date, Scope], IndicatorValue]
# Every scope given (each applicable to the source) -> its value.
ComputeMany = Callable[[dt.date, dt.date, Sequence[Scope]], Mapping[Scope, IndicatorValue]]


@dataclass(frozen=True)
class IndicatorSource:
    key: str  # URL-safe, unique across apps: what an evaluation indicator stores
    label_vi: str
    label_en: str
    unit: str  # of the value, in Vietnamese ("thỏa thuận", "người", "triệu đồng")
    compute: Compute
    app: str = ""  # the registering app's label, for grouping in forms
    scopes: frozenset[str] = field(default_factory=lambda: frozenset({"unit", "country"}))
    compute_many: ComputeMany | None = None  # optional: many scopes in a few queries

    def label(self, language: str | None = None) -> str:
        return self.label_en if (language or "vi").startswith("en") else self.label_vi

    def applies(self, scope: Scope) -> bool:
        return not (
            (scope.unit_id is not None and "unit" not in self.scopes)
            or (scope.country is not None and "country" not in self.scopes)
        )

    def value(self, start: dt.date, end: dt.date, scope: Scope | None = None) -> IndicatorValue:
        scope = scope or Scope()
        if not self.applies(scope):
            return IndicatorValue(None)
        return self.compute(start, end, scope)

    def values(
        self, start: dt.date, end: dt.date, scopes: Iterable[Scope]
    ) -> dict[Scope, IndicatorValue]:
        """The value for each scope: through ``compute_many`` when the source has it (its
        query count does not grow with the scopes), else ``compute`` for each."""
        wanted = list(dict.fromkeys(scopes))
        out = {s: IndicatorValue(None) for s in wanted if not self.applies(s)}
        applicable = [s for s in wanted if s not in out]
        if self.compute_many is not None and applicable:
            answers = self.compute_many(start, end, applicable)
            out.update({s: answers[s] for s in applicable})
        else:
            out.update({s: self.compute(start, end, s) for s in applicable})
        return {s: out[s] for s in wanted}


# Evidence lists on a page stop here; the value always counts every record.
EVIDENCE_LIMIT = 50

_SOURCES: dict[str, IndicatorSource] = {}


def register_indicator_source(source: IndicatorSource) -> None:
    """Register (or replace, on a reload) a source under its key."""
    _SOURCES[source.key] = source


def indicator_source(key: str) -> IndicatorSource | None:
    return _SOURCES.get(key)


def indicator_sources() -> list[IndicatorSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.app, s.key))


def counted(
    records: Any,
    label: Callable[[Any], str],
    *,
    amount: Callable[[Any], float | None] | None = None,
    note: str = "",
    url: Callable[[Any], str] | None = None,
) -> IndicatorValue:
    """A value from an iterable of records: their number, or the sum of ``amount``; every
    record is evidence (the first ``EVIDENCE_LIMIT`` listed), with its link (``url``, by
    default its ``get_absolute_url()``)."""
    rows = list(records)
    total = 0.0
    evidence: list[EvidenceItem] = []
    for record in rows:
        part = amount(record) if amount is not None else None
        total += 1 if amount is None else float(part or 0)
        if len(evidence) < EVIDENCE_LIMIT:
            if url is not None:
                link = url(record)
            else:
                link = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
            evidence.append(EvidenceItem(label(record), link, part))
    return IndicatorValue(
        total, tuple(evidence), note=note, truncated=max(0, len(rows) - EVIDENCE_LIMIT)
    )


def grouped_by_scope(
    records: Iterable[Any],
    scopes: Sequence[Scope],
    *,
    unit_of: Callable[[Any], int | None] | None = None,
    countries_of: Callable[[Any], Iterable[str]] | None = None,
) -> dict[Scope, list[Any]]:
    """Records (in their order) shared out to the scopes they belong to: everyone's scope
    gets all of them, a unit's those ``unit_of`` names it for, a country's those whose
    ``countries_of`` (ISO2 codes) include it. Each record counts once per scope."""
    rows = list(records)
    by_unit: dict[int | None, list[int]] = {}
    by_country: dict[str, list[int]] = {}
    if any(s.unit_id is not None for s in scopes):
        if unit_of is None:
            raise ValueError("a unit's scope needs unit_of")
        for i, r in enumerate(rows):
            by_unit.setdefault(unit_of(r), []).append(i)
    if any(s.country is not None for s in scopes):
        if countries_of is None:
            raise ValueError("a country's scope needs countries_of")
        for i, r in enumerate(rows):
            for code in set(countries_of(r)):
                by_country.setdefault(code.upper(), []).append(i)
    out: dict[Scope, list[Any]] = {}
    for scope in scopes:
        picked: list[int] | None = None
        if scope.unit_id is not None:
            picked = by_unit.get(scope.unit_id, [])
        if scope.country is not None:
            in_country = by_country.get(scope.country.upper(), [])
            picked = in_country if picked is None else sorted(set(picked).intersection(in_country))
        out[scope] = rows if picked is None else [rows[i] for i in picked]
    return out
