"""REST API of expressions of interest, under /api/v1/market/interests: list one's own (all
for staff), create, read, move through the stages (``If-Match`` required, as every write),
correct an agreement's outcome, and the mediated messages. Undisclosed parties come back as
null names.

Every write answers a bad payload as the records' writes do (``market/api.py``): the schema's
errors and the rules' (``interests.*_errors``, run on the fields the schema accepted) in one
422 naming each field by its path; nothing is written. 404 and 403 come first, as before."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from caunoi.accounts.models import User
from caunoi.core.api_errors import InvalidPayload, errors, schema_errors
from caunoi.core.errors import ConflictError, DomainError
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
from caunoi.market.schemas import collecting, problems_of, raw_of
from caunoi.registry.schemas import InputSchema, money, one_of, patch_of

router = Router(tags=["market"])

StageValue = one_of(InterestStatus.values)
CooperationValue = one_of(Cooperation.values)
MessageTo = one_of([v for v in InterestMessage.To.values if v != "mediator"])


class InterestIn(InputSchema):
    offer: int | None = Field(None, description="The published offer (or give `request`).")
    request: int | None = Field(None, description="The published request (or give `offer`).")
    message: str = Field(min_length=1, max_length=interests.MESSAGE_MAX)
    from_request: int | None = Field(
        None, description="For an interest in an offer: one of the caller's published requests."
    )
    anonymous: bool = Field(False, description="Do not show the caller's name to the owner.")


class OutcomeIn(InputSchema):
    agreement_type: CooperationValue = Field(  # type: ignore[valid-type]
        description="The type of agreement signed (the cooperation types)."
    )
    agreement_value: Annotated[Decimal, money(Interest, "agreement_value")] | None = Field(
        None, description="The agreement's value; give its currency with it."
    )
    agreement_currency: str = Field("", max_length=3)
    signed_on: dt.date


class OutcomeCorrectionIn(InputSchema):
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


class InterestTransitionIn(InputSchema):
    status: StageValue  # type: ignore[valid-type]
    note: str = Field("", max_length=interests.MESSAGE_MAX)
    answer_due: dt.date | None = Field(
        None, description="Officers: the next stage's reply deadline (default from settings)."
    )
    outcome: OutcomeIn | None = Field(
        None, description="Required with `signed`: type, date, optional value and currency."
    )


class InterestDueIn(InputSchema):
    answer_due: dt.date


class InterestMediatorIn(InputSchema):
    mediator: int | None = Field(
        description="A user id: an officer or the user of a published intermediary; null "
        "removes the mediator."
    )


class InterestMessageIn(InputSchema):
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


# --- writes: every bad field in one 422 ----------------------------------------------------

_Errors = dict[str, list[str]]

# What the endpoints validate against (the same names, fields and OpenAPI shapes; a payload
# that fails keeps its errors, ``schemas.collecting``), and each one's fields all optional:
# what the schema accepted of a payload that failed is read through it.
_InterestIn = collecting(InterestIn)
_TransitionIn = collecting(InterestTransitionIn)
_DueIn = collecting(InterestDueIn)
_MediatorIn = collecting(InterestMediatorIn)
_CorrectionIn = collecting(OutcomeCorrectionIn)
_MessageIn = collecting(InterestMessageIn)
_PARTIAL: dict[type[Schema], type[Schema]] = {
    schema: patch_of(schema, f"{schema.__name__}Partial")
    for schema in (
        InterestIn,
        InterestTransitionIn,
        InterestDueIn,
        InterestMediatorIn,
        OutcomeCorrectionIn,
        InterestMessageIn,
    )
}

_INVALID_NOTE = (
    " A payload with any bad field is answered 422 naming every bad field at once by its "
    "path: the schema's errors (wrong type, not a choice, out of bounds, unknown key, "
    "missing) together with the rules' (the stage, the deadline, the limits, the outcome's "
    "checks); nothing is written. 404 and 403 come before it."
)


def _root(path: str) -> str:
    return path.split(".", 1)[0]


class _Checked:
    """A write's payload: the schema's errors, the fields it accepted (with their types) and
    the roots of the fields it refused. ``values is None``: nothing can be checked further
    (not an object, or the accepted fields do not validate alone)."""

    def __init__(self, payload: Any, schema: type[Schema], *, exclude_unset: bool = False) -> None:
        problems = problems_of(payload)
        self.errors: _Errors = schema_errors(problems)
        self.refused = {_root(path) for path in self.errors}
        self.values: dict[str, Any] | None = None
        if not problems:
            self.values = payload.dict(exclude_unset=exclude_unset)
            return
        raw = raw_of(payload)
        if not isinstance(raw, dict) or "__all__" in self.refused:
            return
        accepted = {k: v for k, v in raw.items() if k not in self.refused}
        try:
            good = _PARTIAL[schema].model_validate(accepted)
        except PydanticValidationError:
            return
        self.values = good.dict(exclude_unset=True)

    def get(self, name: str, default: Any = None) -> Any:
        return (self.values or {}).get(name, default)

    def has(self, name: str) -> bool:
        """The field was sent and the schema accepted it (or it took its default)."""
        return self.values is not None and name in self.values

    def add(self, found: _Errors, paths: dict[str, str] | None = None) -> None:
        """Rule errors, renamed to the payload's paths; one on a field the schema refused is
        left to the schema's message."""
        for path, messages in found.items():
            path = (paths or {}).get(path, path)
            if _root(path) in self.refused:
                continue
            bucket = self.errors.setdefault(path, [])
            bucket.extend(str(m) for m in messages if str(m) not in bucket)

    def check(self, detail: str) -> None:
        if self.errors:
            raise InvalidPayload(detail, errors=self.errors)


