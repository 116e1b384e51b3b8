"""Evaluation criteria sets: who may do what, writes (with the audit trail) and the scores.

- Network staff read criteria sets, scores, evidence and series; administrators and officers
  create sets and enter series values. Values with evidence for a set's entered indicators:
  administrators and the officers of the unit that runs the evaluations (the HTQT department,
  ``EVALUATION_UNIT``) for any scope (everyone, any unit, any partner country); another unit's
  officers for their own unit's scope only, so no unit enters another's figures or the
  national ones.
- A score computed from only some of the indicators shows its coverage (the share of the
  weight that had a value); the comparison ranks the scores under ``MIN_COVERAGE`` after the
  others, so leaving the unfavourable indicators empty does not move a unit up.
- An indicator's value for a scope (everyone, a unit, a partner country) is its source's
  (``caunoi.core.indicators``) for the set's period, or the latest value entered for that
  scope; ``scoring`` turns the values into scores with their formulas.
- ``evaluate_many`` scores many scopes at once (the comparison page): each source answers
  for all of them in a few grouped queries and the entries are read once, so the number of
  queries does not grow with the units and countries; ``evaluate`` (one scope, each source
  asked for it alone) gives the same results and is the reference the tests compare with.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.accounts.models import Unit, User
from caunoi.accounts.services import audit_record
from caunoi.core.errors import DomainError
from caunoi.core.indicators import IndicatorSource, IndicatorValue, Scope, indicator_source
from caunoi.reporting import scoring
from caunoi.reporting.answers import parse_number
from caunoi.reporting.models_evaluation import (
    CriteriaSet,
    DacCriterion,
    EvalCriterion,
    EvalEntry,
    EvalIndicator,
    SeriesIndicator,
    SeriesOrigin,
    SeriesValue,
)
from caunoi.taxonomy.models import Country

# --- access ---------------------------------------------------------------------------------


def is_reader(user: Any) -> bool:
    return isinstance(user, User) and user.is_network_staff


EVALUATION_UNIT = "htqt"  # the code of the unit that runs the evaluations
MIN_COVERAGE = 0.5  # scores with less of their weight valued are ranked after the others


def can_enter(user: Any) -> bool:
    """Administrators and officers enter values for some scope (viewers only read); which
    scopes: ``can_enter_for``."""
    return isinstance(user, User) and (user.is_admin or user.is_officer)


def runs_evaluations(user: Any) -> bool:
    """Administrators and the officers of the unit that runs the evaluations."""
    if not can_enter(user):
        return False
    return bool(user.is_admin or (user.unit is not None and user.unit.code == EVALUATION_UNIT))


def can_enter_for(user: Any, unit: Unit | None = None, country: Country | None = None) -> bool:
    """May enter a set's values for this scope: everyone's (no unit, no country) and a
    partner country's only who runs the evaluations; a unit's also that unit's officers."""
    if runs_evaluations(user):
        return True
    return bool(
        can_enter(user) and unit is not None and country is None and user.unit_id == unit.pk
    )


def sets_readable(user: Any) -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.all() if is_reader(user) else CriteriaSet.objects.none()


def set_for_user(user: Any, pk: Any) -> CriteriaSet:
    try:
        return sets_readable(user).get(pk=pk)
    except (CriteriaSet.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- writes ---------------------------------------------------------------------------------

EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
}


