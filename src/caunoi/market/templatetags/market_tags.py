"""Template helpers of the marketplace: amounts grouped as the reader's language writes them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import numberformat
from django.utils.formats import get_format

register = template.Library()


def amount(value: Any) -> str:
    """``3000000000.00`` → ``3.000.000.000`` (vi) or ``3,000,000,000`` (en): groups of three
    always (Django's Vietnamese format sets no grouping), decimals only when there are any."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    whole = number == number.to_integral()
    number = number.quantize(Decimal(1)) if whole else number.normalize()
    return numberformat.format(
        number,
        str(get_format("DECIMAL_SEPARATOR")),
        grouping=3,
        thousand_sep=str(get_format("THOUSAND_SEPARATOR")),
        force_grouping=True,
    )


register.filter("amount", amount)


@register.simple_tag(takes_context=True)
def page_query(context: Any, param: str, number: int) -> str:
    """The current query string with one pager's parameter (``page``, or a section's own on a
    page with several lists) set to ``number``: the filters and the other pagers kept."""
    params = context["request"].GET.copy()
    params[param or "page"] = str(number)
    params.pop("export", None)
    return str(params.urlencode())
