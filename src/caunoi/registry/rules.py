"""Business rules of registry records, in one place for the UI forms, imports and the API.

Each function looks at values and returns the broken rules as ``{field: [messages]}``; none
writes anything. The services refuse a save that breaks a rule, so every caller gets them;
the forms call the same functions to show the messages next to their fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from caunoi.registry.models import (
    Agreement,
    AgreementParty,
    Delegation,
    Event,
    Membership,
    Organization,
    Project,
    Representative,
)

Errors = dict[str, list[str]]

# A party of an agreement: (side, country, organization), exactly one of the last two set.
Party = tuple[str, Any, Any]

MEMBERSHIP_KINDS = (Organization.Kind.INTERNATIONAL, Organization.Kind.REGIONAL)


def merge(errors: Errors, more: Mapping[str, Sequence[str]]) -> Errors:
    """Add `more` to `errors` (in place, also returned), keeping each message once."""
    for name, messages in more.items():
        bucket = errors.setdefault(name, [])
        bucket += [str(m) for m in messages if str(m) not in bucket]
    return errors


def _before(later: Any, earlier: Any) -> bool:
    """True when both are dates and `later` comes before `earlier` (unparsed input is skipped;
    the field's own validation reports it)."""
    return isinstance(later, dt.date) and isinstance(earlier, dt.date) and later < earlier


def _negative(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value < 0


def record_errors(model: type[Any], values: Mapping[str, Any], *, creating: bool) -> Errors:
    """The rules one record's own values break (dates in order, money with a currency, ...)."""
    errors: Errors = {}

    def add(name: str, message: str) -> None:
        merge(errors, {name: [message]})

    get = values.get
    end_message = _("The end date cannot be before the start date.")
    if model is Agreement:
        if _before(get("expires_on"), get("signed_on")):
            add("expires_on", _("The expiry date cannot be before the signing date."))
        if _before(get("effective_on"), get("signed_on")):
            add("effective_on", _("Entry into force cannot be before the signing date."))
        # The status is chosen only on creation; later it moves by transitions, which check
        # their own preconditions.
        status = get("status")
        if creating and status and status != Agreement.Status.NEGOTIATING and not get("signed_on"):
            add("signed_on", _("A signed agreement needs its signing date."))
    elif model is Membership:
        fee = get("annual_fee")
        if fee is not None and not get("currency"):
            add("currency", _("Give the currency of the fee."))
        if fee is not None and _negative(fee):
            add("annual_fee", _("The fee cannot be negative."))
        organization = get("organization")
        if isinstance(organization, Organization) and organization.kind not in MEMBERSHIP_KINDS:
            add(
                "organization",
                _("Viet Nam is a member of international or regional organisations only."),
            )
    elif model is Project:
        budget = get("budget")
        if budget is not None and not get("currency"):
            add("currency", _("Give the currency of the budget."))
        if budget is not None and _negative(budget):
            add("budget", _("The budget cannot be negative."))
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            if _before(get(end), get(start)):
                add(end, end_message)
    elif model is Delegation or model is Event:
        if _before(get("end_on"), get("start_on")):
            add("end_on", end_message)
    elif model is Representative and _before(get("until"), get("since")):
        add("until", end_message)
    return errors


def party_errors(parties: Sequence[Party]) -> Errors:
    """The rules an agreement's list of parties breaks.

    Errors about one party are keyed by its place in the list (``parties.1.country``); the
    rule that an agreement needs a foreign party is keyed ``parties``.
    """
    errors: Errors = {}

    def add(name: str, message: str) -> None:
        merge(errors, {name: [message]})

    seen: set[tuple[str, Any, Any]] = set()
    for index, (side, country, organization) in enumerate(parties):
        path = f"parties.{index}"
        if (country is None) == (organization is None):
            add(path, _("A party is either a state or an organisation."))
            continue
        if side == AgreementParty.Side.VIETNAM:
            if country is not None and country.pk != "VN":
                add(f"{path}.country", _("“%s” is not the Vietnamese side.") % country.pk)
            if organization is not None and organization.country_id != "VN":
                add(
                    f"{path}.organization",
                    _("“%s” is not a Vietnamese organisation.") % organization.key,
                )
        elif side == AgreementParty.Side.FOREIGN:
            if country is not None and country.pk == "VN":
                add(f"{path}.country", _("Viet Nam is not a foreign party."))
            if organization is not None and organization.country_id == "VN":
                add(
                    f"{path}.organization",
                    _("“%s” is a Vietnamese organisation, not a foreign party.") % organization.key,
                )
        else:
            add(f"{path}.side", _("Unknown side “%s”.") % side)
        key = (side, getattr(country, "pk", None), getattr(organization, "pk", None))
        if key in seen:
            add(path, _("This party is listed twice."))
        seen.add(key)
    if not any(side == AgreementParty.Side.FOREIGN for side, _c, _o in parties):
        add("parties", _("Name at least one foreign party (a state or an organisation)."))
    return errors
