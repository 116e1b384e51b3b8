"""vntext: a pure-Python Vietnamese text toolkit (normalise, fold, segment, extract entities).

No Django import anywhere in this package. See docs/vntext.md for the conventions.
"""

from vntext.gazetteer import (
    Country,
    Organization,
    countries,
    country_by_iso2,
    organization_by_key,
    organizations,
)

__all__ = [
    "Country",
    "Organization",
    "countries",
    "country_by_iso2",
    "organization_by_key",
    "organizations",
]
