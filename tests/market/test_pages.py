"""Marketplace pages: Vietnamese first, forms through the services, the officers' queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caunoi.market.models import Status, TechnologyOffer, TechnologyRequest
from support import login

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_first_and_english_on_request(taxonomy: Any) -> None:
    assert "Sàn giao dịch công nghệ" in Client().get("/market/").content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    assert "Technology marketplace" in english.get("/market/").content.decode()


def test_an_enterprise_posts_a_request_and_an_officer_approves_it(
    enterprise: Any, owner: Any, provider: Any, taxonomy: Any
) -> None:
    me = login(enterprise)
    response = me.post(
        "/market/requests/new/",
        {
            "title_vi": "Công nghệ tưới nhỏ giọt thông minh",
            "need": "Hệ thống cảm biến độ ẩm đất, điều khiển van tự động",
            "cooperation": ["licence", "technical"],
            "preferred_countries": "kr, il",
            "confidentiality": "anonymous",
            "currency": "VND",
            "fields_": [taxonomy["fields"]["semis"].pk],
        },
    )
    # IL is not in the test taxonomy: the service names the field, nothing is saved.
    assert response.status_code == 200
    assert "preferred_countries" in response.content.decode()
    assert not TechnologyRequest.objects.exists()
    response = me.post(
        "/market/requests/new/",
        {
            "title_vi": "Công nghệ tưới nhỏ giọt thông minh",
            "need": "Hệ thống cảm biến độ ẩm đất, điều khiển van tự động",
            "cooperation": ["licence", "technical"],
            "preferred_countries": "kr, jp",
            "confidentiality": "anonymous",
            "currency": "VND",
        },
    )
    record = TechnologyRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert record.preferred_countries == ["KR", "JP"] and record.owner_user == enterprise
    assert "Công nghệ tưới" in me.get("/market/mine/").content.decode()
    me.post(f"/market/requests/{record.pk}/transition/", {"status": "submitted"})
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED
    # A provider cannot approve it; the officer's queue lists it and approves it.
    assert login(provider).get("/market/review/").status_code == 403
    officer = login(owner)
    queue = officer.get("/market/review/").content.decode()
    assert "Công nghệ tưới" in queue
    officer.post(
        f"/market/requests/{record.pk}/transition/",
        {"status": "published", "version": record.version},
    )
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    assert "Công nghệ tưới" not in officer.get("/market/review/").content.decode()
    assert login(provider).get(record.get_absolute_url()).status_code == 200


def test_a_stale_form_is_refused(provider: Any, make_offer: Any) -> None:
    offer = make_offer(provider)
    me = login(provider)
    me.post(
        f"/market/offers/{offer.pk}/edit/", {"title_en": "First", "version": 1, "language": "vi"}
    )
    assert TechnologyOffer.objects.get().title_en == "First"
    response = me.post(
        f"/market/offers/{offer.pk}/edit/", {"title_en": "Second", "version": 1, "language": "vi"}
    )
    assert response.status_code == 200 and 'id="form-conflict"' in response.content.decode()
    assert TechnologyOffer.objects.get().title_en == "First"


def test_facets_count_what_the_reader_may_read(
    provider: Any, make_offer: Any, publish: Any, viewer: Any
) -> None:
    publish(make_offer(provider, title_en="Public one", country_id="KR", cooperation=["licence"]))
    make_offer(provider, title_en="Draft one", country_id="KR", cooperation=["licence"])
    page = Client().get("/market/").content.decode()
    assert 'id="offer-count">1<' in page
    assert "Draft one" not in page
    assert Client().get("/market/?cooperation=licence").content.decode().count("Public one") == 1
    assert 'id="offer-count">0<' in Client().get("/market/?trl=9").content.decode()


def test_field_and_country_pages_list_what_the_reader_may_read(
    provider: Any, make_offer: Any, publish: Any, taxonomy: Any
) -> None:
    publish(make_offer(provider, title_en="Shown offer", country_id="KR"))
    make_offer(provider, title_en="Hidden draft", country_id="KR")
    for path in ("/fields/semiconductors/", "/countries/kr/"):
        page = Client().get(path).content.decode()
        assert "Shown offer" in page and "Hidden draft" not in page, path
        assert "Hidden draft" in login(provider).get(path).content.decode(), path


def test_expiry_is_a_daily_scheduled_task() -> None:
    from caunoi.jobs.schedule import schedules

    assert "market.expiry" in schedules()


def test_facets_count_every_readable_record_once_past_ten_thousand(
    provider: Any, make_offer: Any, publish: Any, taxonomy: Any
) -> None:
    """A national import holds 22,000 offers: the facets count all of them (they once read
    only the first 10,000 keys), and a field filter whose join matches an offer through both
    its field and that field's parent still counts the offer once."""
    from caunoi.market import selectors

    physics = taxonomy["fields"]["physics"]
    first = publish(make_offer(provider, title_en="Seed", country_id="KR", cooperation=["licence"]))
    first.fields.set([physics, physics.parent])
    copies = []
    for n in range(10_049):
        copy = TechnologyOffer.objects.get(pk=first.pk)
        copy.pk = None
        copy.title_en = f"Copy {n}"
        copies.append(copy)
    made = TechnologyOffer.objects.bulk_create(copies, batch_size=2_000)
    through = TechnologyOffer.fields.through
    through.objects.bulk_create(
        [through(technologyoffer_id=o.pk, field_id=physics.pk) for o in made], batch_size=2_000
    )
    offers = TechnologyOffer.objects.filter(status=Status.PUBLISHED)
    narrowed, _ = selectors.filtered(None, {"field": physics.parent.slug}, TechnologyOffer, offers)
    counted = selectors.facets(narrowed, TechnologyOffer)

    def by_value(facet: str) -> dict[str, int]:
        return {value: n for value, _name, n in counted[facet]}

    assert by_value("country") == {"KR": 10_050}
    assert by_value("trl") == {"6": 10_050}
    assert by_value("cooperation") == {"licence": 10_050}
    # ``?field=<parent>`` lists the offers of its children too: its count says so, each
    # offer once although the seed has both the field and its parent.
    assert by_value("field") == {
        physics.slug: 10_050,
        physics.parent.slug: 10_050,
    }


