"""What gets indexed: one ``Source`` per record type, turning a record into a search document.

Each app registers its own sources in its ``AppConfig.ready()`` (the registry's seven record
types in ``caunoi.registry.search``); the search service imports no domain app. A new record
type (offers, requests, experts, knowledge-base passages) registers a ``Source`` with its own
``build`` function and is then searched, faceted and kept up to date like the others. Apps
that own a facet's values (countries, fields of S&T) register their labels the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class DocData:
    title: str
    body: str  # shown in snippets
    extra: str = ""  # indexed but not shown (country and field names, parties)
    url: str = ""
    date: dt.date | None = None
    status: str = ""
    countries: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    # Who may read it: audience tokens (caunoi.core.audience), e.g. ("public",) or ("staff",).
    audience: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    kind: str  # URL-safe slug, also the facet value
    model: type[models.Model]
    build: Callable[[Any], DocData]
    queryset: Callable[[], models.QuerySet[Any]]
    # Records whose change changes this record's document: (model, records to reindex).
    dependents: tuple[tuple[type[models.Model], Callable[[Any], Iterable[Any]]], ...] = ()
    m2m: tuple[str, ...] = ()  # many-to-many fields whose change reindexes the record
    label: Any = None
    label_plural: Any = None
    status_choices: Callable[[], dict[str, str]] = field(default=lambda: {})


SOURCES: dict[str, Source] = {}
_BY_MODEL: dict[type[models.Model], Source] = {}


# Called for each source as it is registered (the indexing module keeps them in step).
_on_register: list[Callable[[Source], None]] = []
_on_unregister: list[Callable[[Source], None]] = []


def register(source: Source) -> None:
    """Index this record type: its records are kept in step by signals from now on."""
    previous = SOURCES.get(source.kind)
    if previous is not None and previous.model is not source.model:
        raise ValueError(f"search source {source.kind!r} is already registered")
    SOURCES[source.kind] = source
    _BY_MODEL[source.model] = source
    for hook in _on_register:
        hook(source)


def unregister(kind: str) -> None:
    """Stop indexing a record type (its documents stay until ``caunoi reindex``)."""
    source = SOURCES.pop(kind, None)
    if source is None:
        return
    _BY_MODEL.pop(source.model, None)
    for undo in _on_unregister:
        undo(source)


def on_register(
    hook: Callable[[Source], None], undo: Callable[[Source], None] | None = None
) -> None:
    """Run ``hook`` for every source registered so far and from now on (and ``undo`` for each
    one unregistered)."""
    _on_register.append(hook)
    if undo is not None:
        _on_unregister.append(undo)
    for source in list(SOURCES.values()):
        hook(source)


def source_for_model(model: type[models.Model]) -> Source | None:
    return _BY_MODEL.get(model)


def all_sources() -> dict[str, Source]:
    return SOURCES


# --- facets owned by other apps ---------------------------------------------------------------

# facet name -> labels of the given values in the active language
FacetLabels = Callable[[list[str]], dict[str, str]]
FACET_LABELS: dict[str, FacetLabels] = {}
# facet name -> the values a filter on one value also accepts (a field and its sub-fields)
FacetExpansion = Callable[[str], set[str]]
FACET_EXPANSIONS: dict[str, FacetExpansion] = {}


def register_facet(
    name: str,
    *,
    labels: FacetLabels | None = None,
    expand: FacetExpansion | None = None,
) -> None:
    """Let the app that owns a facet's values label them and expand a filter on them."""
    if labels is not None:
        FACET_LABELS[name] = labels
    if expand is not None:
        FACET_EXPANSIONS[name] = expand
