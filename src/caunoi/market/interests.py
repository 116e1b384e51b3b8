"""Expressions of interest, after the EEN partnering process, and their mediated messages.

An outside user (or an officer) expresses interest in a published offer, or a provider in a
published request, with a message. An officer forwards it to the owner (or declines it);
the owner accepts or declines; accepted → in negotiation → agreement signed (a transfer
reached: the officer records it with its outcome data, ``OUTCOME_FIELDS``, and may correct
them afterwards, ``interest_correct_outcome``) or not concluded.
Every change records who, when and an optional outcome note (``InterestEvent``), is
audited, raises ``version`` and is refused when based on an older one.

Every open stage has a reply deadline (``answer_due``): ``CAUNOI_INTEREST_STAGE_DAYS`` of
the stage on entering it, or the date an officer sets (``interest_set_due``). Past it the
expression is overdue; the daily reminders task (``overdue_remind``) tells whoever must act
(in-app and e-mail) once per stage and deadline, and the officers' queue lists it.

The parties exchange messages on the expression's page (``message_post``): names only,
never an e-mail address, and an undisclosed party (an anonymous requester or sender) is
never named to the other (``audience.sender_visible`` / ``owner_visible``). An officer may
assign a mediator (``interest_set_mediator``: an officer, or the user of a published
intermediary record); from then a party's messages go to the mediator alone, who relays
them (``message_relay``) or writes to one side or both, and reads both parties' names.
An expression on or from a request that is not public (``needs_mediator``) is mediated
always: it is forwarded to the owner only once a mediator is assigned, and from then its
mediator may be replaced, not removed — the parties never write to each other directly.

Limits (``CAUNOI_INTEREST_OPEN_PER_RECORD`` open expressions per user and record,
``CAUNOI_INTEREST_OPEN_PER_USER`` open expressions per user in all,
``CAUNOI_INTEREST_PER_DAY`` per user in 24 hours) are checked under a lock on the sender's
row, so two concurrent submissions cannot both pass.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caunoi.accounts.models import AuditEvent, User
from caunoi.accounts.notifications import notify, register_kind
from caunoi.accounts.permissions import AnyUser
from caunoi.accounts.services import audit_record
from caunoi.core.audience import readable as audience_readable
from caunoi.core.errors import DomainError
from caunoi.core.versioning import claim_version
from caunoi.market import services
from caunoi.market.audience import (
    INTEREST_AUDIENCE,
    interest_side,
    is_mediator,
    is_owner,
    owner_visible,
    sender_visible,
)
from caunoi.market.models import (
    INTEREST_OPEN,
    INTEREST_WORKFLOW,
    Confidentiality,
    Interest,
    InterestEvent,
    InterestMessage,
    InterestReminder,
    InterestStatus,
    Intermediary,
    Status,
    TechnologyOffer,
    TechnologyRequest,
)

MESSAGE_MAX = 4000

KINDS = {
    "market.interest_received": gettext_lazy(
        "New expression of interest in “%(title)s”, waiting to be forwarded."
    ),
    "market.interest_forwarded": gettext_lazy(
        "An expression of interest in your “%(title)s” was forwarded to you: answer by %(due)s."
    ),
    "market.interest_changed": gettext_lazy(
        "The expression of interest in “%(title)s” is now: %(stage)s."
    ),
    "market.interest_message": gettext_lazy(
        "New message about the expression of interest in “%(title)s”."
    ),
    "market.interest_overdue": gettext_lazy(
        "The expression of interest in “%(title)s” has not been answered since %(due)s."
    ),
    "market.interest_stage_overdue": gettext_lazy(
        "The expression of interest in “%(title)s” (%(stage)s) was due by %(due)s."
    ),
    "market.interest_due_changed": gettext_lazy(
        "The expression of interest in “%(title)s” (%(stage)s) is now due by %(due)s."
    ),
    "market.interest_mediator": gettext_lazy(
        "You mediate the expression of interest in “%(title)s”."
    ),
    "market.interest_outcome_corrected": gettext_lazy(
        "The outcome of the agreement signed on “%(title)s” was corrected."
    ),
}

# What an agreement signed records (the indicators read them: ``selectors.signed_transfers``).
OUTCOME_FIELDS = ("agreement_type", "agreement_value", "agreement_currency", "signed_on")


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register_kind(kind, text)


def officers() -> models.QuerySet[User]:
    """Who handles expressions: active administrators and unit officers."""
    return User.objects.filter(is_active=True).filter(
        models.Q(role__in=[User.Role.ADMIN, User.Role.OFFICER]) | models.Q(is_superuser=True)
    )


def readable(user: AnyUser) -> models.QuerySet[Interest]:
    """The expressions this user may see: staff all, a party their own (the one rule)."""
    qs = Interest.objects.select_related(
        "offer", "request", "sender", "from_request", "offer__owner_user", "request__owner_user"
    )
    return audience_readable(user, INTEREST_AUDIENCE, qs)


def interest_for_user(user: AnyUser, pk: Any) -> Interest:
    try:
        return readable(user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_express(user: AnyUser, record: Any) -> bool:
    """An outside user or officer, in a published offer or request they do not own."""
    return (
        isinstance(record, TechnologyOffer | TechnologyRequest)
        and record.status == Status.PUBLISHED
        and services.can_contribute(user)
        and not is_owner(user, record)
    )


def _record_owners(record: Any) -> list[User]:
    """The writer, and the confirmed members of the owning organisation."""
    people = [record.owner_user]
    if record.owner_organization_id:
        from caunoi.registry.models import Affiliation

        ids = Affiliation.objects.filter(
            organization_id=record.owner_organization_id, state=Affiliation.State.APPROVED
        ).values_list("user_id", flat=True)
        people.extend(User.objects.filter(pk__in=list(ids)))
    return people


def needs_mediator(interest: Interest) -> bool:
    """An expression on an anonymous (or officers-only) request, or sent on behalf of one:
    the issue's "mediated by an officer or intermediary when the request is anonymous"."""
    return any(
        r is not None and r.confidentiality != Confidentiality.PUBLIC
        for r in (interest.request, interest.from_request)
    )


