"""Experts' category and languages (CEFR with Vietnam's Bậc 1–6), intermediaries' kinds of
service: written through the forms and the API, shown, and filtered with their counts."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from caunoi.core.errors import DomainError
from caunoi.market import services
from caunoi.market.models import Expert, Intermediary, language_level, languages_display
from support import login

pytestmark = pytest.mark.django_db


def _expert(user: Any, publish: Any, **data: Any) -> Any:
    record = services.record_save(user=user, instance=Expert(), data=data, m2m={"fields": []})
    return publish(record)


def _intermediary(user: Any, publish: Any, **data: Any) -> Any:
    values = {"services": "Dịch vụ chuyển giao công nghệ"}
    values.update(data)
    record = services.record_save(
        user=user, instance=Intermediary(), data=values, m2m={"fields": []}
    )
    return publish(record)


def _english() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_languages_show_names_and_the_vietnamese_level() -> None:
    from django.utils import translation

    value = [{"language": "en", "level": "C1"}, {"language": "ko", "level": "A1"}]
    with translation.override("vi"):
        assert languages_display(value) == "Tiếng Anh C1 (Bậc 5), Tiếng Hàn A1 (Bậc 1)"
        assert language_level("C2") == "C2 (Bậc 6)"
        # An unlisted code keeps its code; a region variant takes its language's name.
        assert languages_display([{"language": "xx", "level": "B2"}]) == "xx B2 (Bậc 4)"
        assert languages_display([{"language": "zh-TW", "level": "B1"}]) == (
            "Tiếng Trung B1 (Bậc 3)"
        )
    with translation.override("en"):
        assert languages_display(value) == "English C1 (Level 5), Korean A1 (Level 1)"


def test_an_expert_written_through_the_form_shows_category_and_languages(
    make_outside: Any, owner: Any, publish: Any
) -> None:
    writer = make_outside("expert", "chuyengia")
    me = login(writer)
    form = me.get("/market/experts/new/").content.decode()
    assert re.search(r'<select name="category"[^>]*id="id_category"', form)
    assert 'value="overseas_vn"' in form
    response = me.post(
        "/market/experts/new/",
        {
            "name": "GS. Trần Minh Khoa",
            "category": "overseas_vn",
            "profile": "Chuyên gia vật liệu bán dẫn tại Đại học Tokyo",
            "languages": "ja C1, en B2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    expert = Expert.objects.get(name="GS. Trần Minh Khoa")
    assert expert.category == "overseas_vn"
    assert expert.languages == [
        {"language": "ja", "level": "C1"},
        {"language": "en", "level": "B2"},
    ]
    publish(expert)
    page = Client().get(expert.get_absolute_url()).content.decode()
    assert "Chuyên gia người Việt Nam ở nước ngoài" in page
    assert "Tiếng Nhật C1 (Bậc 5), Tiếng Anh B2 (Bậc 4)" in page
    assert "ja C1" not in page
    english = _english().get(expert.get_absolute_url()).content.decode()
    assert "Overseas Vietnamese expert" in english
    assert "Japanese C1 (Level 5), English B2 (Level 4)" in english
    # A category that is not one of the three is refused by the form.
    bad = me.post("/market/experts/new/", {"name": "X", "category": "alien"})
    assert bad.status_code == 200 and not Expert.objects.filter(name="X").exists()


def test_experts_are_filtered_by_category_with_counts(
    make_outside: Any, owner: Any, publish: Any
) -> None:
    writer = make_outside("expert", "chuyengia")
    _expert(writer, publish, name="TS. Nguyễn Văn An", category="domestic")
    _expert(writer, publish, name="Dr. Kim Min-jun", category="foreign")
    _expert(writer, publish, name="Dr. Park Ji-ho", category="foreign")
    _expert(writer, publish, name="TS. Lê Thu Hà", category="overseas_vn")
    _expert(writer, publish, name="Chưa phân loại")

    page = Client().get("/market/experts/").content.decode()
    assert re.search(r'value="foreign"[^>]*>Chuyên gia nước ngoài \(2\)', page)
    assert re.search(r'value="domestic"[^>]*>Chuyên gia trong nước \(1\)', page)
    foreign = Client().get("/market/experts/?category=foreign").content.decode()
    assert "Dr. Kim Min-jun" in foreign and "Dr. Park Ji-ho" in foreign
    assert "TS. Nguyễn Văn An" not in foreign and "TS. Lê Thu Hà" not in foreign
    assert re.search(r'value="foreign" selected', foreign)
    # The counts follow the other filters (a search), not the category chosen.
    searched = Client().get("/market/experts/?category=foreign&q=Park").content.decode()
    assert "Dr. Park Ji-ho" in searched and "Dr. Kim Min-jun" not in searched
    # An unknown category filters nothing out.
    assert "TS. Nguyễn Văn An" in Client().get("/market/experts/?category=x").content.decode()

    api = Client().get("/api/v1/market/experts?category=overseas_vn").json()
    assert [e["name"] for e in api["items"]] == ["TS. Lê Thu Hà"]
    assert api["items"][0]["category"] == "overseas_vn"
    assert Client().get("/api/v1/market/experts?category=alien").status_code == 422


def test_intermediary_service_kinds_through_the_api_shown_and_filtered(
    make_outside: Any, owner: Any, publish: Any
) -> None:
    writer = make_outside("intermediary", "moigioi")
    me = login(writer)

    def post(body: dict[str, Any]) -> Any:
        return me.post(
            "/api/v1/market/intermediaries", json.dumps(body), content_type="application/json"
        )

    refused = post({"name": "Sai", "services": "…", "service_kinds": ["fortune_telling"]})
    assert refused.status_code in (400, 422)
    created = post(
        {
            "name": "Trung tâm Định giá Công nghệ Sao Việt",
            "services": "Định giá công nghệ và tài sản trí tuệ phục vụ góp vốn",
            "service_kinds": ["valuation", "ip_valuation"],
        }
    )
    assert created.status_code == 201, created.content
    assert created.json()["service_kinds"] == ["valuation", "ip_valuation"]
    valuer = publish(Intermediary.objects.get(pk=created.json()["id"]))
    broker = _intermediary(
        writer, publish, name="Công ty Môi giới Cầu Việt", service_kinds=["brokerage"]
    )

    page = Client().get(valuer.get_absolute_url()).content.decode()
    assert "Định giá công nghệ, Định giá tài sản trí tuệ" in page
    listed = Client().get("/market/intermediaries/?service=ip_valuation").content.decode()
    assert valuer.name in listed and broker.name not in listed
    assert re.search(r'value="brokerage"[^>]*>Môi giới chuyển giao công nghệ \(1\)', listed)
    assert re.search(r'value="consulting"[^>]*>Tư vấn chuyển giao công nghệ \(0\)', listed)
    api = Client().get("/api/v1/market/intermediaries?service=brokerage").json()
    assert [i["name"] for i in api["items"]] == [broker.name]

    # The form edits the kinds (checkboxes); an unknown one is refused by the model too.
    empty = me.get("/market/intermediaries/new/").content.decode()
    assert empty.count('type="checkbox" name="service_kinds"') == 9
    form = me.post(
        "/market/intermediaries/new/",
        {
            "name": "Văn phòng SHTT Minh Châu",
            "services": "Đăng ký nhãn hiệu, sáng chế",
            "service_kinds": ["ip_services", "consulting"],
        },
    )
    assert form.status_code == 302
    assert Intermediary.objects.get(name="Văn phòng SHTT Minh Châu").service_kinds == [
        "ip_services",
        "consulting",
    ]
    with pytest.raises(DomainError):
        services.record_save(
            user=writer,
            instance=Intermediary(),
            data={"name": "Sai", "services": "…", "service_kinds": ["astrology"]},
            m2m={"fields": []},
        )


def test_an_orcid_with_a_wrong_check_digit_is_refused(provider: Any, taxonomy: Any) -> None:
    from caunoi.core.errors import DomainError
    from caunoi.market import services
    from caunoi.market.models import Expert, orcid_checks

    assert orcid_checks("0000-0002-1825-0097") and orcid_checks("0000-0001-5109-3700")
    assert orcid_checks("0000-0002-1694-233X")  # the check digit 10 is written X
    assert not orcid_checks("0000-0002-1825-0098")
    with pytest.raises(DomainError) as caught:
        services.record_save(
            user=provider,
            instance=Expert(),
            data={"name": "Kim Min-jun", "orcid": "0000-0002-1825-0098"},
        )
    assert "orcid" in caught.value.errors
    saved = services.record_save(
        user=provider,
        instance=Expert(),
        data={"name": "Kim Min-jun", "orcid": "0000-0002-1825-0097"},
    )
    assert saved.orcid == "0000-0002-1825-0097"
