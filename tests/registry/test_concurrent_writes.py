"""Concurrent writes through the services, in real threads with their own database
connections: saving one agreement or project must not touch any other record's derived
rows, so simultaneous saves never collide (PostgreSQL) nor find the database locked (SQLite)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, connections

THREADS = 6
ROUNDS = 3


def run_in_threads(work: Callable[[int], None], threads: int = THREADS) -> list[BaseException]:
    """Run ``work(i)`` in ``threads`` threads started together; return what they raised."""
    # The SQLite test database is a file (test_settings), so threads have connections of
    # their own, as in production.
    assert connection.vendor != "sqlite" or "memory" not in str(connection.settings_dict["NAME"])
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=target, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    return errors


def test_parallel_agreement_and_project_saves_do_not_collide(
    transactional_db: Any, admin: Any, make_org: Any, taxonomy: Any
) -> None:
    from caunoi.registry import services
    from caunoi.registry.models import Agreement, Project

    korean, japanese = make_org(country_id="KR"), make_org(country_id="JP")
    kr = taxonomy["countries"]["KR"]

    def work(i: int) -> None:
        for n in range(ROUNDS):
            services.agreement_save(
                user=admin,
                agreement=Agreement(),
                data={"title_vi": f"Thỏa thuận {i}-{n}", "kind": "mou", "level": "ministry"},
                parties=[("foreign", kr, None), ("foreign", None, japanese)],
            )
            services.project_save(
                user=admin,
                project=Project(),
                data={"title_vi": f"Dự án {i}-{n}", "kind": "bilateral", "funder": korean},
                partners=[japanese],
            )

    errors = run_in_threads(work)
    assert errors == []
    assert Agreement.objects.count() == THREADS * ROUNDS
    assert Project.objects.count() == THREADS * ROUNDS
    for agreement in Agreement.objects.all():
        assert set(agreement.countries.values_list("iso2", flat=True)) == {"KR", "JP"}
    for project in Project.objects.all():
        assert set(project.countries.values_list("iso2", flat=True)) == {"KR", "JP"}


def test_parallel_partners_with_one_name_get_distinct_keys(
    transactional_db: Any, admin: Any, taxonomy: Any
) -> None:
    from caunoi.registry import services
    from caunoi.registry.models import Organization

    def work(i: int) -> None:
        for _ in range(ROUNDS):
            services.record_save(
                user=admin,
                instance=Organization(),
                data={
                    "name_vi": "Viện Khoa học và Công nghệ Hàn Quốc",
                    "acronym": "KIST",
                    "kind": "research_institute",
                    "country": taxonomy["countries"]["KR"],
                },
            )

    errors = run_in_threads(work)
    assert errors == []
    keys = list(Organization.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == THREADS * ROUNDS
    assert all(key.startswith("kist") for key in keys)
