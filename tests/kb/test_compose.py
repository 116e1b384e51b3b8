"""The assistant's optional composer against a fake OpenAI-compatible endpoint.

The HTTP server here (``http.server`` in a thread) stands in for the external endpoint an
operator would configure (CAUNOI_ASSISTANT_LLM_URL): it is the only thing outside our control,
so it is the only thing replaced. It records what it was sent and answers what each test
tells it to: a good answer, a bad citation, a slow reply, an error status.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from caunoi.kb import compose
from caunoi.kb.assistant import ask
from caunoi.kb.models import Document

from .test_ask import NOI_BO, QUY_CHE, _doc

pytestmark = pytest.mark.django_db

QUESTION = "Đoàn ra phải được ai phê duyệt trước bao nhiêu ngày?"


class FakeEndpoint:
    def __init__(self) -> None:
        self.reply: str = ""
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                fake.requests.append({"path": self.path, **json.loads(self.rfile.read(length))})
                fake.headers.append(dict(self.headers))
                if fake.delay:
                    time.sleep(fake.delay)
                body = json.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": fake.reply}}]}
                ).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def passages(self) -> list[str]:
        """The numbered passages of the last request's user message."""
        user = self.requests[-1]["messages"][1]["content"]
        return [line for line in user.splitlines() if line.startswith("[")]


@pytest.fixture
def endpoint(settings: Any) -> Iterator[FakeEndpoint]:
    fake = FakeEndpoint()
    settings.CAUNOI_ASSISTANT_LLM_URL = fake.url
    settings.CAUNOI_ASSISTANT_LLM_MODEL = "qwen-test"
    settings.CAUNOI_ASSISTANT_LLM_KEY = "sk-test"
    settings.CAUNOI_ASSISTANT_LLM_TIMEOUT = 2
    yield fake
    fake.close()


@pytest.fixture
def kb(units: dict[str, Any]) -> dict[str, Document]:
    return {
        "public": _doc("Quy chế đoàn ra", "public", units["htqt"], QUY_CHE),
        "staff": _doc("Thù lao chuyên gia", "staff", units["htqt"], NOI_BO),
    }


def _number_of(fake: FakeEndpoint, text: str) -> int:
    for line in fake.passages():
        if text in line:
            return int(line[1 : line.index("]")])
    raise AssertionError(f"{text!r} was not sent: {fake.passages()}")


def test_off_by_default_the_answer_is_extractive(kb: dict[str, Document], settings: Any) -> None:
    assert settings.CAUNOI_ASSISTANT_LLM_URL == ""
    reply = ask(AnonymousUser(), QUESTION)
    assert not reply.composed and reply.note == ""
    assert "composed" not in reply.as_json() and "note" not in reply.as_json()


def test_a_composed_answer_whose_citations_hold_is_kept(
    kb: dict[str, Document], endpoint: FakeEndpoint
) -> None:
    extractive = ask(AnonymousUser(), QUESTION)  # what is sent: the same retrieval
    assert endpoint.requests, "the endpoint was asked"
    n = _number_of(endpoint, "Đoàn ra phải được Vụ trưởng")
    endpoint.reply = (
        f"Đoàn ra phải được Vụ trưởng Vụ Hợp tác quốc tế phê duyệt trước 15 ngày làm việc [{n}]."
    )
    reply = ask(AnonymousUser(), QUESTION)
    assert reply.composed and not reply.abstained and reply.note == ""
    assert reply.answer == (
        "Đoàn ra phải được Vụ trưởng Vụ Hợp tác quốc tế phê duyệt trước 15 ngày làm việc [1]."
    )
    assert [c.document for c in reply.citations] == [kb["public"].pk]
    # the citation is the cited passage's supporting sentence, a span of the document
    first = reply.citations[0]
    assert first.quote.startswith("Đoàn ra phải được Vụ trưởng")
    assert kb["public"].clean_text[first.start : first.end] == first.quote
    assert f"hl={first.start}-{first.end}" in first.url
    assert extractive.citations[0].quote == first.quote
    out = reply.as_json()
    assert out["composed"] is True and out["citations"][0]["quote"] == first.quote
    # What was sent: the OpenAI chat-completions request, numbered passages with citations.
    sent = endpoint.requests[-1]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["model"] == "qwen-test"
    assert sent["messages"][0]["role"] == "system"
    assert QUESTION in sent["messages"][1]["content"]
    assert any("Quy chế đoàn ra" in line and ", tr. 2:" in line for line in endpoint.passages())
    assert endpoint.headers[-1]["Authorization"] == "Bearer sk-test"


def test_a_citation_outside_the_passages_is_rejected(
    kb: dict[str, Document], endpoint: FakeEndpoint
) -> None:
    endpoint.reply = "Đoàn ra phải được Vụ trưởng phê duyệt trước 15 ngày làm việc [9]."
    reply = ask(AnonymousUser(), QUESTION)
    assert not reply.composed
    assert reply.answer.startswith("Đoàn ra phải được Vụ trưởng")  # the extractive answer
    assert reply.answer == " ".join(c.quote for c in reply.citations)
    assert "[9]" not in reply.answer
    # (the note in the active language: Vietnamese first)
    assert reply.note == (
        "Không dùng câu trả lời do mô hình soạn: có trích dẫn tới đoạn văn không được cung cấp."
    )
    assert reply.as_json()["composed"] is False and reply.as_json()["note"] == reply.note


