"""How each registry entity is listed, filtered, sorted, searched, shown and saved.

One description per entity keeps the list/detail/edit views, exports and the API consistent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from caunoi.accounts.models import User
from caunoi.core.audience import PUBLISHED_OR_STAFF, AudienceRule
from caunoi.registry import forms, services
from caunoi.registry.models import (
    Agreement,
    Delegation,
    Event,
    Membership,
    Organization,
    Project,
    Representative,
)


@dataclass(frozen=True)
class Column:
    name: str
    label: Any
    sort: str = ""  # order_by expression when the column is sortable


@dataclass(frozen=True)
class Filter:
    param: str
    label: Any
    lookup: str
    choices: Callable[[], list[tuple[str, str]]] | None = None


def _save_simple(user: User, instance: models.Model, form: forms.RecordForm) -> models.Model:
    saved: models.Model = services.record_save(
        user=user,
        instance=instance,
        data=form.model_data(),
        m2m=form.m2m_data(),
        expected_version=form.expected_version(),
    )
    return saved


def _save_agreement(user: User, instance: models.Model, form: forms.RecordForm) -> models.Model:
    assert isinstance(instance, Agreement) and isinstance(form, forms.AgreementForm)
    return services.agreement_save(
        user=user,
        agreement=instance,
        data=form.model_data(),
        fields=form.m2m_data().get("fields", []),
        parties=form.parties(),
        expected_version=form.expected_version(),
    )


def _save_project(user: User, instance: models.Model, form: forms.RecordForm) -> models.Model:
    assert isinstance(instance, Project) and isinstance(form, forms.ProjectForm)
    saved: models.Model = services.project_save(
        user=user,
        project=instance,
        data=form.model_data(),
        fields=form.m2m_data().get("fields", []),
        partners=form.cleaned_data.get("participants") or [],
        expected_version=form.expected_version(),
    )
    return saved


@dataclass(frozen=True)
class Entity:
    slug: str
    model: type[models.Model]
    form: type[forms.RecordForm]
    columns: tuple[Column, ...]
    search_fields: tuple[str, ...]
    default_sort: str
    filters: tuple[Filter, ...] = ()
    country_lookups: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    detail_fields: tuple[str, ...] = ()
    date_field: str = ""
    # ``?expires=YEAR``: the records whose expiry date falls in that year; ``?signed=1``: the
    # records with a signing date (agreements).
    expiry_field: str = ""
    signed_field: str = ""
    save: Callable[[User, models.Model, forms.RecordForm], models.Model] = _save_simple
    importable: bool = False
    export_fields: tuple[str, ...] = field(default=())
    # Who may read a record: the one rule behind lists, pages, search, exports and the API.
    audience: AudienceRule = PUBLISHED_OR_STAFF

    @property
    def export_columns(self) -> tuple[str, ...]:
        """The columns of an export, which import reads back."""
        return self.export_fields or ("id", *self.detail_fields, "fields", "is_public")

    @property
    def label(self) -> Any:
        return self.model._meta.verbose_name

    @property
    def label_plural(self) -> Any:
        return self.model._meta.verbose_name_plural

    def url_name(self, view: str) -> str:
        return f"{self.model._meta.model_name}-{view}"

    def base_queryset(self) -> models.QuerySet[Any]:
        qs = self.model._default_manager.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def country_q(self, iso2: str) -> Q:
        """Records linked to a country.

        A lookup through a relation is resolved to primary keys first, one indexed query per
        path: ORing joins or subqueries in one statement makes PostgreSQL scan whole tables
        (measured in bench/registry_pages.py), and joins would need DISTINCT over whole rows.
        """
        code = iso2.upper()
        q = Q()
        ids: set[Any] = set()
        for lookup in self.country_lookups:
            if "__" in lookup:
                ids.update(
                    self.model._default_manager.filter(**{lookup: code}).values_list(
                        "pk", flat=True
                    )
                )
            else:  # a column, or a many-to-many of countries (unique pairs: no duplicates)
                q |= Q(**{lookup: code})
        if ids:
            q |= Q(pk__in=sorted(ids))
        return q

    def field_q(self, field_ids: list[int]) -> Q:
        """Records tagged with any of these fields, as a semi-join."""
        through = self.model._meta.get_field("fields").remote_field.through  # type: ignore[union-attr]
        column = f"{self.model._meta.model_name}_id"
        return Q(pk__in=through.objects.filter(field_id__in=field_ids).values(column))


def _choices(enum: Any) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [(value, str(label)) for value, label in enum.choices]


_PUBLIC = Filter(
    "public",
    _("publication"),
    "is_public",
    lambda: [("1", str(_("public"))), ("0", str(_("internal")))],
)

ORGANIZATIONS = Entity(
    slug="partners",
    model=Organization,
    form=forms.OrganizationForm,
    columns=(
        Column("name", _("name"), "sort_name"),
        Column("acronym", _("acronym"), "acronym"),
        Column("kind", _("type"), "kind"),
        Column("country", _("country"), "country__name_vi"),
    ),
    search_fields=("name_vi", "name_en", "acronym", "key"),
    default_sort="name",
    filters=(Filter("kind", _("type"), "kind", _choices(Organization.Kind)), _PUBLIC),
    country_lookups=("country_id",),
    select_related=("country", "parent", "owner_unit"),
    prefetch_related=("fields",),
    detail_fields=(
        "name_vi",
        "name_en",
        "acronym",
        "kind",
        "country",
        "parent",
        "website",
        "ror",
        "aliases",
        "description",
    ),
    importable=True,
    export_fields=(
        "key",
        "name_vi",
        "name_en",
        "acronym",
        "kind",
        "country",
        "parent",
        "website",
        "ror",
        "aliases",
        "description",
        "fields",
        "is_public",
    ),
)

AGREEMENTS = Entity(
    slug="agreements",
    model=Agreement,
    form=forms.AgreementForm,
    columns=(
        Column("title", _("title"), "title_vi"),
        Column("kind", _("kind"), "kind"),
        Column("parties", _("foreign parties")),
        Column("signed_on", _("signed"), "signed_on"),
        Column("expires_on", _("expires"), "expires_on"),
        Column("status", _("status"), "status"),
    ),
    search_fields=("title_vi", "title_en", "legal_basis", "signed_place"),
    default_sort="-signed_on",
    filters=(
        Filter("status", _("status"), "status", _choices(Agreement.Status)),
        Filter("kind", _("kind"), "kind", _choices(Agreement.Kind)),
        Filter("level", _("level"), "level", _choices(Agreement.Level)),
        _PUBLIC,
    ),
    country_lookups=("countries",),
    select_related=("owner_unit",),
    prefetch_related=("parties__country", "parties__organization", "fields", "documents"),
    expiry_field="expires_on",
    signed_field="signed_on",
    detail_fields=(
        "title_vi",
        "title_en",
        "kind",
        "level",
        "status",
        "signed_on",
        "signed_place",
        "effective_on",
        "expires_on",
        "auto_renew",
        "legal_basis",
        "summary",
        "obligations",
    ),
    date_field="signed_on",
    save=_save_agreement,
    importable=True,
    export_fields=(
        "id",
        "title_vi",
        "title_en",
        "kind",
        "level",
        "status",
        "signed_on",
        "signed_place",
        "effective_on",
        "expires_on",
        "auto_renew",
        "legal_basis",
        "foreign_parties",
        "vietnamese_parties",
        "summary",
        "obligations",
        "fields",
        "is_public",
    ),
)

MEMBERSHIPS = Entity(
    slug="memberships",
    model=Membership,
    form=forms.MembershipForm,
    columns=(
        Column("organization", _("organisation"), "organization__name_vi"),
        Column("since", _("member since"), "since"),
        Column("focal_unit", _("focal point unit"), "focal_unit__name_vi"),
        Column("annual_fee", _("annual fee"), "annual_fee"),
        Column("status", _("status"), "status"),
    ),
    search_fields=("organization__name_vi", "organization__name_en", "organization__acronym"),
    default_sort="organization",
    filters=(Filter("status", _("status"), "status", _choices(Membership.Status)), _PUBLIC),
    select_related=("organization", "focal_unit", "owner_unit"),
    prefetch_related=("fields",),
    detail_fields=(
        "organization",
        "status",
        "since",
        "focal_unit",
        "annual_fee",
        "currency",
        "obligations",
    ),
    date_field="since",
)

PROJECTS = Entity(
    slug="projects",
    model=Project,
    form=forms.ProjectForm,
    columns=(
        Column("title", _("title"), "title_vi"),
        Column("kind", _("kind"), "kind"),
        Column("funder", _("funder"), "funder__name_vi"),
        Column("budget", _("budget"), "budget"),
        Column("planned_start", _("start"), "planned_start"),
        Column("status", _("status"), "status"),
    ),
    search_fields=("title_vi", "title_en", "code", "funder__acronym", "funder__name_vi"),
    default_sort="-planned_start",
    filters=(
        Filter("kind", _("kind"), "kind", _choices(Project.Kind)),
        Filter("status", _("status"), "status", _choices(Project.Status)),
        _PUBLIC,
    ),
    country_lookups=("countries",),
    select_related=("funder", "lead_organization", "agreement", "owner_unit"),
    prefetch_related=("fields", "participants__organization"),
    detail_fields=(
        "title_vi",
        "title_en",
        "code",
        "kind",
        "status",
        "lead_organization",
        "funder",
        "agreement",
        "budget",
        "currency",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "description",
        "outputs",
    ),
    date_field="planned_start",
    save=_save_project,
    importable=True,
    export_fields=(
        "id",
        "title_vi",
        "title_en",
        "code",
        "kind",
        "status",
        "lead_organization",
        "funder",
        "agreement",
        "budget",
        "currency",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "description",
        "outputs",
        "participants",
        "fields",
        "is_public",
    ),
)

DELEGATIONS = Entity(
    slug="delegations",
    model=Delegation,
    form=forms.DelegationForm,
    columns=(
        Column("title", _("title"), "title_vi"),
        Column("direction", _("direction"), "direction"),
        Column("countries", _("countries")),
        Column("start_on", _("start date"), "start_on"),
        Column("members_count", _("members"), "members_count"),
    ),
    search_fields=("title_vi", "title_en", "host", "purpose"),
    default_sort="-start_on",
    filters=(
        Filter("direction", _("direction"), "direction", _choices(Delegation.Direction)),
        _PUBLIC,
    ),
    country_lookups=("countries",),
    select_related=("agreement", "project", "owner_unit"),
    prefetch_related=("countries", "fields"),
    detail_fields=(
        "title_vi",
        "title_en",
        "direction",
        "purpose",
        "members_count",
        "start_on",
        "end_on",
        "countries",
        "host",
        "agreement",
        "project",
        "trip_report",
    ),
    date_field="start_on",
)

EVENTS = Entity(
    slug="events",
    model=Event,
    form=forms.EventForm,
    columns=(
        Column("title", _("title"), "title_vi"),
        Column("kind", _("kind"), "kind"),
        Column("city", _("city"), "city"),
        Column("country", _("country"), "country__name_vi"),
        Column("start_on", _("start date"), "start_on"),
    ),
    search_fields=("title_vi", "title_en", "city", "organizer"),
    default_sort="-start_on",
    filters=(Filter("kind", _("kind"), "kind", _choices(Event.Kind)), _PUBLIC),
    country_lookups=("country_id",),
    select_related=("country", "owner_unit"),
    prefetch_related=("fields",),
    detail_fields=(
        "title_vi",
        "title_en",
        "kind",
        "start_on",
        "end_on",
        "city",
        "country",
        "organizer",
        "url",
        "description",
    ),
    date_field="start_on",
)

REPRESENTATIVES = Entity(
    slug="representatives",
    model=Representative,
    form=forms.RepresentativeForm,
    columns=(
        Column("post", _("post"), "post"),
        Column("country", _("country"), "country__name_vi"),
        Column("person", _("representative"), "person"),
        Column("since", _("since"), "since"),
    ),
    search_fields=("post", "person", "country__name_vi", "country__name_en"),
    default_sort="country",
    filters=(_PUBLIC,),
    country_lookups=("country_id", "coverage__iso2"),
    select_related=("country", "owner_unit"),
    prefetch_related=("coverage", "fields"),
    detail_fields=(
        "post",
        "country",
        "person",
        "email",
        "phone",
        "coverage",
        "since",
        "until",
    ),
    date_field="since",
)

ENTITIES: dict[str, Entity] = {
    e.slug: e
    for e in (
        AGREEMENTS,
        ORGANIZATIONS,
        MEMBERSHIPS,
        PROJECTS,
        DELEGATIONS,
        EVENTS,
        REPRESENTATIVES,
    )
}
