"""The officers' pages: templates (every kind of indicator, validation named per row and
field, a new version while campaigns keep theirs), campaigns (open, change dates, add and
remove units mid-campaign with completeness following), permissions and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caunoi.accounts.models import AuditEvent, Unit
from caunoi.reporting import selectors
from caunoi.reporting.models import Campaign, Indicator, Template, TemplateVersion
from support import login

pytestmark = pytest.mark.django_db


def _management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _template_post(**overrides: str) -> dict[str, str]:
    rows: list[dict[str, str]] = [
        {
            "code": "so-du-an",
            "label_vi": "Số dự án",
            "label_en": "Projects",
            "kind": "number",
            "unit": "dự án",
            "min_value": "0",
            "max_value": "500",
            "aggregation": "sum",
            "required": "on",
            "help_vi": "Tính cả dự án ODA.",
        },
        {
            "code": "ty-le",
            "label_vi": "Tỷ lệ giải ngân",
            "kind": "percent",
            "aggregation": "average",
        },
        {
            "code": "co-ban-hanh",
            "label_vi": "Đã ban hành kế hoạch",
            "kind": "yesno",
            "aggregation": "count",
        },
        {
            "code": "muc-do",
            "label_vi": "Mức độ",
            "kind": "choice",
            "aggregation": "count",
            "choices": "tot | Tốt | Good\nkha | Khá",
        },
        {
            "code": "doan-ra",
            "label_vi": "Đoàn ra",
            "kind": "table",
            "aggregation": "list",
            "columns": "nuoc | Nước | text\nso-nguoi | Số người | number",
        },
        {"code": "van-ban", "label_vi": "Văn bản kèm theo", "kind": "file", "aggregation": "list"},
        {
            "code": "tom-tat",
            "label_vi": "Tóm tắt",
            "kind": "text",
            "aggregation": "list",
            "section": "ket-qua",
        },
    ]
    data = {
        "code": "mau-moi",
        "title_vi": "Mẫu báo cáo mới",
        "title_en": "New template",
        **_management("s", 2),
        "s-0-code": "so-lieu",
        "s-0-title_vi": "Số liệu",
        "s-0-for_kind": "report",
        "s-1-code": "ket-qua",
        "s-1-title_vi": "Kết quả",
        **_management("i", len(rows)),
        "action": "publish",
    }
    for n, row in enumerate(rows):
        row.setdefault("section", "so-lieu")
        for key, value in row.items():
            data[f"i-{n}-{key}"] = value
    data.update(overrides)
    return data


def test_an_officer_creates_a_template_with_every_kind(owner: Any) -> None:
    client = login(owner)
    assert client.get("/reporting/admin/templates/").status_code == 200
    assert "Chưa có mẫu báo cáo" in client.get("/reporting/admin/templates/").content.decode()
    assert client.get("/reporting/admin/templates/new/").status_code == 200
    r = client.post("/reporting/admin/templates/new/", _template_post())
    assert r.status_code == 302, r.content.decode()[:3000]
    version = TemplateVersion.objects.get(template__code="mau-moi")
    assert version.number == 1
    kinds = dict(Indicator.objects.filter(version=version).values_list("code", "kind"))
    assert kinds == {
        "so-du-an": "number",
        "ty-le": "percent",
        "co-ban-hanh": "yesno",
        "muc-do": "choice",
        "doan-ra": "table",
        "van-ban": "file",
        "tom-tat": "text",
    }
    number = Indicator.objects.get(version=version, code="so-du-an")
    assert (number.unit, number.required, number.min_value, number.max_value) == (
        "dự án",
        True,
        0,
        500,
    )
    assert number.label_en == "Projects" and number.help_vi == "Tính cả dự án ODA."
    assert number.section.for_kind == "report"
    choice = Indicator.objects.get(version=version, code="muc-do")
    assert choice.choices == [
        {"value": "tot", "label_vi": "Tốt", "label_en": "Good"},
        {"value": "kha", "label_vi": "Khá"},
    ]
    table = Indicator.objects.get(version=version, code="doan-ra")
    assert table.columns[1] == {"code": "so-nguoi", "label_vi": "Số người", "kind": "number"}
    assert AuditEvent.objects.filter(
        model="reporting.templateversion", object_id=str(version.pk), actor_name="owner"
    ).exists()
    page = client.get(f"/reporting/admin/templates/{version.template_id}/").content.decode()
    assert "Phiên bản 1" in page and "Đoàn ra" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"i-0-min_value": "10", "i-0-max_value": "5"}, "i-0-max_value", "Giá trị lớn nhất"),
        ({"i-1-max_value": "150"}, "i-1-max_value", "0 đến 100"),
        ({"i-3-choices": "tot | Tốt"}, "i-3-choices", "ít nhất hai"),
        ({"i-4-columns": ""}, "i-4-columns", "các cột"),
        ({"i-4-columns": "nuoc | Nước | ngay"}, "i-4-columns", "văn bản hoặc số"),
        ({"i-2-aggregation": "sum"}, "i-2-aggregation", "cộng"),
        ({"i-1-code": "so-du-an"}, "i-1-code", "trùng"),
        ({"i-0-section": "khong-co"}, "i-0-section", "Không có phần"),
        ({"i-0-code": "Số dự án"}, "i-0-code", "chữ Latinh"),
        ({"i-0-kind": ""}, "i-0-kind", "loại câu trả lời"),
        ({"s-1-title_vi": ""}, "s-1-title_vi", "tiêu đề tiếng Việt"),
        ({"code": ""}, "code", "bắt buộc"),
    ],
)
def test_template_mistakes_are_named_in_vietnamese_and_nothing_is_saved(
    owner: Any, overrides: dict[str, str], field: str, message: str
) -> None:
    r = login(owner).post("/reporting/admin/templates/new/", _template_post(**overrides))
    assert r.status_code == 400
    body = r.content.decode()
    marker = f'data-field="{field}">'
    assert marker in body, body[body.find("field-error") - 200 : body.find("field-error") + 400]
    error = body[body.index(marker) : body.index("</p>", body.index(marker))]
    assert message.lower() in error.lower(), error
    assert not Template.objects.exists()


def test_the_editor_in_english(owner: Any) -> None:
    client = login(owner)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = client.post("/reporting/admin/templates/new/", _template_post(**{"i-1-max_value": "150"}))
    assert "A percentage lies between 0 and 100." in r.content.decode()


def test_more_rows_keeps_what_was_entered(owner: Any) -> None:
    r = login(owner).post("/reporting/admin/templates/new/", _template_post(action="more"))
    assert r.status_code == 200
    body = r.content.decode()
    assert 'name="i-11-code"' in body and 'value="so-du-an"' in body
    assert not Template.objects.exists()


def test_a_new_version_leaves_open_campaigns_on_theirs(
    owner: Any, campaign: Any, template_version: Any
) -> None:
    client = login(owner)
    url = f"/reporting/admin/templates/{template_version.template_id}/publish/"
    form = client.get(url).content.decode()
    assert 'value="so-hop-dong"' in form and "tot | Tốt" in form  # prefilled from v1
    data = _template_post(code="ignored", title_vi="Mẫu thử, bản sửa")
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    template = Template.objects.get(pk=template_version.template_id)
    assert template.code == "de-an-thu" and template.title_vi == "Mẫu thử, bản sửa"
    assert list(template.versions.values_list("number", flat=True)) == [1, 2]
    campaign.refresh_from_db()
    assert campaign.template_version_id == template_version.pk
    sub = campaign.units.get(code="ha-noi").submissions.get(kind="report")
    from caunoi.reporting.services import indicators_of

    assert {i.code for i in indicators_of(sub)} >= {"tom-tat", "so-hop-dong", "nhiem-vu"}
    assert "so-du-an" not in {i.code for i in indicators_of(sub)}


def test_an_officer_opens_a_campaign(
    owner: Any, template_version: Any, ministry: Any, units: dict[str, Any]
) -> None:
    client = login(owner)
    page = client.get(f"/reporting/admin/campaigns/new/?version={template_version.pk}")
    assert page.status_code == 200 and "Bộ Y tế" in page.content.decode()
    data = {
        "title_vi": "Báo cáo năm 2031",
        "template_version": str(template_version.pk),
        "period_start": "2031-01-01",
        "period_end": "2031-12-31",
        "opens_on": "2031-11-01",
        "deadline": "2031-12-15",
        "timely_days": "5",
        "lock_after_days": "30",
        "report": "on",
        "units": [str(units["hanoi"].pk), str(ministry.pk)],
    }
    r = client.post("/reporting/admin/campaigns/new/", data)
    assert r.status_code == 302
    campaign = Campaign.objects.get(title_vi="Báo cáo năm 2031")
    assert campaign.owner_unit == units["htqt"] and campaign.lock_after_days == 30
    assert sorted(campaign.units.values_list("code", "plan_requested", "report_requested")) == [
        ("bo-y-te", False, True),
        ("ha-noi", False, True),
    ]
    assert campaign.units.get(code="ha-noi").submissions.get().kind == "report"
    assert AuditEvent.objects.filter(model="reporting.campaign", action="create").exists()


def test_campaign_form_mistakes(owner: Any, template_version: Any) -> None:
    data = {
        "title_vi": "Đợt sai",
        "template_version": str(template_version.pk),
        "period_start": "2031-12-31",
        "period_end": "2031-01-01",
        "opens_on": "2031-12-20",
        "deadline": "2031-12-15",
        "timely_days": "-1",
    }
    r = login(owner).post("/reporting/admin/campaigns/new/", data)
    assert r.status_code == 400
    body = r.content.decode()
    for field, text in (
        ("period_end", "kết thúc trước khi bắt đầu"),
        ("deadline", "trước ngày mở"),
        ("units", "ít nhất một đơn vị"),
        ("report", "kế hoạch, báo cáo hoặc cả hai"),
        ("timely_days", "0"),
    ):
        marker = f'data-field="{field}">'
        assert marker in body, field
        assert text in body[body.index(marker) : body.index("</p>", body.index(marker))], field
    assert not Campaign.objects.exists()


def test_units_added_and_removed_mid_campaign_and_completeness(
    owner: Any, admin: Any, campaign: Any, units: dict[str, Any]
) -> None:
    from caunoi.reporting import services

    client = login(owner)
    hcm = Unit.objects.create(code="ho-chi-minh", name_vi="Sở Khoa học TP.HCM", kind="province")
    page = client.get(f"/reporting/admin/campaigns/{campaign.pk}/").content.decode()
    assert "Sở Khoa học TP.HCM" in page  # offered: not in the campaign yet
    assert selectors.campaign_completeness(campaign).total.expected == 2
    url = f"/reporting/admin/campaigns/{campaign.pk}/units/"
    r = client.post(
        url, {"action": "add", "unit": hcm.pk, "added_on": "2030-12-01", "report": "on"}
    )
    assert r.status_code == 302
    row = campaign.units.get(code="ho-chi-minh")
    assert (row.added_on, row.plan_requested, row.report_requested) == (
        dt.date(2030, 12, 1),
        False,
        True,
    )
    # Hà Nội sent its report, then leaves before the deadline: neither expected nor counted.
    hanoi = campaign.units.get(code="ha-noi")
    report = hanoi.submissions.get(kind="report")
    services.submission_save(
        user=admin, submission=report, answers={"tom-tat": "x"}, expected_version=1, submit=True
    )
    assert selectors.campaign_completeness(campaign).total.actual == 1
    r = client.post(
        url, {"action": "remove", "campaign_unit": hanoi.pk, "removed_on": "2030-12-10"}
    )
    assert r.status_code == 302
    total = selectors.campaign_completeness(campaign).total
    assert (total.expected, total.actual) == (2, 0)  # the ministry and HCM
    # Removing before it joined, or twice, is refused with a message on the row.
    r = client.post(url, {"action": "remove", "campaign_unit": row.pk, "removed_on": "2030-11-01"})
    assert r.status_code == 400 and "trước ngày đơn vị được thêm" in r.content.decode()
    r = client.post(
        url, {"action": "remove", "campaign_unit": hanoi.pk, "removed_on": "2030-12-11"}
    )
    assert r.status_code == 400 and "đã rời" in r.content.decode()
    # Adding a unit already in the campaign is refused (it is not offered either).
    r = client.post(
        url, {"action": "add", "unit": units["hanoi"].pk, "added_on": "2030-12-01", "plan": "on"}
    )
    assert r.status_code == 400
    detail = client.get(f"/reporting/{campaign.pk}/").content.decode()
    assert "0/2" in detail
    assert AuditEvent.objects.filter(model="reporting.campaign", action="update").count() == 2


def test_campaign_dates_change_and_completeness_follows(
    owner: Any, admin: Any, campaign: Any
) -> None:
    from caunoi.reporting import services

    report = campaign.units.get(code="ha-noi").submissions.get(kind="report")
    services.submission_save(
        user=admin,
        submission=report,
        answers={"tom-tat": "x"},
        expected_version=1,
        submit=True,
        now=dt.datetime(2030, 12, 14, 9, tzinfo=dt.UTC),
    )
    assert selectors.campaign_completeness(campaign).total.on_time == 1
    client = login(owner)
    data = {
        "title_vi": "Báo cáo thử năm 2030, gia hạn",
        "period_start": "2030-01-01",
        "period_end": "2030-12-31",
        "opens_on": "2030-11-01",
        "deadline": "2030-12-01",  # moved earlier: the report came late
        "timely_days": "0",
        "lock_after_days": "",
        "version": "1",
    }
    r = client.post(f"/reporting/admin/campaigns/{campaign.pk}/", data)
    assert r.status_code == 302
    campaign.refresh_from_db()
    assert campaign.lock_after_days is None and campaign.title_vi.endswith("gia hạn")
    total = selectors.campaign_completeness(campaign).total
    assert (total.actual, total.on_time) == (1, 0)
    event = AuditEvent.objects.filter(model="reporting.campaign", action="update").latest("pk")
    assert "deadline" in event.changes
    bad = {**data, "deadline": "2030-10-31", "version": "2"}
    r = client.post(f"/reporting/admin/campaigns/{campaign.pk}/", bad)
    assert r.status_code == 400 and "trước ngày mở" in r.content.decode()


def test_permissions(
    other: Any, viewer: Any, owner: Any, campaign: Any, template_version: Any, make_outside: Any
) -> None:
    tid = template_version.template_id
    pages = [
        "/reporting/admin/templates/",
        "/reporting/admin/templates/new/",
        f"/reporting/admin/templates/{tid}/",
        f"/reporting/admin/templates/{tid}/publish/",
        "/reporting/admin/campaigns/new/",
    ]
    outsider = login(make_outside("enterprise", "dn"))
    for path in pages:
        assert login(viewer).get(path).status_code == 403, path
        assert outsider.get(path).status_code == 404, path
        assert login(other).get(path).status_code == 200, path  # an officer of a unit
    # A campaign's settings and units: its officers only (HTQT runs it, not Hà Nội).
    edit = f"/reporting/admin/campaigns/{campaign.pk}/"
    assert login(other).get(edit).status_code == 403
    assert login(viewer).get(edit).status_code == 403
    assert login(owner).get(edit).status_code == 200
    r = login(other).post(
        edit + "units/",
        {
            "action": "remove",
            "campaign_unit": campaign.units.first().pk,
            "removed_on": "2030-12-01",
        },
    )
    assert r.status_code == 403
    assert campaign.units.filter(removed_on__isnull=False).count() == 0
    r = login(viewer).post("/reporting/admin/templates/new/", _template_post())
    assert r.status_code == 403 and not Template.objects.filter(code="mau-moi").exists()
    # Links: the list shows the officers' pages to officers only.
    assert "admin-templates" in login(owner).get("/reporting/").content.decode()
    assert "admin-templates" not in login(viewer).get("/reporting/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_versions_published_at_the_same_moment_get_their_own_numbers(owner: Any) -> None:
    import threading

    from django.db import connection

    from caunoi.core.errors import ConflictError
    from caunoi.reporting import services
    from reporting.conftest import SECTIONS

    services.template_publish(user=owner, code="dong-thoi", title_vi="Mẫu", sections=SECTIONS)
    barrier, outcomes = threading.Barrier(4), []

    def publish() -> None:
        try:
            barrier.wait(timeout=30)
            services.template_publish(
                user=owner, code="dong-thoi", title_vi="Mẫu", sections=SECTIONS
            )
            outcomes.append("published")
        except ConflictError:
            outcomes.append("conflict")
        except BaseException as exc:  # an IntegrityError was a 500
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert set(outcomes) <= {"conflict", "published"}, outcomes
    numbers = list(
        TemplateVersion.objects.filter(template__code="dong-thoi").values_list("number", flat=True)
    )
    assert sorted(numbers) == list(range(1, outcomes.count("published") + 2))


def test_a_campaign_change_based_on_older_settings_is_refused_with_the_saved_ones(
    owner: Any, admin: Any, campaign: Any
) -> None:
    edit = f"/reporting/admin/campaigns/{campaign.pk}/"
    first, second = login(owner), login(admin)
    page = second.get(edit).content.decode()
    assert 'name="version" value="1"' in page
    data = {
        "title_vi": campaign.title_vi,
        "period_start": "2030-01-01",
        "period_end": "2030-12-31",
        "opens_on": "2030-11-01",
        "deadline": "2030-12-15",
        "timely_days": "5",
        "lock_after_days": "30",
        "version": "1",
    }
    assert first.post(edit, {**data, "deadline": "2030-12-20"}).status_code == 302
    r = second.post(edit, {**data, "lock_after_days": "60"})  # opened before that save
    assert r.status_code == 409
    body = r.content.decode()
    conflict = body.split('id="form-conflict"', 1)[1].split("</div>", 1)[0]
    assert 'data-field="deadline"' in conflict and "2030-12-20" in conflict
    assert 'data-field="lock_after_days"' in conflict  # theirs 30, yours 60
    assert 'data-field="title_vi"' not in conflict  # the same on both sides
    assert 'name="version" value="2"' in body
    campaign.refresh_from_db()
    assert campaign.deadline == dt.date(2030, 12, 20) and campaign.lock_after_days == 30
    assert campaign.version == 2
    # Seen both: saving again is deliberate, with the version the page now carries.
    assert second.post(edit, {**data, "lock_after_days": "60", "version": "2"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.lock_after_days == 60 and campaign.version == 3
    missing = {k: v for k, v in data.items() if k != "version"}
    assert second.post(edit, missing).status_code == 400
