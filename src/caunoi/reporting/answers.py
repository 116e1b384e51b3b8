"""Check and clean a submission's answers against its template's indicators.

Drafts are checked for form (a number is a number, a choice is one of the choices, ranges);
a submission must also answer every required indicator. Every bad answer is named at once,
under its indicator's code (a table's cells as ``code.row.column``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from caunoi.reporting.models import IndicatorKind

MAX_TEXT = 20_000
_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")
MAX_ROWS = 500
_YES = {"yes", "true", "1", "on", "có", "co", "x"}
_NO = {"no", "false", "0", "off", "không", "khong"}


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def parse_number(value: Any) -> Decimal | None:
    """A number from JSON or from a form, read the Vietnamese way: "1.234,5", "1234,5",
    "1 234,5" and "1234.5" are the same number; "1.234" (dots grouping thousands) is 1234."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." in text:
            text = text.replace(".", "").replace(",", ".")
        elif "," in text:
            text = text.replace(",", ".")
        elif _THOUSANDS.fullmatch(text):  # Vietnamese grouping: "1.234" is 1234
            text = text.replace(".", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    return number if number.is_finite() else None


def _json_number(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _number(indicator: Any, value: Any, errors: list[str]) -> int | float | None:
    number = parse_number(value)
    if number is None:
        errors.append(_("Enter a number."))
        return None
    low, high = indicator.min_value, indicator.max_value
    if indicator.kind == IndicatorKind.PERCENT:
        low = Decimal(0) if low is None else max(low, Decimal(0))
        high = Decimal(100) if high is None else min(high, Decimal(100))
    if low is not None and number < low:
        errors.append(_("The value must be at least %s.") % _json_number(Decimal(low)))
    if high is not None and number > high:
        errors.append(_("The value must be at most %s.") % _json_number(Decimal(high)))
    return _json_number(number)


def _yesno(value: Any, errors: list[str]) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    errors.append(_("Answer yes or no."))
    return None


def _table(indicator: Any, value: Any, problems: dict[str, list[str]]) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
        problems[indicator.code] = [_("A table is a list of rows.")]
        return []
    if len(value) > MAX_ROWS:
        problems[indicator.code] = [_("A table has at most %d rows.") % MAX_ROWS]
        return []
    columns = {c["code"]: c for c in indicator.columns}
    rows = []
    for i, row in enumerate(value):
        clean: dict[str, Any] = {}
        for code, cell in row.items():
            where = f"{indicator.code}.{i}.{code}"
            column = columns.get(code)
            if column is None:
                problems[where] = [_("Unknown column.")]
                continue
            if is_empty(cell):
                continue
            if column.get("kind") == "number":
                cell_errors: list[str] = []
                number = parse_number(cell)
                if number is None:
                    cell_errors.append(_("Enter a number."))
                    problems[where] = cell_errors
                else:
                    clean[code] = _json_number(number)
            else:
                clean[code] = str(cell).strip()[:MAX_TEXT]
        if clean:
            rows.append(clean)
    return rows


def clean_answers(
    indicators: Iterable[Any], answers: Mapping[str, Any], *, final: bool
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The answers in their stored form, and every problem by indicator code.

    Codes the template does not have are refused; ``final`` (submitting) also requires the
    required indicators.
    """
    by_code = {i.code: i for i in indicators}
    problems: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for code in answers:
        if code not in by_code:
            problems[code] = [_("The template has no indicator with this code.")]
    for code, indicator in by_code.items():
        value = answers.get(code)
        if isinstance(value, str):
            value = value.strip()
        if is_empty(value):
            if final and indicator.required:
                problems[code] = [_("This answer is required before the report is submitted.")]
            continue
        errors: list[str] = []
        kind = indicator.kind
        result: Any = None
        if kind == IndicatorKind.TEXT:
            result = str(value)
            if len(result) > MAX_TEXT:
                errors.append(_("At most %d characters.") % MAX_TEXT)
        elif kind in (IndicatorKind.NUMBER, IndicatorKind.PERCENT):
            result = _number(indicator, value, errors)
        elif kind == IndicatorKind.YESNO:
            result = _yesno(value, errors)
        elif kind == IndicatorKind.CHOICE:
            allowed = [c["value"] for c in indicator.choices]
            if str(value) in allowed:
                result = str(value)
            else:
                errors.append(_("Choose one of: %s.") % ", ".join(allowed))
        elif kind == IndicatorKind.TABLE:
            result = _table(indicator, value, problems)
            if final and indicator.required and not result and code not in problems:
                errors.append(_("This answer is required before the report is submitted."))
        elif kind == IndicatorKind.FILE:
            if isinstance(value, Mapping) and value.get("name") and value.get("path"):
                result = {"name": str(value["name"]), "path": str(value["path"])}
            else:
                errors.append(_("Attach a file."))
        if errors:
            problems[code] = errors
        elif not is_empty(result):
            clean[code] = result
    return clean, problems


def display(indicator: Any, value: Any) -> str:
    """An answer as people read it (history, review, consolidated report)."""
    if is_empty(value):
        return "—"
    if indicator is None:
        return str(value)
    if indicator.kind == IndicatorKind.YESNO:
        return str(_("yes") if value else _("no"))
    if indicator.kind == IndicatorKind.CHOICE:
        labels = {c["value"]: c.get("label_vi", c["value"]) for c in indicator.choices}
        return str(labels.get(value, value))
    if indicator.kind in (IndicatorKind.NUMBER, IndicatorKind.PERCENT):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return str(value)
        number = f"{value:,}".replace(",", "\u202f").replace(".", ",")
        suffix = "%" if indicator.kind == IndicatorKind.PERCENT else f" {indicator.unit}"
        return (number + suffix).strip()
    if indicator.kind == IndicatorKind.TABLE:
        if not isinstance(value, list):
            return str(value)
        columns = [c["code"] for c in indicator.columns]
        return "; ".join(" | ".join(str(r.get(c, "")) for c in columns) for r in value)
    if indicator.kind == IndicatorKind.FILE:
        return str(value.get("name", "")) if isinstance(value, Mapping) else str(value)
    return str(value)
