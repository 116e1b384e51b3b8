"""What the marketplace tells people (in-app notifications, e-mail through
``caunoi.accounts.notifications``) apart from expressions of interest (``interests.py``):

- an officer approved (published) or returned (changes requested) a record: its writer;
- new matches at or above ``CAUNOI_MATCH_NOTIFY_SCORE`` for a request, once per request and
  counterpart (``MatchNotice``), not on every recompute: the request's writer; the owners of
  each new offer (expert, intermediary) matched — the request by its title, its requester
  never named, an officers-only request never told to them; and the officers, one notice
  per recompute (``officer_digest`` gathers a whole recompute's new matches into one);
- validity deadlines within ``CAUNOI_MARKET_REMINDER_DAYS`` (and again 3 days before): the
  owner, once per record, threshold and deadline (``Reminder``); a record that expired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.accounts.models import User
from caunoi.accounts.notifications import notify, notify_many, register_kind
from caunoi.market.models import (
    Confidentiality,
    Match,
    MatchNotice,
    Reminder,
    Status,
    TechnologyOffer,
    TechnologyRequest,
)

KINDS = {
    "market.record_published": _("Your “%(title)s” was approved and is published."),
    "market.record_returned": _("Your “%(title)s” was returned for changes: %(note)s"),
    "market.record_expired": _(
        "Your “%(title)s” has expired; edit it to extend its date, then submit it again."
    ),
    "market.new_matches": _("%(count)s new matches for your request “%(title)s”."),
    "market.new_matching_request": _("A new request matches your “%(title)s”: “%(request)s”."),
    "market.new_matching_requests": _("%(count)s new requests match your “%(title)s”."),
    "market.matches_digest": _(
        "Matching recomputed: %(count)s new matches for %(requests)s published requests."
    ),
    "market.deadline_soon": _(
        "Your “%(title)s” is valid until %(date)s (%(days)s days left). When it expires, edit "
        "it to extend the date and submit it again; an officer can extend it before then."
    ),
}

# Days before a validity deadline at which the owner is reminded (the first is the setting).
SECOND_THRESHOLD = 3


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register_kind(kind, text)


def record_transitioned(
    sender: Any, *, record: Any, frm: str, to: str, user: Any, note: str = "", **_: Any
) -> None:
    """The writer hears of the officer's decision (not of their own steps)."""
    if not hasattr(record, "owner_user_id"):
        return
    if user is not None and user.pk == record.owner_user_id:
        return
    kind = {
        Status.PUBLISHED: "market.record_published",
        Status.CHANGES_REQUESTED: "market.record_returned",
        Status.EXPIRED: "market.record_expired",
    }.get(to)  # type: ignore[call-overload]
    if kind is None:
        return
    notify(
        [record.owner_user],
        kind,
        link=record.get_absolute_url(),
        title=str(record),
        note=note or "—",
    )


def matches_stored(request: TechnologyRequest, rows: Iterable[Match]) -> int:
    """After a request's matches were stored: tell its writer about counterparts above the
    threshold they were not told about before. Returns how many were new."""
    threshold = settings.CAUNOI_MATCH_NOTIFY_SCORE
    good = [m for m in rows if m.score >= threshold]
    if not good or request.status != Status.PUBLISHED:
        return 0
    good = _shown_on_pages(request, good)
    if not good:
        return 0
    known = set(MatchNotice.objects.filter(request=request).values_list("kind", "target_id"))
    fresh = []
    for m in good:
        kind = _kind(m)
        target = int(m.offer_id or m.expert_id or m.intermediary_id or 0)
        if (kind, target) not in known:
            fresh.append(MatchNotice(request=request, kind=kind, target_id=target))
            known.add((kind, target))
    if not fresh:
        return 0
    MatchNotice.objects.bulk_create(fresh, ignore_conflicts=True)
    notify(
        [request.owner_user],
        "market.new_matches",
        link=request.get_absolute_url() + "#matches",
        title=str(request),
        count=len(fresh),
    )
    digest = _digest.get()
    _tell_providers(request, good, {(n.kind, n.target_id) for n in fresh}, digest)
    if digest is None:
        _tell_officers([(request.pk, len(fresh))])
    else:
        digest.requests.append((request.pk, len(fresh)))
    return len(fresh)


def _target_id(m: Match) -> int:
    return int(m.offer_id or m.expert_id or m.intermediary_id or 0)


def _kind(m: Match) -> str:
    return "offer" if m.offer_id else "expert" if m.expert_id else "intermediary"


def _shown_on_pages(request: TechnologyRequest, rows: list[Match]) -> list[Match]:
    """Only the matches the pages show (``matching._shown``): a match under the relative
    floor of its kind's best stored match is kept but hidden, so it is not announced."""
    from django.db.models import Max, Q

    rel = float(settings.CAUNOI_MATCH_MIN_RELATIVE)
    if rel <= 0:
        return rows
    kinds = ("offer", "expert", "intermediary")
    # One query over the request's stored matches of published targets (as the pages read).
    stored = Match.objects.filter(request=request).aggregate(
        **{
            f"best_{kind}": Max("score", filter=Q(**{f"{kind}__status": Status.PUBLISHED}))
            for kind in kinds
        }
    )
    best = {kind: float(stored[f"best_{kind}"] or 0.0) for kind in kinds}
    for m in rows:
        kind = _kind(m)
        best[kind] = max(best[kind], m.score)
    out = []
    for m in rows:
        if m.score >= best[_kind(m)] * rel or m.feedback:
            out.append(m)
    return out


@dataclass
class _Digest:
    """The new matches of the recompute running in this context: (request id, how many)
    for the officers; the new requests of each matched offer (expert, intermediary)."""

    requests: list[tuple[int, int]] = dc_field(default_factory=list)
    targets: dict[tuple[str, int], tuple[Any, list[str]]] = dc_field(default_factory=dict)


