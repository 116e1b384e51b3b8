"""The registry's search sources: how each record type becomes a search document.

Registered by ``RegistryConfig.ready()``; the search service knows nothing of the registry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q

from caunoi.core.audience import Reader
from caunoi.registry.entities import ENTITIES, Entity
from caunoi.registry.models import (
    Agreement,
    AgreementParty,
    Delegation,
    Membership,
    Organization,
    Project,
    ProjectParticipant,
)
from caunoi.registry.selectors import record_title, ref_visible, visible_ref
from caunoi.search.sources import DocData, Source, register
from caunoi.taxonomy.models import Country


def _resolve(obj: Any, path: str, reader: Reader | None = None) -> Any:
    """The value at a ``__`` path; None when it passes through a record the reader (the
    document's audience) may not read."""
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part, None)
        if reader is not None and isinstance(value, models.Model):
            value = visible_ref(reader, value)
    return value


def _as_date(value: Any) -> dt.date | None:
    """A date field's value (a string until the record is read back from the database)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _text_of(obj: Any, name: str, reader: Reader) -> str:
    """A field's value as indexable text ('' for dates, numbers, flags and URLs, and for
    records the reader may not read)."""
    try:
        f = obj._meta.get_field(name.split("__")[0]) if "__" not in name else None
    except Exception:  # not a model field (a property)
        f = None
    if f is not None and f.many_to_many:
        return ", ".join(str(x) for x in getattr(obj, name).all() if ref_visible(reader, x))
    if f is not None and isinstance(
        f, models.URLField | models.DateField | models.DecimalField | models.BooleanField
    ):
        return ""
    value = _resolve(obj, name, reader)
    if value is None or isinstance(value, bool | int | float | dt.date):
        return ""
    if f is not None and getattr(f, "choices", None):
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


# Countries straight from the relations that define them: the registry also keeps them
# denormalised (Agreement.countries, Project.countries), refreshed by bulk writes that send no
# signals, so the source relations are the ones to read while indexing.
_COUNTRY_PATHS: dict[str, tuple[str, ...]] = {
    "agreements": ("parties__country_id", "parties__organization__country_id"),
    "projects": ("funder__country_id", "participants__organization__country_id"),
}


def _registry_build(entity: Entity) -> Callable[[Any], DocData]:
    title_names = [
        n
        for n in ("title_vi", "name_vi", "post")
        if any(f.name == n for f in entity.model._meta.fields)
    ]

    def build(obj: Any) -> DocData:
        # Whoever may read the document may read all of its text: a referenced record's
        # name goes in only when the document's own audience may read that record (it is
        # public, or the document is for staff only).
        audience = entity.audience.tokens(obj)
        reader = Reader(frozenset(audience))
        if title_names:
            title = _text_of(obj, title_names[0], reader)
            if getattr(obj, "acronym", ""):
                title = f"{title} ({obj.acronym})"
        else:
            title = record_title(reader, obj)
        parts: list[str] = []
        for name in dict.fromkeys((*entity.search_fields, *entity.detail_fields)):
            if name in title_names or name in ("name_vi", "title_vi"):
                continue
            text = _text_of(obj, name, reader).strip()
            if text and text not in parts:
                parts.append(text)
        codes: set[str] = set()
        for lookup in _COUNTRY_PATHS.get(entity.slug, entity.country_lookups):
            value = getattr(obj, lookup, None) if "__" not in lookup else None
            if isinstance(value, models.Manager):  # a many-to-many of countries
                codes.update(value.values_list("pk", flat=True))
            elif "__" in lookup:
                codes.update(
                    c
                    for c in type(obj)
                    ._default_manager.filter(pk=obj.pk)
                    .values_list(lookup, flat=True)
                    if c
                )
            elif getattr(obj, lookup, None):
                codes.add(getattr(obj, lookup))
        extra: list[str] = []
        if codes:
            for vi, en in Country.objects.filter(iso2__in=codes).values_list("name_vi", "name_en"):
                extra.extend((vi, en))
        fields = list(obj.fields.all()) if hasattr(obj, "fields") else []
        for f in fields:
            extra.extend((f.name_vi, f.name_en))
        if entity.slug == "agreements":
            extra.extend(
                str(p.country or p.organization)
                for p in obj.parties.all()
                if p.country or ref_visible(reader, p.organization)
            )
        if entity.slug == "projects":
            extra.extend(
                str(p.organization)
                for p in obj.participants.all()
                if ref_visible(reader, p.organization)
            )
        date = _as_date(_resolve(obj, entity.date_field)) if entity.date_field else None
        return DocData(
            title=title,
            body=" · ".join(parts),
            extra=" · ".join(e for e in extra if e),
            url=obj.get_absolute_url(),
            date=date,
            status=str(getattr(obj, "status", "") or ""),
            countries=tuple(sorted(codes)),
            fields=tuple(sorted(f.slug for f in fields)),
            audience=audience,
        )

    return build


def register_sources() -> None:
    """Register the seven registry record types with the search service."""
    # A document names the records it references only when its audience may read them, so
    # a change to a referenced record (its name, or whether it is public) rebuilds it.
    dependents: dict[type[models.Model], tuple[Any, ...]] = {
        Organization: ((Organization, lambda o: o.children.all()),),
        Agreement: (
            (AgreementParty, lambda p: [p.agreement]),
            (Organization, lambda o: Agreement.objects.filter(parties__organization=o).distinct()),
        ),
        Project: (
            (ProjectParticipant, lambda p: [p.project]),
            (
                Organization,
                lambda o: Project.objects.filter(
                    Q(funder=o) | Q(lead_organization=o) | Q(participants__organization=o)
                ).distinct(),
            ),
            (Agreement, lambda a: a.projects.all()),
        ),
        Membership: ((Organization, lambda o: o.memberships.all()),),
        Delegation: (
            (Agreement, lambda a: a.delegations.all()),
            (Project, lambda p: p.delegations.all()),
        ),
    }
    for entity in ENTITIES.values():
        model = entity.model
        m2m = tuple(f.name for f in model._meta.many_to_many)
        status_field = next((f for f in model._meta.fields if f.name == "status"), None)

        def choices(sf: Any = status_field) -> dict[str, str]:
            return {k: str(v) for k, v in sf.choices} if sf is not None else {}

        register(
            Source(
                kind=entity.slug,
                model=model,
                build=_registry_build(entity),
                queryset=entity.base_queryset,
                dependents=dependents.get(model, ()),
                m2m=m2m,
                label=model._meta.verbose_name,
                label_plural=model._meta.verbose_name_plural,
                status_choices=choices,
            )
        )
