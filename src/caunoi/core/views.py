"""The dashboard and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caunoi.accounts import permissions
from caunoi.accounts.models import AuditEvent
from caunoi.registry.entities import ENTITIES
from caunoi.registry.services import agreements_expiring


def home(request: HttpRequest) -> HttpResponse:
    counts = [
        (entity, permissions.visible(request.user, entity.model._default_manager.all()).count())
        for entity in ENTITIES.values()
    ]
    expiring = permissions.visible(request.user, agreements_expiring())[:15]
    recent = (
        AuditEvent.objects.select_related("actor")[:10]
        if permissions.is_staff_reader(request.user)
        else []
    )
    return render(
        request,
        "core/home.html",
        {"counts": counts, "expiring": expiring, "recent": recent},
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
