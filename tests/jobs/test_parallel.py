"""``fork_map``: a task's pure computation spread over forked processes, results in order,
the parent's database connection untouched by the children."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from caunoi.jobs import parallel

pytestmark = pytest.mark.django_db(transaction=True)


def test_items_are_mapped_in_children_and_come_back_in_order() -> None:
    table = {i: i * i for i in range(40)}  # state the children inherit, not sent

    def square(i: int) -> tuple[int, int]:
        return table[i], os.getpid()

    out = list(parallel.fork_map(square, range(40), processes=2))
    assert [v for v, _pid in out] == [i * i for i in range(40)]
    pids = {pid for _v, pid in out}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_the_parents_connection_still_works_after_the_children_left() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    User = get_user_model()
    User.objects.create(username="truoc.khi.tach")
    assert connection.connection is not None
    list(parallel.fork_map(lambda i: i + 1, range(8), processes=2))
    User.objects.create(username="sau.khi.tach")  # same connection, same session
    assert set(User.objects.values_list("username", flat=True)) >= {
        "truoc.khi.tach",
        "sau.khi.tach",
    }


def test_an_error_in_a_child_reaches_the_caller() -> None:
    def fails(i: int) -> int:
        if i == 5:
            raise ValueError("hàng 5 hỏng")
        return i

    with pytest.raises(ValueError, match="hàng 5"):
        list(parallel.fork_map(fails, range(10), processes=2))
    # the lock is released: the next map forks again
    assert {p for p in parallel.fork_map(lambda i: os.getpid(), range(4), processes=2)} != {
        os.getpid()
    }


def test_one_process_a_thread_or_a_nested_map_compute_here() -> None:
    here = os.getpid()
    assert set(parallel.fork_map(lambda i: os.getpid(), range(4), processes=1)) == {here}

    seen: list[Any] = []
    t = threading.Thread(
        target=lambda: seen.extend(parallel.fork_map(lambda i: os.getpid(), range(4), processes=2))
    )
    t.start()
    t.join()
    assert set(seen) == {here}

    def inner(i: int) -> set[int]:  # a map inside a child's item runs in that child
        return set(parallel.fork_map(lambda j: os.getpid(), range(3), processes=2))

    outer = list(parallel.fork_map(inner, range(2), processes=2))
    assert all(len(pids) == 1 and here not in pids for pids in outer)


def test_workers_setting(settings: Any) -> None:
    assert parallel.workers() == 1  # off unless asked: docs/matching.md has the measurement
    settings.CAUNOI_TASK_PROCESSES = 3
    assert parallel.workers() == 3
    settings.CAUNOI_TASK_PROCESSES = 0
    assert parallel.workers() == max(1, os.cpu_count() or 1)
