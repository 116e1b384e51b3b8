"""What the aggregate pages show, registered by the apps that own it.

The dashboard, the page of a field of S&T and the page of a country gather every kind of
record. They are built from the ``Section``s and ``Panel``s the apps register in their
``ready()``, so a new app adds its records to them without an edit in the top app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Section:
    """One record type on the aggregate pages."""

    key: str  # URL-safe, unique across apps
    label_plural: Any
    # The records this user may read (the entity's audience rule), as a queryset.
    readable: Callable[[Any], models.QuerySet[Any]]
    list_url: Callable[[], str]  # the full list; the pages add ?field=... or ?country=...
    order: int = 100
    by_field: Callable[[list[int]], Q] | None = None  # records tagged with any of these fields
    by_country: Callable[[str], Q] | None = None  # records related to a country (ISO2)
    # For the country list: how many records this user may read, per country (ISO2).
    count_by_country: Callable[[Any], dict[str, int]] | None = None
    date_field: str = ""  # the date a country's timeline uses
    titles: tuple[str, ...] = ()  # select_related for showing titles on the pages
    on_dashboard: bool = True


@dataclass(frozen=True)
class Panel:
    """A block of the dashboard (e.g. agreements expiring soon, recent changes)."""

    key: str
    template: str
    context: Callable[[Any], dict[str, Any] | None]  # None: nothing to show this user
    order: int = 100


@dataclass(frozen=True)
class RecordPanel:
    """A block another app adds to a record's page (e.g. the documents that mention it), so
    the record's own app shows it without importing that app."""

    key: str
    template: str  # rendered with ``panel`` = what ``context`` returned
    context: Callable[[Any, Any], dict[str, Any] | None]  # (user, record); None: nothing
    order: int = 100


_sections: dict[str, Section] = {}
_panels: dict[str, Panel] = {}
_record_panels: dict[str, RecordPanel] = {}


def register_section(section: Section) -> None:
    _sections[section.key] = section


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def register_record_panel(panel: RecordPanel) -> None:
    _record_panels[panel.key] = panel


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def record_panels(user: Any, record: Any) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every registered block with something to show this user."""
    out = []
    for p in sorted(_record_panels.values(), key=lambda p: (p.order, p.key)):
        context = p.context(user, record)
        if context is not None:
            out.append((p.template, context))
    return out
