"""REST API of expressions of interest, under /api/v1/market/interests: list one's own (all
for staff), create, read, move through the stages (``If-Match`` required, as every write),
correct an agreement's outcome, and the mediated messages. Undisclosed parties come back as
null names."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from caunoi.accounts.models import User
from caunoi.core.api_errors import errors
from caunoi.core.errors import DomainError
from caunoi.core.pagination import Pages
from caunoi.core.versioning import etag, if_match_version
from caunoi.market import interests, services
from caunoi.market.audience import interest_side, owner_visible, sender_visible
from caunoi.market.models import (
    INTEREST_OPEN,
    Cooperation,
    Interest,
    InterestEvent,
    InterestMessage,
    InterestStatus,
    TechnologyOffer,
    TechnologyRequest,
)
from caunoi.registry.schemas import money, one_of

router = Router(tags=["market"])

StageValue = one_of(InterestStatus.values)
CooperationValue = one_of(Cooperation.values)
MessageTo = one_of([v for v in InterestMessage.To.values if v != "mediator"])


class InterestIn(Schema):
    offer: int | None = Field(None, description="The published offer (or give `request`).")
    request: int | None = Field(None, description="The published request (or give `offer`).")
    message: str = Field(min_length=1, max_length=interests.MESSAGE_MAX)
    from_request: int | None = Field(
        None, description="For an interest in an offer: one of the caller's published requests."
    )
    anonymous: bool = Field(False, description="Do not show the caller's name to the owner.")


class OutcomeIn(Schema):
    agreement_type: CooperationValue = Field(  # type: ignore[valid-type]
        description="The type of agreement signed (the cooperation types)."
    )
    agreement_value: Annotated[Decimal, money(Interest, "agreement_value")] | None = Field(
        None, description="The agreement's value; give its currency with it."
    )
    agreement_currency: str = Field("", max_length=3)
    signed_on: dt.date


class OutcomeCorrectionIn(Schema):
    agreement_type: CooperationValue | None = Field(  # type: ignore[valid-type]
        None, description="The type of agreement signed (the cooperation types)."
    )
    agreement_value: Annotated[Decimal, money(Interest, "agreement_value")] | None = Field(
        None, description="The agreement's value (null removes it); give its currency with it."
    )
    agreement_currency: str | None = Field(None, max_length=3)
    signed_on: dt.date | None = Field(None, description="Not in the future.")
    note: str | None = Field(
        None, max_length=interests.MESSAGE_MAX, description="The outcome note, replaced."
    )


class InterestTransitionIn(Schema):
    status: StageValue  # type: ignore[valid-type]
    note: str = Field("", max_length=interests.MESSAGE_MAX)
    answer_due: dt.date | None = Field(
        None, description="Officers: the next stage's reply deadline (default from settings)."
    )
    outcome: OutcomeIn | None = Field(
        None, description="Required with `signed`: type, date, optional value and currency."
    )


class InterestDueIn(Schema):
    answer_due: dt.date


class InterestMediatorIn(Schema):
    mediator: int | None = Field(
        description="A user id: an officer or the user of a published intermediary; null "
        "removes the mediator."
    )


class InterestMessageIn(Schema):
    body: str = Field(min_length=1, max_length=interests.MESSAGE_MAX)
    to: MessageTo = Field(  # type: ignore[valid-type]
        "all",
        description="The mediator (or an officer) of a mediated expression: `all`, `sender` "
        "or `owner`. A party's message on a mediated expression goes to the mediator.",
    )
    relay_of: int | None = Field(
        None, description="The mediator relays this party's message to the other side."
    )


class InterestEventOut(Schema):
    from_status: str
    to_status: str
    by: str
    note: str
    at: dt.datetime


class InterestOut(Schema):
    id: int
    offer: int | None
    request: int | None
    status: str
    version: int = Field(description="The `ETag` is built from it; send it in `If-Match`.")
    side: str | None = Field(description="`sender`, `owner`, `mediator`, or null (staff).")
    sender: str | None = Field(description="The interested party's name; null when undisclosed.")
    owner_organization: int | None = Field(
        description="The record's owning organisation; null when none or undisclosed."
    )
    anonymous: bool
    message: str
    answer_due: dt.date | None = Field(description="The current stage's reply deadline.")
    overdue: bool
    mediator: str | None = Field(description="The mediator's name; null when none.")
    outcome_note: str
    agreement_type: str
    agreement_value: Decimal | None
    agreement_currency: str
    signed_on: dt.date | None
    allowed_transitions: list[str]
    events: list[InterestEventOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class InterestMessageOut(Schema):
    id: int
    author: str = Field(description="A name, or the party's side when undisclosed; no e-mail.")
    mine: bool
    to: str = Field(description="`all`, `mediator`, `sender` or `owner`.")
    relay_of: int | None
    body: str
    created_at: dt.datetime


class InterestMessageList(Schema):
    count: int
    items: list[InterestMessageOut]


class InterestListFilters(Schema):
    status: str | None = Field(None, description="A stage, or `open`.")


def _out(user: Any, i: Interest) -> dict[str, Any]:
    record = i.record
    return {
        "id": i.pk,
        "offer": i.offer_id,
        "request": i.request_id,
        "status": i.status,
        "version": i.version,
        "side": interest_side(user, i),
        "sender": (i.sender.get_full_name() or i.sender.get_username())
        if sender_visible(user, i)
        else None,
        "owner_organization": record.owner_organization_id if owner_visible(user, i) else None,
        "anonymous": i.anonymous,
        "message": i.message,
        "answer_due": i.answer_due,
        "overdue": i.is_overdue,
        "mediator": interests.party_label(user, i, i.mediator) if i.mediator else None,
        "outcome_note": i.outcome_note,
        "agreement_type": i.agreement_type,
        "agreement_value": i.agreement_value,
        "agreement_currency": i.agreement_currency,
        "signed_on": i.signed_on,
        "allowed_transitions": interests.allowed_transitions(user, i),
        "events": [
            {
                "from_status": e.from_status,
                "to_status": e.to_status,
                "by": interests.party_label(user, i, e.actor),
                "note": e.note,
                "at": e.created_at,
            }
            for e in _events(i)
        ],
        "created_at": i.created_at,
        "updated_at": i.updated_at,
    }


def _events(i: Interest) -> Any:
    prefetched = getattr(i, "_prefetched_objects_cache", {})
    return prefetched["events"] if "events" in prefetched else i.events.select_related("actor")


class _Serialised:
    """A queryset for ``@paginate``: counted in the database, and only the slice of the
    page asked for is loaded and serialised."""

    def __init__(self, qs: Any, serialise: Any) -> None:
        self.qs, self.serialise = qs, serialise

    def __len__(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [self.serialise(i) for i in self.qs[page]]


def _user(request: HttpRequest) -> User:
    from django.core.exceptions import PermissionDenied

    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied
    return user


@router.get(
    "",
    response={200: list[InterestOut], **errors()},
    operation_id="market_interest_list",
    summary="List expressions of interest",
    description="The caller's own (sent, or received on their records once forwarded); "
    "every expression for network staff. Filter `status` by a stage or `open`.",
)
@paginate(Pages, page_size=50)
def list_interests(request: HttpRequest, params: Query[InterestListFilters]) -> Any:
    user = _user(request)
    qs = interests.readable(user).order_by("-updated_at", "-id")
    if params.status == "open":
        qs = qs.filter(status__in=INTEREST_OPEN)
    elif params.status:
        qs = qs.filter(status=params.status)
    qs = qs.select_related("mediator", "mediator_intermediary").prefetch_related(
        Prefetch("events", queryset=InterestEvent.objects.select_related("actor"))
    )
    return _Serialised(qs, lambda i: _out(user, i))


@router.post(
    "",
    response={201: InterestOut, **errors(404)},
    operation_id="market_interest_create",
    summary="Express interest in a published offer or request",
    description="Outside users and officers; exactly one of `offer` / `request`. 400 when "
    "the record is the caller's own, not published, or a limit is reached (one open "
    "expression per record, a number per day); 404 when the record is not readable.",
)
def create_interest(request: HttpRequest, payload: InterestIn) -> Any:
    from django.core.exceptions import PermissionDenied

    user = _user(request)
    if not services.can_contribute(user):
        raise PermissionDenied
    if (payload.offer is None) == (payload.request is None):
        message = _("Give exactly one of an offer and a request.")
        raise DomainError(message, errors={"offer": [message], "request": [message]})
    if payload.offer is not None:
        record: Any = services.record_for_user(user, TechnologyOffer, payload.offer)
    else:
        record = services.record_for_user(user, TechnologyRequest, payload.request)
    from_request = None
    if payload.from_request is not None:
        from_request = (
            services.readable(user, TechnologyRequest).filter(pk=payload.from_request).first()
        )
        if from_request is None:
            message = _("Choose one of your published requests.")
            raise DomainError(message, errors={"from_request": [message]})
    interest = interests.interest_create(
        user=user,
        record=record,
        message=payload.message,
        from_request=from_request,
        anonymous=payload.anonymous,
    )
    return Status(201, _out(user, interests.interest_for_user(user, interest.pk)))


@router.get(
    "/{int:pk}",
    response={200: InterestOut, **errors(404)},
    operation_id="market_interest_get",
    summary="Get an expression of interest",
    description="404 unless the caller is staff or a party. `ETag` for `If-Match`.",
)
def get_interest(request: HttpRequest, pk: int, response: HttpResponse) -> Any:
    user = _user(request)
    interest = interests.interest_for_user(user, pk)
    response["ETag"] = etag(interest)
    return _out(user, interest)


@router.post(
    "/{int:pk}/transition",
    response={200: InterestOut, **errors(404, 412, 428)},
    operation_id="market_interest_transition",
    summary="Move an expression of interest to its next stage",
    description="submitted → forwarded (officer) → accepted | declined (owner) → "
    "negotiating → signed (officer) | not_concluded; withdrawn by the sender. `note` is the "
    "optional outcome note. `If-Match` is required (428 without, 412 when stale).",
)
def transition_interest(
    request: HttpRequest, pk: int, payload: InterestTransitionIn, response: HttpResponse
) -> Any:
    from django.core.exceptions import PermissionDenied

    user = _user(request)
    interest = interests.interest_for_user(user, pk)
    if not interests.allowed_transitions(user, interest):
        raise PermissionDenied
    expected = if_match_version(request, interest, required=True)
    interests.interest_transition(
        user=user,
        interest=interest,
        to=payload.status,
        note=payload.note,
        expected_version=expected,
        due=payload.answer_due,
        outcome=payload.outcome.dict() if payload.outcome is not None else None,
    )
    saved = interests.interest_for_user(user, pk)
    response["ETag"] = etag(saved)
    return _out(user, saved)


def _officer_write(request: HttpRequest, pk: int) -> tuple[User, Interest, int | None]:
    from django.core.exceptions import PermissionDenied

    user = _user(request)
    interest = interests.interest_for_user(user, pk)
    if not services.is_officer(user):
        raise PermissionDenied
    return user, interest, if_match_version(request, interest, required=True)


@router.post(
    "/{int:pk}/due",
    response={200: InterestOut, **errors(400, 404, 412, 428)},
    operation_id="market_interest_due",
    summary="Set the reply deadline of an expression's current stage",
    description="Officers; an open stage only, a date from today on. Whoever must act is "
    "told. `If-Match` is required (428 without, 412 when stale).",
)
def set_due(request: HttpRequest, pk: int, payload: InterestDueIn, response: HttpResponse) -> Any:
    user, interest, expected = _officer_write(request, pk)
    interests.interest_set_due(
        user=user, interest=interest, due=payload.answer_due, expected_version=expected
    )
    saved = interests.interest_for_user(user, pk)
    response["ETag"] = etag(saved)
    return _out(user, saved)


@router.post(
    "/{int:pk}/mediator",
    response={200: InterestOut, **errors(400, 404, 412, 428)},
    operation_id="market_interest_mediator",
    summary="Assign the mediator of an expression of interest",
    description="Officers; an officer or the user of a published intermediary record, not a "
    "party (400 otherwise); null removes the mediator. `If-Match` is required.",
)
def set_mediator(
    request: HttpRequest, pk: int, payload: InterestMediatorIn, response: HttpResponse
) -> Any:
    user, interest, expected = _officer_write(request, pk)
    mediator = None
    if payload.mediator is not None:
        mediator = User.objects.filter(pk=payload.mediator).first()
        if mediator is None:
            message = _("Choose a mediator.")
            raise DomainError(message, errors={"mediator": [message]})
    interests.interest_set_mediator(
        user=user, interest=interest, mediator=mediator, expected_version=expected
    )
    saved = interests.interest_for_user(user, pk)
    response["ETag"] = etag(saved)
    return _out(user, saved)


@router.patch(
    "/{int:pk}/outcome",
    response={200: InterestOut, **errors(400, 404, 412, 428)},
    operation_id="market_interest_outcome",
    summary="Correct the outcome of an agreement signed",
    description="Officers (403 for other staff, 404 when not readable); an expression at "
    "`signed` only (400 otherwise). Only the fields sent change: `agreement_type`, "
    "`agreement_value` (null removes it), `agreement_currency`, `signed_on`, `note` (the "
    "outcome note). Checked as when signing (type and date required, the date not in the "
    "future, the value within the money bounds with its currency; 400 naming the fields); "
    "audited with each field before and after; the parties are notified. `If-Match` is "
    "required (428 without, 412 when stale).",
)
def correct_outcome(
    request: HttpRequest, pk: int, payload: OutcomeCorrectionIn, response: HttpResponse
) -> Any:
    user, interest, expected = _officer_write(request, pk)
    data = payload.dict(exclude_unset=True)
    note = data.pop("note", None)
    interests.interest_correct_outcome(
        user=user, interest=interest, outcome=data, note=note, expected_version=expected
    )
    saved = interests.interest_for_user(user, pk)
    response["ETag"] = etag(saved)
    return _out(user, saved)


def _messages(user: Any, interest: Interest) -> dict[str, Any]:
    items = [
        {
            "id": m.pk,
            "author": interests.party_label(user, interest, m.author),
            "mine": m.author_id == user.pk,
            "to": m.to,
            "relay_of": m.relay_of_id,
            "body": m.body,
            "created_at": m.created_at,
        }
        for m in interests.thread(user, interest)
    ]
    return {"count": len(items), "items": items}


@router.get(
    "/{int:pk}/messages",
    response={200: InterestMessageList, **errors(404)},
    operation_id="market_interest_messages",
    summary="Messages of an expression of interest",
    description="The parties' and officers' messages, oldest first; authors by name or, "
    "when undisclosed to the caller, by their side. 404 unless staff or a party.",
)
def list_messages(request: HttpRequest, pk: int) -> Any:
    user = _user(request)
    return _messages(user, interests.interest_for_user(user, pk))


@router.post(
    "/{int:pk}/messages",
    response={201: InterestMessageList, **errors(404)},
    operation_id="market_interest_message_post",
    summary="Write a message on an expression of interest",
    description="The parties, the mediator and officers; whoever reads it is notified. On a "
    "mediated expression a party writes to the mediator, who writes to `to` or relays a "
    "party's message (`relay_of`). 403 for viewers.",
)
def post_message(request: HttpRequest, pk: int, payload: InterestMessageIn) -> Any:
    from django.core.exceptions import PermissionDenied

    user = _user(request)
    interest = interests.interest_for_user(user, pk)
    if not interests.can_post(user, interest):
        raise PermissionDenied
    if payload.relay_of is not None:
        original = interest.messages.filter(pk=payload.relay_of).first()
        if original is None:
            message = _("Only a party's message to the mediator is relayed.")
            raise DomainError(message, errors={"relay_of": [message]})
        interests.message_relay(user=user, interest=interest, message=original, body=payload.body)
    else:
        interests.message_post(user=user, interest=interest, body=payload.body, to=payload.to)
    return Status(201, _messages(user, interest))