def _check_file(upload: Any, errors: dict[str, list[str]]) -> tuple[str, bytes] | None:
    name = Path(upload.name or "minh-chung").name
    ext = Path(name).suffix.lower()
    if ext not in EVIDENCE_TYPES:
        errors["evidence_file"] = [
            _("Unsupported file type. Accepted: PDF, DOCX, DOC, XLSX, PNG, JPG.")
        ]
        return None
    if (upload.size or 0) > settings.CAUNOI_UPLOAD_MAX_BYTES:
        errors["evidence_file"] = [
            _("The file is too large (limit %(mb)d MB).")
            % {"mb": settings.CAUNOI_UPLOAD_MAX_BYTES // (1024 * 1024)}
        ]
        return None
    content = upload.read()
    if not content:
        errors["evidence_file"] = [_("The file is empty.")]
        return None
    if not any(content.startswith(m) for m in EVIDENCE_TYPES[ext]):
        errors["evidence_file"] = [_("The file's content does not match its type.")]
        return None
    return ext, content


def entry_save(
    *,
    user: User,
    indicator: EvalIndicator,
    value: Any,
    note: str,
    unit: Unit | None = None,
    country: Country | None = None,
    evidence_url: str = "",
    evidence_file: Any = None,
) -> EvalEntry:
    """Enter a value for an entered indicator, for everyone, a unit or a partner country,
    with its evidence: a note and a link or a file (PDF, DOCX, DOC, XLSX, PNG, JPG). Every
    problem is named at once; nothing is stored when one is found. Refused
    (``PermissionDenied``) unless ``can_enter_for`` the scope."""
    if not can_enter_for(user, unit, country):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not indicator.is_entered:
        errors["__all__"] = [_("This indicator is computed from the platform's records.")]
    number = parse_number(value) if str(value).strip() else None
    if number is None:
        errors["value"] = [_("Enter a number, e.g. 12 or 12,5.")]
    elif abs(number) >= Decimal("1e16"):
        errors["value"] = [_("The number is too large.")]
    if not note.strip():
        errors["note"] = [_("Say what the evidence is and where the figure comes from.")]
    if unit is not None and country is not None:
        errors["__all__"] = [_("A value is for a unit or for a partner country, not both.")]
    evidence_url = evidence_url.strip()
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            errors["evidence_url"] = [_("Enter a web address starting with http:// or https://.")]
    checked = _check_file(evidence_file, errors) if evidence_file is not None else None
    if not evidence_url and evidence_file is None and "evidence_url" not in errors:
        errors["evidence_url"] = [_("Attach a file or give a link as evidence.")]
    if errors:
        raise DomainError(_("Nothing was saved: correct the fields marked below."), errors=errors)
    assert number is not None
    with transaction.atomic():
        entry = EvalEntry(
            indicator=indicator,
            unit=unit,
            country=country,
            value=number.quantize(Decimal("0.01")),
            note=note.strip(),
            evidence_url=evidence_url,
            entered_by=user,
        )
        if checked is not None:
            ext, content = checked
            entry.evidence_file.save(f"{uuid.uuid4().hex}{ext}", ContentFile(content), save=False)
        entry.save()
        audit_record(
            actor=user,
            action="create",
            instance=entry,
            changes={
                "indicator": indicator.code,
                "value": str(entry.value),
                "unit": unit.code if unit else "",
                "country": country.iso2 if country else "",
                "evidence": evidence_url or entry.evidence_file.name,
            },
        )
    return entry


def series_value_save(
    *,
    user: User,
    indicator: SeriesIndicator,
    year: Any,
    value: Any,
    source: str,
    note: str = "",
    partner: str = "",
) -> SeriesValue:
    """Enter (or correct) one year's value of a series; the source is required. The series
    are national figures: only who runs the evaluations enters them."""
    if not runs_evaluations(user):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    try:
        year_n = int(str(year).strip())
        if not 1900 <= year_n <= 2100:
            raise ValueError
    except ValueError:
        year_n = 0
        errors["year"] = [_("Enter a year between 1900 and 2100.")]
    number = parse_number(value) if str(value).strip() else None
    if number is None:
        errors["value"] = [_("Enter a number, e.g. 12 or 12,5.")]
    elif number < 0 or number >= Decimal("1e16"):
        errors["value"] = [_("Enter a number from 0 up to 10^16.")]
    if not source.strip():
        errors["source"] = [_("Name the source of the figure.")]
    partner = partner.strip().upper()
    if partner and not Country.objects.filter(iso2=partner).exists():
        errors["partner"] = [_("Unknown country code.")]
    if errors:
        raise DomainError(_("Nothing was saved: correct the fields marked below."), errors=errors)
    assert number is not None
    with transaction.atomic():
        row, created = SeriesValue.objects.update_or_create(
            indicator=indicator,
            year=year_n,
            partner=partner,
            defaults={
                "value": number.quantize(Decimal("0.01")),
                "source": source.strip()[:300],
                "note": note.strip(),
                "origin": SeriesOrigin.ENTERED,
                "entered_by": user,
                "updated_at": timezone.now(),
            },
        )
        audit_record(
            actor=user,
            action="create" if created else "update",
            instance=row,
            changes={"value": str(row.value), "source": row.source},
        )
    return row


# --- reads: values, evidence and scores -----------------------------------------------------


@dataclass(frozen=True)
class IndicatorResult:
    indicator: EvalIndicator
    value: IndicatorValue
    entry: EvalEntry | None  # the entered value used, if entered
    score: scoring.IndicatorScore


@dataclass(frozen=True)
class CriterionResult:
    criterion: EvalCriterion
    indicators: tuple[IndicatorResult, ...]
    score: scoring.CriterionScore


@dataclass(frozen=True)
class Evaluation:
    criteria_set: CriteriaSet
    scope: Scope
    criteria: tuple[CriterionResult, ...]
    score: scoring.SetScore


def criteria_of(cs: CriteriaSet) -> list[tuple[EvalCriterion, list[EvalIndicator]]]:
    criteria = list(cs.criteria.prefetch_related("indicators"))
    return [(c, list(c.indicators.all())) for c in criteria]


def entry_scope(scope: Scope) -> Q:
    """Entries entered for exactly this scope (a unit's, a country's, or everyone's)."""
    unit = Q(unit__isnull=True) if scope.unit_id is None else Q(unit_id=scope.unit_id)
    country = Q(country__isnull=True) if scope.country is None else Q(country_id=scope.country)
    return unit & country


def _latest_entries(cs: CriteriaSet, scope: Scope) -> dict[int, EvalEntry]:
    qs = EvalEntry.objects.filter(indicator__criterion__criteria_set=cs).select_related(
        "entered_by", "unit", "country"
    )
    qs = qs.filter(entry_scope(scope))
    latest: dict[int, EvalEntry] = {}
    for entry in qs.order_by("-entered_at", "-pk"):
        latest.setdefault(entry.indicator_id, entry)
    return latest


def _latest_entries_many(cs: CriteriaSet, scopes: list[Scope]) -> dict[Scope, dict[int, EvalEntry]]:
    """``_latest_entries`` for each scope, in one query."""
    wanted = {(s.unit_id, s.country): s for s in scopes}
    qs = EvalEntry.objects.filter(indicator__criterion__criteria_set=cs).select_related(
        "entered_by", "unit", "country"
    )
    if all(s.unit_id is not None or s.country is not None for s in scopes):
        qs = qs.filter(
            Q(unit_id__in={s.unit_id for s in scopes if s.unit_id is not None})
            | Q(country_id__in={s.country for s in scopes if s.country is not None})
        )
    latest: dict[Scope, dict[int, EvalEntry]] = {s: {} for s in scopes}
    for entry in qs.order_by("-entered_at", "-pk"):
        scope = wanted.get((entry.unit_id, entry.country_id))
        if scope is not None:
            latest[scope].setdefault(entry.indicator_id, entry)
    return latest


Structure = list[tuple[EvalCriterion, list[EvalIndicator]]]


def _scored(
    cs: CriteriaSet,
    scope: Scope,
    structure: Structure,
    source_value: Callable[[EvalIndicator], IndicatorValue],
    entries: dict[int, EvalEntry],
) -> Evaluation:
    """The set scored for ``scope``: ``source_value(indicator)`` is a computed indicator's
    value, ``entries`` the latest entered values by indicator."""
    results: list[
        tuple[EvalCriterion, list[tuple[EvalIndicator, IndicatorValue, EvalEntry | None]]]
    ]
    results = []
    for crit, indicators in structure:
        rows = []
        for ind in indicators:
            entry = None
            if ind.source_key:
                value = source_value(ind)
            else:
                entry = entries.get(ind.pk)
                value = IndicatorValue(float(entry.value) if entry is not None else None)
            rows.append((ind, value, entry))
        results.append((crit, rows))
    set_score = scoring.set_score(
        [
            scoring.CriterionInput(
                code=crit.code,
                weight=float(crit.weight),
                indicators=tuple(
                    scoring.IndicatorInput(
                        code=ind.code,
                        weight=float(ind.weight),
                        value=value.value,
                        target=float(ind.target),
                        higher_is_better=ind.higher_is_better,
                    )
                    for ind, value, _entry in rows
                ),
            )
            for crit, rows in results
        ]
    )
    criteria = tuple(
        CriterionResult(
            criterion=crit,
            indicators=tuple(
                IndicatorResult(ind, value, entry, ind_score)
                for (ind, value, entry), ind_score in zip(rows, c_score.indicators, strict=True)
            ),
            score=c_score,
        )
        for (crit, rows), c_score in zip(results, set_score.criteria, strict=True)
    )
    return Evaluation(cs, scope, criteria, set_score)


def _unknown_source() -> IndicatorValue:
    return IndicatorValue(None, note=_("Unknown indicator source."))


def evaluate(
    cs: CriteriaSet,
    scope: Scope | None = None,
    *,
    structure: Structure | None = None,
) -> Evaluation:
    """The set for one scope, each source asked for that scope alone."""
    scope = scope or Scope()
    structure = structure if structure is not None else criteria_of(cs)

    def source_value(ind: EvalIndicator) -> IndicatorValue:
        source = indicator_source(ind.source_key)
        if source is None:
            return _unknown_source()
        return source.value(cs.period_start, cs.period_end, scope)

    return _scored(cs, scope, structure, source_value, _latest_entries(cs, scope))


def evaluate_many(
    cs: CriteriaSet, scopes: list[Scope], *, structure: Structure | None = None
) -> list[Evaluation]:
    """The set for each scope (in order), with a number of queries independent of how many
    scopes: every source is asked once for all of them (``IndicatorSource.values``)."""
    structure = structure if structure is not None else criteria_of(cs)
    wanted = list(dict.fromkeys(scopes))
    if not wanted:
        return []
    keys = sorted({ind.source_key for _c, inds in structure for ind in inds if ind.source_key})
    values: dict[str, dict[Scope, IndicatorValue]] = {}
    for key in keys:
        source: IndicatorSource | None = indicator_source(key)
        if source is not None:
            values[key] = source.values(cs.period_start, cs.period_end, wanted)
    entries = _latest_entries_many(cs, wanted)

    def for_scope(scope: Scope) -> Evaluation:
        def source_value(ind: EvalIndicator) -> IndicatorValue:
            by_scope = values.get(ind.source_key)
            return _unknown_source() if by_scope is None else by_scope[scope]

        return _scored(cs, scope, structure, source_value, entries[scope])

    evaluated = {scope: for_scope(scope) for scope in wanted}
    return [evaluated[scope] for scope in scopes]


def scope_units(cs: CriteriaSet) -> list[Unit]:
    """The units scored in the comparison: ministries, provinces and agencies with records
    or entered values."""
    from caunoi.registry.models import Agreement, Delegation, Project

    ids: set[int] = set()
    for model in (Agreement, Project, Delegation):
        ids.update(model.objects.values_list("owner_unit_id", flat=True).distinct())
    ids.update(
        EvalEntry.objects.filter(indicator__criterion__criteria_set=cs, unit__isnull=False)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    return list(Unit.objects.filter(pk__in=ids).order_by("name_vi"))


def scope_countries(cs: CriteriaSet, limit: int = 30) -> list[Country]:
    """Partner countries scored: those of agreements in force in the period and of entered
    values (Viet Nam itself is not a partner)."""
    from caunoi.reporting.indicator_sources import agreements_in_force

    codes = set(
        agreements_in_force(cs.period_start, cs.period_end, Scope())
        .values_list("countries__iso2", flat=True)
        .distinct()
    )
    codes.update(
        EvalEntry.objects.filter(indicator__criterion__criteria_set=cs, country__isnull=False)
        .values_list("country_id", flat=True)
        .distinct()
    )
    codes.discard(None)
    codes.discard("VN")
    return list(Country.objects.filter(iso2__in=codes).order_by("name_vi")[:limit])


def _best_first(rows: list[tuple[Any, Evaluation]]) -> list[tuple[Any, Evaluation]]:
    def key(row: tuple[Any, Evaluation]) -> tuple[bool, bool, float]:
        score = row[1].score
        thin = score.weight_coverage < MIN_COVERAGE
        return (score.score is None, thin, -(score.score or 0))

    return sorted(rows, key=key)


def comparison(cs: CriteriaSet, scopes: list[tuple[Any, Scope]]) -> list[tuple[Any, Evaluation]]:
    """The set evaluated for each scope, best score first: the scores with coverage under
    ``MIN_COVERAGE`` after the others, the unscored last; all scopes at once
    (``evaluate_many``)."""
    return comparisons(cs, scopes)[0]


def comparisons(
    cs: CriteriaSet, *groups: list[tuple[Any, Scope]]
) -> list[list[tuple[Any, Evaluation]]]:
    """``comparison`` for each group of (label, scope) (the units, the countries), all of
    them evaluated together in one ``evaluate_many``."""
    evaluated = evaluate_many(cs, [scope for group in groups for _label, scope in group])
    out, i = [], 0
    for group in groups:
        rows = [(label, ev) for (label, _scope), ev in zip(group, evaluated[i:], strict=False)]
        out.append(_best_first(rows))
        i += len(group)
    return out


CRITERIA_ORDER = [c.value for c in DacCriterion]