def _title(interest: Interest) -> str:
    return str(interest.record)


def _error(field: str, message: str) -> DomainError:
    return DomainError(message, errors={field: [message]})


Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    bucket = errors.setdefault(field, [])
    if message not in bucket:
        bucket.append(message)


def _merge(errors: Errors, more: Errors) -> None:
    for field, messages in more.items():
        for message in messages:
            _add(errors, field, str(message))


def _raise_first(errors: Errors) -> None:
    """The services refuse with the first rule broken (what the pages show); the API's
    checks (``*_errors``) report every one of them."""
    for field, messages in errors.items():
        raise _error(field, messages[0])


def default_due(stage: str, today: dt.date | None = None) -> dt.date | None:
    """The reply deadline an open stage gets on entering it (None for a closed stage)."""
    if stage not in INTEREST_OPEN:
        return None
    days = settings.CAUNOI_INTEREST_STAGE_DAYS[stage]
    return (today or timezone.localdate()) + dt.timedelta(days=days)


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _due_problem(due: dt.date) -> str | None:
    if due < timezone.localdate():
        return _("The reply deadline cannot be in the past.")
    if due > timezone.localdate() + dt.timedelta(days=730):
        return _("The reply deadline is at most two years away.")
    return None


def _who_acts(interest: Interest) -> list[User]:
    """Who must act in the current stage: the officers forward a submitted expression, the
    owner answers a forwarded one, both parties take an accepted one on; the mediator and
    the officers follow every stage."""
    people: list[User] = list(officers())
    if interest.status == InterestStatus.FORWARDED:
        people += _record_owners(interest.record)
    elif interest.status in (InterestStatus.ACCEPTED, InterestStatus.NEGOTIATING):
        people += [interest.sender, *_record_owners(interest.record)]
    if interest.mediator is not None:
        people.append(interest.mediator)
    return list({p.pk: p for p in people}.values())


def create_errors(
    *,
    user: User,
    record: TechnologyOffer | TechnologyRequest | None,
    message: str | None,
    from_request: TechnologyRequest | None = None,
    limits: bool = True,
) -> Errors:
    """Every rule a new expression of interest breaks, by field (``record``, ``message``,
    ``from_request``), in the order ``interest_create`` checks them; writes nothing. A
    ``None`` record or message is not checked (the API leaves it to the schema's error).
    ``limits``: the open and daily limits too (``interest_create`` checks them again under
    its lock)."""
    errors: Errors = {}
    readable_record = None
    if record is not None:
        readable_record = services.readable(user, type(record)).filter(pk=record.pk).first()
        if readable_record is None or readable_record.status != Status.PUBLISHED:
            _add(errors, "record", _("Interest can be expressed only in a published record."))
        elif is_owner(user, readable_record):
            _add(errors, "record", _("This is your own record."))
    if message is not None:
        text = message.strip()
        if not text:
            _add(errors, "message", _("Write a message to the owner."))
        elif len(text) > MESSAGE_MAX:
            _add(errors, "message", _("The message is too long (at most 4,000 characters)."))
    if from_request is not None:
        if record is not None and not isinstance(record, TechnologyOffer):
            _add(errors, "from_request", _("Only an interest in an offer comes from a request."))
        elif not is_owner(user, from_request) or from_request.status != Status.PUBLISHED:
            _add(errors, "from_request", _("Choose one of your published requests."))
    if limits and readable_record is not None and "record" not in errors:
        problem = _limit_problem(user, readable_record)
        if problem:
            _add(errors, "record", problem)
    return errors


