"""Indicator time series: seed 001's indicators, and their imports.

- ``ensure_catalog()`` creates the series the platform follows (idempotent).
- ``read_openalex(path)`` reads the two public OpenAlex folders (the country co-authorship
  networks, one Pajek file per year, and the aggregates of Vietnam-affiliated works) into
  rows, with a report of every bad row; ``import_rows`` stores rows all or nothing.
- ``read_csv(text)`` reads our own CSV of series values (``indicator,year,partner,value``),
  the format of the demo's derived table.
- ``refresh_mobility()`` computes researcher mobility per year from the delegations.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caunoi.accounts.models import User
from caunoi.accounts.services import audit_record
from caunoi.core.errors import DomainError
from caunoi.reporting.models_evaluation import SeriesIndicator, SeriesOrigin, SeriesValue

COPUB = "intl-copublications"
PARTNERS = "copub-partner-countries"
VN_WORKS = "vn-publications"
MOBILITY = "researcher-mobility"

# code, Vietnamese label, English label, unit, description, default source
CATALOG: list[tuple[str, str, str, str, str, str]] = [
    (
        "fdi-tech-transfer",
        "Chuyển giao công nghệ gắn với đầu tư trực tiếp nước ngoài",
        "FDI-linked technology transfer",
        "hợp đồng",
        "Số hợp đồng chuyển giao công nghệ của các dự án có vốn đầu tư trực tiếp nước ngoài.",
        "Báo cáo của các bộ, địa phương",
    ),
    (
        "fdi-rd-centres",
        "Phòng thí nghiệm, trung tâm R&D có vốn đầu tư nước ngoài",
        "Foreign-invested laboratories and R&D centres",
        "cơ sở",
        "Số phòng thí nghiệm, trung tâm nghiên cứu và phát triển do nhà đầu tư nước ngoài "
        "thành lập hoặc góp vốn tại Việt Nam.",
        "Báo cáo của các bộ, địa phương",
    ),
    (
        "tech-alliances",
        "Liên minh công nghệ chiến lược",
        "Strategic technology alliances",
        "liên minh",
        "Số liên minh, thỏa thuận hợp tác công nghệ chiến lược giữa doanh nghiệp, tổ chức "
        "KH&CN Việt Nam và đối tác nước ngoài.",
        "Báo cáo của các bộ, địa phương",
    ),
    (
        MOBILITY,
        "Lưu chuyển nhà khoa học (qua các đoàn ra, đoàn vào)",
        "Researcher mobility (from delegations)",
        "lượt người",
        "Tổng số thành viên các đoàn ra, đoàn vào bắt đầu trong năm, tính từ cơ sở dữ liệu "
        "đoàn của nền tảng.",
        "Cơ sở dữ liệu đoàn ra, đoàn vào của nền tảng",
    ),
    (
        COPUB,
        "Công bố quốc tế có đồng tác giả nước ngoài",
        "Internationally co-authored publications",
        "công bố",
        "Số công trình có tác giả thuộc Việt Nam cùng tác giả nước ngoài; theo từng nước đối "
        "tác, một công trình được tính cho mỗi nước cùng tham gia.",
        "OpenAlex (mạng đồng tác giả giữa các quốc gia, V. Batagelj, 2024)",
    ),
    (
        PARTNERS,
        "Số quốc gia có đồng tác giả với Việt Nam",
        "Countries co-authoring with Viet Nam",
        "quốc gia",
        "Số quốc gia có ít nhất một công trình chung với tác giả thuộc Việt Nam trong năm.",
        "OpenAlex (mạng đồng tác giả giữa các quốc gia, V. Batagelj, 2024)",
    ),
    (
        VN_WORKS,
        "Công bố có tác giả thuộc tổ chức Việt Nam",
        "Publications with a Vietnam-affiliated author",
        "công bố",
        "Số công trình trong OpenAlex có ít nhất một tác giả thuộc tổ chức tại Việt Nam.",
        "OpenAlex (tổng hợp BambooScholar)",
    ),
]


def ensure_catalog() -> dict[str, SeriesIndicator]:
    out = {}
    for order, (code, vi, en, unit, desc, source) in enumerate(CATALOG):
        out[code], _ = SeriesIndicator.objects.get_or_create(
            code=code,
            defaults={
                "label_vi": vi,
                "label_en": en,
                "unit": unit,
                "description_vi": desc,
                "source": source,
                "order": order,
            },
        )
    return out


@dataclass(frozen=True)
class Row:
    indicator: str
    year: int
    partner: str  # ISO2, "" for Viet Nam as a whole
    value: Decimal
    source: str


@dataclass
class ReadResult:
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "file, dòng N: ..."
    files: int = 0


# --- OpenAlex -------------------------------------------------------------------------------

NETWORK_SOURCE = "OpenAlex, mạng đồng tác giả quốc gia (V. Batagelj, 27/8/2024), {file}"
AGGREGATE_SOURCE = "OpenAlex, tổng hợp BambooScholar, by_year.json"
_NET_NAME = re.compile(r"^WrldCo(\d{4})\.net$")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig", errors="replace").splitlines()


def read_network(path: Path, country: str = "VN") -> ReadResult:
    """One year's Pajek network: Viet Nam's links (arcs from its vertex to each partner) and
    its own total (the diagonal: its internationally co-authored works)."""
    result = ReadResult(files=1)
    match = _NET_NAME.match(path.name)
    if match is None:
        result.problems.append(f"{path.name}: tên tệp không theo mẫu WrldCoYYYY.net")
        return result
    year = int(match[1])
    source = NETWORK_SOURCE.format(file=path.name)
    vertices: dict[int, str] = {}
    section = ""
    links: dict[str, Decimal] = {}
    total: Decimal | None = None
    for number, raw in enumerate(_lines(path), start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if line.startswith("*"):
            section = line.split()[0].lower()
            continue
        where = f"{path.name}, dòng {number}"
        if section == "*vertices":
            found = re.match(r'^(\d+)\s+"([^"]*)"', line)
            if found is None:
                result.problems.append(f"{where}: đỉnh không đọc được: {line[:60]}")
                continue
            vertices[int(found[1])] = found[2].strip().upper()
        elif section in ("*arcs", "*edges"):
            parts = line.split()
            try:
                i, j = int(parts[0]), int(parts[1])
                weight = Decimal(parts[2]) if len(parts) > 2 else Decimal(1)
                if weight < 0 or not weight.is_finite():
                    raise InvalidOperation
            except (ValueError, IndexError, InvalidOperation):
                result.problems.append(f"{where}: cung không đọc được: {line[:60]}")
                continue
            if i not in vertices or j not in vertices:
                result.problems.append(f"{where}: đỉnh {i if i not in vertices else j} không có")
                continue
            if vertices[i] != country:
                continue
            if i == j:
                total = weight
            elif weight > 0:
                links[vertices[j]] = links.get(vertices[j], Decimal(0)) + weight
    if country not in vertices.values():
        result.problems.append(f"{path.name}: không có đỉnh {country}")
        return result
    for partner, weight in sorted(links.items()):
        result.rows.append(Row(COPUB, year, partner, weight, source))
    if total is not None:
        result.rows.append(Row(COPUB, year, "", total, source))
    result.rows.append(Row(PARTNERS, year, "", Decimal(len(links)), source))
    return result


def read_aggregates(path: Path) -> ReadResult:
    """``by_year.json``: paper counts per year (citation figures there are estimates: unused)."""
    result = ReadResult(files=1)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        result.problems.append(f"{path.name}: không đọc được JSON ({exc})")
        return result
    if not isinstance(data, list):
        result.problems.append(f"{path.name}: cần một danh sách các năm")
        return result
    for index, item in enumerate(data, start=1):
        where = f"{path.name}, mục {index}"
        try:
            year = int(item["year"])
            count = item["paper_count"]
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError
            if not 1900 <= year <= 2100:
                raise ValueError
        except (KeyError, TypeError, ValueError):
            result.problems.append(f"{where}: cần year và paper_count là số nguyên không âm")
            continue
        result.rows.append(Row(VN_WORKS, year, "", Decimal(count), AGGREGATE_SOURCE))
    return result


def _folders(path: Path) -> tuple[Path | None, Path | None]:
    """The co-authorship folder and the aggregates folder under ``path`` (or ``path`` itself)."""
    network = aggregates = None
    for candidate in (path, path / "openalex-country-coauthorship"):
        if (candidate / "WrldCo_years").is_dir():
            network = candidate / "WrldCo_years"
        elif candidate.is_dir() and any(candidate.glob("WrldCo*.net")):
            network = candidate
    for candidate in (path, path / "openalex-vn-aggregates"):
        if (candidate / "by_year.json").is_file():
            aggregates = candidate
    return network, aggregates


def read_openalex(path: str | Path) -> ReadResult:
    base = Path(path)
    network, aggregates = _folders(base)
    result = ReadResult()
    if network is None and aggregates is None:
        result.problems.append(
            f"{base}: không thấy openalex-country-coauthorship (WrldCo_years/WrldCoYYYY.net) "
            "hay openalex-vn-aggregates (by_year.json)"
        )
        return result
    if network is not None:
        for net in sorted(network.glob("WrldCo*.net")):
            if not _NET_NAME.match(net.name):
                continue  # the complete/composite networks are not one year's
            part = read_network(net)
            result.rows += part.rows
            result.problems += part.problems
            result.files += 1
    if aggregates is not None:
        part = read_aggregates(aggregates / "by_year.json")
        result.rows += part.rows
        result.problems += part.problems
        result.files += 1
    return result


# --- our CSV --------------------------------------------------------------------------------


def read_csv(text: str, *, source: str, name: str = "CSV") -> ReadResult:
    """``indicator,year,partner,value`` (and optionally ``source``), one row per value."""
    result = ReadResult(files=1)
    codes = {c[0] for c in CATALOG}
    reader = csv.DictReader(io.StringIO(text))
    missing = {"indicator", "year", "partner", "value"} - set(reader.fieldnames or ())
    if missing:
        result.problems.append(f"{name}: thiếu cột {', '.join(sorted(missing))}")
        return result
    for number, item in enumerate(reader, start=2):
        where = f"{name}, dòng {number}"
        code = (item["indicator"] or "").strip()
        if code not in codes:
            result.problems.append(f"{where}: chỉ tiêu không có: {code!r}")
            continue
        try:
            year = int(item["year"])
            value = Decimal(item["value"])
            if not 1900 <= year <= 2100 or value < 0 or not value.is_finite():
                raise ValueError
        except (TypeError, ValueError, InvalidOperation):
            result.problems.append(f"{where}: năm hoặc giá trị không hợp lệ")
            continue
        partner = (item["partner"] or "").strip().upper()
        if partner and not re.fullmatch(r"[A-Z]{2}", partner):
            result.problems.append(f"{where}: mã nước không hợp lệ: {partner!r}")
            continue
        result.rows.append(Row(code, year, partner, value, (item.get("source") or source).strip()))
    return result


# --- storing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    created: int
    replaced: int
    by_indicator: dict[str, int]
    # Values officers entered that the file would have replaced: kept, (code, year, partner).
    kept: tuple[tuple[str, int, str], ...] = ()


def import_rows(
    result: ReadResult, *, user: User | None = None, label: str, replace_entered: bool = False
) -> ImportSummary:
    """Store every row, or none when any row was bad (``DomainError`` lists them). A value
    already imported for the same series, year and partner is replaced; one an officer
    entered is kept and reported (``kept``) unless ``replace_entered``."""
    if result.problems:
        raise DomainError(
            ngettext(
                "Nothing was imported: %(n)d row with errors.",
                "Nothing was imported: %(n)d rows with errors.",
                len(result.problems),
            )
            % {"n": len(result.problems)},
            errors={"rows": result.problems},
        )
    if not result.rows:
        raise DomainError(_("Nothing was imported: there are no rows."), errors={"rows": []})
    keys = Counter((r.indicator, r.year, r.partner) for r in result.rows)
    duplicates = sorted(k for k, n in keys.items() if n > 1)
    if duplicates:
        raise DomainError(
            _("Nothing was imported: some values are given twice."),
            errors={
                "rows": [
                    _("%(code)s %(year)s %(partner)s: given twice")
                    % {"code": c, "year": y, "partner": p or "VN"}
                    for c, y, p in duplicates[:50]
                ]
            },
        )
    catalog = ensure_catalog()
    now = timezone.now()
    counts: dict[str, int] = {}
    replaced = 0
    kept: list[tuple[str, int, str]] = []
    replaced_entered: list[list[Any]] = []
    with transaction.atomic():
        for code in sorted({r.indicator for r in result.rows}):
            mine = [r for r in result.rows if r.indicator == code]
            indicator = catalog[code]
            years = {r.year for r in mine}
            existing = SeriesValue.objects.filter(indicator=indicator, year__in=years)
            new_keys = {(r.year, r.partner) for r in mine}
            stale = []
            for v in existing.only("pk", "year", "partner", "origin", "value", "source"):
                if (v.year, v.partner) not in new_keys:
                    continue
                if v.origin == SeriesOrigin.ENTERED and not replace_entered:
                    kept.append((code, v.year, v.partner))
                    continue
                if v.origin == SeriesOrigin.ENTERED:
                    replaced_entered.append([v.year, v.partner, str(v.value), v.source])
                stale.append(v.pk)
            skip = {(y, p) for c, y, p in kept if c == code}
            mine = [r for r in mine if (r.year, r.partner) not in skip]
            replaced += len(stale)
            SeriesValue.objects.filter(pk__in=stale).delete()
            SeriesValue.objects.bulk_create(
                [
                    SeriesValue(
                        indicator=indicator,
                        year=r.year,
                        partner=r.partner,
                        value=r.value,
                        source=r.source[:300],
                        origin=SeriesOrigin.IMPORTED,
                        entered_by=user if user is not None and user.pk else None,
                        updated_at=now,
                    )
                    for r in mine
                ],
                batch_size=1000,
            )
            counts[code] = len(mine)
        changes: dict[str, Any] = {
            "source": label,
            "rows": len(result.rows),
            "by_indicator": counts,
        }
        if kept:
            changes["kept_entered"] = [list(k) for k in kept]
        if replaced_entered:
            changes["replaced_entered"] = replaced_entered
        audit_record(
            actor=user, action="import", instance=catalog[sorted(counts)[0]], changes=changes
        )
    stored = sum(counts.values())
    return ImportSummary(stored - replaced, replaced, counts, tuple(kept))


def refresh_mobility(*, user: User | None = None) -> int:
    """Researcher mobility per year from the delegations (members of the delegations that
    started that year); replaces the series' values for those years."""
    from caunoi.registry.models import Delegation

    per_year = (
        Delegation.objects.annotate(y=ExtractYear("start_on"))
        .values("y")
        .annotate(n=Sum("members_count"))
        .order_by("y")
    )
    rows = [
        Row(MOBILITY, int(r["y"]), "", Decimal(r["n"] or 0), CATALOG[3][5])
        for r in per_year
        if 1900 <= int(r["y"]) <= 2100
    ]
    if not rows:
        return 0
    import_rows(ReadResult(rows=rows), user=user, label="delegations")
    return len(rows)


def chart_rows(values: Iterable[Any]) -> dict[str, dict[int, float]]:
    """partner → year → value, from series values."""
    out: dict[str, dict[int, float]] = {}
    for v in values:
        out.setdefault(v.partner, {})[v.year] = float(v.value)
    return out
