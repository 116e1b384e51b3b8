"""From document to record: proposals stored after ingestion, and an officer's decision.

- ``refresh(document)`` (the last step of ingestion) stores the draft ``kb/drafting.py`` reads
  from the document as a pending ``RecordProposal``, each value with the passage, page and
  span it came from. A proposal an officer has decided on is kept as it is.
- ``form_for`` gives the registry's own form (``AgreementForm``, ``ProjectForm``) prefilled
  with the proposed values; ``confirm`` saves it through the registry's services (rules,
  permission, audit trail, version, search index), links the record to the document and marks
  the proposal confirmed, all in one transaction; ``reject`` marks it rejected and writes
  nothing to the registry.
- Only those who may edit the document (an administrator or an officer of its owning unit)
  see and decide a proposal; the public never sees one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.accounts import permissions
from caunoi.accounts.models import User
from caunoi.accounts.services import audit_record
from caunoi.core.errors import ConflictError, DomainError
from caunoi.kb import drafting
from caunoi.kb.models import (
    Document,
    Passage,
    ProposalState,
    ProposalTarget,
    RecordProposal,
)
from caunoi.kb.selectors import document_for, documents_for

SLUGS = {ProposalTarget.AGREEMENT: "agreements", ProposalTarget.PROJECT: "projects"}
# Form fields naming organisations (by key in the proposal), countries (ISO code), fields.
ORG_FIELDS = {
    "vn_organizations",
    "foreign_organizations",
    "participants",
    "lead_organization",
    "funder",
}


def can_decide(user: Any, document: Document) -> bool:
    """Who may edit the document (``services.can_edit``: an administrator, or an officer of
    its owning unit) decides on its proposal."""
    return permissions.can_edit(user, document)


def proposals_for(user: Any) -> QuerySet[RecordProposal]:
    """The proposals this user may see and decide: of documents they may read and edit."""
    qs = RecordProposal.objects.filter(document__in=documents_for(user))
    if not isinstance(user, User) or not user.is_active:
        return qs.none()
    if user.is_admin:
        return qs
    if user.is_officer and user.unit_id:
        return qs.filter(document__owner_unit_id=user.unit_id)
    return qs.none()


def proposal_for(user: Any, document: Document) -> RecordProposal | None:
    """The document's proposal when this user may decide it (None otherwise or when none)."""
    if not can_decide(user, document):
        return None
    return RecordProposal.objects.filter(document=document).first()


# --- building --------------------------------------------------------------------------------


def _registry_orgs() -> list[tuple[Any, ...]]:
    """The registry's partners as the drafting reads them: key, Vietnamese name, acronym,
    country, and the other names (English name, aliases)."""
    from caunoi.registry.models import Organization

    rows = Organization.objects.only(
        "key", "name_vi", "name_en", "acronym", "aliases", "country_id"
    )
    return [
        (
            o.key,
            o.name_vi,
            o.acronym,
            o.country_id or "",
            tuple(n for n in (o.name_en, *(o.aliases or [])) if isinstance(n, str) and n),
        )
        for o in rows
    ]


def _field_names() -> dict[str, str]:
    from caunoi.taxonomy.models import Field

    return dict(Field.objects.values_list("code", "name_vi"))


def build(
    document: Document, passages: list[Passage] | None = None, *, today: dt.date | None = None
) -> RecordProposal | None:
    """The proposal the document's text makes (not saved), or None; statuses as of ``today``
    (default: the current day in the platform's time zone, not the server's)."""
    found = drafting.draft(
        document.clean_text,
        kind=document.kind,
        title=document.title,
        number=document.number,
        field_names=_field_names(),
        registry_orgs=_registry_orgs(),
        today=today or timezone.localdate(),
    )
    if found is None:
        return None
    target, values = found
    rows = passages if passages is not None else list(document.passages.all())
    out: dict[str, Any] = {}
    for name, p in values.items():
        if p.end > p.start:
            where = next((r for r in rows if r.start <= p.start < r.end), None)
            if where is not None:
                p.page, p.label, p.passage = where.page, where.label, where.ordinal
        out[name] = p.as_json()
    return RecordProposal(document=document, target=target, values=out)