def _limit_problem(user: User, record: TechnologyOffer | TechnologyRequest) -> str | None:
    """The first limit a new expression by this user in this record would exceed."""
    mine = Interest.objects.filter(sender=user)
    field = "offer" if isinstance(record, TechnologyOffer) else "request"
    per_record = settings.CAUNOI_INTEREST_OPEN_PER_RECORD
    if mine.filter(status__in=INTEREST_OPEN, **{field: record}).count() >= per_record:
        return _(
            "You already have an open expression of interest in this record; follow it "
            "on its page instead of sending another."
        )
    per_user = settings.CAUNOI_INTEREST_OPEN_PER_USER
    if mine.filter(status__in=INTEREST_OPEN).count() >= per_user:
        return _(
            "You already have %(n)d open expressions of interest, the limit; close or "
            "withdraw one before sending another."
        ) % {"n": per_user}
    per_day = settings.CAUNOI_INTEREST_PER_DAY
    since = timezone.now() - dt.timedelta(days=1)
    if mine.filter(created_at__gte=since).count() >= per_day:
        return _(
            "You have sent %(n)d expressions of interest in the last 24 hours, the limit; "
            "try again tomorrow."
        ) % {"n": per_day}
    return None


@transaction.atomic
def interest_create(
    *,
    user: User,
    record: TechnologyOffer | TechnologyRequest,
    message: str,
    from_request: TechnologyRequest | None = None,
    anonymous: bool = False,
) -> Interest:
    """A new expression of interest, submitted, waiting for an officer."""
    if not services.can_contribute(user):
        raise DomainError(_("You do not have permission to express interest."))
    _raise_first(
        create_errors(
            user=user, record=record, message=message or "", from_request=from_request, limits=False
        )
    )
    readable_record = services.readable(user, type(record)).get(pk=record.pk)
    text = (message or "").strip()
    # The sender's row, locked: concurrent submissions by one user are counted one by one.
    User.objects.select_for_update().filter(pk=user.pk).first()
    field = "offer" if isinstance(readable_record, TechnologyOffer) else "request"
    problem = _limit_problem(user, readable_record)
    if problem:
        raise _error("record", problem)
    hidden = anonymous or (from_request is not None and from_request.confidentiality == "anonymous")
    now = timezone.now()
    interest = Interest(
        sender=user,
        message=text,
        from_request=from_request,
        anonymous=hidden,
        answer_due=default_due(InterestStatus.SUBMITTED),
        created_at=now,
        updated_at=now,
        **{field: readable_record},
    )
    errors = services.validation_errors(interest)
    if errors:
        raise DomainError(_("The expression of interest is not valid."), errors=errors)
    interest.save()
    InterestEvent.objects.create(
        interest=interest, actor=user, to_status=InterestStatus.SUBMITTED, created_at=now
    )
    audit_record(actor=user, action=AuditEvent.Action.CREATE, instance=interest)
    notify(
        officers(),
        "market.interest_received",
        link=interest.get_absolute_url(),
        title=_title(interest),
    )
    return interest


def roles_of(user: AnyUser, interest: Interest) -> set[str]:
    roles: set[str] = set()
    if not isinstance(user, User) or not user.is_active:
        return roles
    if services.is_officer(user):
        roles.add("officer")
    side = interest_side(user, interest)
    if side:
        roles.add(side)
    if is_mediator(user, interest):
        roles.add("mediator")
    return roles


def allowed_transitions(user: AnyUser, interest: Interest) -> list[str]:
    roles = roles_of(user, interest)
    return [
        to for (frm, to), who in INTEREST_WORKFLOW.items() if frm == interest.status and roles & who
    ]


def _outcome(interest: Interest, outcome: dict[str, Any] | None) -> None:
    """Set the outcome data of an agreement signed on the instance (validated with it)."""
    outcome = outcome or {}
    unknown = set(outcome) - set(OUTCOME_FIELDS)
    if unknown:
        raise _error(sorted(unknown)[0], _("Not an outcome field."))
    interest.agreement_type = outcome.get("agreement_type") or ""
    interest.agreement_value = outcome.get("agreement_value")
    interest.agreement_currency = outcome.get("agreement_currency") or ""
    interest.signed_on = outcome.get("signed_on")


