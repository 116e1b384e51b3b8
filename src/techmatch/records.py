"""The records the matching core ranks: offers, requests, experts and intermediaries.

Plain frozen dataclasses with the marketplace's fields; the caller (the Django app, the
evaluation command, a test) builds them. Every field but ``id`` and ``text`` is optional, and an
unknown value never counts against a match: a constraint only applies when both sides state it.

Vectors: ``vector`` is the record's precomputed embedding (multilingual-e5, 384 floats,
L2-normalised; any dimension works as long as all records share it). The core never computes
embeddings itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]

Confidentiality = Literal["public", "anonymous", "officers"]
CONFIDENTIALITY: tuple[Confidentiality, ...] = ("public", "anonymous", "officers")

# Cooperation types after the EEN profile; the app stores these codes.
COOPERATION_TYPES = (
    "licence",
    "technical_cooperation",
    "joint_venture",
    "acquisition",
    "commercial_technical_assistance",
    "research_cooperation",
    "services",
)


@dataclass(frozen=True)
class Budget:
    """A money range in one currency (the caller converts; USD in the app). ``None`` = open."""

    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Capacity:
    """A receiving unit's absorption capacity (on a request) or what an offer needs of it.

    On a request: what the unit has (``staff`` qualified people, a ``lab``, the ``equipment``).
    On an offer: what receiving it takes (``staff`` at least, a ``lab`` needed, ``equipment``
    needed). ``None`` means not stated.
    """

    staff: int | None = None
    lab: bool | None = None
    equipment: bool | None = None
    prior_transfers: int | None = None


@dataclass(frozen=True)
class Offer:
    """A technology offer (supply)."""

    id: str
    text: str
    title: str = ""
    lang: str = ""
    fields: tuple[str, ...] = ()
    country: str = ""  # ISO 3166-1 alpha-2 of the owner
    trl: int | None = None  # 1-9
    cooperation: tuple[str, ...] = ()  # cooperation types sought
    ip_status: tuple[str, ...] = ()  # patent_granted, patent_pending, know_how, copyright ...
    price: Budget = Budget()  # what acquiring or licensing costs, when stated
    needs: Capacity = Capacity()  # what receiving it takes
    vector: Vector | None = None


@dataclass(frozen=True)
class Request:
    """A technology request ("đặt hàng công nghệ").

    ``confidentiality``: ``public``; ``anonymous`` (providers may see the need, never who has
    it); ``officers`` (only officers see it at all). ``identity`` lists the strings that name
    the requester (enterprise name, short name, contact); the core uses them only to keep
    them out of explanations and never returns them.
    """

    id: str
    text: str
    title: str = ""
    lang: str = ""
    fields: tuple[str, ...] = ()
    country: str = ""  # the requester's country (usually VN)
    preferred_countries: tuple[str, ...] = ()
    countries_only: bool = False  # True: offers from other countries are excluded
    min_trl: int | None = None
    cooperation: tuple[str, ...] = ()  # cooperation types accepted
    budget: Budget = Budget()
    capacity: Capacity = Capacity()
    confidentiality: Confidentiality = "public"
    identity: tuple[str, ...] = ()
    vector: Vector | None = None


@dataclass(frozen=True)
class Expert:
    """An expert (foreign experts and overseas Vietnamese scientists included)."""

    id: str
    text: str
    title: str = ""
    lang: str = ""
    fields: tuple[str, ...] = ()
    country: str = ""
    languages: tuple[str, ...] = ()  # "vi:C2", "en:B2" (CEFR levels)
    available: bool = True
    vector: Vector | None = None


@dataclass(frozen=True)
class Intermediary:
    """A brokerage, consulting or valuation service."""

    id: str
    text: str
    title: str = ""
    lang: str = ""
    fields: tuple[str, ...] = ()
    country: str = ""
    regions: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    vector: Vector | None = None


Target = Offer | Expert | Intermediary
Record = Offer | Request | Expert | Intermediary
