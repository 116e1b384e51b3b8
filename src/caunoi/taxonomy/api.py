"""Read-only API for the shared taxonomy."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from caunoi.core.api_errors import errors
from caunoi.taxonomy.models import Country, Field

router = Router(tags=["taxonomy"])


class FieldOut(Schema):
    code: str
    slug: str
    kind: str
    name_vi: str
    name_en: str
    parent_code: str | None = None

    @staticmethod
    def resolve_parent_code(obj: Field) -> str | None:
        return obj.parent.code if obj.parent_id else None  # type: ignore[union-attr]


class CountryOut(Schema):
    iso2: str
    iso3: str
    name_vi: str
    name_en: str
    aliases: list[str]


@router.get("/fields", response={200: list[FieldOut], **errors()}, summary="List the fields of S&T")
def list_fields(request: HttpRequest) -> Any:
    """Every field of S&T and national priority technology, with its parent's code."""
    return Field.objects.select_related("parent").order_by("kind", "code")


@router.get(
    "/countries", response={200: list[CountryOut], **errors()}, summary="List the countries"
)
def list_countries(request: HttpRequest) -> Any:
    """Every country (ISO 3166-1) with its Vietnamese and English names."""
    return Country.objects.order_by("iso2")
