"""The evaluation charts everywhere: in the consolidated report (DOCX and PDF) as an annex
when there are figures, on the home dashboard as a panel for network staff (with their
downloads), and on the evaluation pages as PNG, SVG and CSV downloads."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from caunoi.reporting import evaluation, evaluation_sets, series
from caunoi.reporting.consolidated import EVALUATION_HEADING
from caunoi.reporting.models_evaluation import EvalIndicator, SeriesOrigin, SeriesValue
from caunoi.reporting.outputs import write
from support import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(admin: Any, taxonomy: Any) -> dict[str, Any]:
    """A criteria set over 2030 with one entered value (score 50 on relevance), the
    co-publications with Korea and Japan in 2028-2030 (and one year after the campaign),
    and a national series over three years."""
    cs = evaluation_sets.criteria_set_new(
        user=admin,
        code="bo-2030",
        title_vi="Bộ tiêu chí 2030",
        period_start=dt.date(2030, 1, 1),
        period_end=dt.date(2030, 12, 31),
        criteria=[
            {
                "code": "relevance",
                "weight": 2,
                "indicators": [{"code": "hl", "label_vi": "Mức độ hài lòng", "target": 10}],
            },
            {
                "code": "impact",
                "indicators": [{"code": "tt", "label_vi": "Tác động", "target": 4}],
            },
        ],
    )
    evaluation.entry_save(
        user=admin,
        indicator=EvalIndicator.objects.get(code="hl"),
        value="5",
        note="Khảo sát",
        evidence_url="https://khaosat.vn/2030",
    )
    catalog = series.ensure_catalog()
    copub = catalog[series.COPUB]
    for year, kr, jp in ((2028, 100, 80), (2029, 120, 90), (2030, 150, 70), (2031, 999, 1)):
        for partner, value in (("KR", kr), ("JP", jp), ("", kr + jp)):
            SeriesValue.objects.create(
                indicator=copub,
                year=year,
                partner=partner,
                value=Decimal(value),
                source="OpenAlex",
                origin=SeriesOrigin.IMPORTED,
            )
    mobility = catalog[series.MOBILITY]
    for year, value in ((2028, 10), (2029, 12), (2030, 15)):
        SeriesValue.objects.create(
            indicator=mobility,
            year=year,
            value=Decimal(value),
            source="Hồ sơ đoàn ra",
            origin=SeriesOrigin.ENTERED,
        )
    return {"set": cs}


ANNEX_CHARTS = 5  # scores by criterion, top partners, their trend, the total, one series


def test_the_docx_has_the_evaluation_annex(filled: Any, figures: Any) -> None:
    doc = Document(io.BytesIO(write(filled, "docx")))
    texts = [p.text for p in doc.paragraphs]
    heading = next(t for t in texts if EVALUATION_HEADING.upper() in t)
    numbered = [t for t in texts if t.split(".")[0] and set(t.split(".")[0]) <= set("IVX")]
    assert numbered[-1] == heading  # the last annex, after the report's own sections
    assert len(doc.inline_shapes) == 3 + ANNEX_CHARTS
    text = "\n".join(texts)
    assert "Biểu đồ 4. Điểm theo tiêu chí: Bộ tiêu chí 2030" in text
    assert "Biểu đồ 5. Đối tác hàng đầu năm 2030" in text  # the campaign's last year, not 2031
    assert "điểm chung 50,0/100" in text  # relevance 50, impact without value: left out
    assert "Tính phù hợp: 50,0 ((1 × 50) / 1)" in text
    # every indicator with its value, formula and evidence
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Tiêu chí")
    row = [c.text for c in table.rows[1].cells]
    assert row == [
        "Tính phù hợp",
        "Mức độ hài lòng",
        "5",
        "≥ 10",
        "50",
        "min(5 / 10; 1) × 100",
        "Nhập kèm minh chứng: Khảo sát (https://khaosat.vn/2030)",
    ]
    captions = [t for t in texts if t.startswith("Biểu đồ ")]
    assert len(captions) == 3 + ANNEX_CHARTS


def test_the_pdf_has_the_evaluation_annex(filled: Any, figures: Any) -> None:
    reader = PdfReader(io.BytesIO(write(filled, "pdf")))
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = " ".join(text.split())
    assert EVALUATION_HEADING.upper() in flat
    assert "Biểu đồ 4. Điểm theo tiêu chí: Bộ tiêu chí 2030" in flat
    assert sum(len(p.images) for p in reader.pages) == 3 + ANNEX_CHARTS


def test_no_annex_without_figures(filled: Any) -> None:
    doc = Document(io.BytesIO(write(filled, "docx")))
    assert not any(EVALUATION_HEADING.upper() in p.text for p in doc.paragraphs)
    assert len(doc.inline_shapes) == 3


def test_the_home_panel_for_staff_only(
    figures: Any, admin: Any, viewer: Any, other: Any, client: Any
) -> None:
    page = client.get("/").content.decode()  # anonymous
    assert 'id="reporting-evaluation"' not in page
    for user in (viewer, other, admin):
        page = login(user).get("/").content.decode()
        assert 'id="reporting-evaluation"' in page
        assert 'id="chart-copub-top"' in page and 'id="chart-copub-total"' in page
        assert 'id="chart-criteria"' in page and "Bộ tiêu chí 2030" in page
        assert "/reporting/evaluation/?chart=copub-top&amp;format=svg" in page
    # the downloads, served by the evaluation list page under its access rule
    staff = login(viewer)
    csv = staff.get("/reporting/evaluation/?chart=copub-top&format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert body.splitlines()[1:] == ["Hàn Quốc,999", "Nhật Bản,1"]  # the latest year: 2031
    png = staff.get("/reporting/evaluation/?chart=criteria&format=png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    svg = staff.get("/reporting/evaluation/?chart=copub-total&format=svg")
    assert svg.status_code == 200 and b"<svg" in svg.content
    assert staff.get("/reporting/evaluation/?chart=nope&format=csv").status_code == 404
    assert client.get("/reporting/evaluation/?chart=criteria&format=csv").status_code == 302


def test_the_home_panel_when_there_is_nothing_yet(admin: Any, other: Any) -> None:
    page = login(admin).get("/").content.decode()
    assert 'id="reporting-evaluation"' in page
    assert 'id="copub-empty"' in page and 'id="set-empty"' in page
    assert "/reporting/evaluation/new/" in page  # HTQT may create the first set
    page = login(other).get("/").content.decode()
    assert 'id="set-empty"' in page and "/reporting/evaluation/new/" not in page


def test_evaluation_pages_serve_png_svg_and_csv(figures: Any, viewer: Any) -> None:
    client = login(viewer)
    url = figures["set"].get_absolute_url()
    page = client.get(url).content.decode()
    assert f"{url}?chart=criteria&amp;format=png" in page
    png = client.get(f"{url}?chart=criteria&format=png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    csv = client.get(f"{url}?chart=criteria&format=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[1:] == ["Tính phù hợp,50", "Tác động,"]
    svg = client.get("/reporting/evaluation/copublications/?chart=copub-trend&format=svg")
    assert svg.status_code == 200 and b"Nh\xe1\xba\xadt B\xe1\xba\xa3n" in svg.content


def test_the_panel_follows_a_new_value_and_a_new_version(figures: Any, admin: Any) -> None:

    client = login(admin)
    page = client.get("/").content.decode()
    assert "Bộ tiêu chí 2030" in page and "<strong>50,0</strong>" in page
    evaluation.entry_save(
        user=admin,
        indicator=EvalIndicator.objects.get(code="tt"),
        value="4",
        note="Đánh giá độc lập",
        evidence_url="https://danhgia.vn/2030",
    )
    # relevance 50 (weight 2), impact 100 (weight 1): (2 × 50 + 1 × 100) / 3
    assert "<strong>66,7</strong>" in client.get("/").content.decode()
    cs = figures["set"]
    evaluation_sets.criteria_set_update(
        user=admin,
        criteria_set=cs,
        expected_version=cs.version,
        title_vi="Bộ tiêu chí 2030 (sửa)",
        period_start=cs.period_start,
        period_end=cs.period_end,
        criteria=[{**c, "weight": 1} for c in evaluation_sets.structure_of(cs)],
    )
    page = client.get("/").content.decode()
    assert "Bộ tiêu chí 2030 (sửa)" in page and "<strong>75,0</strong>" in page
