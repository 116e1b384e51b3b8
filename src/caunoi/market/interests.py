"""Expressions of interest, after the EEN partnering process, and their mediated messages.

An outside user (or an officer) expresses interest in a published offer, or a provider in a
published request, with a message. An officer forwards it to the owner (or declines it);
from then the owner has ``CAUNOI_INTEREST_ANSWER_DAYS`` to accept or decline, after which it
is overdue (``is_overdue``; the daily reminders task tells the owner and the officers once).
Accepted → in negotiation → agreement signed (a transfer reached: the officer records it) or
not concluded. Every change records who, when and an optional outcome note
(``InterestEvent``), is audited, raises ``version`` and is refused when based on an older one.

The parties exchange messages on the expression's page (``message_post``): names only,
never an e-mail address, and an undisclosed party (an anonymous requester or sender) is
never named to the other (``audience.sender_visible`` / ``owner_visible``).

Limits (``CAUNOI_INTEREST_OPEN_PER_RECORD`` open expressions per user and record,
``CAUNOI_INTEREST_PER_DAY`` per user in 24 hours) are checked under a lock on the sender's
row, so two concurrent submissions cannot both pass.
"""

from __future__ import annotations

import datetime as dt
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
from caunoi.market import services
from caunoi.market.audience import (
    INTEREST_AUDIENCE,
    interest_side,
    is_owner,
    owner_visible,
    sender_visible,
)
from caunoi.market.models import (
    INTEREST_OPEN,
    INTEREST_WORKFLOW,
    Interest,
    InterestEvent,
    InterestMessage,
    InterestStatus,
    Status,
    TechnologyOffer,
    TechnologyRequest,
)
from caunoi.registry.services import _claim_version

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
}


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


def _title(interest: Interest) -> str:
    return str(interest.record)