def test_a_citation_that_does_not_support_its_sentence_is_rejected(
    kb: dict[str, Document], endpoint: FakeEndpoint
) -> None:
    ask(AnonymousUser(), QUESTION)
    n = _number_of(endpoint, "Đoàn ra phải được Vụ trưởng")
    other = _number_of(endpoint, "Kinh phí đoàn ra")
    wrong = {
        # the number is not the passage's
        "number": f"Đoàn ra phải được Vụ trưởng phê duyệt trước 30 ngày làm việc [{n}].",
        # a name the passage does not have
        "name": f"Đoàn ra phải được Thủ tướng Chính phủ phê duyệt trước 15 ngày [{n}].",
        # the right sentence, cited to the wrong passage
        "passage": f"Đoàn ra phải được Vụ trưởng phê duyệt trước 15 ngày làm việc [{other}].",
        # a second sentence without a citation
        "uncited": f"Đoàn ra phải được Vụ trưởng phê duyệt [{n}]. Hồ sơ nộp qua mạng.",
        # words the passage does not have
        "words": f"Mọi chuyến công tác nước ngoài đều cần giấy mời của đối tác [{n}].",
    }
    for case, text in wrong.items():
        endpoint.reply = text
        reply = ask(AnonymousUser(), QUESTION)
        assert not reply.composed, case
        assert reply.note.startswith("Không dùng câu trả lời do mô hình soạn"), case
        assert reply.citations and reply.citations[0].quote.startswith("Đoàn ra phải"), case


def test_timeout_and_error_status_fall_back_to_the_extractive_answer(
    kb: dict[str, Document], endpoint: FakeEndpoint, settings: Any
) -> None:
    baseline = ask(AnonymousUser(), QUESTION)
    n = _number_of(endpoint, "Đoàn ra phải được Vụ trưởng")
    endpoint.reply = f"Đoàn ra phải được Vụ trưởng phê duyệt trước 15 ngày làm việc [{n}]."
    endpoint.status = 503
    reply = ask(AnonymousUser(), QUESTION)
    assert not reply.composed
    assert (
        reply.note == "Không kết nối được mô hình ngôn ngữ; câu trả lời trích nguyên văn từ nguồn."
    )
    assert [c.quote for c in reply.citations] == [c.quote for c in baseline.citations]
    endpoint.status = 200
    endpoint.delay = 1.5
    settings.CAUNOI_ASSISTANT_LLM_TIMEOUT = 0.3
    started = time.perf_counter()
    reply = ask(AnonymousUser(), QUESTION)
    assert time.perf_counter() - started < 1.4  # the timeout, not the endpoint's delay
    assert not reply.composed and reply.note.startswith("Không kết nối được")
    endpoint.delay = 0
    endpoint.reply = "not json at all"
    endpoint.status = 200
    reply = ask(AnonymousUser(), QUESTION)
    assert not reply.composed  # a text without any citation


def test_no_answer_and_abstention(kb: dict[str, Document], endpoint: FakeEndpoint) -> None:
    endpoint.reply = compose.NO_ANSWER
    reply = ask(AnonymousUser(), QUESTION)
    assert not reply.composed and reply.note.startswith("Mô hình ngôn ngữ không tìm thấy")
    # When the extractive path abstains, nothing is composed: the endpoint is not asked.
    asked = len(endpoint.requests)
    reply = ask(AnonymousUser(), "Thủ tục cấp thị thực nhập cảnh cho phóng viên nước ngoài?")
    assert reply.abstained and not reply.composed
    assert len(endpoint.requests) == asked


def test_the_endpoint_never_sees_what_the_asker_may_not_read(
    kb: dict[str, Document], endpoint: FakeEndpoint, owner: Any
) -> None:
    question = "Mức thù lao chuyên gia Zerwinto là bao nhiêu?"
    ask(AnonymousUser(), question)
    assert all("Zerwinto" not in json.dumps(r, ensure_ascii=False) for r in endpoint.requests)
    endpoint.requests.clear()
    ask(owner, question)
    assert "Zerwinto" in json.dumps(endpoint.requests[-1], ensure_ascii=False)


