"""Page-number pagination for API lists with bounded inputs: ninja's own accepts any page
number, and one past 2^63 / page size makes an offset no database takes (a 500)."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000  # with 100 per page, an offset of 10^8: far past any list, still valid
MAX_PAGE_SIZE = 100


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="From 1.")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description=f"Up to {MAX_PAGE_SIZE}."
        )
