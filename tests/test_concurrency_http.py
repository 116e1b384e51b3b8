"""Concurrent writes against the running application over HTTP: the live server (a threaded
WSGI server, one thread and one database connection per request) and client threads sending
at the same moment, as a busy ministry would. On both databases: every create succeeds, no
change is lost, and a write based on an old version is refused (412 from the API, a conflict
page from the edit form), never a 5xx nor "database is locked"."""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from caunoi.accounts.services import api_token_create

THREADS = 6
CREATES = 4  # per thread and kind

# The text fields of an agreement that threads edit at once, one field per thread.
FIELDS = ["title_en", "summary", "obligations", "signed_place", "legal_basis", "title_vi"]


class Http:
    """A minimal HTTP client: JSON in and out, or a browser's form posts with its cookies."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base = base
        self.token = token
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        data = None
        all_headers = dict(headers or {})
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        if isinstance(body, dict) and all_headers.get("Content-Type") == "form":
            data = urllib.parse.urlencode(body, doseq=True).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers=all_headers
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.cookies if c.name == name and c.value is not None)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 302 after a saved form is the answer we check


def together(work: Callable[[int], None], threads: int = THREADS) -> list[BaseException]:
    """Run ``work(i)`` in threads released at one moment; return what they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(i)
        except BaseException as exc:
            errors.append(exc)

    pool = [threading.Thread(target=target, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=300)
    return errors


@pytest.fixture
def token(admin: Any) -> str:
    return api_token_create(user=admin, name="load")[1]


def test_parallel_creates_all_succeed(
    live_server: Any, token: str, make_org: Any, taxonomy: Any
) -> None:
    from caunoi.registry.models import Agreement, Project

    partner = make_org(country_id="JP")
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def work(i: int) -> None:
        client = Http(live_server.url, token)
        for n in range(CREATES):
            agreement = {
                "title_vi": f"Thỏa thuận {i}-{n}",
                "kind": "mou",
                "level": "ministry",
                "parties": [
                    {"side": "foreign", "country": "KR"},
                    {"side": "foreign", "organization": partner.key},
                ],
            }
            a_status, _, body = client.call("POST", "/api/v1/agreements", agreement)
            project = {
                "title_vi": f"Dự án {i}-{n}",
                "kind": "bilateral",
                "funder": partner.key,
                "agreement": json.loads(body)["id"] if a_status == 201 else None,
            }
            p_status, _, _ = client.call("POST", "/api/v1/projects", project)
            with lock:
                statuses.update([a_status, p_status])

    assert together(work) == []
    assert statuses == Counter({201: 2 * THREADS * CREATES})
    assert Agreement.objects.count() == Project.objects.count() == THREADS * CREATES
    for agreement in Agreement.objects.all():
        assert set(agreement.countries.values_list("iso2", flat=True)) == {"KR", "JP"}


def test_parallel_patches_lose_nothing_and_stale_ones_get_412(
    live_server: Any, token: str, make_agreement: Any
) -> None:
    agreement = make_agreement()
    url = f"/api/v1/agreements/{agreement.pk}"
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def work(i: int) -> None:
        client = Http(live_server.url, token)
        field = FIELDS[i]
        for _attempt in range(50):
            status, headers, _ = client.call("GET", url)
            assert status == 200
            status, _, body = client.call(
                "PATCH", url, {field: f"Giá trị của luồng {i}"}, {"If-Match": headers["ETag"]}
            )
            with lock:
                statuses[status] += 1
            if status == 200:
                return
            assert status == 412, body  # another thread wrote first: read again, reapply
        raise AssertionError(f"thread {i} never got its write in")

    assert together(work) == []
    assert set(statuses) <= {200, 412}
    assert statuses[200] == THREADS
    agreement.refresh_from_db()
    for i, field in enumerate(FIELDS):
        assert getattr(agreement, field) == f"Giá trị của luồng {i}", field
    assert agreement.version == 1 + THREADS


def test_the_same_stale_write_from_every_thread_succeeds_once(
    live_server: Any, token: str, make_agreement: Any
) -> None:
    agreement = make_agreement()
    url = f"/api/v1/agreements/{agreement.pk}"
    _, headers, _ = Http(live_server.url, token).call("GET", url)
    etag = headers["ETag"]
    statuses: dict[int, int] = {}

    def work(i: int) -> None:
        status, _, _ = Http(live_server.url, token).call(
            "PATCH", url, {"summary": f"Tóm tắt {i}"}, {"If-Match": etag}
        )
        statuses[i] = status

    assert together(work) == []
    assert sorted(statuses.values()) == [200] + [412] * (THREADS - 1)
    (winner,) = [i for i, status in statuses.items() if status == 200]
    agreement.refresh_from_db()
    assert agreement.summary == f"Tóm tắt {winner}"  # the refused writes left nothing
    assert agreement.version == 2


def test_parallel_edit_forms_one_saves_the_others_see_a_conflict(
    live_server: Any, admin: Any, make_agreement: Any
) -> None:
    from django.test import Client

    agreement = make_agreement()
    edit = f"/registry/agreements/{agreement.pk}/edit/"
    browsers = []
    for _ in range(THREADS):
        session = Client()
        session.force_login(admin)
        browser = Http(live_server.url)
        browser.cookies.set_cookie(_cookie("sessionid", session.cookies["sessionid"].value))
        status, _, page = browser.call("GET", edit)
        assert status == 200
        browsers.append((browser, _form_fields(page.decode())))
    results: list[tuple[int, str]] = []

    def work(i: int) -> None:
        browser, fields = browsers[i]
        fields = {**fields, "summary": f"Tóm tắt của người {i}"}
        status, _, page = browser.call(
            "POST",
            edit,
            fields,
            {"Content-Type": "form", "X-CSRFToken": browser.cookie("csrftoken"), "Referer": ""},
        )
        results.append((status, page.decode()))

    assert together(work) == []
    codes = sorted(status for status, _ in results)
    assert codes == [302] + [409] * (THREADS - 1), codes
    for status, page in results:
        if status == 409:
            assert "Bản ghi đã được người khác thay đổi" in page
    agreement.refresh_from_db()
    assert agreement.summary.startswith("Tóm tắt của người ") and agreement.version == 2


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, "localhost.local", False, False, "/", True, False,
        None, False, None, None, {},
    )  # fmt: skip


def _form_fields(page: str) -> dict[str, Any]:
    """The values an edit form was rendered with (inputs, selected options, text areas)."""
    forms = re.findall(r"<form\b[^>]*>(.*?)</form>", page, re.S | re.I)
    edit = [form for form in forms if 'name="version"' in form]
    assert len(edit) == 1, "the edit page has one form carrying the version"
    html = edit[0]
    fields: dict[str, Any] = {}
    for tag in re.finditer(r"<input\b[^>]*>", html):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag[0]))
        kind = attrs.get("type", "text")
        if "name" not in attrs or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if "checked" in tag[0]:
                fields[attrs["name"]] = attrs.get("value", "on")
            continue
        fields[attrs["name"]] = _unescape(attrs.get("value", ""))
    for area in re.finditer(r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields[area[1]] = _unescape(area[2])
    for select in re.finditer(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option[^>]*value="([^"]*)"[^>]*selected', select[2])
        if chosen:
            fields[select[1]] = chosen if len(chosen) > 1 else chosen[0]
    return fields


def _unescape(text: str) -> str:
    import html

    return html.unescape(text.lstrip("\n"))
