"""``{% chart_svg chart %}``: a chart drawn inline as sanitised SVG (``core.charts``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from caunoi.core.charts import Chart, render_svg

register = template.Library()


@register.simple_tag
def chart_svg(chart: Chart) -> SafeString:
    # Safe: ``render_svg`` rebuilds the markup from whitelisted elements and attributes and
    # escapes every value and text (``sanitise_svg``).
    return mark_safe(render_svg(chart))
