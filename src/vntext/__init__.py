"""vntext: a pure-Python Vietnamese text toolkit (normalise, fold, segment, extract entities).

No Django import anywhere in this package. The names below are the stable public API;
docs/vntext.md describes each one and the conventions chosen.
"""

from vntext.amounts import Amount, find_amounts
from vntext.dates import DateMention, find_dates
from vntext.entities import (
    CountryMention,
    OrganizationMention,
    find_countries,
    find_organizations,
)
from vntext.extract import extract
from vntext.gazetteer import (
    Country,
    Organization,
    countries,
    country_by_iso2,
    organization_by_key,
    organizations,
)
from vntext.legal import LegalRef, find_legal_refs, parse_number
from vntext.normalize import (
    Normalized,
    canonical_spelling,
    fold,
    normalize,
    normalize_with_offsets,
    place_tones,
    search_key,
)
from vntext.segment import (
    Sentence,
    Word,
    is_presegmented,
    segment,
    segment_spans,
    segment_words,
    sentences,
    to_underscored,
)
from vntext.tokens import Token, tokenize

__all__ = [
    "Amount",
    "Country",
    "CountryMention",
    "DateMention",
    "LegalRef",
    "Normalized",
    "Organization",
    "OrganizationMention",
    "Sentence",
    "Token",
    "Word",
    "canonical_spelling",
    "countries",
    "country_by_iso2",
    "extract",
    "find_amounts",
    "find_countries",
    "find_dates",
    "find_legal_refs",
    "find_organizations",
    "fold",
    "is_presegmented",
    "normalize",
    "normalize_with_offsets",
    "organization_by_key",
    "organizations",
    "parse_number",
    "place_tones",
    "search_key",
    "segment",
    "segment_spans",
    "segment_words",
    "sentences",
    "to_underscored",
    "tokenize",
]