def refresh(document: Document, *, today: dt.date | None = None) -> RecordProposal | None:
    """Store the document's proposal (replacing a pending one); a decided one is kept."""
    current = RecordProposal.objects.filter(document=document).first()
    if current is not None and current.state != ProposalState.PENDING:
        return current
    proposal = build(document, today=today)
    with transaction.atomic():
        RecordProposal.objects.filter(document=document, state=ProposalState.PENDING).delete()
        if proposal is not None:
            proposal.save()
    return proposal


# --- the form --------------------------------------------------------------------------------


def _entity(proposal: RecordProposal) -> Any:
    from caunoi.registry.entities import ENTITIES

    return ENTITIES[SLUGS[ProposalTarget(proposal.target)]]


def _resolve(name: str, value: Any) -> Any:
    """A proposed value (natural keys) as the form's field takes it (primary keys)."""
    from caunoi.registry.models import Organization
    from caunoi.taxonomy.models import Field

    if name in ORG_FIELDS:
        keys = value if isinstance(value, list) else [value]
        pks = list(Organization.objects.filter(key__in=keys).values_list("pk", flat=True))
        return pks if isinstance(value, list) else (pks[0] if pks else None)
    if name == "fields":
        return list(Field.objects.filter(code__in=value or []).values_list("pk", flat=True))
    return value


def initial(proposal: RecordProposal) -> dict[str, Any]:
    return {name: _resolve(name, item.get("value")) for name, item in proposal.values.items()}


def form_for(proposal: RecordProposal, user: Any, data: Any = None) -> Any:
    """The registry's form for the proposed record: prefilled, or bound to ``data``."""
    entity = _entity(proposal)
    return entity.form(data, instance=entity.model(), user=user, initial=initial(proposal))


