"""Reads for the registry: filtered, searched, sorted lists for a user."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy

from caunoi.accounts import permissions
from caunoi.core.audience import Reader, reader_for
from caunoi.core.parsing import parse_int
from caunoi.registry.entities import ENTITIES, Entity
from caunoi.registry.models import Membership

# What a reference to a record the reader may not read shows instead of its name (no link).
NOT_PUBLIC = gettext_lazy("(not public)")


def record_for_user(entity: Entity, user: Any, pk: Any, *, write: bool = False) -> Any:
    """The one permission-checked fetch of a registry record (404 unseen, 403 unwritable),
    by the entity's audience rule: pages, API, exports and downloads all come here."""
    return permissions.access_record(
        user, entity.base_queryset(), pk, write=write, rule=entity.audience
    )


def readable(entity: Entity, user: Any, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """The records of ``queryset`` (default: all of the entity) this user may read."""
    qs = entity.model._default_manager.all() if queryset is None else queryset
    return permissions.visible(user, qs, entity.audience)


def entity_of(obj: Any) -> Entity | None:
    """The registry entity a record belongs to (None for countries, units, fields...)."""
    model = type(obj)
    for entity in ENTITIES.values():
        if entity.model is model:
            return entity
    return None


def as_reader(who: Any) -> Reader:
    """A reader from a user (or anonymous visitor), or the reader itself."""
    return who if isinstance(who, Reader) else reader_for(who)


def ref_visible(who: Any, obj: Any) -> bool:
    """Whether a reference to ``obj`` may show its name and link to this user (or reader).

    The same audience rule as the record's own page (``Entity.audience``): a record the
    reader may not open is never named through another one. Anything that is not a registry
    record (a country, a unit, a field of S&T) is always shown.
    """
    if obj is None:
        return True
    entity = entity_of(obj)
    return entity is None or as_reader(who).can_read(entity.audience.tokens(obj))


def visible_ref(who: Any, obj: Any) -> Any:
    """``obj`` when this user (or reader) may see it, else None."""
    return obj if obj is not None and ref_visible(who, obj) else None


def ref_label(who: Any, obj: Any) -> str:
    """The name of a referenced record as this user may see it: its name, "(not public)"
    when they may not read it, "" when there is none."""
    if obj is None:
        return ""
    return str(obj) if ref_visible(who, obj) else str(NOT_PUBLIC)


def record_title(who: Any, obj: Any) -> str:
    """A record's title for this user: a membership is named by its organisation, which
    may be one the user may not read."""
    if isinstance(obj, Membership):
        return ref_label(who, obj.organization)
    return str(obj)


def record_list(
    *, entity: Entity, user: Any, params: Mapping[str, str]
) -> tuple[QuerySet[Any], dict[str, str]]:
    """The records of one entity this user may see, narrowed by the request's parameters.

    Returns the queryset and the parameters actually applied (for links and exports).
    """
    qs = permissions.visible(user, entity.base_queryset(), entity.audience)
    applied: dict[str, str] = {}
    text = (params.get("q") or "").strip()
    if text:
        # The search index (same analyzer as the search page: diacritics, variants, typos).
        from caunoi.search.service import matching_object_ids

        qs = qs.filter(pk__in=matching_object_ids(user=user, query=text, kind=entity.slug))
        applied["q"] = text
    for flt in entity.filters:
        value = (params.get(flt.param) or "").strip()
        if not value:
            continue
        allowed = {v for v, _ in flt.choices()} if flt.choices else None
        if allowed is not None and value not in allowed:
            continue
        qs = qs.filter(**{flt.lookup: value == "1" if flt.lookup == "is_public" else value})
        applied[flt.param] = value
    field_slug = (params.get("field") or "").strip()
    if field_slug:
        from caunoi.taxonomy.models import Field

        ids = list(
            Field.objects.filter(Q(slug=field_slug) | Q(parent__slug=field_slug)).values_list(
                "pk", flat=True
            )
        )
        qs = qs.filter(entity.field_q(ids))
        applied["field"] = field_slug
    # one country (``KR``) or several, comma-separated (``KR,JP``) or repeated (``country=KR&
    # country=JP``, as the list page's multiple choice sends them): records linked to each
    getlist = getattr(params, "getlist", None)
    given = getlist("country") if getlist else [params.get("country") or ""]
    codes = [c.strip().upper() for value in given for c in (value or "").split(",")]
    codes = list(dict.fromkeys(c for c in codes if len(c) == 2 and c.isalpha()))
    if codes and entity.country_lookups:
        for code in codes:
            qs = qs.filter(entity.country_q(code))
        applied["country"] = ",".join(codes)
    year = (params.get("year") or "").strip()
    if (parse_int(year) or 0) >= 1 and len(year) <= 4 and entity.date_field:
        qs = qs.filter(**{f"{entity.date_field}__year": int(year)})
        applied["year"] = year
    expires = (params.get("expires") or "").strip()
    if (parse_int(expires) or 0) >= 1 and len(expires) <= 4 and entity.expiry_field:
        qs = qs.filter(**{f"{entity.expiry_field}__year": int(expires)})
        applied["expires"] = expires
    # a range of years, either end optional (``year_from=2020&year_to=2023``), of the list's
    # own date and of the expiry date
    for prefix, column in (("year", entity.date_field), ("expires", entity.expiry_field)):
        if not column:
            continue
        for suffix, op in (("_from", "gte"), ("_to", "lte")):
            bound = (params.get(prefix + suffix) or "").strip()
            if (parse_int(bound) or 0) >= 1 and len(bound) <= 4:
                qs = qs.filter(**{f"{column}__year__{op}": int(bound)})
                applied[prefix + suffix] = bound
    if (params.get("signed") or "").strip() == "1" and entity.signed_field:
        qs = qs.filter(**{f"{entity.signed_field}__isnull": False})
        applied["signed"] = "1"
    sort = (params.get("sort") or entity.default_sort).strip()
    columns = {c.name: c.sort for c in entity.columns if c.sort}
    key = sort.lstrip("-")
    if key in columns:
        order = columns[key]
        desc = sort.startswith("-")
        if _is_date(entity.model, order):
            # Undated records last either way (PostgreSQL would put them first when
            # descending, SQLite first when ascending).
            expr = F(order).desc(nulls_last=True) if desc else F(order).asc(nulls_last=True)
            qs = qs.order_by(expr, "-pk" if desc else "pk")
        else:
            qs = qs.order_by(f"-{order}" if desc else order, "-pk" if desc else "pk")
        applied["sort"] = sort
    return qs, applied


def _is_date(model: type[models.Model], path: str) -> bool:
    """Whether an ``order_by`` path (``signed_on``, ``agreement__signed_on``) ends in a date."""
    field: Any = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return isinstance(field, models.DateField)  # DateTimeField is a DateField