def test_one_submission_shows_every_error_of_a_request(enterprise: Any, taxonomy: Any) -> None:
    """The form's own errors and the record's rules come back together, not in two rounds."""
    import re

    me = login(enterprise)
    response = me.post(
        "/market/requests/new/",
        {
            "need": "",
            "min_trl": "12",
            "preferred_countries": "XX",
            "budget_min": "5000",
            "budget_max": "100",
            "currency": "VND",
            "confidentiality": "public",
            "deadline": "2019-01-01",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    named = set(re.findall(r'class="field-error" data-field="([a-z_]+)"', page))
    every = {"need", "title_vi", "min_trl", "preferred_countries", "budget_max", "deadline"}
    assert every <= named, named
    assert not TechnologyRequest.objects.exists()


def test_a_record_page_shows_amounts_countries_and_dates_as_the_reader_writes_them(
    enterprise: Any, make_request: Any, publish: Any
) -> None:
    import datetime as dt
    from decimal import Decimal

    from caunoi.taxonomy.models import Country

    korea = Country.objects.get(iso2="KR")
    until = dt.date.today() + dt.timedelta(days=40)
    record = publish(
        make_request(
            enterprise,
            budget_min=Decimal("3000000000.00"),
            budget_max=Decimal("4500000000.50"),
            currency="VND",
            preferred_countries=["KR"],
            deadline=until,
        )
    )
    page = Client().get(record.get_absolute_url()).content.decode()
    assert "3.000.000.000 VND" in page and "4.500.000.000,5 VND" in page
    assert "3000000000" not in page
    assert korea.name in page and until.strftime("%d/%m/%Y") in page
    assert until.isoformat() not in page
    english = Client()
    english.cookies["django_language"] = "en"
    assert "3,000,000,000 VND" in english.get(record.get_absolute_url()).content.decode()


def test_pager_links_keep_the_filters(provider: Any, make_offer: Any, publish: Any) -> None:
    from django.test import override_settings

    for n in range(3):
        publish(make_offer(provider, title_en=f"Chip {n}", trl=6))
    with override_settings(CAUNOI_PAGE_SIZE=2):
        page = Client().get("/market/offers/", {"trl": "6", "q": "chip"}).content.decode()
    assert 'class="pager"' in page
    nxt = page.split('rel="next"')[0].rsplit('href="', 1)[1]
    assert "page=2" in nxt and "trl=6" in nxt and "q=chip" in nxt, nxt


def test_a_bad_filter_value_is_named_and_statuses_are_those_the_reader_sees(
    provider: Any, make_offer: Any, publish: Any
) -> None:
    publish(make_offer(provider, title_en="Chip A"))
    page = Client().get("/market/offers/", {"trl": "abc"}).content.decode()
    assert "trl=“abc”" in page and "bỏ qua" in page
    assert 'value="draft"' not in page and 'value="published"' in page
    mine = login(provider)
    make_offer(provider, title_en="Chip B")  # a draft of the writer's own
    assert 'value="draft"' in mine.get("/market/offers/").content.decode()


def test_the_market_s_own_words_are_not_another_app_s(
    provider: Any, make_offer: Any, publish: Any
) -> None:
    offer = publish(make_offer(provider, language="en"))
    home = Client().get("/market/").content.decode()
    assert "Lĩnh vực" in home and ">Trường<" not in home
    from django.utils import translation

    from caunoi.market.models import Language

    with translation.override("vi"):
        assert offer.get_language_display() == "Tiếng Anh"
        assert str(Language.BOTH.label) == "Tiếng Việt và tiếng Anh"
