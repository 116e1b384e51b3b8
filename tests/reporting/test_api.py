"""The reporting API: campaigns with completeness, a submission read and written with
If-Match, the review; and who gets what."""

from __future__ import annotations

import json
from typing import Any

import pytest

from caunoi.reporting.models import Submission
from support import etag_of, login

pytestmark = pytest.mark.django_db


def put(client: Any, url: str, body: dict[str, Any], tag: str | None) -> Any:
    headers = {"HTTP_IF_MATCH": tag} if tag else {}
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


def test_campaigns_with_completeness_for_staff_only(
    campaign: Any, viewer: Any, make_outside: Any
) -> None:
    data = login(viewer).get("/api/v1/reporting/campaigns").json()
    row = data["items"][0]
    assert row["id"] == campaign.pk and row["expected"] == 2 and row["actual"] == 0
    assert row["categories"]["neither"] == 2 and "province" in row["by_unit_type"]
    assert (
        login(make_outside("expert", "cg")).get("/api/v1/reporting/campaigns").json()["count"] == 0
    )
    one = login(viewer).get(f"/api/v1/reporting/campaigns/{campaign.pk}")
    assert one.status_code == 200 and one.json()["by_region"]["central"]["expected"] == 1
    assert (
        login(make_outside("provider", "nc"))
        .get(f"/api/v1/reporting/campaigns/{campaign.pk}")
        .status_code
        == 404
    )


def test_write_own_submission_with_if_match(other: Any, owner: Any, hanoi_report: Any) -> None:
    client = login(other)
    url = f"/api/v1/reporting/submissions/{hanoi_report.pk}"
    tag = etag_of(client, url)
    assert put(client, url, {"answers": {"so-hop-dong": 2}}, None).status_code == 428
    bad = put(client, url, {"answers": {"so-hop-dong": "hai", "ty-le": 300}}, tag)
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"so-hop-dong", "ty-le"}
    ok = put(client, url, {"answers": {"so-hop-dong": 2}}, tag)
    assert ok.status_code == 200 and ok.json()["answers"] == {"so-hop-dong": 2}
    stale = put(client, url, {"answers": {"so-hop-dong": 3}}, tag)
    assert stale.status_code == 412 and "so-hop-dong" in stale.json()["errors"]
    sent = put(client, url, {"answers": {"tom-tat": "Đã thực hiện."}, "submit": True}, ok["ETag"])
    assert sent.status_code == 200 and sent.json()["state"] == "submitted"
    review_url = f"{url}/review"
    body = json.dumps({"decision": "approve"})
    denied = client.post(
        review_url, body, content_type="application/json", HTTP_IF_MATCH=sent["ETag"]
    )
    assert denied.status_code == 403
    htqt = login(owner)
    approved = htqt.post(
        review_url, body, content_type="application/json", HTTP_IF_MATCH=sent["ETag"]
    )
    assert approved.status_code == 200 and approved.json()["state"] == "approved"


def test_another_unit_gets_404_and_nothing_changes(
    other: Any, campaign: Any, ministry: Any
) -> None:
    sub = campaign.units.get(code=ministry.code).submissions.get(kind="report")
    url = f"/api/v1/reporting/submissions/{sub.pk}"
    client = login(other)
    assert client.get(url).status_code == 404
    assert put(client, url, {"answers": {"so-hop-dong": 1}}, f'"{sub.pk}-1"').status_code == 404
    assert Submission.objects.get(pk=sub.pk).answers == {}