def _saved(write: Any, detail: str, paths: dict[str, str] | None = None) -> Any:
    """Run the service's write; a field it still refuses (a change meanwhile) is answered as
    the payload's errors are (422), a refusal without a field as before (400)."""
    try:
        return write()
    except ConflictError:
        raise
    except DomainError as exc:
        if not exc.errors:
            raise
        found = {(paths or {}).get(k, k): [str(m) for m in v] for k, v in exc.errors.items()}
        raise InvalidPayload(detail, errors=found) from exc


def _not_valid() -> str:
    return _("The expression of interest is not valid.")


# The outcome's rules name the model's fields; in a transition they are under ``outcome``.
_OUTCOME_PATHS = {name: f"outcome.{name}" for name in interests.OUTCOME_FIELDS}


@router.post(
    "",
    response={201: InterestOut, **errors(404, 422)},
    operation_id="market_interest_create",
    summary="Express interest in a published offer or request",
    description="Outside users and officers; exactly one of `offer` / `request`. 422 when "
    "the record is the caller's own or not published, or a limit is reached (one open "
    "expression per record, a number per day), named under `offer` or `request`; 403 for "
    "viewers; 404 when the record is not readable." + _INVALID_NOTE,
)
def create_interest(request: HttpRequest, payload: _InterestIn) -> Any:  # type: ignore[valid-type]
    from django.core.exceptions import PermissionDenied

    user = _user(request)
    if not services.can_contribute(user):
        raise PermissionDenied
    checked = _Checked(payload, InterestIn)
    record: Any = None
    field = "offer"
    if checked.values is not None and not {"offer", "request"} & checked.refused:
        offer, wanted = checked.get("offer"), checked.get("request")
        if (offer is None) == (wanted is None):
            message = _("Give exactly one of an offer and a request.")
            checked.add({"offer": [message], "request": [message]})
        elif offer is not None:
            record = services.record_for_user(user, TechnologyOffer, offer)
        else:
            field = "request"
            record = services.record_for_user(user, TechnologyRequest, wanted)
    from_request = None
    if checked.get("from_request") is not None:
        from_request = (
            services.readable(user, TechnologyRequest)
            .filter(pk=checked.get("from_request"))
            .first()
        )
        if from_request is None:
            checked.add({"from_request": [_("Choose one of your published requests.")]})
    if checked.values is not None:
        found = interests.create_errors(
            user=user,
            record=record,
            message=checked.get("message"),
            from_request=from_request,
        )
        checked.add(found, {"record": field})
    checked.check(_not_valid())
    interest = _saved(
        lambda: interests.interest_create(
            user=user,
            record=record,
            message=checked.get("message"),
            from_request=from_request,
            anonymous=checked.get("anonymous", False),
        ),
        _not_valid(),
        {"record": field},
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
    response={200: InterestOut, **errors(404, 412, 422, 428)},
    operation_id="market_interest_transition",
    summary="Move an expression of interest to its next stage",
    description="submitted → forwarded (officer) → accepted | declined (owner) → "
    "negotiating → signed (officer) | not_concluded; withdrawn by the sender. `note` is the "
    "optional outcome note. 403 when the caller may make no move at all; a stage that is "
    "not next, or not the caller's to choose, is a `status` error. `outcome` (with "
    "`signed`) is checked as the model checks it, its errors under `outcome.<field>`. "
    "`If-Match` is required (428 without, 412 when stale)." + _INVALID_NOTE,
)
def transition_interest(
    request: HttpRequest,
    pk: int,
    payload: _TransitionIn,  # type: ignore[valid-type]
    response: HttpResponse,
) -> Any:
    from django.core.exceptions import PermissionDenied

    user = _user(request)
    interest = interests.interest_for_user(user, pk)
    if not interests.allowed_transitions(user, interest):
        raise PermissionDenied
    expected = if_match_version(request, interest, required=True)
    checked = _Checked(payload, InterestTransitionIn)
    to, note = checked.get("status"), checked.get("note", "")
    due, outcome = checked.get("answer_due"), checked.get("outcome")
    if checked.values is not None:
        checked.add(
            interests.transition_errors(
                user=user, interest=interest, to=to, note=note, due=due, outcome=outcome
            ),
            _OUTCOME_PATHS,
        )
    checked.check(_not_valid())
    _saved(
        lambda: interests.interest_transition(
            user=user,
            interest=interest,
            to=to,
            note=note,
            expected_version=expected,
            due=due,
            outcome=outcome,
        ),
        _not_valid(),
        _OUTCOME_PATHS,
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
    response={200: InterestOut, **errors(404, 412, 422, 428)},
    operation_id="market_interest_due",
    summary="Set the reply deadline of an expression's current stage",
    description="Officers (403 otherwise); an open stage only, a date from today on, at "
    "most two years away (422 under `answer_due`). Whoever must act is told. `If-Match` is "
    "required (428 without, 412 when stale)." + _INVALID_NOTE,
)
def set_due(
    request: HttpRequest,
    pk: int,
    payload: _DueIn,  # type: ignore[valid-type]
    response: HttpResponse,
) -> Any:
    user, interest, expected = _officer_write(request, pk)
    checked = _Checked(payload, InterestDueIn)
    due = checked.get("answer_due")
    if due is not None:
        checked.add(interests.due_errors(interest=interest, due=due))
    checked.check(_not_valid())
    _saved(
        lambda: interests.interest_set_due(
            user=user, interest=interest, due=due, expected_version=expected
        ),
        _not_valid(),
    )
    saved = interests.interest_for_user(user, pk)
    response["ETag"] = etag(saved)
    return _out(user, saved)


