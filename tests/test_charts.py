"""The chart data type: its table, its CSV and its checks."""

import csv
import io

import pytest

from caunoi.core.charts import Chart, Series, to_csv


def test_csv_has_a_row_per_category_and_neutralises_formulas() -> None:
    chart = Chart(
        key="copubs",
        title="Bài báo đồng tác giả",
        kind="bar",
        categories=("Hàn Quốc", "=HYPERLINK(1)"),
        series=(Series("2023", (12.0, 3.5)), Series("2024", (None, 7.0))),
    )
    rows = list(csv.reader(io.StringIO(to_csv(chart))))
    assert rows == [["", "2023", "2024"], ["Hàn Quốc", "12", ""], ["'=HYPERLINK(1)", "3.5", "7"]]
    assert chart.rows[0] == ("Hàn Quốc", [12.0, None])
    assert not chart.empty


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="2 values for 1 categories"):
        Chart(key="x", title="x", kind="line", categories=("a",), series=(Series("s", (1.0, 2.0)),))


def test_a_chart_without_values_is_empty() -> None:
    assert Chart(
        key="x", title="x", kind="bar", categories=("a",), series=(Series("s", (None,)),)
    ).empty
    assert Chart(key="x", title="x", kind="bar", categories=(), series=()).empty
