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


# --- drawing and downloads ---------------------------------------------------------------------

VI = Chart(
    key="theo-vung",
    title="Tỷ lệ gửi báo cáo theo vùng",
    kind="hbar",
    categories=("Đồng bằng sông Hồng", "Tây Nguyên"),
    series=(Series("Đã gửi (%)", (85.4, 70.0)), Series("Đúng hạn (%)", (60.0, None))),
    unit="%",
)


def _kinds() -> list[Chart]:
    return [
        Chart(
            key=f"k-{kind}",
            title=f"Biểu đồ {kind}",
            kind=kind,
            categories=("Bộ, ngành", "Tỉnh, thành phố", "Cơ quan"),
            series=(Series("Phải gửi", (19.0, 63.0, 2.0)), Series("Đã gửi", (15.0, 55.0, None))),
        )
        for kind in ("bar", "hbar", "stacked_bar", "line")
    ]


@pytest.mark.parametrize("chart", _kinds(), ids=lambda c: c.kind)
def test_every_kind_draws_as_png_and_svg(chart: Chart) -> None:
    from xml.etree import ElementTree

    from PIL import Image

    from caunoi.core.charts import render_png, render_svg

    png = render_png(chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(png)).size[0] == 700  # 7 inches at the screen's 100 dpi
    svg = render_svg(chart)
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = "".join(root.itertext())
    assert "Tỉnh, thành phố" in texts and "Đã gửi" in texts  # text stays text, in Vietnamese


def test_the_output_is_deterministic_and_print_resolution_is_larger() -> None:
    from PIL import Image

    from caunoi.core.charts import PRINT_DPI, render_png, render_svg

    first_svg, first_png = render_svg(VI), render_png(VI)
    render_svg.cache_clear()
    render_png.cache_clear()
    assert render_svg(VI) == first_svg  # no date, no random id: tests can compare
    assert render_png(VI) == first_png
    width = Image.open(io.BytesIO(render_png(VI, dpi=PRINT_DPI))).size[0]
    assert width == 2100


def test_the_svg_is_safe_inline_under_the_content_security_policy() -> None:
    from caunoi.core.charts import render_svg

    svg = render_svg(VI)
    # style-src 'self' refuses <style> elements and style attributes: none is left
    assert "<style" not in svg and "style=" not in svg
    assert "<script" not in svg and "<metadata" not in svg and "<?xml" not in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<title>Tỷ lệ gửi báo cáo theo vùng</title>" in svg and 'role="img"' in svg
    # every id is prefixed with the chart's key, so two charts on a page never clash
    import re

    ids = re.findall(r' id="([^"]+)"', svg)
    assert ids and all(i.startswith("theo-vung-") for i in ids)
    refs = re.findall(r'(?:href="#|url\(#)([^")]+)', svg)
    assert refs and set(refs) <= set(ids)


def test_the_sanitiser_drops_scripts_handlers_styles_and_outside_links() -> None:
    from caunoi.core.charts import sanitise_svg

    hostile = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10" onload="alert(1)">'
        "<script>alert(2)</script><style>*{fill:red}</style>"
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
        '<defs><clipPath id="c"><rect width="5" height="5"/></clipPath></defs>'
        '<path d="M0 0" style="fill: url(javascript:alert(3)); stroke: #000" onclick="x()" '
        'clip-path="url(#c)"/>'
        '<use xlink:href="https://evil.example/x.svg#a"/>'
        '<text x="1" y="1" style="font-size: 9px">&lt;b&gt;Hà Nội</text>'
        "</svg>"
    )
    out = sanitise_svg(hostile, prefix="a b", title='"Tiêu đề" <x>')
    for bad in ("script", "alert", "onload", "onclick", "foreignObject", "evil", "<style", "red"):
        assert bad not in out
    assert 'clip-path="url(#a-b-c)"' in out and 'id="a-b-c"' in out
    assert 'stroke="#000"' in out and 'font-size="9px"' in out
    assert "&lt;b&gt;Hà Nội" in out
    assert "<title>&quot;Tiêu đề&quot; &lt;x&gt;</title>" in out


def test_a_page_serves_its_charts_as_png_svg_and_csv() -> None:
    from django.http import Http404
    from django.test import RequestFactory

    from caunoi.core.charts import chart_download

    rf = RequestFactory()
    assert chart_download(rf.get("/p/"), [VI]) is None
    csv_response = chart_download(rf.get("/p/", {"chart": "theo-vung", "format": "csv"}), [VI])
    assert csv_response is not None
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"] == 'attachment; filename="theo-vung.csv"'
    body = csv_response.content.decode("utf-8")
    assert body.startswith("\ufeff") and "Đồng bằng sông Hồng,85.4,60" in body
    svg = chart_download(rf.get("/p/", {"chart": "theo-vung", "format": "svg"}), [VI])
    assert svg is not None and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<svg')
    png = chart_download(rf.get("/p/", {"chart": "theo-vung"}), lambda: [VI])
    assert png is not None and png.content.startswith(b"\x89PNG")
    with pytest.raises(Http404):
        chart_download(rf.get("/p/", {"chart": "khac"}), [VI])
    with pytest.raises(Http404):
        chart_download(rf.get("/p/", {"chart": "theo-vung", "format": "exe"}), [VI])


def test_the_template_shows_the_figure_the_folded_table_and_three_links() -> None:
    import re

    from django.template.loader import render_to_string
    from django.test import RequestFactory

    html = render_to_string(
        "core/chart.html", {"chart": VI, "request": RequestFactory().get("/trang/?q=1")}
    )
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "<details" in html and "<table" in html
    assert re.search(r"<td[^>]*>85[,.]40?</td>", html)  # localised: 85,40 in Vietnamese
    for fmt in ("png", "svg", "csv"):
        assert f'href="/trang/?chart=theo-vung&amp;format={fmt}"' in html
    other = render_to_string("core/chart.html", {"chart": VI, "chart_url": "/khac/"})
    assert 'href="/khac/?chart=theo-vung&amp;format=png"' in other
    empty = Chart(key="e", title="Rỗng", kind="bar", categories=(), series=())
    assert "<svg" not in render_to_string("core/chart.html", {"chart": empty})


def test_dollar_signs_in_labels_are_drawn_as_text_not_as_math() -> None:
    from xml.etree import ElementTree

    from caunoi.core.charts import render_png, render_svg

    chart = Chart(
        key="usd",
        title="Giá US$ 5 - US$ 10",
        kind="bar",
        categories=("Quỹ $\\frac{$", "Quỹ US$ 5 - US$ 10"),
        series=(Series("Vốn $x$", (1.0, 2.0)), Series("Vốn US$", (3.0, 4.0))),
    )
    assert render_png(chart).startswith(b"\x89PNG")  # an unbalanced "$" once raised
    texts = "".join(ElementTree.fromstring(render_svg(chart)).itertext())
    assert "Giá US$ 5 - US$ 10" in texts and "Quỹ US$ 5 - US$ 10" in texts
    assert "Vốn $x$" in texts and "Vốn US$" in texts  # the legend
