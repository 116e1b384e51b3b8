"""Shared fixtures: personas (admin, owner officer, other-unit officer, viewer, anonymous)
and small factories for registry object graphs."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from typing import Any

import pytest

# The int8 embedding engine is built once per checkout (var/engine, ignored by git, as the
# install does) rather than in each run's temporary var directory: the build takes seconds and
# never changes for the same weights and builder.
os.environ.setdefault(
    "CAUNOI_ENGINE_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "engine")
)


def pytest_configure(config: Any) -> None:
    if os.environ.get("CAUNOI_TEST_DB") == "postgres":
        import psycopg

        try:
            psycopg.connect(
                host=os.environ.get("CAUNOI_PG_HOST", "127.0.0.1"),
                port=os.environ.get("CAUNOI_PG_PORT", "5432"),
                user=os.environ.get("CAUNOI_PG_USER", "postgres"),
                dbname="postgres",
                connect_timeout=5,
            ).close()
        except psycopg.OperationalError as exc:
            raise pytest.UsageError(
                f"CAUNOI_TEST_DB=postgres but PostgreSQL is not reachable: {exc}"
            ) from exc


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the site's default language (Vietnamese). The test client's
    requests activate their language (``LocaleMiddleware``) in the thread and leave it active,
    so without this a test's text assertions would depend on which test ran before it on the
    same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


_seq = itertools.count(1)


@pytest.fixture
def taxonomy(db: Any) -> dict[str, Any]:
    """A few countries and fields, enough for the registry tests."""
    from caunoi.taxonomy.models import Country, Field

    countries = {
        iso2: Country.objects.create(iso2=iso2, iso3=iso3, name_vi=vi, name_en=en)
        for iso2, iso3, vi, en in [
            ("VN", "VNM", "Việt Nam", "Viet Nam"),
            ("KR", "KOR", "Hàn Quốc", "Republic of Korea"),
            ("US", "USA", "Hoa Kỳ", "United States"),
            ("JP", "JPN", "Nhật Bản", "Japan"),
        ]
    }
    natural = Field.objects.create(
        code="1",
        slug="natural-sciences",
        kind="fos",
        name_vi="Khoa học tự nhiên",
        name_en="Natural sciences",
    )
    physics = Field.objects.create(
        code="1.3",
        slug="physical-sciences",
        kind="fos",
        name_vi="Khoa học vật lý",
        name_en="Physical sciences",
        parent=natural,
    )
    semis = Field.objects.create(
        code="P02",
        slug="semiconductors",
        kind="priority",
        name_vi="Công nghệ bán dẫn",
        name_en="Semiconductors",
    )
    return {
        "countries": countries,
        "fields": {"natural": natural, "physics": physics, "semis": semis},
    }


@pytest.fixture
def units(db: Any) -> dict[str, Any]:
    from caunoi.accounts.models import Unit

    return {
        "htqt": Unit.objects.create(
            code="htqt", name_vi="Vụ Hợp tác quốc tế", kind=Unit.Kind.DEPARTMENT
        ),
        "hanoi": Unit.objects.create(
            code="ha-noi", name_vi="Sở KH&CN Hà Nội", kind=Unit.Kind.PROVINCE
        ),
    }


def _user(username: str, role: str, unit: Any) -> Any:
    from caunoi.accounts.services import user_create

    return user_create(username=username, password="pw-" + username + "-123", role=role, unit=unit)


@pytest.fixture
def admin(units: dict[str, Any]) -> Any:
    return _user("admin", "admin", units["htqt"])


@pytest.fixture
def owner(units: dict[str, Any]) -> Any:
    """A unit officer of the unit that owns the test records (HTQT)."""
    return _user("owner", "officer", units["htqt"])


@pytest.fixture
def other(units: dict[str, Any]) -> Any:
    """A unit officer of another unit (a province)."""
    return _user("other", "officer", units["hanoi"])


@pytest.fixture
def viewer(units: dict[str, Any]) -> Any:
    return _user("viewer", "viewer", None)


@pytest.fixture
def make_org(taxonomy: dict[str, Any], units: dict[str, Any]) -> Any:
    from caunoi.registry.models import Organization

    def make(**kw: Any) -> Any:
        n = next(_seq)
        defaults: dict[str, Any] = {
            "key": f"org-{n}",
            "name_vi": f"Tổ chức {n}",
            "name_en": f"Organisation {n}",
            "kind": Organization.Kind.RESEARCH_INSTITUTE,
            "country_id": "KR",
            "owner_unit": units["htqt"],
            "is_public": True,
        }
        defaults.update(kw)
        return Organization.objects.create(**defaults)

    return make


@pytest.fixture
def make_agreement(taxonomy: dict[str, Any], units: dict[str, Any]) -> Any:
    from caunoi.registry.models import Agreement, AgreementParty
    from caunoi.registry.services import country_links_refresh

    def make(*, country: str = "KR", **kw: Any) -> Any:
        n = next(_seq)
        defaults: dict[str, Any] = {
            "title_vi": f"Hiệp định hợp tác khoa học và công nghệ số {n}",
            "title_en": f"Agreement on S&T cooperation no. {n}",
            "kind": Agreement.Kind.INTERGOVERNMENTAL,
            "level": Agreement.Level.GOVERNMENT,
            "status": Agreement.Status.IN_FORCE,
            "signed_on": dt.date(2015, 1, 1) + dt.timedelta(days=n),
            "owner_unit": units["htqt"],
            "is_public": True,
        }
        defaults.update(kw)
        agreement = Agreement.objects.create(**defaults)
        AgreementParty.objects.create(agreement=agreement, side="foreign", country_id=country)
        country_links_refresh(agreements=[agreement.pk])
        return agreement

    return make


@pytest.fixture
def make_outside(db: Any) -> Any:
    """An outside user of a kind (enterprise, research, provider, intermediary, expert),
    confirmed and active; password ``outside_password(username)``."""
    from caunoi.accounts.services import user_create
    from support import outside_password

    def make(kind: str = "enterprise", username: str = "") -> Any:
        name = username or f"{kind}-{next(_seq)}"
        return user_create(
            username=name,
            password=outside_password(name),
            role="external",
            outside_kind=kind,
            email=f"{name}@example.vn",
        )

    return make


@pytest.fixture
def enterprise(make_outside: Any) -> Any:
    """An outside user: an enterprise, not network staff."""
    return make_outside("enterprise", "enterprise")


@pytest.fixture
def research(make_outside: Any) -> Any:
    return make_outside("research", "research")


@pytest.fixture
def provider(make_outside: Any) -> Any:
    return make_outside("provider", "provider")


@pytest.fixture
def intermediary(make_outside: Any) -> Any:
    return make_outside("intermediary", "intermediary")


@pytest.fixture
def expert(make_outside: Any) -> Any:
    return make_outside("expert", "expert")
