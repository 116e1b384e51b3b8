"""Suggestions for the organisation pickers: only organisations the person may read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from caunoi.core.widgets import suggestions, term
from caunoi.registry.entities import ENTITIES
from caunoi.registry.models import Organization
from caunoi.registry.selectors import readable
from caunoi.taxonomy.pickers import best_matches

#: ``scope`` narrows the suggestions as the form's field does (agreement sides, memberships).
SCOPES = {
    "vn": lambda qs: qs.filter(country_id="VN"),
    "foreign": lambda qs: qs.exclude(country_id="VN"),
    "international": lambda qs: qs.filter(
        kind__in=[Organization.Kind.INTERNATIONAL, Organization.Kind.REGIONAL]
    ),
}


@require_GET
def organization_suggestions(request: HttpRequest) -> HttpResponse:
    text = term(request)
    if not text:
        return suggestions(request, [])
    qs = readable(ENTITIES["partners"], request.user).only(
        "pk", "name_vi", "name_en", "acronym", "aliases", "key", "country_id"
    )
    scope = SCOPES.get(request.GET.get("scope", ""))
    if scope is not None:
        qs = scope(qs)
    orgs = best_matches(
        text,
        (
            (o, o.name, [o.name_vi, o.name_en, o.acronym, o.key, *(o.aliases or [])])
            for o in qs.iterator()
        ),
    )
    return suggestions(request, ((str(o.pk), str(o), o.country_id or "") for o in orgs))
