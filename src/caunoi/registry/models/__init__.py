"""The cooperation registry's models, one module per topic."""

from caunoi.registry.models.activities import Delegation, Event, Representative
from caunoi.registry.models.affiliations import Affiliation
from caunoi.registry.models.agreements import (
    AGREEMENT_TRANSITIONS,
    Agreement,
    AgreementDocument,
    AgreementParty,
)
from caunoi.registry.models.memberships import Membership
from caunoi.registry.models.partners import Organization
from caunoi.registry.models.projects import Project, ProjectParticipant

__all__ = [
    "AGREEMENT_TRANSITIONS",
    "Affiliation",
    "Agreement",
    "AgreementDocument",
    "AgreementParty",
    "Delegation",
    "Event",
    "Membership",
    "Organization",
    "Project",
    "ProjectParticipant",
    "Representative",
]