@router.post(
    "/{int:pk}/mediator",
    response={200: InterestOut, **errors(404, 412, 422, 428)},
    operation_id="market_interest_mediator",
    summary="Assign the mediator of an expression of interest",
    description="Officers (403 otherwise); an officer or the user of a published "
    "intermediary record, not a party, on an open expression (422 under `mediator` "
    "otherwise); null removes the mediator. `If-Match` is required." + _INVALID_NOTE,
)
def set_mediator(
    request: HttpRequest,
    pk: int,
    payload: _MediatorIn,  # type: ignore[valid-type]
    response: HttpResponse,
) -> Any:
    user, interest, expected = _officer_write(request, pk)
    checked = _Checked(payload, InterestMediatorIn)
    mediator = None
    if checked.has("mediator"):
        if checked.get("mediator") is not None:
            mediator = User.objects.filter(pk=checked.get("mediator")).first()
            if mediator is None:
                checked.add({"mediator": [_("Choose a mediator.")]})
        if "mediator" not in checked.errors:
            checked.add(interests.mediator_errors(interest=interest, mediator=mediator))
    checked.check(_not_valid())
    _saved(
        lambda: interests.interest_set_mediator(
            user=user, interest=interest, mediator=mediator, expected_version=expected
        ),
        _not_valid(),
    )
    saved = interests.interest_for_user(user, pk)
    response["ETag"] = etag(saved)
    return _out(user, saved)


