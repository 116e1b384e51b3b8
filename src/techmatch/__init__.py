"""techmatch: the ranking core of the technology marketplace (pure: no Django, nothing of the
platform; numpy and ``vntext`` only).

Build a :class:`MatchIndex` over the candidates (offers, experts, intermediaries — or
requests, to rank them for an offer) and call :meth:`MatchIndex.rank` with a query record.
Embeddings are given by the caller on the records (``vector``). docs/matching.md describes the
model, the explanation format, feedback and the benchmarks.
"""

from techmatch.constraints import PHRASES, Fit, Policy, pair_fit
from techmatch.feedback import KINDS, Feedback, FeedbackBook
from techmatch.fields import FieldMatch, FieldTree
from techmatch.index import (
    Components,
    Explanation,
    Match,
    MatchIndex,
    TermMatch,
    TermStats,
    Weights,
    record_text,
    vector,
)
from techmatch.lexical import (
    ANALYZER_VERSION,
    Analyzed,
    TermBridge,
    analysis_fingerprint,
    decode_analysis,
    encode_analysis,
    record_terms,
)
from techmatch.records import (
    COOPERATION_TYPES,
    Budget,
    Capacity,
    Expert,
    Intermediary,
    Offer,
    Request,
)

__all__ = [
    "ANALYZER_VERSION",
    "COOPERATION_TYPES",
    "KINDS",
    "PHRASES",
    "Analyzed",
    "Budget",
    "Capacity",
    "Components",
    "Expert",
    "Explanation",
    "Feedback",
    "FeedbackBook",
    "FieldMatch",
    "FieldTree",
    "Fit",
    "Intermediary",
    "Match",
    "MatchIndex",
    "Offer",
    "Policy",
    "Request",
    "TermBridge",
    "TermMatch",
    "TermStats",
    "Weights",
    "analysis_fingerprint",
    "decode_analysis",
    "encode_analysis",
    "pair_fit",
    "record_terms",
    "record_text",
    "vector",
]
