"""Charts as data: what a dashboard or a report shows, independent of how it is drawn.

An app builds a ``Chart`` from its own records; the page includes ``core/chart.html`` with
``chart=...``, which shows the figure and its data as a table (readable without the image,
and what screen readers get), and every chart's data downloads as CSV (``to_csv``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from django.http import HttpResponse

ChartKind = Literal["bar", "hbar", "stacked_bar", "line"]

# A cell starting with one of these is read as a formula by spreadsheets (OWASP "CSV
# injection"); a leading ``'`` makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """A CSV cell that no spreadsheet runs: text whose first character after any quotes
    would start a formula gets a leading ``'`` (quotes included, so import can undo it
    exactly)."""
    if isinstance(value, str) and value.lstrip("'")[:1] in FORMULA_STARTS:
        return "'" + value
    return value


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # one per category; None: no value


@dataclass(frozen=True)
class Chart:
    key: str  # unique on its page, URL-safe: the downloads' file name
    title: str
    kind: ChartKind
    categories: tuple[str, ...]  # x axis (or y for ``hbar``)
    series: tuple[Series, ...]
    unit: str = ""  # of the values, e.g. "%" or "bài báo"
    source: str = ""  # where the numbers come from, shown under the chart

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"chart {self.key}: series {s.name!r} has {len(s.values)} values "
                    f"for {len(self.categories)} categories"
                )

    @property
    def rows(self) -> list[tuple[str, list[float | None]]]:
        """(category, the value of each series) in order: the table under the chart."""
        return [
            (category, [s.values[i] for s in self.series])
            for i, category in enumerate(self.categories)
        ]

    @property
    def empty(self) -> bool:
        return not self.categories or all(v is None for s in self.series for v in s.values)


def to_csv(chart: Chart) -> str:
    """The chart's data: one row per category, one column per series."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(h) for h in ["", *(s.name for s in chart.series)]])
    for category, values in chart.rows:
        writer.writerow([csv_safe(category), *("" if v is None else _number(v) for v in values)])
    return out.getvalue()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# --- drawing ----------------------------------------------------------------------------------
#
# matplotlib (Agg, no pyplot: no global figure state, safe in threads) draws every kind the
# same way on every page and in every report. Its bundled DejaVu Sans has every Vietnamese
# letter, so no system font is needed. The output is deterministic: the SVG's ids come from
# a fixed salt, no date or version is written into either format, so tests compare bytes.

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
FONT = "DejaVu Sans"
SCREEN_DPI = 100
PRINT_DPI = 300  # the DOCX and PDF reports
_WIDTH_IN = 7.0
_MAX_LABEL = 32  # characters per line of a category label


def _rc() -> Any:  # matplotlib types the keys as literals
    from cycler import cycler

    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT],
        "font.size": 9,
        "svg.fonttype": "none",  # text stays text: selectable, searchable, small
        "svg.hashsalt": "caunoi-chart",
        "text.parse_math": False,  # labels are record text: "US$ 5" is not mathtext
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
    }


