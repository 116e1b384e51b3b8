"""The demo data set loads, is realistic where it matters, and loads only once."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from caunoi.accounts.models import Unit
from caunoi.portal.demo.dataset import facts as demo_facts
from caunoi.portal.demo.generate import agreement_status, generate
from caunoi.portal.demo.load import ILLUSTRATIVE_NOTE, load_demo
from caunoi.registry.models import (
    AGREEMENT_TRANSITIONS,
    Agreement,
    AgreementParty,
    Delegation,
    Event,
    Membership,
    Organization,
    Project,
    Representative,
)
from caunoi.registry.reference import reference_sync
from caunoi.taxonomy.models import Field


@pytest.fixture
def demo(db: None) -> dict[str, int]:
    reference_sync()
    return load_demo(stdout=io.StringIO())


def test_counts_by_kind(demo: dict[str, int]) -> None:
    assert demo["agreements"] == Agreement.objects.count() >= 280
    assert demo["projects"] == Project.objects.count() >= 320
    assert Delegation.objects.count() >= 150
    assert Event.objects.count() >= 60
    assert Membership.objects.count() >= 15
    assert Representative.objects.count() >= 8
    kinds = dict(Agreement.objects.values_list("kind").annotate(n=Count("id")))
    for kind in ("intergovernmental", "ministry", "mou", "loi", "minutes", "contract"):
        assert kinds.get(kind, 0) >= 2, kind
    statuses = set(Agreement.objects.values_list("status", flat=True))
    assert {"negotiating", "in_force", "expiring", "expired", "renewed"} <= statuses
    project_kinds = set(Project.objects.values_list("kind", flat=True))
    assert project_kinds == {"protocol", "bilateral", "multilateral", "oda", "loan"}
    assert Project.objects.filter(kind="protocol").count() >= 12
    assert Delegation.objects.filter(direction="in").exists()
    assert Delegation.objects.filter(direction="out").exists()


def test_units(demo: dict[str, int]) -> None:
    assert Unit.objects.get(code="htqt").kind == Unit.Kind.DEPARTMENT
    assert Unit.objects.filter(kind=Unit.Kind.PROVINCE).count() == 34
    assert Unit.objects.filter(kind=Unit.Kind.MINISTRY).count() >= 14
    assert Unit.objects.filter(code="bo-cong-thuong", kind=Unit.Kind.MINISTRY).exists()
    assert Unit.objects.filter(code="ha-noi", kind=Unit.Kind.PROVINCE).exists()


def test_agreement_123_with_the_united_states(demo: dict[str, int]) -> None:
    a = Agreement.objects.get(title_vi__contains="Hiệp định 123")
    assert a.kind == Agreement.Kind.INTERGOVERNMENTAL
    assert a.signed_on is not None and a.signed_on.year == 2014
    assert a.parties.filter(side="foreign", country_id="US").exists()
    assert a.parties.filter(side="vn", country_id="VN").exists()
    assert a.fields.filter(slug="nuclear-energy-and-radiation").exists()
    assert a.is_public


def test_russia_strategic_partnership(demo: dict[str, int]) -> None:
    a = Agreement.objects.get(title_vi__contains="đối tác chiến lược trong lĩnh vực giáo dục")
    assert a.parties.filter(country_id="RU").exists()


def test_named_projects_and_funders(demo: dict[str, int]) -> None:
    vkist = Project.objects.get(title_vi__contains="V-KIST")
    assert vkist.funder is not None and vkist.funder.key == "koica"
    assert vkist.budget is not None and vkist.currency == "USD"
    assert (
        vkist.agreement is not None
        and vkist.agreement.parties.filter(organization__key="koica").exists()
    )
    first = Project.objects.get(title_vi__contains="(FIRST)")
    assert first.funder is not None and first.funder.key == "world-bank"
    assert first.kind == Project.Kind.LOAN
    ipp = Project.objects.filter(title_vi__contains="(IPP)")
    assert ipp.count() == 2 and all(p.funder is not None for p in ipp)
    assert all(p.funder.country_id == "FI" for p in ipp if p.funder is not None)
    bipp = Project.objects.get(title_vi__contains="(BIPP)")
    assert bipp.funder is not None and bipp.funder.country_id == "BE"


def test_partner_exchanges_and_memberships(demo: dict[str, int]) -> None:
    for key in ("kisti", "kiat", "ipi-singapore", "imag", "shanghai-tech-exchange"):
        org = Organization.objects.get(key=key)
        assert AgreementParty.objects.filter(organization=org).exists(), key
    assert Organization.objects.get(key="imag").parent is not None
    members = set(Membership.objects.values_list("organization__key", flat=True))
    assert {"iaea", "asean-costi", "apec", "copuos", "wipo", "itu", "iso", "iec"} <= members
    assert not Membership.objects.filter(annual_fee__isnull=False, currency="").exists()
    assert Membership.objects.filter(focal_unit__code="htqt").exists()


def test_legal_bases_named(demo: dict[str, int]) -> None:
    bases = set(Agreement.objects.exclude(legal_basis="").values_list("legal_basis", flat=True))
    text = " ".join(bases)
    for ref in ("735/QĐ-TTg", "1851/QĐ-TTg ngày 27/12/2018", "20-NQ/TW"):
        assert ref in text


def test_model_constraints_and_dates(demo: dict[str, int]) -> None:
    for a in Agreement.objects.all():
        a.full_clean()  # includes the CheckConstraints
        if a.signed_on and a.expires_on:
            assert a.expires_on >= a.signed_on
        if a.signed_on and a.effective_on:
            assert a.effective_on >= a.signed_on
        if a.status == "negotiating":
            assert a.signed_on is None or a.signed_on > timezone.localdate()
        assert a.status in AGREEMENT_TRANSITIONS
    assert not AgreementParty.objects.filter(
        Q(country__isnull=True, organization__isnull=True)
        | Q(country__isnull=False, organization__isnull=False)
    ).exists()
    assert not Agreement.objects.annotate(n=Count("parties")).filter(n__lt=2).exists()
    for p in Project.objects.all():
        p.full_clean()
    for d in Delegation.objects.all():
        assert d.end_on >= d.start_on and d.members_count >= 1
    for e in Event.objects.all():
        assert e.end_on >= e.start_on


def test_expiring_window_computed_today(demo: dict[str, int]) -> None:
    today = timezone.localdate()
    soon = Agreement.objects.filter(
        status__in=["in_force", "expiring"],
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=180),
    )
    assert soon.count() >= 5
    assert Agreement.objects.filter(status="expired", expires_on__lt=today).exists()
    for a in Agreement.objects.filter(status="expiring"):
        assert a.expires_on is not None and 0 <= (a.expires_on - today).days <= 180


def test_tags_owners_and_publication(demo: dict[str, int]) -> None:
    ai = Field.objects.get(slug="artificial-intelligence")
    assert ai.agreements.exists() and ai.projects.exists()
    assert Agreement.objects.filter(parties__country_id="KR").exists()
    assert not Agreement.objects.filter(fields__isnull=True).exists()
    owners = Agreement.objects.values("owner_unit__kind").annotate(n=Count("id"))
    by_kind = {o["owner_unit__kind"]: o["n"] for o in owners}
    assert by_kind["department"] > by_kind.get("ministry", 0)
    assert by_kind.get("province", 0) > 0 and by_kind.get("ministry", 0) > 0
    for model in (Agreement, Project, Delegation, Event):  # the demo officer's unit owns some
        assert model.objects.filter(owner_unit__code="ha-noi").exists(), model
    share = Agreement.objects.filter(is_public=True).count() / Agreement.objects.count()
    assert 0.5 <= share <= 0.85


def test_unverified_records_are_marked_illustrative(demo: dict[str, int]) -> None:
    a123 = Agreement.objects.get(title_vi__contains="Hiệp định 123")
    assert ILLUSTRATIVE_NOTE not in a123.summary
    assert ILLUSTRATIVE_NOTE not in Agreement.objects.get(title_vi__contains="(KIAT)").summary
    ipi = Agreement.objects.get(title_vi__contains="(IPI)")
    assert ipi.summary.endswith(ILLUSTRATIVE_NOTE)
    gc69 = Delegation.objects.get(title_vi__contains="lần thứ 69 Đại hội đồng IAEA")
    assert ILLUSTRATIVE_NOTE not in gc69.purpose
    assert (
        not Delegation.objects.exclude(purpose__contains=ILLUSTRATIVE_NOTE)
        .exclude(pk=gc69.pk)
        .exists()
    )
    assert not Event.objects.exclude(description__contains=ILLUSTRATIVE_NOTE).exists()


def test_second_load_creates_nothing(demo: dict[str, int]) -> None:
    before = (Agreement.objects.count(), Project.objects.count(), Unit.objects.count())
    again = load_demo()
    assert set(again.values()) == {0}
    assert (Agreement.objects.count(), Project.objects.count(), Unit.objects.count()) == before


def test_generator_is_deterministic() -> None:
    today = timezone.localdate()
    a, b = generate(7, today), generate(7, today)
    assert [x.title_vi for x in a.agreements] == [x.title_vi for x in b.agreements]
    assert [x.planned_start for x in a.projects] == [x.planned_start for x in b.projects]
    assert a.organizations == b.organizations


def test_status_from_dates() -> None:
    today = timezone.localdate()
    assert agreement_status(None, None, None, today) == "negotiating"
    assert agreement_status(today, today + timedelta(days=3), None, today) == "signed"
    assert agreement_status(today, today, today + timedelta(days=30), today) == "expiring"
    assert agreement_status(today, today, today + timedelta(days=400), today) == "in_force"
    past = today - timedelta(days=800)
    assert agreement_status(past, past, today - timedelta(days=1), today) == "expired"


def test_facts_reference_known_keys() -> None:
    facts = demo_facts()
    unit_codes = {u.code for u in facts.units}
    for fact in (*facts.agreements, *facts.projects, *facts.delegations, *facts.events):
        assert fact.owner in unit_codes
    keys = {a.key for a in facts.agreements}
    assert len(keys) == len(facts.agreements)
    assert all(p.agreement in keys for p in facts.projects if p.agreement)


@pytest.mark.django_db
def test_facts_only_load() -> None:
    reference_sync()
    counts = load_demo(generated=False)
    facts = demo_facts()
    assert counts["agreements"] == len(facts.agreements) == Agreement.objects.count()
    assert counts["projects"] == len(facts.projects) + len(facts.protocol_projects)
    assert counts["memberships"] == len(facts.memberships)
    assert Agreement.objects.filter(kind="intergovernmental").count() >= 15
