"""Write the demo data set into the database (after ``reference_sync()``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from caunoi.portal.demo import dataset as D
from caunoi.portal.demo.generate import DEFAULT_SEED, Generated, agreement_status, generate
from vntext.collation import sort_string


def load_demo(*, stdout: TextIO | None = None, generated: bool = True) -> dict[str, int]:
    """Load the facts of ``data/`` (and, unless ``generated`` is false, the generated records) once.

    Returns how many records of each kind were created: all zeros if the demo was already
    loaded. Must run after ``caunoi.registry.reference.reference_sync()``. Creates no users.
    """
    from caunoi.accounts.models import Unit
    from caunoi.registry.models import Agreement

    def say(msg: str) -> None:
        if stdout is not None:
            stdout.write(msg + "\n")

    with transaction.atomic():
        if Unit.objects.filter(code="htqt").exists() and Agreement.objects.exists():
            say("Demo data already loaded; nothing to do.")
            return dict.fromkeys(_KINDS, 0)
        today = timezone.localdate()
        gen = generate(DEFAULT_SEED, today) if generated else Generated()
        counts = _Loader(today, say).run(gen)
        from caunoi.registry.services import country_links_refresh

        country_links_refresh()
    say("Demo data loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


# Appended to records whose details were not checked against public sources,
# so that nobody takes a demo record for the official one.
ILLUSTRATIVE_NOTE = "(Dữ liệu mẫu: một số chi tiết như ngày tháng, số liệu mang tính minh họa.)"


def _with_note(text: str, verified: bool) -> str:
    if verified:
        return text
    return f"{text} {ILLUSTRATIVE_NOTE}" if text else ILLUSTRATIVE_NOTE


_KINDS = (
    "units",
    "organizations",
    "agreements",
    "agreement_parties",
    "projects",
    "project_participants",
    "memberships",
    "delegations",
    "events",
    "representatives",
)


def _link_m2m(manager_field: Any, pairs: Iterable[tuple[int, Any]]) -> None:
    """Bulk-insert rows of an auto-created M2M through table."""
    through = manager_field.through
    source = manager_field.field.m2m_field_name()
    target = manager_field.field.m2m_reverse_field_name()
    rows = [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in dict.fromkeys(pairs)]
    through.objects.bulk_create(rows, batch_size=500)


class _Loader:
    def __init__(self, today: Any, say: Any) -> None:
        from caunoi.taxonomy.models import Country, Field

        self.today = today
        self.say = say
        self.counts = dict.fromkeys(_KINDS, 0)
        self.fields = {f.code: f.pk for f in Field.objects.all()}
        self.countries = set(Country.objects.values_list("iso2", flat=True))
        if not self.fields or not self.countries:
            raise RuntimeError("Run caunoi.registry.reference.reference_sync() before load_demo().")
        self.units: dict[str, Any] = {}
        self.orgs: dict[str, int] = {}
        self.agreements: dict[str, int] = {}
        self.projects: dict[str, int] = {}

    # -- lookups ---------------------------------------------------------------------------
    def unit(self, code: str) -> Any:
        try:
            return self.units[code]
        except KeyError:
            raise KeyError(f"demo data names an unknown unit {code!r}") from None

    def org(self, key: str) -> int:
        try:
            return self.orgs[key]
        except KeyError:
            raise KeyError(f"demo data names an unknown organisation {key!r}") from None

    def country(self, iso2: str) -> str:
        if iso2 not in self.countries:
            raise KeyError(f"demo data names an unknown country {iso2!r}")
        return iso2

    def field_ids(self, codes: Sequence[str]) -> list[int]:
        missing = [c for c in codes if c not in self.fields]
        if missing:
            raise KeyError(f"demo data names unknown fields {missing}")
        return [self.fields[c] for c in codes]

    # -- steps -----------------------------------------------------------------------------
    def run(self, gen: Generated) -> dict[str, int]:
        facts = D.facts()
        self.load_units()
        self.load_organizations(gen.organizations)
        self.load_agreements([*facts.agreements, *gen.agreements])
        self.load_projects([*facts.projects, *facts.protocol_projects, *gen.projects])
        self.load_memberships(facts.memberships)
        self.load_delegations([*facts.delegations, *gen.delegations])
        self.load_events([*facts.events, *gen.events])
        self.load_representatives(facts.representatives)
        return self.counts

    def load_units(self) -> None:
        from caunoi.accounts.models import Unit

        facts = D.facts()
        existing = {u.code: u for u in Unit.objects.all()}
        new, changed = [], []
        for fact in facts.units:
            unit = existing.get(fact.code)
            if unit is None:
                new.append(
                    Unit(code=fact.code, name_vi=fact.name_vi, name_en=fact.name_en, kind=fact.kind)
                )
            elif (unit.name_vi, unit.name_en, unit.kind) != (fact.name_vi, fact.name_en, fact.kind):
                unit.name_vi, unit.name_en, unit.kind = fact.name_vi, fact.name_en, fact.kind
                changed.append(unit)
        Unit.objects.bulk_create(new)
        Unit.objects.bulk_update(changed, ["name_vi", "name_en", "kind"])
        self.units = {u.code: u for u in Unit.objects.all()}
        self.counts["units"] = len(new)

    def load_organizations(self, generated_orgs: Sequence[D.OrgFact]) -> None:
        from caunoi.registry.models import Organization

        facts = D.facts()
        htqt = self.unit("htqt")
        known = dict(Organization.objects.values_list("key", "pk"))
        wanted: dict[str, D.OrgFact] = {}
        for fact in (
            *facts.gazetteer_fallback,
            *facts.vn_orgs,
            *facts.foreign_orgs,
            *generated_orgs,
        ):
            if fact.key not in known:
                wanted.setdefault(fact.key, fact)
        new = [
            Organization(
                key=o.key,
                name_vi=o.name_vi,
                sort_name=sort_string(o.name_vi),
                name_en=o.name_en,
                acronym=o.acronym,
                kind=o.kind,
                country_id=o.country if o.country in self.countries else None,
                website=o.website,
                owner_unit=htqt,
                is_public=True,
            )
            for o in wanted.values()
        ]
        Organization.objects.bulk_create(new, batch_size=500)
        self.orgs = dict(Organization.objects.values_list("key", "pk"))
        # Parents, once every organisation exists; IMAG belongs to Messe München.
        parents = {o.key: o.parent for o in wanted.values() if o.parent}
        parents.setdefault("imag", "messe-muenchen")
        for key, parent in parents.items():
            Organization.objects.filter(key=key, parent__isnull=True).update(
                parent_id=self.org(parent)
            )
        for o in (*facts.vn_orgs, *facts.foreign_orgs):
            if o.fields:
                _link_m2m(
                    Organization.fields, [(self.org(o.key), f) for f in self.field_ids(o.fields)]
                )
        self.counts["organizations"] = len(new)

    def load_agreements(self, items: Sequence[D.AgreementFact]) -> None:
        from caunoi.registry.models import Agreement, AgreementParty

        objs = []
        for a in items:
            status = a.status or agreement_status(
                a.signed_on, a.effective_on, a.expires_on, self.today
            )
            objs.append(
                Agreement(
                    title_vi=a.title_vi,
                    title_en=a.title_en,
                    kind=a.kind,
                    level=a.level,
                    status=status,
                    signed_on=a.signed_on,
                    signed_place=a.signed_place,
                    effective_on=a.effective_on,
                    expires_on=a.expires_on,
                    auto_renew=a.auto_renew,
                    summary=_with_note(a.summary, a.verified),
                    obligations=a.obligations,
                    legal_basis=a.legal_basis,
                    owner_unit=self.unit(a.owner),
                    is_public=a.public,
                )
            )
        Agreement.objects.bulk_create(objs, batch_size=500)
        parties, tags = [], []
        for a, obj in zip(items, objs, strict=True):
            self.agreements[a.key] = obj.pk
            for p in a.parties:
                parties.append(
                    AgreementParty(
                        agreement_id=obj.pk,
                        side=p.side,
                        country_id=self.country(p.country) if p.country else None,
                        organization_id=self.org(p.org) if p.org else None,
                        signatory=p.signatory,
                    )
                )
            tags += [(obj.pk, f) for f in self.field_ids(a.fields)]
        AgreementParty.objects.bulk_create(parties, batch_size=500)
        _link_m2m(Agreement.fields, tags)
        self.counts["agreements"] = len(objs)
        self.counts["agreement_parties"] = len(parties)

    def load_projects(self, items: Sequence[D.ProjectFact]) -> None:
        from caunoi.registry.models import Project, ProjectParticipant

        objs = [
            Project(
                title_vi=p.title_vi,
                title_en=p.title_en,
                code=p.code,
                kind=p.kind,
                status=p.status,
                lead_organization_id=self.org(p.lead) if p.lead else None,
                funder_id=self.org(p.funder) if p.funder else None,
                agreement_id=self.agreements[p.agreement] if p.agreement else None,
                budget=p.budget,
                currency=p.currency if p.budget is not None else "",
                planned_start=p.planned_start,
                planned_end=p.planned_end,
                actual_start=p.actual_start,
                actual_end=p.actual_end,
                description=_with_note(p.description, p.verified),
                outputs=p.outputs,
                owner_unit=self.unit(p.owner),
                is_public=p.public,
            )
            for p in items
        ]
        Project.objects.bulk_create(objs, batch_size=500)
        participants, tags = [], []
        for p, obj in zip(items, objs, strict=True):
            self.projects[p.key] = obj.pk
            for key, role in dict.fromkeys(p.participants):
                participants.append(
                    ProjectParticipant(project_id=obj.pk, organization_id=self.org(key), role=role)
                )
            tags += [(obj.pk, f) for f in self.field_ids(p.fields)]
        ProjectParticipant.objects.bulk_create(participants, batch_size=500)
        _link_m2m(Project.fields, tags)
        self.counts["projects"] = len(objs)
        self.counts["project_participants"] = len(participants)

    def load_memberships(self, items: Sequence[D.MembershipFact]) -> None:
        from caunoi.registry.models import Membership

        objs = [
            Membership(
                organization_id=self.org(m.org),
                since=m.since,
                focal_unit=self.unit(m.focal_unit),
                annual_fee=m.annual_fee,
                currency=m.currency if m.annual_fee is not None else "",
                obligations=m.obligations,
                status=m.status,
                owner_unit=self.unit(m.owner),
                is_public=m.public,
            )
            for m in items
        ]
        Membership.objects.bulk_create(objs)
        tags = [
            (o.pk, f) for m, o in zip(items, objs, strict=True) for f in self.field_ids(m.fields)
        ]
        _link_m2m(Membership.fields, tags)
        self.counts["memberships"] = len(objs)

    def load_delegations(self, items: Sequence[D.DelegationFact]) -> None:
        from caunoi.registry.models import Delegation

        objs = [
            Delegation(
                title_vi=d.title_vi,
                title_en=d.title_en,
                direction=d.direction,
                purpose=_with_note(d.purpose, d.verified),
                members_count=d.members_count,
                start_on=d.start_on,
                end_on=d.end_on,
                host=d.host,
                agreement_id=self.agreements[d.agreement] if d.agreement else None,
                project_id=self.projects[d.project] if d.project else None,
                trip_report=d.trip_report,
                owner_unit=self.unit(d.owner),
                is_public=d.public,
            )
            for d in items
        ]
        Delegation.objects.bulk_create(objs, batch_size=500)
        pairs = list(zip(items, objs, strict=True))
        _link_m2m(
            Delegation.fields, [(o.pk, f) for d, o in pairs for f in self.field_ids(d.fields)]
        )
        _link_m2m(
            Delegation.countries, [(o.pk, self.country(c)) for d, o in pairs for c in d.countries]
        )
        self.counts["delegations"] = len(objs)

    def load_events(self, items: Sequence[D.EventFact]) -> None:
        from caunoi.registry.models import Event

        objs = [
            Event(
                title_vi=e.title_vi,
                title_en=e.title_en,
                kind=e.kind,
                start_on=e.start_on,
                end_on=e.end_on,
                city=e.city,
                country_id=self.country(e.country) if e.country else None,
                organizer=e.organizer,
                url=e.url,
                description=_with_note(e.description, e.verified),
                owner_unit=self.unit(e.owner),
                is_public=e.public,
            )
            for e in items
        ]
        Event.objects.bulk_create(objs, batch_size=500)
        _link_m2m(
            Event.fields,
            [(o.pk, f) for e, o in zip(items, objs, strict=True) for f in self.field_ids(e.fields)],
        )
        self.counts["events"] = len(objs)

    def load_representatives(self, items: Sequence[D.RepresentativeFact]) -> None:
        from caunoi.registry.models import Representative

        objs = [
            Representative(
                post=r.post,
                country_id=self.country(r.country),
                person=r.person,
                email=r.email,
                since=r.since,
                owner_unit=self.unit(r.owner),
                is_public=r.public,
            )
            for r in items
        ]
        Representative.objects.bulk_create(objs)
        pairs = list(zip(items, objs, strict=True))
        _link_m2m(
            Representative.fields, [(o.pk, f) for r, o in pairs for f in self.field_ids(r.fields)]
        )
        _link_m2m(
            Representative.coverage, [(o.pk, self.country(c)) for r, o in pairs for c in r.coverage]
        )
        self.counts["representatives"] = len(objs)


# Outside users of the demo, one of each kind, with their (invented) organisations:
# (username, password, kind, full name, organisation key, name, English name, organisation kind)
OUTSIDE_DEMO_ACCOUNTS = (
    ("doanhnghiep", "caunoi-dn-2026", "enterprise", "Võ Thị Mai",
     "mau-nong-san-song-hau", "Công ty Cổ phần Nông sản Sông Hậu",
     "Song Hau Agricultural Products JSC", "company"),
    ("nghiencuu", "caunoi-nc-2026", "research", "Đặng Quang Huy",
     "mau-vien-sinh-hoc-mien-trung", "Viện Nghiên cứu Công nghệ Sinh học Ứng dụng Miền Trung",
     "Central Institute of Applied Biotechnology", "research_institute"),
    ("nhacungcap", "caunoi-ncc-2026", "provider", "Bùi Thanh Tùng",
     "mau-cam-bien-hoa-lac", "Công ty TNHH Công nghệ Cảm biến Hòa Lạc",
     "Hoa Lac Sensor Technology Co., Ltd.", "company"),
    ("trunggian", "caunoi-tg-2026", "intermediary", "Hoàng Thu Trang",
     "mau-chuyen-giao-binh-minh", "Trung tâm Xúc tiến Chuyển giao Công nghệ Bình Minh",
     "Binh Minh Technology Transfer Promotion Centre", "technology_exchange"),
    ("chuyengia", "caunoi-cg-2026", "expert", "Ngô Đức Anh",
     "mau-vien-sinh-hoc-mien-trung", "Viện Nghiên cứu Công nghệ Sinh học Ứng dụng Miền Trung",
     "Central Institute of Applied Biotechnology", "research_institute"),
)  # fmt: skip


def load_outside_demo_accounts() -> list[tuple[str, str, str]]:
    """Create the outside demo users (confirmed, each linked to its organisation); idempotent.

    Returns (username, password, label) for each, to print beside the staff accounts.
    """
    from caunoi.accounts.models import OutsideKind, Unit, User
    from caunoi.accounts.services import user_create
    from caunoi.registry.models import Affiliation, Organization

    note = "Tổ chức hư cấu, dùng cho tài khoản minh họa. " + ILLUSTRATIVE_NOTE
    printed = []
    with transaction.atomic():
        owner = Unit.objects.get(code="htqt")
        approver = User.objects.filter(role=User.Role.ADMIN, is_active=True).order_by("pk").first()
        for (
            username,
            password,
            kind,
            full_name,
            key,
            name_vi,
            name_en,
            org_kind,
        ) in OUTSIDE_DEMO_ACCOUNTS:
            org, _ = Organization.objects.get_or_create(
                key=key,
                defaults={
                    "name_vi": name_vi,
                    "name_en": name_en,
                    "kind": org_kind,
                    "country_id": "VN",
                    "owner_unit": owner,
                    "is_public": True,
                    "description": note,
                },
            )
            user = User.objects.filter(username=username).first()
            if user is None:
                family, _, given = full_name.rpartition(" ")
                user = user_create(
                    username=username,
                    password=password,
                    role=User.Role.EXTERNAL,
                    outside_kind=kind,
                    email=f"{username}@demo.caunoi.vn",
                    first_name=given,
                    last_name=family,
                )
                User.objects.filter(pk=user.pk).update(
                    claimed_organization=name_vi, claimed_country="VN"
                )
                Affiliation.objects.create(
                    user=user,
                    organization=org,
                    state=Affiliation.State.APPROVED,
                    decided_by=approver,
                    decided_at=timezone.now(),
                )
            label = f"{User.Role.EXTERNAL.label} · {OutsideKind(kind).label} · {name_vi}"
            printed.append((username, password, label))
    return printed