def _transition_rule_errors(
    user: User,
    interest: Interest,
    to: str,
    note: str,
    due: dt.date | None,
    outcome: dict[str, Any] | None,
) -> Errors:
    """The workflow's rules on a change of stage, in the order ``interest_transition``
    checks them (the model's checks of the result are ``transition_errors``'s too)."""
    errors: Errors = {}
    frm = interest.status
    if (frm, to) not in INTEREST_WORKFLOW:
        message = _("An expression of interest cannot go from “%(from)s” to “%(to)s”.") % {
            "from": InterestStatus(frm).label,
            "to": InterestStatus(to).label if to in InterestStatus.values else to,
        }
        _add(errors, "status", message)
    elif to not in allowed_transitions(user, interest):
        _add(errors, "status", _("You do not have permission to change this expression's stage."))
    if len(note) > MESSAGE_MAX:
        _add(errors, "note", _("The note is too long (at most 4,000 characters)."))
    if due is not None:
        if not services.is_officer(user):
            _add(errors, "answer_due", _("Only an officer sets a reply deadline."))
        elif to not in INTEREST_OPEN:
            _add(errors, "answer_due", _("A closed stage has no reply deadline."))
        else:
            problem = _due_problem(due)
            if problem:
                _add(errors, "answer_due", problem)
    if outcome and to != InterestStatus.SIGNED:
        _add(errors, "agreement_type", _("Outcome data is recorded when an agreement is signed."))
    if to == InterestStatus.FORWARDED and interest.mediator_id is None and needs_mediator(interest):
        _add(
            errors,
            "mediator",
            _(
                "The request is anonymous: assign a mediator (an officer or an intermediary) "
                "under “Deadline and mediation” before forwarding the expression."
            ),
        )
    return errors


def _apply_transition(
    interest: Interest,
    to: str,
    note: str,
    due: dt.date | None,
    outcome: dict[str, Any] | None,
    now: dt.datetime,
) -> None:
    """The change of stage on the instance (not saved)."""
    interest.status = to
    interest.updated_at = now
    interest.answer_due = due or default_due(to)
    if to == InterestStatus.FORWARDED:
        interest.forwarded_at = now
    if to == InterestStatus.SIGNED:
        _outcome(interest, outcome)
    if note and to in (
        InterestStatus.SIGNED,
        InterestStatus.NOT_CONCLUDED,
        InterestStatus.DECLINED,
    ):
        interest.outcome_note = note


def transition_errors(
    *,
    user: User,
    interest: Interest,
    to: str | None,
    note: str = "",
    due: dt.date | None = None,
    outcome: dict[str, Any] | None = None,
) -> Errors:
    """Every error ``interest_transition`` would refuse this change with, by field: the
    workflow's rules, then the model's checks of the result (the outcome of an agreement
    signed), run on a copy; writes nothing. Without ``to`` (the API's schema refused it)
    only what does not depend on it: the note."""
    import copy

    if to is None:
        errors: Errors = {}
        if len(note) > MESSAGE_MAX:
            _add(errors, "note", _("The note is too long (at most 4,000 characters)."))
        return errors
    errors = _transition_rule_errors(user, interest, to, note, due, outcome)
    if "status" not in errors and not (outcome and to != InterestStatus.SIGNED):
        trial = copy.copy(interest)
        known = {k: v for k, v in (outcome or {}).items() if k in OUTCOME_FIELDS}
        _apply_transition(trial, to, note, due, known, timezone.now())
        _merge(errors, services.validation_errors(trial))
    return errors


@transaction.atomic
def interest_transition(
    *,
    user: User,
    interest: Interest,
    to: str,
    note: str = "",
    expected_version: int | None = None,
    due: dt.date | None = None,
    outcome: dict[str, Any] | None = None,
) -> Interest:
    """Move an expression to its next stage (``INTEREST_WORKFLOW``). An open stage gets its
    reply deadline: ``due`` (officers only) or the stage's default. Signing records the
    outcome (``OUTCOME_FIELDS``: type and date required, value with its currency)."""
    frm = interest.status
    if (frm, to) in INTEREST_WORKFLOW and to not in allowed_transitions(user, interest):
        raise DomainError(_("You do not have permission to change this expression's stage."))
    _raise_first(_transition_rule_errors(user, interest, to, note, due, outcome))
    now = timezone.now()
    _apply_transition(interest, to, note, due, outcome, now)
    errors = services.validation_errors(interest)
    if errors:
        interest.refresh_from_db()
        raise DomainError(_("The expression of interest is not valid."), errors=errors)
    claim_version(interest, expected_version)
    interest.save()
    InterestEvent.objects.create(
        interest=interest, actor=user, from_status=frm, to_status=to, note=note, created_at=now
    )
    changes: dict[str, Any] = {"status": [frm, to], **({"note": ["", note]} if note else {})}
    if to == InterestStatus.SIGNED:
        changes.update({f: [None, str(getattr(interest, f) or "")] for f in OUTCOME_FIELDS})
    audit_record(
        actor=user, action=AuditEvent.Action.TRANSITION, instance=interest, changes=changes
    )
    link = interest.get_absolute_url()
    title = _title(interest)
    if to == InterestStatus.FORWARDED:
        notify(
            _record_owners(interest.record),
            "market.interest_forwarded",
            link=link,
            title=title,
            due=_fmt(interest.answer_due),
        )
        notify(
            [interest.sender],
            "market.interest_changed",
            link=link,
            title=title,
            stage=str(InterestStatus(to).label),
        )
    else:
        recipients = [interest.sender]
        if interest.forwarded_at is not None:
            recipients += _record_owners(interest.record)
        if interest.mediator is not None:
            recipients.append(interest.mediator)
        notify(
            [p for p in recipients if p.pk != user.pk],
            "market.interest_changed",
            link=link,
            title=title,
            stage=str(InterestStatus(to).label),
        )
    return interest


