"""The marketplace's scheduled task: expire offers past their validity and requests past
their deadline."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from caunoi.jobs.services import job_enqueue, job_progress
from caunoi.market.services import expire_due


@task()
def market_expiry() -> dict[str, int]:
    """One pass of ``services.expire_due`` (each expiry is its own audited transition; a
    retry expires only what is still due)."""
    job_progress(done=0, total=1)
    expired = expire_due()
    job_progress(done=1, total=1)
    return {"expired": expired}


MATCH_LABEL = _("Compute technology matches")


@task()
def match_request(request_id: int) -> dict[str, int]:
    """Replace one request's matches (none when it is no longer published)."""
    from caunoi.market import matching, notices
    from caunoi.market.models import TechnologyRequest

    job_progress(done=0, total=1)
    found = TechnologyRequest.objects.filter(pk=request_id).first()
    with notices.officer_digest():
        stored = matching.recompute_request(found) if found is not None else 0
    job_progress(done=1, total=1)
    return {"matches": stored}


@task()
def match_all() -> dict[str, int]:
    """Every published request's matches, with new term statistics (after an import of many
    candidates, or on demand)."""
    from caunoi.market import matching, notices

    job_progress(done=0, total=1)
    with notices.officer_digest():  # the officers hear of the whole recompute once
        stored = matching.recompute_all()
    job_progress(done=1, total=1)
    return {"matches": stored}


@task()
def match_target(kind: str, pk: int) -> dict[str, int]:
    """One offer's (expert's, intermediary's) rows in every request's matches, after it was
    published, changed or withdrawn (``matching.update_target``)."""
    from caunoi.market import matching, notices

    job_progress(done=0, total=1)
    with notices.officer_digest():
        counts = matching.update_target(kind, pk)
    job_progress(done=1, total=1)
    return counts


# More changed candidates than this in one transaction (an import): one full recompute.
TARGETS_MAX = 20


class _MatchAfterCommit:
    """The recomputes one transaction calls for; on commit, one job for all of them (an
    import of many offers queues one recompute, not one per offer)."""

    def __init__(self) -> None:
        self.request_ids: set[int] = set()
        self.targets: set[tuple[str, int]] = set()
        self.everything = False
        self.fired = False

    def __call__(self) -> None:
        from caunoi.jobs.models import Job

        self.fired = True
        if len(self.targets) > TARGETS_MAX:
            self.everything = True
        if self.everything:
            queued = Job.objects.filter(kind=match_all.module_path, state=Job.State.QUEUED)
            if not queued.exists():  # a queued full recompute will see this change too
                job_enqueue(match_all, label=MATCH_LABEL)
            return
        for kind, pk in sorted(self.targets):
            job_enqueue(match_target, kind, pk, label=MATCH_LABEL)
        for pk in sorted(self.request_ids):
            job_enqueue(match_request, pk, label=MATCH_LABEL)


def _pending() -> _MatchAfterCommit:
    conn = transaction.get_connection()
    if conn.in_atomic_block:
        for _sids, callback, _robust in conn.run_on_commit:
            if isinstance(callback, _MatchAfterCommit) and not callback.fired:
                return callback
    callback = _MatchAfterCommit()
    transaction.on_commit(callback)
    return callback


def schedule_matching(sender: Any, *, record: Any, was_published: bool, **_: Any) -> None:
    """Queue, for when the transaction commits, the recompute a write calls for: a request's
    own when it is (or was) published; for a candidate that is (or was), its rows in every
    request's matches (``match_target``; many candidates at once: one full recompute)."""
    from caunoi.market.models import (
        Expert,
        Intermediary,
        Status,
        TargetCompany,
        TechnologyOffer,
        TechnologyRequest,
    )

    if isinstance(record, TargetCompany):
        return
    if not (was_published or record.status == Status.PUBLISHED):
        return
    if not transaction.get_connection().in_atomic_block:
        pending = _MatchAfterCommit()
    else:
        pending = _pending()
    if isinstance(record, TechnologyRequest):
        pending.request_ids.add(record.pk)
    else:
        kinds = {TechnologyOffer: "offer", Expert: "expert", Intermediary: "intermediary"}
        pending.targets.add((kinds[type(record)], record.pk))
    if not transaction.get_connection().in_atomic_block:
        pending()


def schedule_import() -> None:
    """Queue one full recompute for when the transaction commits (a bulk import writes many
    published records without the per-record signal)."""
    if not transaction.get_connection().in_atomic_block:
        pending = _MatchAfterCommit()
        pending.everything = True
        pending()
        return
    _pending().everything = True


def schedule_request(request_id: int) -> None:
    """Queue a request's recompute for when the transaction commits (after feedback)."""
    if not transaction.get_connection().in_atomic_block:
        pending = _MatchAfterCommit()
        pending.request_ids.add(request_id)
        pending()
        return
    _pending().request_ids.add(request_id)


def give_feedback(setter: Any, *, user: Any, match: Any, feedback: str) -> Any:
    """One side's mark on a match through ``setter`` (``matching.set_feedback``, the
    requester's, or ``matching.set_provider_feedback``), the request re-ranked when the
    transaction commits: the one way the pages and the API record it."""
    with transaction.atomic():
        saved = setter(user=user, match=match, feedback=feedback)
        schedule_request(match.request_id)
    return saved


@task()
def market_reminders() -> dict[str, int]:
    """Owners of offers and requests whose validity ends soon, and overdue expressions of
    interest (owner and officers): each reminder is sent once (``notices.deadline_reminders``,
    ``interests.overdue_remind``), so a retry repeats none."""
    from caunoi.market import interests, notices

    job_progress(done=0, total=2)
    deadlines = notices.deadline_reminders()
    job_progress(done=1, total=2)
    overdue = interests.overdue_remind()
    job_progress(done=2, total=2)
    return {"deadlines": deadlines, "overdue": overdue}


def embeddings_stored(sender: Any, *, kinds: dict[str, int], **_: Any) -> None:
    """After the search service stored embeddings (``caunoi.search.tasks.embeddings_stored``):
    one full recompute when more candidates were embedded than a recompute embeds itself
    (``matching.EMBED_MAX``), since the matches computed before then ranked the rest without
    their dense part (a bulk import). Fewer are already complete: a recompute embeds up to
    ``EMBED_MAX`` missing candidates on the fly, and a single publication's update embeds its
    record. Nothing is queued when a full recompute is queued already."""
    from caunoi.jobs.models import Job
    from caunoi.market import matching

    sources = {source for _model, source in matching.KINDS.values()}
    embedded = sum(n for kind, n in kinds.items() if kind in sources)
    if embedded <= matching.EMBED_MAX:
        return
    if not Job.objects.filter(kind=match_all.module_path, state=Job.State.QUEUED).exists():
        job_enqueue(match_all, label=MATCH_LABEL)