# None outside ``officer_digest``: each request's new matches are then told at once.
_digest: ContextVar[_Digest | None] = ContextVar("market_digest", default=None)


def _tell_providers(
    request: TechnologyRequest,
    rows: list[Match],
    fresh: set[tuple[str, int]],
    digest: _Digest | None,
) -> None:
    """The owners of each newly matched offer (expert, intermediary): the request by its
    title only (as their record's page lists it: an anonymous requester unnamed); an
    officers-only request is never told to a provider. In a recompute's digest, one notice
    per matched record at its end, however many requests it newly matches."""
    if request.confidentiality == Confidentiality.OFFICERS:
        return
    from django.db.models import prefetch_related_objects

    # the newly matched records in one query per kind (not one per row)
    told = [m for m in rows if (_kind(m), _target_id(m)) in fresh]
    prefetch_related_objects(told, "offer", "expert", "intermediary")
    for m in rows:
        kind = "offer" if m.offer_id else "expert" if m.expert_id else "intermediary"
        target = m.offer or m.expert or m.intermediary
        if target is None or (kind, target.pk) not in fresh:
            continue
        if target.status != Status.PUBLISHED:
            continue
        if digest is None:
            _notify_target(target, [str(request)])
        else:
            digest.targets.setdefault((kind, target.pk), (target, []))[1].append(str(request))


def _notify_target(target: Any, titles: list[str]) -> None:
    from caunoi.market.interests import _record_owners

    owners = _record_owners(target)
    link = target.get_absolute_url() + "#matching-requests"
    if len(titles) == 1:
        notify(
            owners, "market.new_matching_request", link=link, title=str(target), request=titles[0]
        )
    else:
        notify(
            owners, "market.new_matching_requests", link=link, title=str(target), count=len(titles)
        )


def _notify_targets(targets: list[tuple[Any, list[str]]]) -> None:
    """``_notify_target`` for a whole recompute's matched records: their owners read in one
    query per organisation batch, the notices written in bulk."""
    from caunoi.registry.models import Affiliation

    if not targets:
        return
    orgs = {t.owner_organization_id for t, _ in targets if t.owner_organization_id}
    members: dict[int, list[Any]] = {}
    if orgs:
        for a in Affiliation.objects.filter(
            organization_id__in=orgs, state=Affiliation.State.APPROVED
        ).select_related("user"):
            members.setdefault(int(a.organization_id or 0), []).append(a.user)
    for found in members.values():
        found.sort(key=lambda u: u.pk)
    owners = {t.owner_user_id for t, _ in targets}
    users = {u.pk: u for u in User.objects.filter(pk__in=owners)}
    items = []
    for target, titles in targets:
        people = [users.get(target.owner_user_id), *members.get(target.owner_organization_id, [])]
        link = target.get_absolute_url() + "#matching-requests"
        params: dict[str, Any]
        if len(titles) == 1:
            kind, params = "market.new_matching_request", {"request": titles[0]}
        else:
            kind, params = "market.new_matching_requests", {"count": len(titles)}
        items.append((people, kind, link, {"title": str(target), **params}))
    notify_many(items)


@contextmanager
def officer_digest() -> Iterator[None]:
    """Gather the new matches of one recompute (every request it touches): one notice to
    the officers and one to the owners of each matched record, sent when it ends; each
    person's e-mail choice (each, daily digest, none) applies to them as to any notice."""
    token = _digest.set(_Digest())
    try:
        yield
        collected = _digest.get() or _Digest()
    finally:
        _digest.reset(token)
    _notify_targets(list(collected.targets.values()))
    _tell_officers(collected.requests)


def _tell_officers(collected: list[tuple[int, int]]) -> None:
    if not collected:
        return
    from caunoi.market.interests import officers

    requests = {pk for pk, _n in collected}
    if len(requests) == 1:
        found = TechnologyRequest.objects.filter(pk=next(iter(requests))).first()
        link = found.get_absolute_url() + "#matches" if found is not None else ""
    else:
        link = reverse("market:list", args=["requests"])
    notify(
        list(officers()),
        "market.matches_digest",
        link=link,
        count=sum(n for _pk, n in collected),
        requests=len(requests),
    )


def deadline_reminders(today: dt.date | None = None) -> int:
    """Remind owners of published offers and requests whose validity ends soon."""
    today = today or timezone.localdate()
    window = settings.CAUNOI_MARKET_REMINDER_DAYS
    thresholds = sorted({window, min(SECOND_THRESHOLD, window)}, reverse=True)
    sent = 0
    for model, field, kind in (
        (TechnologyOffer, "valid_until", "offer"),
        (TechnologyRequest, "deadline", "request"),
    ):
        due = model._default_manager.filter(
            status=Status.PUBLISHED,
            **{f"{field}__gte": today, f"{field}__lte": today + dt.timedelta(days=window)},
        ).select_related("owner_user")
        for record in due:
            deadline = getattr(record, field)
            left = (deadline - today).days
            # The tightest threshold reached; earlier ones missed are not sent late.
            reached = [t for t in thresholds if left <= t]
            if not reached:
                continue
            threshold = min(reached)
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        kind=kind, record_id=record.pk, threshold=threshold, deadline=deadline
                    )
                    notify(
                        [record.owner_user],
                        "market.deadline_soon",
                        link=record.get_absolute_url(),
                        title=str(record),
                        date=deadline.strftime("%d/%m/%Y"),
                        days=left,
                    )
            except IntegrityError:
                continue  # already reminded at this threshold for this deadline
            sent += 1
    return sent
