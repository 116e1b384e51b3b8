"""Drawn charts kept in Django's cache: drawn once per data, format and renderer version, shared
through the configured cache (the database cache here, as with several workers), a changed
series drawn again; ``migrate`` creates the database cache's table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from caunoi.core import charts
from caunoi.core.charts import Chart, Series

CHART = Chart(
    key="thu",
    title="Điểm theo đơn vị",
    kind="hbar",
    categories=("Sở KH&CN Hà Nội", "Bộ Y tế"),
    series=(Series("Điểm", (72.5, 40.0)),),
    unit="điểm",
)

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "caunoi_chart_cache_test",
    }
}


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The charts drawn (``_figure`` called), by key; every cache emptied before and after."""
    drawn: list[str] = []
    figure = charts._figure

    def counting(chart: Chart) -> Any:
        drawn.append(chart.key)
        return figure(chart)

    charts.cache_clear()
    monkeypatch.setattr(charts, "_figure", counting)
    yield drawn
    charts.cache_clear()


def test_a_chart_is_drawn_once_then_taken_from_the_cache(draws: list[str]) -> None:
    svg = charts.render_svg(CHART)
    assert charts.render_svg(CHART) == svg
    assert len(draws) == 1
    charts._local.clear()  # another worker: nothing in its memory, the shared cache has it
    assert charts.render_svg(CHART) == svg
    assert len(draws) == 1
    # Another format or resolution is another drawing.
    png = charts.render_png(CHART)
    assert png.startswith(b"\x89PNG")
    charts.render_png(CHART, dpi=charts.PRINT_DPI)
    assert charts.render_png(CHART) == png
    assert len(draws) == 3


def test_a_changed_series_is_drawn_again(draws: list[str]) -> None:
    before = charts.render_svg(CHART)
    changed = replace(CHART, series=(Series("Điểm", (72.5, 41.0)),))
    after = charts.render_svg(changed)
    assert len(draws) == 2
    assert after != before
    assert charts.chart_digest(changed, "svg") != charts.chart_digest(CHART, "svg")
    # The same data again (a new but equal object) is the same drawing.
    assert charts.render_svg(replace(CHART)) == before
    assert len(draws) == 2


def test_the_renderer_version_is_part_of_the_key(
    draws: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    charts.render_svg(CHART)
    monkeypatch.setattr(charts, "RENDERER_VERSION", charts.RENDERER_VERSION + "-next")
    charts._local.clear()
    charts.render_svg(CHART)
    assert len(draws) == 2


@pytest.mark.django_db
def test_the_database_cache_shares_drawings(draws: list[str]) -> None:
    from django.core.cache import cache
    from django.core.management import call_command

    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)
        png = charts.render_png(CHART)
        key = charts.CACHE_PREFIX + charts.chart_digest(CHART, f"png@{charts.SCREEN_DPI}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM caunoi_chart_cache_test")
            assert cursor.fetchone()[0] == 1  # stored in the table
        assert cache.get(key) == png
        charts._local.clear()  # another worker
        assert charts.render_png(CHART) == png
        assert len(draws) == 1
        charts.cache_clear()  # forgets it in the table too
        assert cache.get(key) is None
        charts.render_png(CHART)
        assert len(draws) == 2


@pytest.mark.django_db
def test_migrate_creates_the_database_cache_table() -> None:
    from django.apps import apps
    from django.db.models.signals import post_migrate

    table = "caunoi_cache_after_migrate"
    location = {"default": {**DATABASE_CACHE["default"], "LOCATION": table}}
    assert table not in connection.introspection.table_names()
    with override_settings(CACHES=location):
        core = apps.get_app_config("core")
        post_migrate.send(
            sender=core,
            app_config=core,
            verbosity=0,
            interactive=False,
            using="default",
            apps=apps,
            plan=[],
        )
    assert table in connection.introspection.table_names()
