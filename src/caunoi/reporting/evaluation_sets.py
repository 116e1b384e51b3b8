"""Writing criteria sets from the officers' pages: create one (or a copy of another), edit it.

- HTQT officers only: administrators and the officers of the international cooperation
  department (unit ``htqt``); other staff read the sets but may not change them.
- A set is written whole: its head (title, description, period), its criteria (the OECD DAC
  six, each with a weight) and their indicators (a weight, a target, a direction, and a
  registered indicator source or "entered with evidence"). Every problem is named at once and
  nothing is saved while one remains.
- An edit names the version it was based on; when someone saved the set meanwhile the edit
  is refused (``ConflictError``, a 409 on the page) and nothing changes.
- An edit keeps what it can: criteria and indicators are matched by their codes and updated
  in place, so values entered with evidence stay with their indicator. An indicator with
  entered values cannot be removed (copy the set to start anew).
- Every write is in the audit trail, with what changed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from caunoi.accounts.models import User
from caunoi.accounts.services import audit_record
from caunoi.core.errors import ConflictError, DomainError
from caunoi.core.indicators import indicator_source
from caunoi.reporting.evaluation import runs_evaluations
from caunoi.reporting.models_evaluation import (
    CriteriaSet,
    DacCriterion,
    EvalCriterion,
    EvalEntry,
    EvalIndicator,
)

HEAD_FIELDS = ("title_vi", "title_en", "description", "period_start", "period_end")
INDICATOR_FIELDS = (
    "label_vi",
    "label_en",
    "unit",
    "weight",
    "target",
    "higher_is_better",
    "source_key",
)
MAX_WEIGHT = Decimal("999999.99")


def can_manage_sets(user: Any) -> bool:
    """Administrators and the HTQT department's officers create and edit criteria sets: who
    runs the evaluations (``evaluation.runs_evaluations``)."""
    return runs_evaluations(user)


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def check_structure(criteria: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The problems of a set's criteria and indicators, keyed ``criterion:<code>`` or
    ``indicator:<criterion>/<code>`` (empty: all is right). Weights are positive, targets
    too; a criterion is given once; an indicator code once in the set; a source must be
    registered."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    known = {c.value for c in DacCriterion}
    seen_criteria: set[str] = set()
    seen_codes: set[str] = set()
    if not criteria:
        add("__all__", _("Choose at least one criterion."))
    for spec in criteria:
        code = str(spec.get("code", ""))
        key = f"criterion:{code}"
        if code not in known:
            add(key, _("Unknown criterion."))
        elif code in seen_criteria:
            add(key, _("This criterion is given twice."))
        seen_criteria.add(code)
        weight = _number(spec.get("weight", 1))
        if weight is None or weight <= 0 or weight > MAX_WEIGHT:
            add(key, _("A weight is a positive number."))
        for item in spec.get("indicators", ()):
            i_code = str(item.get("code", ""))
            i_key = f"indicator:{code}/{i_code}"
            try:
                validate_slug(i_code)
            except ValidationError:
                add(i_key, _("Use Latin letters, digits and hyphens only."))
            if i_code in seen_codes:
                add(i_key, _("Two indicators have this code."))
            seen_codes.add(i_code)
            if not str(item.get("label_vi", "")).strip():
                add(i_key, _("Give the indicator a Vietnamese label."))
            # checked as stored (two decimals): 0.004 would be a target of 0
            weight = _number(item.get("weight", 1))
            weight = None if weight is None else weight.quantize(Decimal("0.01"))
            if weight is None or weight <= 0 or weight > MAX_WEIGHT:
                add(i_key, _("A weight is a positive number."))
            target = _number(item.get("target"))
            target = None if target is None else target.quantize(Decimal("0.01"))
            if target is None or target <= 0:
                add(i_key, _("The target is a positive number."))
            source = item.get("source_key", "")
            if source and indicator_source(source) is None:
                add(i_key, _("Unknown indicator source: %(key)s.") % {"key": source})
    return errors


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise DomainError(_("Nothing was saved: correct the fields marked below."), errors=errors)


def _indicator_values(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "label_vi": str(item.get("label_vi", "")).strip(),
        "label_en": str(item.get("label_en", "")).strip(),
        "unit": str(item.get("unit", "")).strip(),
        "weight": Decimal(str(item.get("weight", 1))).quantize(Decimal("0.01")),
        "target": Decimal(str(item["target"])).quantize(Decimal("0.01")),
        "higher_is_better": bool(item.get("higher_is_better", True)),
        "source_key": str(item.get("source_key", "")),
    }


def _write_structure(cs: CriteriaSet, criteria: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Make the set's criteria and indicators those of ``criteria``, matching the existing
    ones by code; returns what was added, removed and changed (for the audit trail)."""
    existing = {c.code: c for c in cs.criteria.all()}
    indicators = {
        (i.criterion.code, i.code): i
        for i in EvalIndicator.objects.filter(criterion__criteria_set=cs).select_related(
            "criterion"
        )
    }
    wanted = {
        (spec["code"], item["code"]) for spec in criteria for item in spec.get("indicators", ())
    }
    gone = [key for key in indicators if key not in wanted]
    with_entries = set(
        EvalEntry.objects.filter(indicator__in=[indicators[k] for k in gone])
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    errors: dict[str, list[str]] = {}
    for key in gone:
        if indicators[key].pk in with_entries:
            errors.setdefault(f"indicator:{key[0]}/{key[1]}", []).append(
                _(
                    "The indicator %(code)s has values entered with evidence: it stays in its "
                    "criterion (copy the set to start anew)."
                )
                % {"code": key[1]}
            )
    _refuse(errors)
    changes: dict[str, list[str]] = {"added": [], "removed": [], "changed": []}
    for key in gone:
        indicators.pop(key).delete()
        changes["removed"].append(f"{key[0]}/{key[1]}")
    wanted_criteria = {spec["code"] for spec in criteria}
    for code, old in list(existing.items()):
        if code not in wanted_criteria:
            old.delete()
            del existing[code]
            changes["removed"].append(code)
    for c_order, spec in enumerate(criteria):
        found = existing.get(spec["code"])
        weight = Decimal(str(spec.get("weight", 1))).quantize(Decimal("0.01"))
        question = str(spec.get("question_vi", "")).strip()
        if found is None:
            crit = EvalCriterion(criteria_set=cs, code=spec["code"])
            changes["added"].append(spec["code"])
        else:
            crit = found
        if found is not None and (crit.weight, crit.question_vi, crit.order) != (
            weight,
            question,
            c_order,
        ):
            changes["changed"].append(spec["code"])
        crit.weight, crit.question_vi, crit.order = weight, question, c_order
        crit.full_clean(exclude=["criteria_set"])
        crit.save()
        for i_order, item in enumerate(spec.get("indicators", ())):
            values = _indicator_values(item)
            ind = indicators.get((spec["code"], item["code"]))
            name = f"{spec['code']}/{item['code']}"
            if ind is None:
                ind = EvalIndicator(criterion=crit, code=item["code"])
                changes["added"].append(name)
            elif any(getattr(ind, f) != values[f] for f in INDICATOR_FIELDS):
                changes["changed"].append(name)
            for f, v in values.items():
                setattr(ind, f, v)
            ind.order = i_order
            ind.full_clean(exclude=["criterion"])
            ind.save()
    return {k: v for k, v in changes.items() if v}


@transaction.atomic
def criteria_set_new(
    *,
    user: User,
    code: str,
    title_vi: str,
    period_start: dt.date,
    period_end: dt.date,
    criteria: list[dict[str, Any]],
    title_en: str = "",
    description: str = "",
    copied_from: CriteriaSet | None = None,
) -> CriteriaSet:
    """A new set (``copied_from``: the set it started as a copy of, for the audit trail)."""
    if not can_manage_sets(user):
        raise PermissionDenied
    errors = check_structure(criteria)
    if CriteriaSet.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(_("A criteria set with this code exists."))
    _refuse(errors)
    cs = CriteriaSet(
        code=code,
        title_vi=title_vi,
        title_en=title_en,
        description=description,
        period_start=period_start,
        period_end=period_end,
        created_by=user,
    )
    cs.full_clean()
    cs.save()
    _write_structure(cs, criteria)
    audit_record(
        actor=user,
        action="create",
        instance=cs,
        changes={
            "criteria": [c["code"] for c in criteria],
            "indicators": [i["code"] for c in criteria for i in c.get("indicators", ())],
            **({"copied_from": copied_from.code} if copied_from is not None else {}),
        },
    )
    return cs


def criteria_set_update(
    *,
    user: User,
    criteria_set: CriteriaSet,
    expected_version: int | None,
    title_vi: str,
    period_start: dt.date,
    period_end: dt.date,
    criteria: list[dict[str, Any]],
    title_en: str = "",
    description: str = "",
) -> CriteriaSet:
    """Save an edit of the whole set, based on ``expected_version`` (None: no check, for
    scripts); the set's version goes up by one."""
    if not can_manage_sets(user):
        raise PermissionDenied
    _refuse(check_structure(criteria))
    with transaction.atomic():
        cs = CriteriaSet.objects.select_for_update().filter(pk=criteria_set.pk).first()
        if cs is None:
            raise ConflictError(_("The criteria set no longer exists."))
        if expected_version is not None and cs.version != expected_version:
            raise ConflictError(
                _(
                    "Someone else saved this criteria set meanwhile (now version %(version)s). "
                    "Nothing was saved: reload it to see their changes."
                )
                % {"version": cs.version},
                version=cs.version,
            )
        head = {
            "title_vi": title_vi,
            "title_en": title_en,
            "description": description,
            "period_start": period_start,
            "period_end": period_end,
        }
        fields = {f: [str(getattr(cs, f)), str(v)] for f, v in head.items() if getattr(cs, f) != v}
        for f, v in head.items():
            setattr(cs, f, v)
        cs.full_clean()
        structure = _write_structure(cs, criteria)
        old = cs.version
        cs.version = old + 1
        cs.save()
        audit_record(
            actor=user,
            action="update",
            instance=cs,
            changes={"version": [old, cs.version], **fields, **structure},
        )
    criteria_set.refresh_from_db()
    return cs


def structure_of(cs: CriteriaSet) -> list[dict[str, Any]]:
    """A set's criteria and indicators as the ``criteria`` argument above (to prefill the
    editor or copy the set)."""
    out = []
    for crit in cs.criteria.prefetch_related("indicators"):
        out.append(
            {
                "code": crit.code,
                "weight": crit.weight,
                "question_vi": crit.question_vi,
                "indicators": [
                    {"code": i.code, **{f: getattr(i, f) for f in INDICATOR_FIELDS}}
                    for i in crit.indicators.all()
                ],
            }
        )
    return out
