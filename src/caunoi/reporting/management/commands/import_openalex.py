"""`caunoi import-openalex PATH`: Vietnam's co-publications by partner country and year, and
its publication counts, from the public OpenAlex folders (`openalex-country-coauthorship`,
`openalex-vn-aggregates`) under PATH, or PATH being one of them. All or nothing: a bad row
anywhere means nothing is stored, and every bad row is listed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caunoi.core.errors import DomainError
from caunoi.reporting import series


class Command(BaseCommand):
    help = "Import Vietnam's co-publications by partner and year from the OpenAlex folders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the data folder holding the OpenAlex folders")
        parser.add_argument(
            "--replace-entered",
            action="store_true",
            help="also replace values officers entered (kept and listed otherwise)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = series.read_openalex(options["path"])
        try:
            summary = series.import_rows(
                result,
                label=f"import-openalex {options['path']}",
                replace_entered=options["replace_entered"],
            )
        except DomainError as exc:
            for problem in exc.errors.get("rows", [])[:200]:
                self.stderr.write(problem)
            more = len(exc.errors.get("rows", [])) - 200
            if more > 0:
                self.stderr.write(f"... và {more} dòng lỗi khác")
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Đã nhập {sum(summary.by_indicator.values())} giá trị từ {result.files} tệp "
            f"({summary.replaced} thay thế giá trị cũ): "
            + ", ".join(f"{k} {v}" for k, v in sorted(summary.by_indicator.items()))
        )
        if summary.kept:
            self.stdout.write(
                f"Giữ {len(summary.kept)} giá trị do cán bộ nhập (--replace-entered để thay): "
                + ", ".join(f"{c} {y} {p or 'VN'}" for c, y, p in summary.kept[:50])
            )