def _label(text: str, width: int = _MAX_LABEL) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _figure(chart: Chart) -> Any:
    from matplotlib.figure import Figure

    rows = max(len(chart.categories), 1)
    if chart.kind == "hbar":
        height = min(max(1.6 + 0.32 * rows * max(len(chart.series), 1) ** 0.5, 2.6), 9.0)
    else:
        height = 3.6
    if len(chart.series) > 1:
        height += 0.3 * ((len(chart.series) + 1) // 2)  # the legend's rows
    fig = Figure(figsize=(_WIDTH_IN, height), layout="constrained")
    ax = fig.subplots()
    ax.set_title(chart.title, loc="left", fontsize=10, fontweight="bold")
    if chart.empty:
        from django.utils.translation import gettext

        ax.set_axis_off()
        ax.text(0.5, 0.5, gettext("No data yet."), ha="center", va="center")
        return fig
    values = [[0.0 if v is None else float(v) for v in s.values] for s in chart.series]
    positions = list(range(len(chart.categories)))
    n = len(chart.categories)
    wrap = _MAX_LABEL if chart.kind == "hbar" else max(10, min(_MAX_LABEL, 90 // n))
    labels = [_label(c, wrap) for c in chart.categories]
    k = len(chart.series)
    if chart.kind in ("bar", "hbar"):
        step = 0.8 / k
        for i, (s, vals) in enumerate(zip(chart.series, values, strict=True)):
            offsets = [p - 0.4 + step * (i + 0.5) for p in positions]
            if chart.kind == "bar":
                bars = ax.bar(offsets, vals, step, label=s.name)
            else:
                bars = ax.barh(offsets, vals, step, label=s.name)
            ax.bar_label(bars, labels=[_short(v) for v in s.values], padding=2, fontsize=7)
    elif chart.kind == "stacked_bar":
        bottom = [0.0] * len(positions)
        for s, vals in zip(chart.series, values, strict=True):
            ax.bar(positions, vals, 0.7, bottom=bottom, label=s.name)
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        for p, total in zip(positions, bottom, strict=True):
            ax.annotate(
                _short(total),
                (p, total),
                ha="center",
                va="bottom",
                fontsize=7,
                xytext=(0, 2),
                textcoords="offset points",
            )
    else:  # line
        for s in chart.series:
            ax.plot(
                positions,
                [float("nan") if v is None else v for v in s.values],
                marker="o",
                label=s.name,
            )
    whole = all(float(v).is_integer() for s in chart.series for v in s.values if v is not None)
    value_axis = ax.xaxis if chart.kind == "hbar" else ax.yaxis
    if whole:
        from matplotlib.ticker import MaxNLocator

        value_axis.set_major_locator(MaxNLocator(integer=True))
    if chart.kind == "hbar":
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()  # the first category on top, as in the table
        ax.margins(x=0.12)
        if chart.unit:
            ax.set_xlabel(chart.unit)
    else:
        rotate = n > 8
        ax.set_xticks(
            positions, labels, rotation=30 if rotate else 0, ha="right" if rotate else "center"
        )
        ax.margins(y=0.15)
        if chart.unit:
            ax.set_ylabel(chart.unit)
    if k > 1:  # under the plot, so it never covers a bar
        wide = sum(len(s.name) for s in chart.series) > 70
        fig.legend(
            loc="outside lower center", ncols=2 if wide else min(k, 4), frameon=False, fontsize=8
        )
    return fig


def _short(value: float | None) -> str:
    if value is None:
        return ""
    v = float(value)
    return f"{int(v):,}".replace(",", ".") if v.is_integer() else f"{v:.1f}".replace(".", ",")


# --- the drawn charts' cache ------------------------------------------------------------------
#
# Drawing takes 0.1–1 s a chart, so drawn charts are kept in Django's cache (``CACHES``: the
# database or Redis is shared by every worker; locmem is per process), under a digest of the
# chart's data, the format (and resolution) and ``RENDERER_VERSION``, for
# ``CAUNOI_CHART_CACHE_SECONDS`` (a day by default); a cache alias ``charts`` in ``CACHES``, when
# there is one, is used instead of ``default`` (keeping drawings apart from the rate-limit
# counters, e.g. with a larger ``MAX_ENTRIES`` for the database cache). A small in-process
# LRU in front saves the cache's round trip for the charts a worker serves most. A changed
# series is another digest: nothing needs invalidating; stale entries expire.

RENDERER_VERSION = "1"  # bump when the drawing changes (what ``_figure``/``_rc`` produce)
CACHE_PREFIX = "caunoi:chart:"
CACHE_SECONDS = 24 * 3600
LOCAL_SIZE = 64

_T = TypeVar("_T", bytes, str)
_local: OrderedDict[str, Any] = OrderedDict()
_lock = threading.Lock()
_seen: set[str] = set()  # shared keys this process used since the last ``cache_clear``
_SEEN_MAX = 4096  # (bounded: ``cache_clear`` serves tests and benchmarks, not a server)


def chart_digest(chart: Chart, fmt: str) -> str:
    """What identifies a drawing: the chart's data, the format, the renderer's version (and
    the language for an empty chart, whose "no data" text is translated)."""
    import matplotlib

    parts: dict[str, Any] = {
        "chart": asdict(chart),
        "format": fmt,
        "renderer": RENDERER_VERSION,
        "matplotlib": matplotlib.__version__,
    }
    if chart.empty:
        from django.utils.translation import get_language

        parts["language"] = get_language() or ""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cache() -> Any:
    from django.conf import settings
    from django.core.cache import caches

    return caches["charts" if "charts" in settings.CACHES else "default"]


def _drawn(chart: Chart, fmt: str, draw: Callable[[], _T]) -> _T:
    from django.conf import settings

    cache = _cache()
    key = CACHE_PREFIX + chart_digest(chart, fmt)
    with _lock:
        if key in _local:
            _local.move_to_end(key)
            return _local[key]  # type: ignore[no-any-return]
    if len(_seen) < _SEEN_MAX:
        _seen.add(key)
    content = cache.get(key)
    if content is None:
        content = draw()
        cache.set(key, content, getattr(settings, "CAUNOI_CHART_CACHE_SECONDS", CACHE_SECONDS))
    with _lock:
        _local[key] = content
        while len(_local) > LOCAL_SIZE:
            _local.popitem(last=False)
    return content  # type: ignore[no-any-return]


def cache_clear() -> None:
    """Forget the drawings this process knows of, in memory and in the shared cache, so the
    next render draws again (tests of determinism, the benchmarks' "charts drawn")."""
    with _lock:
        _local.clear()
        keys = list(_seen)
        _seen.clear()
    if keys:
        _cache().delete_many(keys)


def _draw_png(chart: Chart, dpi: int) -> bytes:
    import matplotlib

    with matplotlib.rc_context(_rc()):
        fig = _figure(chart)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def _draw_svg(chart: Chart) -> str:
    import matplotlib

    with matplotlib.rc_context(_rc()):
        fig = _figure(chart)
        out = io.StringIO()
        fig.savefig(
            out,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return sanitise_svg(out.getvalue(), prefix=chart.key, title=chart.title)


def render_png(chart: Chart, *, dpi: int = SCREEN_DPI) -> bytes:
    """The chart as a PNG (``dpi``: ``SCREEN_DPI`` for pages, ``PRINT_DPI`` for reports),
    drawn once and then taken from the cache."""
    return _drawn(chart, f"png@{dpi}", lambda: _draw_png(chart, dpi))


def render_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document, sanitised (see ``sanitise_svg``): the same
    markup is shown inline on the pages and downloaded. Drawn once, then from the cache."""
    return _drawn(chart, "svg", lambda: _draw_svg(chart))


# Callers that cleared the former per-function caches keep working.
render_png.cache_clear = cache_clear  # type: ignore[attr-defined]
render_svg.cache_clear = cache_clear  # type: ignore[attr-defined]


# What the inline SVG may contain. Everything else (scripts, <style>, foreign objects, event
# handlers, external links, metadata) is dropped; ``style`` attributes become presentation
# attributes, which the Content-Security-Policy (``style-src 'self'``) allows.
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "path",
        "defs",
        "use",
        "rect",
        "clipPath",
        "text",
        "tspan",
        "line",
        "polyline",
        "polygon",
        "circle",
        "ellipse",
    ]
)
_ATTRIBUTES = frozenset(
    [
        "width",
        "height",
        "viewBox",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "transform",
        "clip-path",
        "id",
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linejoin",
        "stroke-linecap",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "opacity",
        "font-size",
        "font-family",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
    ]
)
_STYLE_PROPERTIES = _ATTRIBUTES - {"width", "height", "viewBox", "d", "points", "transform", "id"}


def sanitise_svg(svg: str, *, prefix: str, title: str = "") -> str:
    """An SVG reduced to the whitelisted elements and attributes above: ``style``
    declarations become attributes, ids are kept only where referenced and prefixed with
    ``prefix`` (several charts on one page keep distinct ids), references may only point
    inside the document, and a ``<title>`` names it for screen readers. Returns markup
    without an XML declaration, safe to place in HTML (every value is escaped here)."""
    import re
    from xml.etree import ElementTree

    from django.utils.html import escape

    root = ElementTree.fromstring(svg)  # our renderer's output
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", prefix) or "chart"
    local = re.compile(r"^#([A-Za-z0-9_.:-]+)$|^url\(#([A-Za-z0-9_.:-]+)\)$")
    used: set[str] = set()
    for el in root.iter():
        for value in [*el.attrib.values(), *(el.get("style") or "").split(";")]:
            for match in re.finditer(
                r"url\(#([A-Za-z0-9_.:-]+)\)|^#([A-Za-z0-9_.:-]+)$", value.strip()
            ):
                used.add(match.group(1) or match.group(2))

    def reference(value: str) -> str | None:
        match = local.match(value.strip())
        if not match:
            return None
        target = match.group(1) or match.group(2)
        if target not in used:
            return None
        return f"#{prefix}-{target}" if match.group(1) else f"url(#{prefix}-{target})"

    def attributes(el: Any) -> dict[str, str]:
        out: dict[str, str] = {}
        for declaration in (el.get("style") or "").split(";"):
            name, _, value = declaration.partition(":")
            if name.strip() in _STYLE_PROPERTIES:
                out[name.strip()] = value.strip()
        for name, value in el.attrib.items():
            if name in (f"{{{_XLINK_NS}}}href", "href"):
                name = "href"
            elif name not in _ATTRIBUTES:
                continue
            out[name] = value
        for name, value in list(out.items()):
            if name == "href" or "url(" in value:
                target = reference(value)
                if target is None:
                    del out[name]
                else:
                    out[name] = target
        if "id" in out:
            if out["id"] in used:
                out["id"] = f"{prefix}-{out['id']}"
            else:
                del out["id"]
        return out

    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag.rpartition("}")[2]
        if tag not in _ELEMENTS:
            return
        attrs = attributes(el)
        text = escape(el.text.strip()) if el.text and el.text.strip() else ""
        if tag == "svg":
            attrs = {
                "xmlns": _SVG_NS,
                **{k: attrs[k] for k in ("width", "height", "viewBox") if k in attrs},
                "role": "img",
                "class": "chart-svg",
                # matplotlib's <style> rule, as attributes the children inherit
                "stroke-linejoin": "round",
                "stroke-linecap": "butt",
            }
            if title:
                attrs["aria-label"] = title
                text = f"<title>{escape(title)}</title>"
        rendered = "".join(f' {k}="{escape(v)}"' for k, v in attrs.items())
        children = list(el)
        if not children and not text:
            parts.append(f"<{tag}{rendered}/>")
            return
        parts.append(f"<{tag}{rendered}>{text}")
        for child in children:
            walk(child)
            if child.tail and child.tail.strip():
                parts.append(escape(child.tail.strip()))
        parts.append(f"</{tag}>")

    walk(root)
    return "\n".join(parts) + "\n"


# --- downloads --------------------------------------------------------------------------------

FORMATS = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv; charset=utf-8",
}


def chart_response(chart: Chart, fmt: str) -> HttpResponse:
    """The chart as a download: ``png``, ``svg`` or ``csv`` (404 for another format)."""
    from django.http import Http404, HttpResponse

    if fmt not in FORMATS:
        raise Http404
    if fmt == "png":
        content: bytes | str = render_png(chart)
    elif fmt == "svg":
        content = '<?xml version="1.0" encoding="utf-8"?>\n' + render_svg(chart)
    else:
        content = "\ufeff" + to_csv(chart)  # the BOM: spreadsheets read it as UTF-8
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{chart.key}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def chart_download(request: Any, charts: Any) -> HttpResponse | None:
    """For a page that shows charts: when the request asks for one
    (``?chart=KEY&format=png|svg|csv``), its download, else None and the page renders.
    ``charts`` is the page's charts, or a callable building them (only called when asked).
    An unknown key or format is 404. Nothing is registered anywhere: each page serves its
    own charts, under its own permission checks."""
    from django.http import Http404

    key = request.GET.get("chart")
    if not key:
        return None
    for chart in charts() if callable(charts) else charts:
        if chart.key == key:
            return chart_response(chart, request.GET.get("format", "png"))
    raise Http404