def form_data(proposal: RecordProposal, user: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """What a form submits: the proposed values with ``changes`` (natural keys, as the
    proposal names them) over them; for the API, where no page holds the prefilled form."""
    form = form_for(proposal, user)
    changes = dict(changes)
    kept = changes.pop("new_partners", None)
    unknown = sorted(set(changes) - set(form.fields))
    if unknown:
        message = _("These fields cannot be set: %(f)s") % {"f": ", ".join(unknown)}
        raise DomainError(message, errors={n: [message] for n in unknown})
    values = {**form.initial, **{n: _resolve(n, v) for n, v in changes.items()}}
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = values.get(name, field.initial)
        if value is None or value is False:
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        data[name] = [str(v) for v in value] if isinstance(value, list) else value
    if kept is not None:  # the new partners to create, by index: {"0": {"name": …}} or [0, 2]
        if not isinstance(kept, dict | list):
            message = _("new_partners is a list of indexes or an object of corrections.")
            raise DomainError(message, errors={"new_partners": [message]})
        items = kept.items() if isinstance(kept, dict) else ((i, {}) for i in kept)
        data[NEW_PREFIX] = "api"
        for index, over in items:
            p = f"{NEW_PREFIX}-{index}"
            data[p] = "on"
            for key in ("name", "country", "kind"):
                if isinstance(over, dict) and over.get(key) is not None:
                    data[f"{p}-{key}"] = str(over[key])
    return data


def evidence(proposal: RecordProposal, form: Any) -> list[dict[str, Any]]:
    """Per proposed field, in the form's order: label, value shown, confidence, quote, link
    to the highlighted span on the document's page."""
    url = proposal.document.get_absolute_url()
    rows = []
    for name in form.fields:
        item = proposal.values.get(name)
        if item is None:
            continue
        value = item.get("value")
        shown = _shown(form.fields[name], name, value)
        link = ""
        if item.get("end", 0) > item.get("start", 0):
            anchor = f"#p{item['passage']}" if item.get("passage") is not None else ""
            link = f"{url}?hl={item['start']}-{item['end']}{anchor}"
        rows.append(
            {
                "name": name,
                "label": form.fields[name].label,
                "value": shown,
                "confidence": round(float(item.get("confidence", 0)) * 100),
                "quote": item.get("quote", ""),
                "page": item.get("page"),
                "where": item.get("label", ""),
                "link": link,
                "missing": _missing(name, value),
            }
        )
    return rows


def _missing(name: str, value: Any) -> list[str]:
    """Organisations the proposal names that the registry does not hold yet."""
    if name not in ORG_FIELDS:
        return []
    from caunoi.registry.models import Organization

    keys = value if isinstance(value, list) else [value]
    have = set(Organization.objects.filter(key__in=keys).values_list("key", flat=True))
    return [k for k in keys if k not in have]


def _shown(field: Any, name: str, value: Any) -> str:
    from caunoi.registry.models import Organization
    from caunoi.taxonomy.models import Country, Field

    values = value if isinstance(value, list) else [value]
    if name in ORG_FIELDS:
        by_key = {o.key: str(o) for o in Organization.objects.filter(key__in=values)}
        return ", ".join(by_key.get(str(v), str(v)) for v in values)
    if name == "fields":
        return ", ".join(str(f) for f in Field.objects.filter(code__in=values))
    if name == "foreign_countries":
        return ", ".join(str(c) for c in Country.objects.filter(pk__in=values))
    choices = dict(getattr(field, "choices", None) or [])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return ", ".join(str(choices.get(v, v)) for v in values)


# --- the decision ----------------------------------------------------------------------------


def _locked(user: Any, proposal: RecordProposal) -> RecordProposal:
    if not can_decide(user, proposal.document):
        raise DomainError(_("You do not have permission to decide on this proposal."))
    current = RecordProposal.objects.select_for_update().get(pk=proposal.pk)
    if current.state != ProposalState.PENDING:
        raise ConflictError(
            _("This proposal has already been decided (%(state)s); nothing was written.")
            % {"state": current.get_state_display()}
        )
    return current


NEW_PREFIX = "new_partner"


def new_partners(proposal: RecordProposal) -> list[dict[str, Any]]:
    """The partners the proposal would create (not in the registry when it was read): name,
    country, kind and the form field they fill, each with its index for the form."""
    item = proposal.values.get("new_partners") or {}
    return [{**n, "index": i} for i, n in enumerate(item.get("value") or [])]


def chosen_new_partners(proposal: RecordProposal, data: Any) -> list[dict[str, Any]]:
    """The new partners the officer keeps, as corrected in the submitted data
    (``new_partner-<i>``: on; ``-name``, ``-country``, ``-kind``); without any of these fields
    in the data (the API without ``new_partners``) every proposed one is kept as proposed."""
    proposed = new_partners(proposal)
    keys = list(getattr(data, "keys", lambda: [])())
    if not any(str(k).startswith(NEW_PREFIX) for k in keys):
        return proposed
    out = []
    for n in proposed:
        p = f"{NEW_PREFIX}-{n['index']}"
        if not data.get(p):
            continue
        out.append(
            {
                **n,
                "name": str(data.get(f"{p}-name") or n["name"]).strip()[:300],
                "country": str(data.get(f"{p}-country", n["country"]) or "").strip().upper(),
                "kind": str(data.get(f"{p}-kind") or n["kind"]),
            }
        )
    return out


def new_partner_rows(proposal: RecordProposal, data: Any = None) -> list[dict[str, Any]]:
    """The new partners as the proposal form shows them: proposed values, or the submitted
    ones (kept or not) when the form is shown again."""
    from caunoi.registry.models import Organization

    kinds = [(v, str(label)) for v, label in Organization.Kind.choices]
    rows = []
    chosen = {n["index"]: n for n in chosen_new_partners(proposal, data)} if data else None
    for n in new_partners(proposal):
        shown = chosen.get(n["index"], n) if chosen is not None else n
        rows.append(
            {
                **shown,
                "prefix": f"{NEW_PREFIX}-{n['index']}",
                "kept": chosen is None or n["index"] in chosen,
                "kinds": kinds,
            }
        )
    return rows


def _create_partners(user: Any, chosen: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Create the chosen new partners through the registry's service (its rules, permission,
    owning unit and audit trail): {form field: [organisations]}."""
    from caunoi.registry import services as registry
    from caunoi.registry.models import Organization
    from caunoi.taxonomy.models import Country

    by_field: dict[str, list[Any]] = {}
    errors: dict[str, list[str]] = {}
    for n in chosen:
        country = n["country"] or None
        if country and not Country.objects.filter(pk=country).exists():
            country = None
        try:
            org = registry.record_save(
                user=user,
                instance=Organization(),
                data={
                    "name_vi": n["name"],
                    "kind": n["kind"] if n["kind"] in Organization.Kind.values else "other",
                    "country": Country.objects.filter(pk=country).first() if country else None,
                },
            )
        except DomainError as exc:
            reasons = "; ".join(str(m) for ms in exc.errors.values() for m in ms)
            errors[f"{NEW_PREFIX}-{n['index']}"] = [f"{n['name']}: {reasons or exc.message}"]
            continue
        by_field.setdefault(n["field"], []).append(org)
    if errors:
        detail = " ".join(m for ms in errors.values() for m in ms)
        raise DomainError(
            _("A new partner could not be created: %(e)s") % {"e": detail}, errors=errors
        )
    return by_field


def _with_partners(data: Any, created: dict[str, list[Any]]) -> Any:
    """The submitted data with the created partners added to their fields."""
    out: Any = data.copy() if hasattr(data, "copy") else dict(data)
    for name, orgs in created.items():
        pks = [str(o.pk) for o in orgs]
        if hasattr(out, "setlist"):
            current = out.getlist(name) if name in ORG_LIST_FIELDS else []
            out.setlist(name, [*current, *pks] if name in ORG_LIST_FIELDS else pks[:1])
        else:
            current = list(out.get(name) or []) if name in ORG_LIST_FIELDS else []
            out[name] = [*current, *pks] if name in ORG_LIST_FIELDS else pks[0]
    return out


ORG_LIST_FIELDS = {"vn_organizations", "foreign_organizations", "participants"}


class ProposalInvalid(DomainError):
    """The officer's form (with the new partners it creates) was refused; ``form`` holds the
    errors to show."""

    def __init__(self, form: Any, message: str, errors: dict[str, list[str]]) -> None:
        super().__init__(message, errors=errors)
        self.form = form


def confirm(*, user: Any, proposal: RecordProposal, form: Any) -> Any:
    """Create the record from the officer's form through the registry's services, with the
    new partners the officer kept (created first, through the registry's partner service,
    each audited), link it to the document, mark the proposal confirmed; all or nothing: a
    refused form or partner leaves nothing written."""
    chosen = chosen_new_partners(proposal, form.data)
    if not chosen and not form.is_valid():
        raise DomainError(
            _("Please correct the errors below."),
            errors={k: [str(m) for m in v] for k, v in form.errors.items()},
        )
    entity = _entity(proposal)
    with transaction.atomic():
        current = _locked(user, proposal)
        if chosen:
            created = _create_partners(user, chosen)
            form = form_for(proposal, user, data=_with_partners(form.data, created))
            if not form.is_valid():
                raise ProposalInvalid(
                    form,
                    _("Please correct the errors below."),
                    {k: [str(m) for m in v] for k, v in form.errors.items()},
                )
        record = entity.save(user, form.instance, form)
        if current.target == ProposalTarget.AGREEMENT:
            current.agreement = record
        else:
            current.project = record
        current.state = ProposalState.CONFIRMED
        current.decided_by = user
        current.decided_at = timezone.now()
        current.save()
        audit_record(
            actor=user,
            action="update",
            instance=current.document,
            changes={"proposal": [ProposalState.PENDING, f"{entity.slug}:{record.pk}"]},
        )
    proposal.refresh_from_db()
    return record


def reject(*, user: Any, proposal: RecordProposal, reason: str = "") -> RecordProposal:
    """Mark the proposal rejected; nothing is written to the registry."""
    with transaction.atomic():
        current = _locked(user, proposal)
        current.state = ProposalState.REJECTED
        current.reason = reason.strip()[:2000]
        current.decided_by = user
        current.decided_at = timezone.now()
        current.save()
        audit_record(
            actor=user,
            action="update",
            instance=current.document,
            changes={"proposal": [ProposalState.PENDING, ProposalState.REJECTED]},
        )
    proposal.refresh_from_db()
    return proposal


def proposal_to_decide(user: Any, document_id: int) -> RecordProposal:
    """The proposal of this document, for a user who may decide it (the pages and the API):
    404 when the document is not readable or has none, 403 when the user may only read it."""
    document = document_for(user, document_id)
    if not can_decide(user, document):
        raise PermissionDenied
    proposal = RecordProposal.objects.filter(document=document).first()
    if proposal is None:
        raise Http404
    proposal.document = document
    return proposal