@router.patch(
    "/{int:pk}/outcome",
    response={200: InterestOut, **errors(404, 412, 422, 428)},
    operation_id="market_interest_outcome",
    summary="Correct the outcome of an agreement signed",
    description="Officers (403 for other staff, 404 when not readable); an expression at "
    "`signed` only (422 under `status` otherwise). Only the fields sent change: "
    "`agreement_type`, `agreement_value` (null removes it), `agreement_currency`, "
    "`signed_on`, `note` (the outcome note). Checked as when signing (type and date "
    "required, the date not in the future, the value within the money bounds with its "
    "currency), and something must change; audited with each field before and after; the "
    "parties are notified. `If-Match` is required (428 without, 412 when stale)." + _INVALID_NOTE,
)
def correct_outcome(
    request: HttpRequest,
    pk: int,
    payload: _CorrectionIn,  # type: ignore[valid-type]
    response: HttpResponse,
) -> Any:
    user, interest, expected = _officer_write(request, pk)
    checked = _Checked(payload, OutcomeCorrectionIn, exclude_unset=True)
    data = dict(checked.values or {})
    note = data.pop("note", None)
    if checked.values is not None:
        found = interests.correction_errors(interest=interest, outcome=data, note=note)
        if checked.refused and not data and note is None:
            # Everything sent was refused by the schema: its errors, not "nothing to correct".
            found.pop("agreement_type", None)
        checked.add(found)
    checked.check(_("The outcome is not valid."))
    _saved(
        lambda: interests.interest_correct_outcome(
            user=user, interest=interest, outcome=data, note=note, expected_version=expected
        ),
        _("The outcome is not valid."),
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


# A relay's errors name the message relayed (``relay_of``): its recipient is not the caller's.
_RELAY_PATHS = {"message": "relay_of", "to": "relay_of"}


@router.post(
    "/{int:pk}/messages",
    response={201: InterestMessageList, **errors(404, 422)},
    operation_id="market_interest_message_post",
    summary="Write a message on an expression of interest",
    description="The parties, the mediator and officers; whoever reads it is notified. On a "
    "mediated expression a party writes to the mediator, who writes to `to` or relays a "
    "party's message (`relay_of`; 422 under `relay_of` when it is not a party's message to "
    "the mediator or the caller does not mediate). 403 for viewers." + _INVALID_NOTE,
)
def post_message(request: HttpRequest, pk: int, payload: _MessageIn) -> Any:  # type: ignore[valid-type]
    from django.core.exceptions import PermissionDenied

    user = _user(request)
    interest = interests.interest_for_user(user, pk)
    if not interests.can_post(user, interest):
        raise PermissionDenied
    checked = _Checked(payload, InterestMessageIn)
    body = checked.get("body")
    original = None
    relay = checked.get("relay_of") is not None
    if relay:
        original = interest.messages.filter(pk=checked.get("relay_of")).first()
        checked.add(
            interests.relay_errors(user=user, interest=interest, message=original, body=body),
            _RELAY_PATHS,
        )
    elif checked.values is not None:
        to = checked.get("to", "all") if "to" not in checked.refused else None
        checked.add(interests.message_errors(user=user, interest=interest, body=body, to=to))
    checked.check(_("The message is not valid."))
    if relay:
        assert original is not None
        _saved(
            lambda: interests.message_relay(
                user=user, interest=interest, message=original, body=body
            ),
            _("The message is not valid."),
            _RELAY_PATHS,
        )
    else:
        _saved(
            lambda: interests.message_post(
                user=user, interest=interest, body=body, to=checked.get("to", "all")
            ),
            _("The message is not valid."),
        )
    return Status(201, _messages(user, interest))