def can_correct_outcome(user: AnyUser, interest: Interest) -> bool:
    """Who records an agreement signed corrects its outcome afterwards: an officer."""
    return services.is_officer(user) and interest.status == InterestStatus.SIGNED


_CORRECTED = [*OUTCOME_FIELDS, "outcome_note"]


def _correction_rule_errors(
    interest: Interest, outcome: dict[str, Any], note: str | None
) -> Errors:
    errors: Errors = {}
    if interest.status != InterestStatus.SIGNED:
        _add(errors, "status", _("Only the outcome of an agreement signed can be corrected."))
    for name in sorted(set(outcome) - set(OUTCOME_FIELDS)):
        _add(errors, name, _("Not an outcome field."))
    if note is not None and len(note) > MESSAGE_MAX:
        _add(errors, "note", _("The note is too long (at most 4,000 characters)."))
    return errors


def _apply_correction(interest: Interest, outcome: dict[str, Any], note: str | None) -> list[str]:
    """The corrected outcome on the instance (not saved): the fields that changed."""
    before = {f: getattr(interest, f) for f in _CORRECTED}
    _outcome(interest, {f: before[f] for f in OUTCOME_FIELDS} | outcome)
    if note is not None:
        interest.outcome_note = note.strip()
    return [f for f in _CORRECTED if getattr(interest, f) != before[f]]


def correction_errors(
    *, interest: Interest, outcome: dict[str, Any], note: str | None = None
) -> Errors:
    """Every error ``interest_correct_outcome`` would refuse this correction with, by field
    (the rules, "nothing to correct", the model's checks on a copy); writes nothing."""
    import copy

    errors = _correction_rule_errors(interest, outcome, note)
    if errors:
        return errors
    trial = copy.copy(interest)
    if not _apply_correction(trial, outcome, note):
        _add(errors, "agreement_type", _("Nothing to correct: the outcome is as recorded."))
        return errors
    _merge(errors, services.validation_errors(trial))
    return errors


