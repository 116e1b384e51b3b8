"""Who sees which job: the page, the htmx progress fragment, the API and `caunoi jobs`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from caunoi.jobs.models import Job
from caunoi.jobs.services import job_enqueue
from support import login

from . import sample_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(owner: Any, other: Any) -> dict[str, Job]:
    return {
        "mine": job_enqueue(sample_tasks.count_to, 2, label="Nhập đối tác", user=owner),
        "others": job_enqueue(sample_tasks.fail, "hỏng", label="Nhập dự án", user=other),
        "system": job_enqueue(sample_tasks.nothing, label="Bản tin hằng ngày"),
    }


def test_the_list_shows_ones_own_jobs_and_everything_to_an_administrator(
    jobs: dict[str, Job], owner: Any, admin: Any, viewer: Any
) -> None:
    body = login(owner).get("/jobs/").content.decode()
    assert "Nhập đối tác" in body
    assert "Nhập dự án" not in body and "Bản tin hằng ngày" not in body
    assert "Hoàn thành" in body  # the state, in Vietnamese

    body = login(admin).get("/jobs/").content.decode()
    for label in ("Nhập đối tác", "Nhập dự án", "Bản tin hằng ngày"):
        assert label in body
    assert "hệ thống" in body  # the system job's starter

    response = login(viewer).get("/jobs/")
    assert response.status_code == 200
    assert "Chưa có công việc nào." in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(jobs: dict[str, Job]) -> None:
    for url in ("/jobs/", f"/jobs/{jobs['system'].pk}/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_job_page_is_visible_to_its_starter_and_administrators_only(
    jobs: dict[str, Job], owner: Any, other: Any, admin: Any
) -> None:
    mine, system = jobs["mine"], jobs["system"]
    assert login(owner).get(f"/jobs/{mine.pk}/").status_code == 200
    assert login(admin).get(f"/jobs/{mine.pk}/").status_code == 200
    assert login(other).get(f"/jobs/{mine.pk}/").status_code == 404
    assert login(owner).get(f"/jobs/{system.pk}/").status_code == 404
    assert login(admin).get(f"/jobs/{system.pk}/").status_code == 200
    assert login(admin).get("/jobs/999999/").status_code == 404


def test_the_job_page_polls_until_the_job_finishes(owner: Any) -> None:
    job = Job.objects.create(kind="x", label_vi="Đang nhập", user=owner, done=3, total=10)
    client = login(owner)
    body = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert "3/10" in body and "(30%)" in body
    assert "Đang chờ" in body

    fragment = client.get(
        f"/jobs/{job.pk}/", headers={"HX-Request": "true", "HX-Target": "job-progress"}
    ).content.decode()
    assert fragment.lstrip().startswith('<section class="card" id="job-progress"')
    assert "<html" not in fragment

    finished = job_enqueue(sample_tasks.count_to, 4, label="Xong", user=owner)
    body = client.get(f"/jobs/{finished.pk}/").content.decode()
    assert "every 2s" not in body
    assert "4/4" in body and "(100%)" in body


def test_the_error_is_shown_on_the_page(jobs: dict[str, Job], other: Any) -> None:
    body = login(other).get(f"/jobs/{jobs['others'].pk}/").content.decode()
    assert "ValueError: hỏng" in body
    assert "Thất bại" in body


def test_the_api_lists_and_shows_only_visible_jobs(
    jobs: dict[str, Job], owner: Any, admin: Any
) -> None:
    body = login(owner).get("/api/v1/jobs").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == jobs["mine"].pk
    assert item["state"] == "succeeded"
    assert item["state_label"] == "Hoàn thành"
    assert (item["done"], item["total"], item["percent"]) == (2, 2, 100)
    assert item["user"] == "owner"
    assert item["result"] == {"counted": 2}

    assert login(admin).get("/api/v1/jobs").json()["count"] == 3
    assert Client().get("/api/v1/jobs").json()["count"] == 0

    failed = login(admin).get(f"/api/v1/jobs/{jobs['others'].pk}").json()
    assert failed["state"] == "failed" and failed["error"] == "ValueError: hỏng"
    response = login(owner).get(f"/api/v1/jobs/{jobs['others'].pk}")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert Client().get(f"/api/v1/jobs/{jobs['system'].pk}").status_code == 404


def test_the_api_accepts_a_token(jobs: dict[str, Job], owner: Any) -> None:
    from caunoi.accounts.services import api_token_create

    _, raw = api_token_create(user=owner, name="script")
    response = Client().get(
        f"/api/v1/jobs/{jobs['mine'].pk}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200
    assert response.json()["label"] == "Nhập đối tác"


def test_the_cli_lists_and_shows_jobs(jobs: dict[str, Job], capsys: Any) -> None:
    call_command("jobs")
    out = capsys.readouterr().out
    assert "Nhập đối tác" in out and "succeeded" in out and "2/2 (100%)" in out

    call_command("jobs", "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {line["id"] for line in lines} == {job.pk for job in jobs.values()}
    assert lines[0]["id"] == jobs["system"].pk  # newest first

    call_command("jobs", "--json", str(jobs["others"].pk))
    one = json.loads(capsys.readouterr().out)
    assert one["state"] == "failed" and one["error"] == "ValueError: hỏng"

    call_command("jobs", str(jobs["others"].pk))
    out = capsys.readouterr().out
    assert "error:" in out and "ValueError: hỏng" in out

    call_command("jobs", "--state", "failed", "--json")
    assert [json.loads(x)["id"] for x in capsys.readouterr().out.splitlines()] == [
        jobs["others"].pk
    ]
    with pytest.raises(CommandError, match="no job 999999"):
        call_command("jobs", "999999")
