"""Pages of expressions of interest under /market/interests/: the list (one's own; all for
staff), an expression's page with its stages, history and mediated messages, and the POSTs
that create one (from an offer's or request's page), move it and write on it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.accounts.models import User
from caunoi.core.audience import reader_for
from caunoi.core.errors import DomainError
from caunoi.market import interests, services
from caunoi.market.audience import interest_side, owner_visible, sender_visible
from caunoi.market.forms import TransitionForm
from caunoi.market.kinds import KINDS
from caunoi.market.models import (
    INTEREST_OPEN,
    InterestStatus,
    Status,
    TechnologyOffer,
    TechnologyRequest,
)


def own_requests(user: Any) -> Any:
    """The published requests an interest in an offer may come from."""
    if not isinstance(user, User):
        return TechnologyRequest.objects.none()
    from django.db.models import Q

    from caunoi.market.audience import organization_principals

    orgs = [int(t.split(":")[1]) for t in organization_principals(user)]
    return TechnologyRequest.objects.filter(
        Q(owner_user=user) | Q(owner_organization_id__in=orgs), status=Status.PUBLISHED
    ).order_by("-published_at", "-id")


def record_context(user: Any, record: Any, from_request: str = "") -> dict[str, Any]:
    """What an offer's or request's page shows about interests: the form, and the
    expressions on it this user may see."""
    if not isinstance(record, TechnologyOffer | TechnologyRequest):
        return {}
    field = "offer" if isinstance(record, TechnologyOffer) else "request"
    seen = interests.readable(user).filter(**{field: record}).order_by("-created_at")
    mine = [i for i in seen if i.sender_id == getattr(user, "pk", None) and i.is_open]
    chosen = int(from_request) if from_request.isdigit() else None
    return {
        "can_express": interests.can_express(user, record) and not mine,
        "my_open_interest": mine[0] if mine else None,
        "record_interests": [
            (i, interests.party_label(user, i, i.sender)) for i in seen if i not in mine
        ],
        "interest_from_requests": list(own_requests(user)) if field == "offer" else [],
        "interest_from_chosen": chosen,
    }


@require_POST
@login_required
def interest_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in ("offers", "requests"):
        raise Http404
    model = KINDS[kind].model
    record: Any = services.record_for_user(request.user, model, pk)
    if not interests.can_express(request.user, record):
        raise PermissionDenied
    from_request = None
    raw = request.POST.get("from_request", "")
    if raw.isdigit():
        from_request = own_requests(request.user).filter(pk=int(raw)).first()
        if from_request is None:
            messages.error(request, _("Choose one of your published requests."))
            return redirect(record.get_absolute_url() + "#interest")
    try:
        interest = interests.interest_create(
            user=request.user,  # type: ignore[arg-type]
            record=record,
            message=request.POST.get("message", ""),
            from_request=from_request,
            anonymous=request.POST.get("anonymous") == "on",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(record.get_absolute_url() + "#interest")
    messages.success(
        request, _("Your expression of interest was sent; an officer will forward it.")
    )
    return redirect(interest.get_absolute_url())


@login_required
def interest_list(request: HttpRequest) -> HttpResponse:
    qs = interests.readable(request.user).order_by("-updated_at", "-id")
    status = request.GET.get("status", "")
    if status == "open":
        qs = qs.filter(status__in=INTEREST_OPEN)
    elif status in InterestStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("overdue") == "1":
        from django.utils import timezone

        qs = qs.filter(status=InterestStatus.FORWARDED, answer_due__lt=timezone.localdate())
    page = Paginator(qs, settings.CAUNOI_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "interest": i,
            "side": interest_side(request.user, i),
            "sender": interests.party_label(request.user, i, i.sender),
        }
        for i in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "statuses": InterestStatus.choices,
        "status": status,
        "staff": reader_for(request.user).is_staff,
    }
    return render(request, "market/interests.html", context)


@login_required
def interest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interest = interests.interest_for_user(request.user, pk)
    user = request.user
    record = interest.record
    owner_named = owner_visible(user, interest)
    context = {
        "interest": interest,
        "record": record,
        "side": interest_side(user, interest),
        "sender_label": interests.party_label(user, interest, interest.sender),
        "owner_label": (
            interests.party_label(user, interest, record.owner_user)
            if owner_named
            else _("Requester (name not disclosed)")
        ),
        "owner_organization": record.owner_organization if owner_named else None,
        "sender_named": sender_visible(user, interest),
        "events": [
            (e, interests.party_label(user, interest, e.actor))
            for e in interest.events.select_related("actor")
        ],
        "thread": [
            (m, interests.party_label(user, interest, m.author))
            for m in interests.thread(user, interest)
        ],
        "transitions": [
            (s, InterestStatus(s).label) for s in interests.allowed_transitions(user, interest)
        ],
        "can_post": interests.can_post(user, interest),
        "staff": reader_for(user).is_staff,
    }
    return render(request, "market/interest.html", context)


@require_POST
@login_required
def interest_transition(request: HttpRequest, pk: int) -> HttpResponse:
    interest = interests.interest_for_user(request.user, pk)
    if not interests.allowed_transitions(request.user, interest):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage."))
        return redirect(interest.get_absolute_url())
    try:
        interests.interest_transition(
            user=request.user,  # type: ignore[arg-type]
            interest=interest,
            to=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Stage changed."))
    return redirect(interest.get_absolute_url())


@require_POST
@login_required
def interest_message(request: HttpRequest, pk: int) -> HttpResponse:
    interest = interests.interest_for_user(request.user, pk)
    if not interests.can_post(request.user, interest):
        raise PermissionDenied
    try:
        interests.message_post(
            user=request.user,  # type: ignore[arg-type]
            interest=interest,
            body=request.POST.get("body", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Message sent."))
    return redirect(interest.get_absolute_url() + "#messages")
