"""A submission as an XLSX to fill offline, and reading it back.

The first sheet lists the indicators, one a row (code, section, label, kind, unit, required,
answer); each table indicator has its own sheet named by its code (column codes in row 1,
their labels in row 2, rows from row 3). Reading is all or nothing: every bad cell is named
(sheet and cell) and nothing is saved.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from caunoi.core.errors import DomainError
from caunoi.reporting.models import IndicatorKind, Submission

MAIN = "Bao cao"
HEAD = ["Mã", "Mục", "Chỉ tiêu", "Loại", "Đơn vị tính", "Bắt buộc", "Trả lời"]
ANSWER_COLUMN = "G"


def _cell_value(indicator: Any, value: Any) -> Any:
    if value is None:
        return None
    if indicator.kind == IndicatorKind.YESNO:
        return "có" if value else "không"
    return value


def workbook_for(submission: Submission, indicators: list[Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = MAIN
    sheet.append(HEAD)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for ind in indicators:
        if ind.kind in (IndicatorKind.TABLE, IndicatorKind.FILE):
            continue
        kind = ind.get_kind_display()
        if ind.kind == IndicatorKind.CHOICE:
            kind = f"{kind}: " + ", ".join(c["value"] for c in ind.choices)
        sheet.append(
            [
                ind.code,
                str(ind.section),
                ind.label_vi,
                kind,
                ind.unit,
                "x" if ind.required else "",
                _cell_value(ind, submission.answers.get(ind.code)),
            ]
        )
    for ind in indicators:
        if ind.kind != IndicatorKind.TABLE:
            continue
        table = book.create_sheet(ind.code[:31])
        table.append([c["code"] for c in ind.columns])
        table.append([c["label_vi"] for c in ind.columns])
        for row in submission.answers.get(ind.code) or []:
            table.append([row.get(c["code"]) for c in ind.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def answers_from(
    upload: Any, submission: Submission, indicators: list[Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers in the uploaded workbook and, per indicator code, the cell it came from
    (to name it in errors). Refuses a file that is not such a workbook."""
    from openpyxl import load_workbook

    name = (upload.name or "").lower()
    content = upload.read()
    if not name.endswith(".xlsx") or not content.startswith(b"PK\x03\x04"):
        message = _("Upload the XLSX file downloaded from this page.")
        raise DomainError(message, errors={"file": [message]})
    if len(content) > settings.CAUNOI_UPLOAD_MAX_BYTES:
        message = _("The file is too large (limit %(mb)d MB).") % {
            "mb": settings.CAUNOI_UPLOAD_MAX_BYTES // (1024 * 1024)
        }
        raise DomainError(message, errors={"file": [message]})
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        message = _("The file cannot be read as a workbook.")
        raise DomainError(message, errors={"file": [message]}) from exc
    if MAIN not in book.sheetnames:
        message = _("The workbook has no sheet “%s”.") % MAIN
        raise DomainError(message, errors={"file": [message]})
    by_code = {i.code: i for i in indicators}
    answers: dict[str, Any] = {}
    where: dict[str, str] = {}
    for number, row in enumerate(book[MAIN].iter_rows(min_row=2, values_only=True), start=2):
        if not row or row[0] is None:
            continue
        code = str(row[0]).strip()
        value = row[6] if len(row) > 6 else None
        answers[code] = "" if value is None else value
        where[code] = f"{MAIN}!{ANSWER_COLUMN}{number}"
    for code, ind in by_code.items():
        if ind.kind == IndicatorKind.FILE:
            answers[code] = submission.answers.get(code)
        elif ind.kind == IndicatorKind.TABLE:
            sheet_name = code[:31]
            if sheet_name not in book.sheetnames:
                continue
            sheet = book[sheet_name]
            rows = list(sheet.iter_rows(values_only=True))
            if not rows:
                continue
            header = [str(c).strip() if c is not None else "" for c in rows[0]]
            table: list[dict[str, Any]] = []
            for line, values in enumerate(rows[2:], start=3):
                item = {h: v for h, v in zip(header, values, strict=False) if h and v is not None}
                if item:
                    where[f"{code}.{len(table)}"] = str(line)
                    table.append(item)
            answers[code] = table
            where[code] = sheet_name
    return answers, where


def located(exc: DomainError, where: dict[str, str]) -> DomainError:
    """The same refusal with each message prefixed by the cell it is about."""
    errors = {}
    for key, messages in exc.errors.items():
        code, _sep, rest = key.partition(".")
        place = where.get(code, "")
        if rest and place:  # a table cell: its sheet, line and column code
            row, _sep, column = rest.partition(".")
            line = where.get(f"{code}.{row}", "?")
            place = f"{place}, dòng {line}, cột {column}"
        errors[key] = [f"{place}: {m}" if place else m for m in messages]
    return DomainError(exc.message, errors=errors)
