"""Pages of expressions of interest under /market/interests/: the list (one's own; all for
staff), an expression's page with its stages, history and mediated messages, and the POSTs
that create one (from an offer's or request's page), move it, correct an agreement's outcome
and write on it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.accounts.models import User
from caunoi.core.audience import reader_for
from caunoi.core.errors import DomainError
from caunoi.core.parsing import parse_int
from caunoi.market import interests, services
from caunoi.market.audience import interest_side, is_owner, owner_visible, sender_visible
from caunoi.market.forms import InterestOutcomeForm, InterestTransitionForm
from caunoi.market.kinds import KINDS
from caunoi.market.models import (
    INTEREST_OPEN,
    Cooperation,
    InterestMessage,
    InterestStatus,
    Status,
    TechnologyOffer,
    TechnologyRequest,
)
from caunoi.registry.models.base import CURRENCY_CHOICES


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
    chosen = parse_int(from_request)
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
        if is_owner(request.user, record):  # the API's reason, not the generic one
            return render(
                request, "403.html", {"denied": _("This is your own record.")}, status=403
            )
        raise PermissionDenied
    from_request = None
    raw = request.POST.get("from_request", "")
    if parse_int(raw) is not None:
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
        qs = interests.overdue(qs)
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
        "can_relay": interests.can_relay(user, interest),
        "message_to": [
            (v, label)
            for v, label in InterestMessage.To.choices
            if v != InterestMessage.To.MEDIATOR
        ],
        "mediator_label": (
            interests.party_label(user, interest, interest.mediator)
            if interest.mediator is not None
            else ""
        ),
        "staff": reader_for(user).is_staff,
        "is_officer": services.is_officer(user),
        "mediator_choices": interests.mediator_choices() if services.is_officer(user) else [],
        "needs_mediator": interests.needs_mediator(interest),
        "cooperation_choices": Cooperation.choices,
        "currency_choices": CURRENCY_CHOICES,
        "can_sign": InterestStatus.SIGNED in interests.allowed_transitions(user, interest),
        "can_correct_outcome": interests.can_correct_outcome(user, interest),
        "outcome_corrected": _last_correction(user, interest),
        "today": timezone.localdate(),
    }
    return render(request, "market/interest.html", context)


def _last_correction(user: Any, interest: Any) -> tuple[Any, str] | None:
    """When the outcome of an agreement signed was last corrected, and by whom (as named to
    this viewer)."""
    if interest.status != InterestStatus.SIGNED:
        return None
    last = interests.outcome_corrections(interest).select_related("actor").first()
    if last is None:
        return None
    return last.created_at, interests.party_label(user, interest, last.actor)


@require_POST
@login_required
def interest_transition(request: HttpRequest, pk: int) -> HttpResponse:
    interest = interests.interest_for_user(request.user, pk)
    if not interests.allowed_transitions(request.user, interest):
        raise PermissionDenied
    form = InterestTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage."))
        return redirect(interest.get_absolute_url())
    to = form.cleaned_data["status"]
    try:
        interests.interest_transition(
            user=request.user,  # type: ignore[arg-type]
            interest=interest,
            to=to,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
            due=form.cleaned_data.get("answer_due"),
            outcome=form.outcome() if to == InterestStatus.SIGNED else None,
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
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
        relay = request.POST.get("relay", "")
        if parse_int(relay) is not None:
            original = interest.messages.filter(pk=int(relay)).first()
            if original is None:
                raise Http404
            interests.message_relay(
                user=request.user,  # type: ignore[arg-type]
                interest=interest,
                message=original,
                body=request.POST.get("body", ""),
            )
        else:
            interests.message_post(
                user=request.user,  # type: ignore[arg-type]
                interest=interest,
                body=request.POST.get("body", ""),
                to=request.POST.get("to") or InterestMessage.To.ALL,
            )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Message sent."))
    return redirect(interest.get_absolute_url() + "#messages")


def _error_text(exc: DomainError) -> str:
    """The message and each field's reasons, for a page that shows one line."""
    details = [str(m) for msgs in (exc.errors or {}).values() for m in msgs]
    details = [d for d in details if d != exc.message]
    return " ".join([exc.message, *details])


@require_POST
@login_required
def interest_due(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer sets the current stage's reply deadline."""
    interest = interests.interest_for_user(request.user, pk)
    if not services.is_officer(request.user):
        raise PermissionDenied
    form = InterestTransitionForm(
        {"status": interest.status, **{k: v for k, v in request.POST.items()}}
    )
    due = form.cleaned_data.get("answer_due") if form.is_valid() else None
    if due is None:
        messages.error(request, _("Give a reply deadline (a date)."))
        return redirect(interest.get_absolute_url())
    if form.cleaned_data["version"] is None:
        return _version_required()
    try:
        interests.interest_set_due(
            user=request.user,  # type: ignore[arg-type]
            interest=interest,
            due=due,
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Reply deadline changed."))
    return redirect(interest.get_absolute_url())


def _version_required() -> HttpResponse:
    """A change without the version the page was read at (the forms always send it) is
    refused, as the API refuses one without If-Match."""
    message = _("The form did not say which version it changes: reload the page and try again.")
    return HttpResponse(message, status=428, content_type="text/plain; charset=utf-8")


@require_POST
@login_required
def interest_mediator(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer assigns (or removes) the mediator."""
    interest = interests.interest_for_user(request.user, pk)
    if not services.is_officer(request.user):
        raise PermissionDenied
    raw = request.POST.get("mediator", "")  # a user id, or "none" to remove the mediator
    mediator_pk = parse_int(raw)
    mediator = User.objects.filter(pk=mediator_pk).first() if mediator_pk is not None else None
    if raw != "none" and mediator is None:
        messages.error(request, _("Choose a mediator."))
        return redirect(interest.get_absolute_url())
    version = parse_int(request.POST.get("version", ""))
    if version is None:
        return _version_required()
    try:
        interests.interest_set_mediator(
            user=request.user,  # type: ignore[arg-type]
            interest=interest,
            mediator=mediator,
            expected_version=version,
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Mediator changed."))
    return redirect(interest.get_absolute_url())


@require_POST
@login_required
def interest_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer corrects the outcome of an agreement signed ("Correct the outcome")."""
    interest = interests.interest_for_user(request.user, pk)
    if not services.is_officer(request.user):
        raise PermissionDenied
    form = InterestOutcomeForm(request.POST)
    if not form.is_valid():
        fields = [str(m) for msgs in form.errors.values() for m in msgs]
        messages.error(request, " ".join([_("The outcome is not valid."), *fields]))
        return redirect(interest.get_absolute_url() + "#interest-outcome-correct")
    if form.cleaned_data["version"] is None:
        return _version_required()
    try:
        interests.interest_correct_outcome(
            user=request.user,  # type: ignore[arg-type]
            interest=interest,
            outcome=form.outcome(),
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect(interest.get_absolute_url() + "#interest-outcome-correct")
    messages.success(request, _("Outcome corrected; the parties were told."))
    return redirect(interest.get_absolute_url())
