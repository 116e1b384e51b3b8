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
    return matches_stored_block([(request, list(rows))])


def matches_stored_block(items: Iterable[tuple[TechnologyRequest, list[Match]]]) -> int:
    """``matches_stored`` for many requests at once (a recompute's block): the best stored
    scores and the earlier notices read in one query each for all of them, the new notices
    written and their notifications sent in bulk. Returns how many were new."""
    threshold = settings.CAUNOI_MATCH_NOTIFY_SCORE
    good_by: list[tuple[TechnologyRequest, list[Match]]] = []
    for request, rows in items:
        good = [m for m in rows if m.score >= threshold]
        if good and request.status == Status.PUBLISHED:
            good_by.append((request, good))
    if not good_by:
        return 0
    ids = [r.pk for r, _good in good_by]
    best = _stored_best(ids)
    known: dict[int, set[tuple[str, int]]] = {pk: set() for pk in ids}
    for req_id, kind, target in MatchNotice.objects.filter(request_id__in=ids).values_list(
        "request_id", "kind", "target_id"
    ):
        known[req_id].add((kind, target))
    fresh_all: list[MatchNotice] = []
    owners: list[tuple[Iterable[User | None], str, str, dict[str, Any]]] = []
    told: list[tuple[TechnologyRequest, list[Match], set[tuple[str, int]]]] = []
    collected: list[tuple[int, int]] = []
    for request, good in good_by:
        shown = _shown_on_pages(good, best.get(request.pk, {}))
        fresh = []
        for m in shown:
            key = (_kind(m), _target_id(m))
            if key not in known[request.pk]:
                fresh.append(MatchNotice(request=request, kind=key[0], target_id=key[1]))
                known[request.pk].add(key)
        if not fresh:
            continue
        fresh_all.extend(fresh)
        link = request.get_absolute_url() + "#matches"
        owners.append(
            (
                [request.owner_user],
                "market.new_matches",
                link,
                {"title": str(request), "count": len(fresh)},
            )
        )
        told.append((request, shown, {(n.kind, n.target_id) for n in fresh}))
        collected.append((request.pk, len(fresh)))
    if not fresh_all:
        return 0
    MatchNotice.objects.bulk_create(fresh_all, ignore_conflicts=True)
    notify_many(owners)
    digest = _digest.get()
    _tell_providers(told, digest)
    if digest is None:
        for one in collected:  # outside a recompute's digest, one notice per request
            _tell_officers([one])
    else:
        digest.requests.extend(collected)
    return len(fresh_all)


def _target_id(m: Match) -> int:
    return int(m.offer_id or m.expert_id or m.intermediary_id or 0)


def _kind(m: Match) -> str:
    return "offer" if m.offer_id else "expert" if m.expert_id else "intermediary"


_KINDS = ("offer", "expert", "intermediary")


def _stored_best(ids: list[int]) -> dict[int, dict[str, float]]:
    """Per request, the best stored score of each kind among published targets (as the
    pages read them, ``matching._shown``), in one grouped query for all the requests."""
    from django.db.models import Max, Q

    if float(settings.CAUNOI_MATCH_MIN_RELATIVE) <= 0:
        return {}
    rows: Any = (
        Match.objects.filter(request_id__in=ids)
        .order_by()
        .values("request_id")
        .annotate(
            **{
                f"best_{kind}": Max("score", filter=Q(**{f"{kind}__status": Status.PUBLISHED}))
                for kind in _KINDS
            }
        )
    )
    return {
        row["request_id"]: {kind: float(row[f"best_{kind}"] or 0.0) for kind in _KINDS}
        for row in rows
    }


def _shown_on_pages(rows: list[Match], stored: dict[str, float]) -> list[Match]:
    """Only the matches the pages show (``matching._shown``): a match under the relative
    floor of its kind's best stored match is kept but hidden, so it is not announced.
    ``stored``: the request's best stored scores (``_stored_best``)."""
    rel = float(settings.CAUNOI_MATCH_MIN_RELATIVE)
    if rel <= 0:
        return rows
    best = {kind: stored.get(kind, 0.0) for kind in _KINDS}
    for m in rows:
        kind = _kind(m)
        best[kind] = max(best[kind], m.score)
    return [m for m in rows if m.score >= best[_kind(m)] * rel or m.feedback]


@dataclass
class _Digest:
    """The new matches of the recompute running in this context: (request id, how many)
    for the officers; the new requests of each matched offer (expert, intermediary)."""

    requests: list[tuple[int, int]] = dc_field(default_factory=list)
    targets: dict[tuple[str, int], tuple[Any, list[str]]] = dc_field(default_factory=dict)


# None outside ``officer_digest``: each request's new matches are then told at once.
_digest: ContextVar[_Digest | None] = ContextVar("market_digest", default=None)


def _tell_providers(
    told: list[tuple[TechnologyRequest, list[Match], set[tuple[str, int]]]],
    digest: _Digest | None,
) -> None:
    """The owners of each newly matched offer (expert, intermediary), for each request with
    its shown rows and the (kind, id) pairs new to it: the request by its title only (as
    their record's page lists it: an anonymous requester unnamed); an officers-only request
    is never told to a provider. In a recompute's digest, one notice per matched record at
    its end, however many requests it newly matches."""
    from django.db.models import prefetch_related_objects

    told = [t for t in told if t[0].confidentiality != Confidentiality.OFFICERS]
    # the newly matched records in one query per kind for all the requests (not one per row)
    new_rows = [m for _r, rows, fresh in told for m in rows if (_kind(m), _target_id(m)) in fresh]
    prefetch_related_objects(new_rows, "offer", "expert", "intermediary")
    for request, rows, fresh in told:
        for m in rows:
            kind = _kind(m)
            target = m.offer or m.expert or m.intermediary
            if target is None or (kind, target.pk) not in fresh:
                continue
            if target.status != Status.PUBLISHED:
                continue
            if digest is None:
                _notify_target(target, [str(request)])
            else:
                entry = digest.targets.setdefault((kind, target.pk), (target, []))
                entry[1].append(str(request))


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
