"""CPU-bound parts of a long task spread over the machine's cores, in forked processes.

A task that has built a large read-only state (the match indexes over every published
offer, say) maps a pure function over many items: ``fork_map(fn, items)`` forks worker
processes that inherit that state (copy-on-write, nothing rebuilt or sent), sends them the
items and yields ``fn(item)`` for each, in order, while the calling process goes on with
what it does with each result (database writes). ``fn`` may be any callable, a closure
included: it is handed over at fork, not pickled; items and results are pickled.

``fn`` is to be pure computation. The children do not use the parent's database connections
(whose sockets they share): each is set aside at fork, kept referenced so that it is never
closed from the child, and a query made by mistake in a child opens a connection of its own.
The children leave with ``os._exit``, as multiprocessing's forked children do.

Forking is used only from a process's main thread (``caunoi worker`` runs tasks there); in
a thread (a web server's, the in-process worker of the demo) and where ``workers`` is 1 the
items are mapped in this process, with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections

T = TypeVar("T")
R = TypeVar("R")

# The function the forked children call, set before they are forked (one map at a time:
# a map started while another runs maps in its own process).
_fn: Callable[[Any], Any] | None = None
_lock = threading.Lock()
# In a child: the parent's connections, set aside and never closed.
_inherited: list[Any] = []


def _call(item: Any) -> Any:
    assert _fn is not None
    return _fn(item)


def _detach_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _inherited.append(conn.connection)
            conn.connection = None


def workers() -> int:
    """How many processes a map may use: ``CAUNOI_TASK_PROCESSES``, 0 meaning one per core."""
    n = int(getattr(settings, "CAUNOI_TASK_PROCESSES", 0))
    return n if n > 0 else max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return (
        threading.current_thread() is threading.main_thread()
        and "fork" in multiprocessing.get_all_start_methods()
    )


def fork_map(
    fn: Callable[[T], R], items: Sequence[T], *, processes: int | None = None
) -> Iterator[R]:
    """``fn(item)`` for each item, in order: in ``processes`` (default ``workers()``) forked
    children when there are at least two items and forking is safe here, otherwise here.
    At most two items per child are in flight, so results do not pile up in memory."""
    n = workers() if processes is None else processes
    n = min(n, len(items))
    if n <= 1 or not can_fork() or not _lock.acquire(blocking=False):
        for item in items:
            yield fn(item)
        return
    global _fn
    try:
        _fn = fn
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=n, mp_context=ctx, initializer=_detach_connections
        ) as pool:
            pending: deque[Future[Any]] = deque()
            for item in items:
                pending.append(pool.submit(_call, item))
                if len(pending) >= 2 * n:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        _fn = None
        _lock.release()