def test_api_and_page_show_the_composed_answer(
    kb: dict[str, Document], endpoint: FakeEndpoint
) -> None:
    ask(AnonymousUser(), QUESTION)
    n = _number_of(endpoint, "Đoàn ra phải được Vụ trưởng")
    endpoint.reply = f"Vụ trưởng Vụ Hợp tác quốc tế phê duyệt đoàn ra trước 15 ngày làm việc [{n}]."
    r = Client().post("/api/v1/ask", {"question": QUESTION}, content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["composed"] is True and body["note"] == ""
    assert body["answer"].endswith("[1].")
    assert body["citations"][0]["url"].startswith(kb["public"].get_absolute_url())
    page = Client().post("/kb/ask/", {"q": QUESTION}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="composed-answer"' in page and "15 ngày làm việc [1]." in page
    endpoint.reply = f"Vụ trưởng phê duyệt đoàn ra trước 45 ngày [{n}]."
    page = Client().post("/kb/ask/", {"q": QUESTION}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="composed-answer"' not in page and "compose-note" in page


def test_a_faithful_sentence_naming_a_legal_number_is_kept(
    units: dict[str, Any], endpoint: FakeEndpoint
) -> None:
    """A composed sentence copied from its passage, with "45/QĐ-BKHCN" and a date in words
    ("ngày 10 tháng 1"), holds: the code is compared as the one token the passage has, and
    lower-case words ("định") are no names."""
    sentence = "Quyết định này thay thế Quyết định số 45/QĐ-BKHCN ngày 10 tháng 1 năm 2019."
    _doc(
        "Quyết định về hợp tác quốc tế",
        "public",
        units["htqt"],
        [
            "Quyết định này quy định việc hợp tác quốc tế về khoa học và công nghệ.",
            "Quyết định này có hiệu lực kể từ ngày ký. " + sentence,
        ],
    )
    question = "Quyết định này thay thế quyết định nào?"
    ask(AnonymousUser(), question)
    assert endpoint.requests, "the endpoint was asked"
    n = _number_of(endpoint, "45/QĐ-BKHCN")
    endpoint.reply = f"{sentence[:-1]} [{n}]."
    reply = ask(AnonymousUser(), question)
    assert reply.composed and reply.note == "", reply.note
    assert "45/QĐ-BKHCN" in reply.answer
    # another decision's code, or a name the passage lacks, is still refused
    endpoint.reply = f"{sentence[:-1].replace('45/QĐ-BKHCN', '45/QĐ-TTg')} [{n}]."
    assert not ask(AnonymousUser(), question).composed
    endpoint.reply = f"{sentence[:-1]} của Bộ Zentharis [{n}]."
    assert not ask(AnonymousUser(), question).composed


def test_names_are_upper_case_tokens_and_codes_whole() -> None:
    assert compose._names("Hội đồng định kỳ họp với Nhật Bản") == ["nhat", "ban"]
    assert compose._names("Thay thế Quyết định số 45/QĐ-BKHCN.") == ["quyet", "45/qd-bkhcn"]
    passage = "Quyết định này thay thế Quyết định số 45/QĐ-BKHCN ngày 10 tháng 1 năm 2019."
    assert compose.supported("Quyết định này thay thế Quyết định số 45/QĐ-BKHCN", [passage])
    assert compose.supported("Quyết định này thay thế quyết định QĐ-BKHCN số 45", [passage])
    assert not compose.supported("Quyết định này thay thế Quyết định số 45/QĐ-TTg", [passage])


def test_claims_and_support_rules() -> None:
    found, rest = compose.claims("Câu một [1]. Câu hai [2][3]! [4]")
    assert [(c.text, c.cites) for c in found] == [("Câu một", (1,)), ("Câu hai", (2, 3, 4))]
    assert rest == ""
    found, rest = compose.claims("Câu một [1, 2]. Phần còn lại")
    assert found[0].cites == (1, 2) and rest == "Phần còn lại"
    passage = "Năm 2023, Việt Nam và Hàn Quốc ký 12 thỏa thuận hợp tác khoa học."
    assert compose.supported("Việt Nam và Hàn Quốc ký 12 thỏa thuận năm 2023", [passage])
    assert not compose.supported("Việt Nam và Hàn Quốc ký 13 thỏa thuận năm 2023", [passage])
    assert not compose.supported("Việt Nam và Nhật Bản ký 12 thỏa thuận", [passage])
    # a claim in another language: its numbers must hold, and without a close sentence
    # (no cosine given) it is not taken on trust
    assert not compose.supported("Vietnam and Korea signed 12 agreements in 2023", [passage])
    assert compose.supported(
        "Vietnam and Korea signed 12 agreements in 2023", [passage], cosine=0.9
    )
    assert not compose.supported(
        "Vietnam and Korea signed 14 agreements in 2023", [passage], cosine=0.9
    )
    assert not compose.supported(
        "Vietnam and Japan signed 12 agreements in 2023", [passage], cosine=0.9
    )


def test_endpoint_address_forms(settings: Any) -> None:
    for url in ("http://h:8080", "http://h:8080/", "http://h:8080/v1", "http://h:8080/v1/"):
        settings.CAUNOI_ASSISTANT_LLM_URL = url
        assert compose.endpoint() == "http://h:8080/v1/chat/completions"
    settings.CAUNOI_ASSISTANT_LLM_URL = "https://x/openai/chat/completions"
    assert compose.endpoint() == "https://x/openai/chat/completions"
