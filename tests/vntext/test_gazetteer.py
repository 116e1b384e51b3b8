"""The gazetteer data is complete, consistent and loadable without Django."""

from __future__ import annotations

from vntext.gazetteer import (
    ORGANIZATION_KINDS,
    countries,
    country_by_iso2,
    organization_by_key,
    organizations,
)


def test_all_iso_countries_present_with_unique_codes() -> None:
    cs = countries()
    assert len(cs) == 249
    assert len({c.iso2 for c in cs}) == 249
    assert len({c.iso3 for c in cs}) == 249
    assert all(c.name_vi and c.name_en for c in cs)


def test_official_vietnamese_names_and_aliases() -> None:
    au = country_by_iso2("au")
    assert au is not None
    assert au.name_vi == "Ô-xtrây-li-a"
    assert "Úc" in au.aliases and "Australia" in (au.name_en, *au.aliases)
    expected = {
        "BY": "Bê-la-rút",
        "SG": "Xin-ga-po",
        "IR": "I-ran",
        "AR": "Ác-hen-ti-na",
        "NZ": "Niu Di-lân",
        "CA": "Ca-na-đa",
        "CU": "Cu-ba",
        "KR": "Hàn Quốc",
        "US": "Hoa Kỳ",
        "RU": "Liên bang Nga",
        "VN": "Việt Nam",
    }
    for iso2, name in expected.items():
        c = country_by_iso2(iso2)
        assert c is not None and c.name_vi == name, iso2
    assert {"Nga", "LB Nga"} <= set(country_by_iso2("RU").aliases)  # type: ignore[union-attr]
    assert "Mỹ" in country_by_iso2("US").aliases  # type: ignore[union-attr]
    assert country_by_iso2("XX") is None


def test_organizations_are_well_formed() -> None:
    orgs = organizations()
    assert len(orgs) >= 80
    assert len({o.key for o in orgs}) == len(orgs)
    iso2 = {c.iso2 for c in countries()}
    for o in orgs:
        assert o.kind in ORGANIZATION_KINDS, o.key
        assert o.country == "" or o.country in iso2, o.key
        assert o.name_vi and o.name_en, o.key
    for key in ("iaea", "asean", "apec", "copuos", "wipo", "world-bank", "kisti", "most"):
        assert organization_by_key(key) is not None, key
    most = organization_by_key("most")
    assert most is not None and most.country == "VN" and "Bộ KH&CN" in most.aliases