@transaction.atomic
def interest_correct_outcome(
    *,
    user: User,
    interest: Interest,
    outcome: dict[str, Any],
    note: str | None = None,
    expected_version: int | None = None,
) -> Interest:
    """An officer corrects the outcome of an agreement signed: the fields given in
    ``outcome`` (``OUTCOME_FIELDS``; the others stay as recorded) and, with ``note``, the
    outcome note. Validated as when signing (type and date required, the date not in the
    future nor before the expression, a value within the money bounds with its currency);
    audited with each field before and after; the parties and the mediator are told."""
    if not services.is_officer(user):
        raise DomainError(_("Only an officer corrects the outcome of an agreement."))
    _raise_first(_correction_rule_errors(interest, outcome, note))
    fields = _CORRECTED
    before = {f: getattr(interest, f) for f in fields}
    changed = _apply_correction(interest, outcome, note)
    if not changed:
        interest.refresh_from_db()
        raise _error("agreement_type", _("Nothing to correct: the outcome is as recorded."))
    errors = services.validation_errors(interest)
    if errors:
        interest.refresh_from_db()
        raise DomainError(_("The outcome is not valid."), errors=errors)
    claim_version(interest, expected_version)
    interest.updated_at = timezone.now()
    interest.save(update_fields=[*fields, "updated_at", "version"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.UPDATE,
        instance=interest,
        changes={f: [_shown(before[f]), _shown(getattr(interest, f))] for f in changed},
    )
    recipients = [interest.sender, *_record_owners(interest.record)]
    if interest.mediator is not None:
        recipients.append(interest.mediator)
    notify(
        [p for p in recipients if p.pk != user.pk],
        "market.interest_outcome_corrected",
        link=interest.get_absolute_url(),
        title=_title(interest),
    )
    return interest


def outcome_corrections(interest: Interest) -> models.QuerySet[AuditEvent]:
    """The corrections of an agreement's outcome (audit events), the latest first."""
    return AuditEvent.objects.filter(
        model=Interest._meta.label_lower,
        object_id=str(interest.pk),
        action=AuditEvent.Action.UPDATE,
        changes__has_any_keys=[*OUTCOME_FIELDS, "outcome_note"],
    ).order_by("-created_at", "-pk")


def _shown(value: Any) -> str:
    """An outcome value as the audit trail keeps it (a value with its two decimals)."""
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return "" if value is None else str(value)


def due_errors(*, interest: Interest, due: dt.date) -> Errors:
    """What ``interest_set_due`` refuses this deadline with (``answer_due``); writes nothing."""
    errors: Errors = {}
    if interest.status not in INTEREST_OPEN:
        _add(errors, "answer_due", _("A closed stage has no reply deadline."))
    else:
        problem = _due_problem(due)
        if problem:
            _add(errors, "answer_due", problem)
    return errors


@transaction.atomic
def interest_set_due(
    *, user: User, interest: Interest, due: dt.date, expected_version: int | None = None
) -> Interest:
    """An officer sets the reply deadline of the current (open) stage; whoever must act is
    told, and a passed deadline reminds again for the new date."""
    if not services.is_officer(user):
        raise DomainError(_("Only an officer sets a reply deadline."))
    _raise_first(due_errors(interest=interest, due=due))
    claim_version(interest, expected_version)
    before = interest.answer_due
    interest.answer_due = due
    interest.updated_at = timezone.now()
    interest.save(update_fields=["answer_due", "updated_at", "version"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.UPDATE,
        instance=interest,
        changes={"answer_due": [str(before or ""), str(due)]},
    )
    notify(
        [p for p in _who_acts(interest) if p.pk != user.pk],
        "market.interest_due_changed",
        link=interest.get_absolute_url(),
        title=_title(interest),
        stage=str(InterestStatus(interest.status).label),
        due=_fmt(due),
    )
    return interest


def mediator_choices() -> list[tuple[User, Intermediary | None]]:
    """Who may mediate: the users of published intermediary records (with the record), then
    the officers."""
    out: list[tuple[User, Intermediary | None]] = []
    seen: set[int] = set()
    published = Intermediary.objects.filter(
        status=Status.PUBLISHED, owner_user__is_active=True
    ).select_related("owner_user")
    for record in published.order_by("name", "pk"):
        if record.owner_user_id not in seen:
            seen.add(record.owner_user_id)
            out.append((record.owner_user, record))
    for officer in officers().order_by("username"):
        if officer.pk not in seen:
            seen.add(officer.pk)
            out.append((officer, None))
    return out


def mediator_errors(*, interest: Interest, mediator: User | None) -> Errors:
    """What ``interest_set_mediator`` refuses this mediator with (``mediator``); writes
    nothing."""
    errors: Errors = {}
    if interest.status not in INTEREST_OPEN:
        _add(errors, "mediator", _("A closed expression of interest has no mediator."))
    elif mediator is not None:
        choices = {u.pk for u, _r in mediator_choices()}
        if mediator.pk not in choices:
            _add(
                errors,
                "mediator",
                _("A mediator is an officer or the user of a published intermediary record."),
            )
        elif mediator.pk == interest.sender_id or is_owner(mediator, interest.record):
            _add(errors, "mediator", _("A party to the expression cannot mediate it."))
    elif interest.forwarded_at is not None and needs_mediator(interest):
        _add(
            errors,
            "mediator",
            _("The request is anonymous: its expression keeps a mediator; assign another one."),
        )
    return errors


@transaction.atomic
def interest_set_mediator(
    *,
    user: User,
    interest: Interest,
    mediator: User | None,
    expected_version: int | None = None,
) -> Interest:
    """An officer assigns (or removes, with None) the mediator of an open expression: an
    officer, or the user of a published intermediary record (recorded with it)."""
    if not services.is_officer(user):
        raise DomainError(_("Only an officer assigns a mediator."))
    _raise_first(mediator_errors(interest=interest, mediator=mediator))
    record = {u.pk: r for u, r in mediator_choices()}.get(mediator.pk) if mediator else None
    claim_version(interest, expected_version)
    before = interest.mediator_id
    interest.mediator = mediator
    interest.mediator_intermediary = record
    interest.updated_at = timezone.now()
    interest.save(update_fields=["mediator", "mediator_intermediary", "updated_at", "version"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.UPDATE,
        instance=interest,
        changes={"mediator": [before, mediator.pk if mediator else None]},
    )
    if mediator is not None and mediator.pk != user.pk:
        notify(
            [mediator],
            "market.interest_mediator",
            link=interest.get_absolute_url(),
            title=_title(interest),
        )
    return interest


def can_post(user: AnyUser, interest: Interest) -> bool:
    """The two parties, the mediator and officers write on an expression while it is not
    withdrawn; before forwarding only the sender, the mediator and officers see it."""
    roles = roles_of(user, interest)
    return bool(roles & {"sender", "owner", "officer", "mediator"}) and interest.status not in (
        InterestStatus.WITHDRAWN,
    )


def can_relay(user: AnyUser, interest: Interest) -> bool:
    """The mediator and officers address messages (and relay them) on a mediated expression."""
    roles = roles_of(user, interest)
    return (
        interest.is_mediated and bool(roles & {"mediator", "officer"}) and can_post(user, interest)
    )


def _readers_of(interest: Interest, to: str) -> list[User]:
    """Who reads a message addressed ``to`` (besides its author): the officers who handled
    the expression, the mediator, and the parties it is addressed to."""
    people: list[User] = []
    handlers = InterestEvent.objects.filter(interest=interest).exclude(actor=None)
    people += [
        e.actor
        for e in handlers.select_related("actor")
        if e.actor is not None and services.is_officer(e.actor)
    ]
    if interest.mediator is not None:
        people.append(interest.mediator)
    if to in (InterestMessage.To.ALL, InterestMessage.To.SENDER):
        people.append(interest.sender)
    if interest.forwarded_at is not None and to in (
        InterestMessage.To.ALL,
        InterestMessage.To.OWNER,
    ):
        people += _record_owners(interest.record)
    return list({p.pk: p for p in people}.values())


def _addressed(user: AnyUser, interest: Interest, to: str) -> str:
    """Who a message is for: on a mediated expression a party writes to the mediator."""
    if interest.is_mediated and not can_relay(user, interest):
        return InterestMessage.To.MEDIATOR
    return to


def message_errors(
    *, user: AnyUser, interest: Interest, body: str | None, to: str | None = None
) -> Errors:
    """What ``message_post`` refuses this message with (``body``, ``to``), in its order;
    writes nothing. A ``None`` body or recipient is not checked (the API leaves it to the
    schema's error)."""
    errors: Errors = {}
    if body is not None:
        text = body.strip()
        if not text:
            _add(errors, "body", _("Write a message."))
        elif len(text) > MESSAGE_MAX:
            _add(errors, "body", _("The message is too long (at most 4,000 characters)."))
    if to is None:
        return errors
    if to not in InterestMessage.To.values:
        _add(errors, "to", _("Choose who the message is for."))
        return errors
    if not interest.is_mediated and to != InterestMessage.To.ALL:
        _add(errors, "to", _("Only the mediator of an expression addresses one side."))
    elif _addressed(user, interest, to) == InterestMessage.To.OWNER and (
        interest.forwarded_at is None
    ):
        _add(errors, "to", _("The owner receives messages once the expression is forwarded."))
    return errors


def relay_errors(
    *, user: AnyUser, interest: Interest, message: InterestMessage | None, body: str | None
) -> Errors:
    """What ``message_relay`` refuses with (``message``: the one relayed, ``body``); writes
    nothing. No ``message``: none was found (the API names its ``relay_of``)."""
    errors: Errors = {}
    if not can_relay(user, interest):
        _add(errors, "message", _("Only the mediator or an officer relays messages."))
        return errors
    to = _relayed_to(interest, message) if message is not None else None
    if to is None:
        _add(errors, "message", _("Only a party's message to the mediator is relayed."))
    if body is not None and message is not None:
        _merge(
            errors,
            message_errors(user=user, interest=interest, body=body or message.body, to=to),
        )
    return errors


def _relayed_to(interest: Interest, message: InterestMessage) -> str | None:
    """Who a relayed party's message goes to (the other side); None when it is not one."""
    if message.interest_id != interest.pk or message.to != InterestMessage.To.MEDIATOR:
        return None
    if message.author_id == interest.sender_id:
        return InterestMessage.To.OWNER
    if is_owner(message.author, interest.record):
        return InterestMessage.To.SENDER
    return None


@transaction.atomic
def message_post(
    *,
    user: User,
    interest: Interest,
    body: str,
    to: str = InterestMessage.To.ALL,
    relay_of: InterestMessage | None = None,
) -> InterestMessage:
    """A message on the expression. On a mediated one, a party writes to the mediator alone;
    the mediator (or an officer) writes to ``to``: both parties, the sender or the owner."""
    if not can_post(user, interest):
        raise DomainError(_("You do not have permission to write on this expression of interest."))
    _raise_first(message_errors(user=user, interest=interest, body=body, to=to))
    text = (body or "").strip()
    to = _addressed(user, interest, to)
    msg = InterestMessage.objects.create(
        interest=interest, author=user, body=text, to=to, relay_of=relay_of
    )
    Interest.objects.filter(pk=interest.pk).update(updated_at=msg.created_at)
    notify(
        [p for p in _readers_of(interest, to) if p.pk != user.pk],
        "market.interest_message",
        link=interest.get_absolute_url() + "#messages",
        title=_title(interest),
    )
    return msg


def message_relay(
    *, user: User, interest: Interest, message: InterestMessage, body: str = ""
) -> InterestMessage:
    """The mediator passes a party's message on to the other side (as written, or in the
    mediator's words with ``body``: names an undisclosed party must not learn are theirs to
    leave out)."""
    if not can_relay(user, interest):
        raise DomainError(_("Only the mediator or an officer relays messages."))
    to = _relayed_to(interest, message)
    if to is None:
        raise _error("message", _("Only a party's message to the mediator is relayed."))
    return message_post(
        user=user, interest=interest, body=body or message.body, to=to, relay_of=message
    )


def thread(user: AnyUser, interest: Interest) -> models.QuerySet[InterestMessage]:
    """The messages this user reads on the expression: everything for staff and the mediator;
    for a party, their own messages and those addressed to everyone or to their side — for
    the owner, from the forwarding on (what the sender and an officer said before stays
    between them)."""
    qs = interest.messages.select_related("author")
    roles = roles_of(user, interest)
    if roles & {"officer", "mediator"}:
        return qs
    uid = getattr(user, "pk", None)
    if "sender" in roles:
        return qs.filter(
            models.Q(author_id=uid)
            | models.Q(to__in=[InterestMessage.To.ALL, InterestMessage.To.SENDER])
        )
    if "owner" in roles:
        return qs.filter(
            models.Q(author_id=uid)
            | models.Q(
                to__in=[InterestMessage.To.ALL, InterestMessage.To.OWNER],
                created_at__gte=interest.forwarded_at,
            )
        )
    return qs.none()


def party_label(viewer: AnyUser, interest: Interest, author: User | None) -> str:
    """How a person on the expression is named to this viewer: by name, or by their side
    when that side is undisclosed to the viewer. Never an e-mail address."""
    if author is None:
        return _("System")
    name = author.get_full_name() or author.get_username()
    if author.pk == interest.sender_id:
        if not sender_visible(viewer, interest):
            return _("Interested party (name not disclosed)")
        return name
    record = interest.record
    if record is not None and is_owner(author, record):
        if not owner_visible(viewer, interest):
            return _("Requester (name not disclosed)")
        return name
    if interest.mediator_id == author.pk:
        if interest.mediator_intermediary is not None:
            return _("Mediator: %(name)s (%(intermediary)s)") % {
                "name": name,
                "intermediary": interest.mediator_intermediary,
            }
        return _("Mediator: %(name)s") % {"name": name}
    if services.is_officer(author):
        return _("Officer: %(name)s") % {"name": name}
    return name


def overdue(qs: models.QuerySet[Interest] | None = None) -> models.QuerySet[Interest]:
    """Open expressions past the reply deadline of their stage."""
    qs = Interest.objects.all() if qs is None else qs
    return qs.filter(status__in=INTEREST_OPEN, answer_due__lt=timezone.localdate())


def overdue_remind(today: dt.date | None = None) -> int:
    """Open expressions past the reply deadline of their stage: whoever must act
    (``_who_acts``) is told, in-app and by e-mail, once per expression, stage and deadline
    (``InterestReminder``; a new deadline or the next stage reminds again)."""
    today = today or timezone.localdate()
    count = 0
    due = Interest.objects.filter(status__in=INTEREST_OPEN, answer_due__lt=today).select_related(
        "offer", "request", "sender", "mediator"
    )
    for interest in due:
        assert interest.answer_due is not None
        with transaction.atomic():
            _row, created = InterestReminder.objects.get_or_create(
                interest=interest, stage=interest.status, deadline=interest.answer_due
            )
            if not created:
                continue
            Interest.objects.filter(pk=interest.pk).update(overdue_reminded_at=timezone.now())
            kind = (
                "market.interest_overdue"
                if interest.status == InterestStatus.FORWARDED
                else "market.interest_stage_overdue"
            )
            notify(
                _who_acts(interest),
                kind,
                link=interest.get_absolute_url(),
                title=_title(interest),
                due=_fmt(interest.answer_due),
                stage=str(InterestStatus(interest.status).label),
            )
            count += 1
    return count


STALLED_DAYS = 30  # an accepted or negotiating expression unchanged this long is stalled


def stalled(user: AnyUser) -> dict[str, list[Interest]]:
    """The officers' queue: expressions waiting to be forwarded (oldest first), and those
    stalled — any open stage past its reply deadline, or accepted / in negotiation without
    a change for ``STALLED_DAYS`` days — oldest deadline first."""
    qs = readable(user)
    quiet = timezone.now() - dt.timedelta(days=STALLED_DAYS)
    late = overdue(qs)
    return {
        "to_forward": list(qs.filter(status=InterestStatus.SUBMITTED).order_by("created_at")),
        "stalled": list(
            qs.filter(
                models.Q(pk__in=late)
                | models.Q(
                    status__in=[InterestStatus.ACCEPTED, InterestStatus.NEGOTIATING],
                    updated_at__lt=quiet,
                )
            ).order_by("answer_due", "updated_at")
        ),
    }


def counts(user: AnyUser) -> dict[str, int]:
    """The dashboard's figures: open expressions this user may see, transfers reached."""
    mine = readable(user)
    return {
        "open": mine.filter(status__in=INTEREST_OPEN).count(),
        "overdue": overdue(mine).count(),
        # An indicator, not a record: every agreement signed, whoever reads.
        "signed": Interest.objects.filter(status=InterestStatus.SIGNED).count(),
    }