def _error(field: str, message: str) -> DomainError:
    return DomainError(message, errors={field: [message]})


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
    readable_record = services.readable(user, type(record)).filter(pk=record.pk).first()
    if readable_record is None or readable_record.status != Status.PUBLISHED:
        raise _error("record", _("Interest can be expressed only in a published record."))
    if is_owner(user, readable_record):
        raise _error("record", _("This is your own record."))
    text = (message or "").strip()
    if not text:
        raise _error("message", _("Write a message to the owner."))
    if len(text) > MESSAGE_MAX:
        raise _error("message", _("The message is too long (at most 4,000 characters)."))
    if from_request is not None:
        if not isinstance(readable_record, TechnologyOffer):
            raise _error("from_request", _("Only an interest in an offer comes from a request."))
        if not is_owner(user, from_request) or from_request.status != Status.PUBLISHED:
            raise _error("from_request", _("Choose one of your published requests."))
    # The sender's row, locked: concurrent submissions by one user are counted one by one.
    User.objects.select_for_update().filter(pk=user.pk).first()
    mine = Interest.objects.filter(sender=user)
    field = "offer" if isinstance(readable_record, TechnologyOffer) else "request"
    per_record = settings.CAUNOI_INTEREST_OPEN_PER_RECORD
    if mine.filter(status__in=INTEREST_OPEN, **{field: readable_record}).count() >= per_record:
        raise _error(
            "record",
            _(
                "You already have an open expression of interest in this record; follow it "
                "on its page instead of sending another."
            ),
        )
    per_day = settings.CAUNOI_INTEREST_PER_DAY
    since = timezone.now() - dt.timedelta(days=1)
    if mine.filter(created_at__gte=since).count() >= per_day:
        raise _error(
            "record",
            _(
                "You have sent %(n)d expressions of interest in the last 24 hours, the limit; "
                "try again tomorrow."
            )
            % {"n": per_day},
        )
    hidden = anonymous or (from_request is not None and from_request.confidentiality == "anonymous")
    now = timezone.now()
    interest = Interest(
        sender=user,
        message=text,
        from_request=from_request,
        anonymous=hidden,
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
    return roles


def allowed_transitions(user: AnyUser, interest: Interest) -> list[str]:
    roles = roles_of(user, interest)
    return [
        to for (frm, to), who in INTEREST_WORKFLOW.items() if frm == interest.status and roles & who
    ]


@transaction.atomic
def interest_transition(
    *,
    user: User,
    interest: Interest,
    to: str,
    note: str = "",
    expected_version: int | None = None,
) -> Interest:
    """Move an expression to its next stage (``INTEREST_WORKFLOW``)."""
    frm = interest.status
    if (frm, to) not in INTEREST_WORKFLOW:
        message = _("An expression of interest cannot go from “%(from)s” to “%(to)s”.") % {
            "from": InterestStatus(frm).label,
            "to": InterestStatus(to).label if to in InterestStatus.values else to,
        }
        raise _error("status", message)
    if to not in allowed_transitions(user, interest):
        raise DomainError(_("You do not have permission to change this expression's stage."))
    if len(note) > MESSAGE_MAX:
        raise _error("note", _("The note is too long (at most 4,000 characters)."))
    _claim_version(interest, expected_version)
    now = timezone.now()
    interest.status = to
    interest.updated_at = now
    if to == InterestStatus.FORWARDED:
        interest.forwarded_at = now
        interest.answer_due = timezone.localdate() + dt.timedelta(
            days=settings.CAUNOI_INTEREST_ANSWER_DAYS
        )
    if note and to in (
        InterestStatus.SIGNED,
        InterestStatus.NOT_CONCLUDED,
        InterestStatus.DECLINED,
    ):
        interest.outcome_note = note
    interest.save()
    InterestEvent.objects.create(
        interest=interest, actor=user, from_status=frm, to_status=to, note=note, created_at=now
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.TRANSITION,
        instance=interest,
        changes={"status": [frm, to], **({"note": ["", note]} if note else {})},
    )
    link = interest.get_absolute_url()
    title = _title(interest)
    if to == InterestStatus.FORWARDED:
        notify(
            _record_owners(interest.record),
            "market.interest_forwarded",
            link=link,
            title=title,
            due=interest.answer_due.strftime("%d/%m/%Y") if interest.answer_due else "",
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
        notify(
            [p for p in recipients if p.pk != user.pk],
            "market.interest_changed",
            link=link,
            title=title,
            stage=str(InterestStatus(to).label),
        )
    return interest


def can_post(user: AnyUser, interest: Interest) -> bool:
    """The two parties and officers write on an expression the owner has received, while it
    is not closed; before forwarding only the sender and officers see it."""
    roles = roles_of(user, interest)
    return bool(roles & {"sender", "owner", "officer"}) and interest.status not in (
        InterestStatus.WITHDRAWN,
    )


@transaction.atomic
def message_post(*, user: User, interest: Interest, body: str) -> InterestMessage:
    if not can_post(user, interest):
        raise DomainError(_("You do not have permission to write on this expression of interest."))
    text = (body or "").strip()
    if not text:
        raise _error("body", _("Write a message."))
    if len(text) > MESSAGE_MAX:
        raise _error("body", _("The message is too long (at most 4,000 characters)."))
    msg = InterestMessage.objects.create(interest=interest, author=user, body=text)
    Interest.objects.filter(pk=interest.pk).update(updated_at=msg.created_at)
    # Everyone on the expression who may read it, except the author.
    recipients: list[User] = [interest.sender]
    if interest.forwarded_at is not None:
        recipients += _record_owners(interest.record)
    if not (roles_of(user, interest) & {"officer"}):
        # A party wrote: the officers who handled it follow the conversation.
        handlers = InterestEvent.objects.filter(interest=interest).exclude(actor=None)
        recipients += [
            e.actor
            for e in handlers.select_related("actor")
            if e.actor is not None and services.is_officer(e.actor)
        ]
    notify(
        [p for p in recipients if p is not None and p.pk != user.pk],
        "market.interest_message",
        link=interest.get_absolute_url() + "#messages",
        title=_title(interest),
    )
    return msg


def thread(user: AnyUser, interest: Interest) -> models.QuerySet[InterestMessage]:
    """The messages this user reads on the expression: everything for staff and the sender;
    for the owner, what was written from the forwarding on (what the sender and an officer
    said before stays between them)."""
    qs = interest.messages.select_related("author")
    if "owner" in roles_of(user, interest) and not services.is_officer(user):
        qs = qs.filter(created_at__gte=interest.forwarded_at)
    return qs


def party_label(viewer: AnyUser, interest: Interest, author: User | None) -> str:
    """How a person on the expression is named to this viewer: by name, or by their side
    when that side is undisclosed to the viewer. Never an e-mail address."""
    if author is None:
        return _("System")
    if author.pk == interest.sender_id:
        if not sender_visible(viewer, interest):
            return _("Interested party (name not disclosed)")
        return author.get_full_name() or author.get_username()
    record = interest.record
    if record is not None and is_owner(author, record):
        if not owner_visible(viewer, interest):
            return _("Requester (name not disclosed)")
        return author.get_full_name() or author.get_username()
    if services.is_officer(author):
        return _("Officer: %(name)s") % {"name": author.get_full_name() or author.get_username()}
    return author.get_full_name() or author.get_username()


def overdue_remind(today: dt.date | None = None) -> int:
    """Forwarded expressions past their answer date: the owner and the officers are told,
    once per expression."""
    today = today or timezone.localdate()
    count = 0
    due = Interest.objects.filter(
        status=InterestStatus.FORWARDED, answer_due__lt=today, overdue_reminded_at__isnull=True
    ).select_related("offer", "request")
    for interest in due:
        with transaction.atomic():
            claimed = Interest.objects.filter(
                pk=interest.pk, overdue_reminded_at__isnull=True
            ).update(overdue_reminded_at=timezone.now())
            if not claimed:
                continue
            notify(
                [*_record_owners(interest.record), *officers()],
                "market.interest_overdue",
                link=interest.get_absolute_url(),
                title=_title(interest),
                due=interest.answer_due.strftime("%d/%m/%Y") if interest.answer_due else "",
            )
            count += 1
    return count


STALLED_DAYS = 30  # an accepted or negotiating expression unchanged this long is stalled


def stalled(user: AnyUser) -> dict[str, list[Interest]]:
    """The officers' queue: expressions waiting to be forwarded (oldest first), and those
    stalled — overdue answers, or accepted / in negotiation without a change for
    ``STALLED_DAYS`` days."""
    qs = readable(user)
    quiet = timezone.now() - dt.timedelta(days=STALLED_DAYS)
    return {
        "to_forward": list(qs.filter(status=InterestStatus.SUBMITTED).order_by("created_at")),
        "stalled": list(
            qs.filter(
                models.Q(status=InterestStatus.FORWARDED, answer_due__lt=timezone.localdate())
                | models.Q(
                    status__in=[InterestStatus.ACCEPTED, InterestStatus.NEGOTIATING],
                    updated_at__lt=quiet,
                )
            ).order_by("updated_at")
        ),
    }


def counts(user: AnyUser) -> dict[str, int]:
    """The dashboard's figures: open expressions this user may see, transfers reached."""
    mine = readable(user)
    return {
        "open": mine.filter(status__in=INTEREST_OPEN).count(),
        "overdue": mine.filter(
            status=InterestStatus.FORWARDED, answer_due__lt=timezone.localdate()
        ).count(),
        # An indicator, not a record: every agreement signed, whoever reads.
        "signed": Interest.objects.filter(status=InterestStatus.SIGNED).count(),
    }
