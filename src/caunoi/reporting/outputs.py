"""The consolidated report in each format: one entry point for the page, the CLI and the job
(the writers live with their format: DOCX and XLSX in ``consolidated``, PDF in ``pdf``)."""

from __future__ import annotations

from typing import Any

from caunoi.reporting.consolidated import Consolidated, consolidate, write_docx, write_xlsx
from caunoi.reporting.models import Campaign
from caunoi.reporting.pdf import write_pdf

WRITERS = {"docx": write_docx, "pdf": write_pdf, "xlsx": write_xlsx}


def render(data: Consolidated, fmt: str) -> bytes:
    if fmt not in WRITERS:
        raise ValueError(fmt)
    return WRITERS[fmt](data)


def write(campaign: Campaign, fmt: str, *, reader: Any = None) -> bytes:
    """``reader``: whom the report's agreements charts count for (``consolidate``)."""
    return render(consolidate(campaign, reader=reader), fmt)
