"""The assistant over the database: answers with citations from what the asker may read,
abstention, registry questions, follow-ups, the page, the API and `caunoi ask`."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import numpy as np
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client

from caunoi.core.audience import EVERYTHING
from caunoi.kb.assistant import ABSTAIN, ask, is_follow_up
from caunoi.kb.models import Document, Passage
from caunoi.kb.search import index_passages
from support import login

pytestmark = pytest.mark.django_db

QUY_CHE = [
    "Quy chế hợp tác quốc tế về khoa học áp dụng cho các đơn vị thuộc Bộ.",
    "Đoàn ra phải được Vụ trưởng Vụ Hợp tác quốc tế phê duyệt trước 15 ngày làm việc. "
    "Hồ sơ gồm công văn đề nghị và chương trình làm việc.",
    "Kinh phí đoàn ra do đơn vị chủ trì tự bảo đảm.",
]
NOI_BO = [
    "Danh sách chuyên gia Zerwinto chỉ lưu hành nội bộ. "
    "Mức thù lao chuyên gia Zerwinto là 300 đô la một ngày.",
]


def _doc(title: str, audience: str, unit: Any, paragraphs: list[str]) -> Document:
    text = "\n\n".join(paragraphs)
    doc = Document.objects.create(
        title=title,
        audience=audience,
        owner_unit=unit,
        content_hash=title.encode().hex().ljust(64, "0")[:64],
        clean_text=text,
        state="ready",
    )
    passages, at = [], 0
    for n, p in enumerate(paragraphs):
        passages.append(
            Passage.objects.create(
                document=doc, ordinal=n, text=p, start=at, end=at + len(p), page=n + 1
            )
        )
        at += len(p) + 2
    index_passages(passages)
    return doc


@pytest.fixture
def kb(units: dict[str, Any]) -> dict[str, Document]:
    return {
        "public": _doc("Quy chế đoàn ra", "public", units["htqt"], QUY_CHE),
        "staff": _doc("Thù lao chuyên gia", "staff", units["htqt"], NOI_BO),
    }


def test_answer_is_the_supporting_sentence_with_its_citation(kb: dict[str, Document]) -> None:
    reply = ask(AnonymousUser(), "Đoàn ra phải được ai phê duyệt trước bao nhiêu ngày?")
    assert not reply.abstained
    first = reply.citations[0]
    assert first.document == kb["public"].pk
    assert first.page == 2
    assert first.quote.startswith("Đoàn ra phải được Vụ trưởng")
    assert first.quote in reply.answer
    # the span points into the document's text, and the link goes there
    assert kb["public"].clean_text[first.start : first.end] == first.quote
    assert f"hl={first.start}-{first.end}" in first.url and first.url.endswith("#p1")
    page = Client().get(first.url).content.decode()
    marked = page.split('<mark class="cited" id="cited">', 1)[1].split("</mark>", 1)[0]
    assert marked.startswith("Đoàn ra phải được Vụ trưởng")


def test_questions_without_diacritics_are_answered_too(kb: dict[str, Document]) -> None:
    reply = ask(AnonymousUser(), "kinh phi doan ra do ai bao dam")
    assert not reply.abstained
    assert reply.citations[0].quote == QUY_CHE[2]


def test_abstains_with_the_closest_passages(kb: dict[str, Document]) -> None:
    reply = ask(AnonymousUser(), "Thủ tục cấp thị thực nhập cảnh cho phóng viên nước ngoài?")
    assert reply.abstained
    assert reply.answer == ABSTAIN
    assert reply.citations == []
    assert reply.as_json()["abstained"] is True
    # in the question's language on the API, the contract's fields unchanged
    r = Client().post(
        "/api/v1/ask",
        json.dumps({"question": "What is the visa procedure for foreign reporters?"}),
        content_type="application/json",
    )
    data = r.json()
    assert data["abstained"] is True and data["citations"] == []
    assert data["answer"] == "Not enough grounds to answer"
    r = Client().post(
        "/api/v1/ask",
        json.dumps({"question": "Thủ tục cấp thị thực cho phóng viên nước ngoài?"}),
        content_type="application/json",
    )
    assert r.json()["abstained"] is True and r.json()["answer"] == ABSTAIN


def test_never_quotes_what_the_asker_may_not_read(kb: dict[str, Document], owner: Any) -> None:
    question = "Mức thù lao chuyên gia Zerwinto là bao nhiêu?"
    public = ask(AnonymousUser(), question)
    assert all(c.document != kb["staff"].pk for c in public.citations + public.closest)
    assert "Zerwinto" not in json.dumps(public.as_json(), ensure_ascii=False)
    staff = ask(owner, question)
    assert not staff.abstained
    assert staff.citations[0].document == kb["staff"].pk
    assert "300 đô la" in staff.citations[0].quote


def test_follow_up_is_read_with_the_previous_question(kb: dict[str, Document]) -> None:
    assert is_follow_up("Còn kinh phí thì sao?")
    assert not is_follow_up("Kinh phí đoàn ra do ai bảo đảm?")
    reply = ask(
        AnonymousUser(), "Còn hồ sơ gồm những gì?", history=["Đoàn ra phải được ai phê duyệt?"]
    )
    assert reply.follow_up_of == "Đoàn ra phải được ai phê duyệt?"
    assert not reply.abstained
    assert "Hồ sơ gồm công văn" in reply.answer


def test_registry_questions_are_answered_from_the_records(make_agreement: Any) -> None:
    make_agreement(country="KR", title_vi="Hiệp định với Hàn Quốc thứ nhất")
    make_agreement(country="KR", title_vi="Hiệp định với Hàn Quốc thứ hai", is_public=False)
    make_agreement(country="JP", title_vi="Hiệp định với Nhật Bản")
    question = "Việt Nam đã ký bao nhiêu hiệp định với Hàn Quốc?"
    public = ask(AnonymousUser(), question)
    assert public.registry is not None and public.registry_count == 1  # the internal one hidden
    assert "thứ hai" not in public.answer
    assert public.registry_url == "/registry/agreements/?country=KR&signed=1"
    staff = ask(EVERYTHING, question)
    assert staff.registry_count == 2
    # a follow-up keeps the question, with the new country
    follow = ask(EVERYTHING, "Còn với Nhật Bản?", history=[question])
    assert follow.registry_count == 1 and follow.registry_rows[0].title == "Hiệp định với Nhật Bản"


def test_registry_years_and_legal_basis(make_agreement: Any) -> None:
    make_agreement(
        title_vi="Thỏa thuận A",
        expires_on=dt.date(2027, 3, 1),
        legal_basis="Quyết định 1851/QĐ-TTg",
    )
    make_agreement(title_vi="Thỏa thuận B", expires_on=dt.date(2029, 3, 1))
    rows = ask(EVERYTHING, "Which agreements expire in 2027?").registry_rows
    assert [r.title for r in rows] == ["Thỏa thuận A"]
    basis = ask(EVERYTHING, "cac thoa thuan thuc hien quyet dinh 1851/QD-TTg")
    assert basis.registry_count == 1 and basis.registry_rows[0].title == "Thỏa thuận A"


def test_follow_ups_keep_the_date_and_read_what_about(make_agreement: Any) -> None:
    make_agreement(
        title_vi="Hết hạn 2026", signed_on=dt.date(2020, 1, 5), expires_on=dt.date(2026, 5, 1)
    )
    make_agreement(
        title_vi="Ký 2026", signed_on=dt.date(2026, 2, 1), expires_on=dt.date(2031, 2, 1)
    )
    make_agreement(
        title_vi="Hết hạn 2027", signed_on=dt.date(2021, 1, 5), expires_on=dt.date(2027, 5, 1)
    )
    first = "Which agreements expire in 2027?"
    assert [r.title for r in ask(EVERYTHING, first).registry_rows] == ["Hết hạn 2027"]
    follow = ask(EVERYTHING, "Thế còn năm 2026?", history=[first])
    assert follow.follow_up_of == first
    assert [r.title for r in follow.registry_rows] == ["Hết hạn 2026"]  # expiring, not signed
    assert "expires=2026" in follow.registry_url
    # a follow-up that names another date takes it
    signed = ask(EVERYTHING, "Còn được ký năm 2026?", history=[first])
    assert [r.title for r in signed.registry_rows] == ["Ký 2026"]
    make_agreement(country="JP", title_vi="Hiệp định với Nhật Bản")
    korea = "How many agreements has Vietnam signed with Korea?"
    assert ask(EVERYTHING, korea).registry_count == 3
    japan = ask(EVERYTHING, "What about Japan?", history=[korea])
    assert japan.follow_up_of == korea and not japan.abstained
    assert japan.registry_count == 1 and japan.registry_rows[0].title == "Hiệp định với Nhật Bản"


def _linked_count(reply: Any) -> int:
    """How many records the registry page the reply links to lists."""
    from urllib.parse import parse_qsl, urlsplit

    from caunoi.registry.entities import ENTITIES
    from caunoi.registry.selectors import record_list

    url = urlsplit(reply.registry_url)
    slug = url.path.strip("/").split("/")[-1]
    params = dict(parse_qsl(url.query))
    qs, applied = record_list(entity=ENTITIES[slug], user=EVERYTHING, params=params)
    assert set(applied) >= set(params)  # every parameter of the link is one the page applies
    return qs.count()


def test_registry_answers_link_to_the_list_they_count(make_agreement: Any) -> None:
    make_agreement(title_vi="Thỏa thuận A", expires_on=dt.date(2027, 3, 1))
    make_agreement(title_vi="Thỏa thuận B", expires_on=dt.date(2027, 9, 1))
    make_agreement(title_vi="Thỏa thuận C", expires_on=dt.date(2029, 3, 1))
    make_agreement(
        title_vi="Thỏa thuận D", signed_on=None, status="negotiating", legal_basis="1851/QĐ-TTg"
    )
    make_agreement(title_vi="Thỏa thuận E", legal_basis="Quyết định số 1851/QĐ-TTg")
    make_agreement(title_vi="Thỏa thuận F", legal_basis="Quyết định số 418/QĐ-TTg")
    expiring = ask(EVERYTHING, "Which agreements expire in 2027?")
    assert expiring.registry_count == 2
    assert "expires=2027" in expiring.registry_url
    assert _linked_count(expiring) == 2
    basis = ask(EVERYTHING, "Các thỏa thuận thực hiện Quyết định 1851/QĐ-TTg")
    assert basis.registry_count == 2
    assert "q=1851" in basis.registry_url and _linked_count(basis) == 2
    # "đã ký" counts what was signed: the agreement still in negotiation is left out
    signed = ask(EVERYTHING, "Việt Nam đã ký bao nhiêu hiệp định với Hàn Quốc?")
    assert signed.registry_count == 5 and _linked_count(signed) == 5
    assert ask(EVERYTHING, "Có bao nhiêu hiệp định với Hàn Quốc?").registry_count == 6
    page = Client().get(expiring.registry_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Thỏa thuận A" in body and "Thỏa thuận C" not in body
    # the number alone (no code) is compared as a whole number: 418 and 18510 are not 1851
    make_agreement(title_vi="Thỏa thuận G", legal_basis="Quyết định số 18510/QĐ-TTg")
    bare = ask(EVERYTHING, "Các thỏa thuận thực hiện Quyết định 1851")
    assert sorted(r.title for r in bare.registry_rows) == ["Thỏa thuận D", "Thỏa thuận E"]
    assert bare.registry_url.endswith("q=1851") and _linked_count(bare) == 2


def test_two_countries_link_to_the_list_of_both(make_agreement: Any) -> None:
    from caunoi.registry.models import AgreementParty
    from caunoi.registry.services import country_links_refresh

    both = make_agreement(country="KR", title_vi="Ba bên Hàn Quốc Nhật Bản")
    AgreementParty.objects.create(agreement=both, side="foreign", country_id="JP")
    country_links_refresh(agreements=[both.pk])
    make_agreement(country="KR", title_vi="Chỉ Hàn Quốc")
    make_agreement(country="JP", title_vi="Chỉ Nhật Bản")
    make_agreement(country="US", title_vi="Hoa Kỳ")
    reply = ask(EVERYTHING, "Bao nhiêu hiệp định với Hàn Quốc và Nhật Bản?")
    assert reply.registry_count == 1
    assert "country=KR%2CJP" in reply.registry_url
    assert _linked_count(reply) == 1  # the link holds what was counted
    page = Client().get(reply.registry_url).content.decode()
    assert "Ba bên Hàn Quốc Nhật Bản" in page and "Chỉ Hàn Quốc" not in page
    api = Client().get("/api/v1/agreements?country=kr,jp").json()
    assert [a["title_vi"] for a in api["items"]] == ["Ba bên Hàn Quốc Nhật Bản"]
    assert Client().get("/api/v1/agreements?country=KR,J").status_code == 422


def test_delegation_questions_apply_their_year_and_direction(units: dict[str, Any]) -> None:
    from caunoi.registry.models import Delegation

    for title, direction, year in (
        ("Ra 2025 a", "out", 2025),
        ("Ra 2025 b", "out", 2025),
        ("Ra 2024", "out", 2024),
        ("Vào 2025", "in", 2025),
    ):
        Delegation.objects.create(
            title_vi=title,
            direction=direction,
            start_on=dt.date(year, 5, 1),
            end_on=dt.date(year, 5, 3),
            owner_unit=units["htqt"],
            is_public=True,
        )
    out = ask(EVERYTHING, "Có bao nhiêu đoàn ra năm 2025?")
    assert out.registry_count == 2
    assert "direction=out" in out.registry_url and "year=2025" in out.registry_url
    assert _linked_count(out) == 2
    incoming = ask(EVERYTHING, "How many incoming delegations in 2025?")
    assert incoming.registry_count == 1 and _linked_count(incoming) == 1
    assert ask(EVERYTHING, "Danh sách đoàn vào").registry_count == 1
    assert ask(EVERYTHING, "Có bao nhiêu đoàn công tác năm 2024?").registry_count == 1


def test_a_year_the_list_cannot_filter_is_said(make_org: Any) -> None:
    make_org()
    reply = ask(EVERYTHING, "Có bao nhiêu đối tác năm 2025?")
    assert reply.registry is not None and "year" not in reply.registry_url
    assert reply.registry_count == _linked_count(reply) == 1  # counted without the year, said
    assert "Không áp dụng được năm" in reply.answer
    assert "Không áp dụng được" not in ask(EVERYTHING, "Có bao nhiêu đối tác?").answer


def test_api_shape_and_validation(kb: dict[str, Document]) -> None:
    client = Client()
    r = client.post(
        "/api/v1/ask",
        json.dumps({"question": "Kinh phí đoàn ra do ai bảo đảm?"}),
        content_type="application/json",
    )
    assert r.status_code == 200
    data = r.json()
    assert data["abstained"] is False
    assert data["citations"][0]["document"] == kb["public"].pk
    assert set(data["citations"][0]) >= {"document", "title", "page", "quote"}
    bad = client.post("/api/v1/ask", json.dumps({"question": ""}), content_type="application/json")
    assert bad.status_code == 422
    assert "question" in json.dumps(bad.json()["errors"])
    for blank in ("  ", " \n\t "):  # spaces only are an empty question too
        r = client.post(
            "/api/v1/ask", json.dumps({"question": blank}), content_type="application/json"
        )
        assert r.status_code == 422 and r.json()["errors"] == bad.json()["errors"]


def test_chat_page_says_why_a_question_is_refused(kb: dict[str, Document]) -> None:
    client = Client()
    api = {
        q: client.post(
            "/api/v1/ask", json.dumps({"question": q}), content_type="application/json"
        ).json()["errors"]["question"][0]
        for q in ("", "x" * 3000)
    }
    assert api[""] == "Trường này không được để trống."  # Vietnamese first
    for q, message in (("   ", api[""]), ("x" * 3000, api["x" * 3000])):
        r = client.post("/kb/ask/", {"q": q})
        assert r.status_code == 400
        page = r.content.decode()
        assert 'id="ask-error"' in page and message in page
        hx = client.post("/kb/ask/", {"q": q}, HTTP_HX_REQUEST="true")
        assert hx.status_code == 400 and hx["HX-Retarget"] == "#ask-error"
        assert message in hx.content.decode()
    assert "x" * 3000 in client.post("/kb/ask/", {"q": "x" * 3000}).content.decode()  # kept
    assert client.get("/kb/ask/").content.decode().count('class="exchange') == 0  # not asked
    en = Client()
    en.cookies["django_language"] = "en"
    english = en.post("/kb/ask/", {"q": ""})
    assert "This field cannot be empty." in english.content.decode()
    ok = client.post("/kb/ask/", {"q": "Kinh phí đoàn ra do ai bảo đảm?"}, HTTP_HX_REQUEST="true")
    assert 'id="ask-error"' in ok.content.decode() and 'hx-swap-oob="true"' in ok.content.decode()


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_chat_page_keeps_the_conversation(kb: dict[str, Document], owner: Any) -> None:
    client = login(owner)
    assert client.get("/kb/ask/").status_code == 200
    r = client.post("/kb/ask/", {"q": "Kinh phí đoàn ra do ai bảo đảm?"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    html = r.content.decode()
    assert "tự bảo đảm" in _text(html) and "hl=" in html
    assert "tự <mark>bảo đảm</mark>" in html  # the question's terms are marked, as written
    assert "<mark>Kinh phí đoàn ra do</mark>" in html
    r = client.post("/kb/ask/", {"q": "Thủ tục cấp thị thực cho phóng viên nước ngoài?"})
    assert r.status_code == 302
    page = client.get("/kb/ask/").content.decode()
    assert "tự bảo đảm" in _text(page)
    assert "Không đủ căn cứ để trả lời" in page
    client.post("/kb/ask/", {"reset": "1"})
    assert "tự bảo đảm" not in _text(client.get("/kb/ask/").content.decode())


def test_cli_json_and_batch(kb: dict[str, Document], tmp_path: Any) -> None:
    out = io.StringIO()
    call_command("ask", "Kinh phí đoàn ra do ai bảo đảm?", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) >= {"answer", "citations", "abstained"}
    assert data["citations"][0]["quote"] == QUY_CHE[2]
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        "\n".join(
            [
                json.dumps({"id": "b", "text": "Mức thù lao chuyên gia Zerwinto là bao nhiêu?"}),
                "not json",
                json.dumps({"id": "a", "text": "Kinh phí đoàn ra do ai bảo đảm?"}),
            ]
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("ask", "--batch", str(batch), stdout=out)
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [x["id"] for x in lines] == ["b", None, "a"]
    assert "300 đô la" in lines[0]["citations"][0]["quote"]  # the operator reads everything
    assert "error" in lines[1]
    out = io.StringIO()
    call_command("ask", "--batch", str(batch), "--public", stdout=out)
    first = json.loads(out.getvalue().splitlines()[0])
    assert "Zerwinto" not in json.dumps(first, ensure_ascii=False)


def test_the_question_terms_are_marked_in_the_quote(kb: dict[str, Document], owner: Any) -> None:
    reply = ask(owner, "Mức thù lao chuyên gia Zerwinto là bao nhiêu?")
    first = reply.citations[0]
    marked = [first.quote[a:b] for a, b in first.highlights]
    assert "Mức thù lao chuyên gia Zerwinto là" in marked  # the question's words, as written
    assert "300" not in " ".join(marked)  # the answer is not one of the question's words
    assert "".join(p for p, _ in first.marked()) == first.quote
    data = reply.as_json()
    assert data["citations"][0]["highlights"] == [list(h) for h in first.highlights]
    r = login(owner).post(
        "/api/v1/ask",
        json.dumps({"question": "Mức thù lao chuyên gia Zerwinto là bao nhiêu?"}),
        content_type="application/json",
    )
    api = r.json()["citations"][0]
    assert [api["quote"][a:b] for a, b in api["highlights"]] == marked
    html = (
        login(owner)
        .post(
            "/kb/ask/",
            {"q": "Mức thù lao chuyên gia Zerwinto là bao nhiêu?"},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    assert "<mark>Mức thù lao chuyên gia Zerwinto là</mark> 300" in html


def test_english_question_over_vietnamese_text_marks_names_and_aligned_words(
    kb: dict[str, Document], owner: Any
) -> None:
    reply = ask(owner, "What is the daily fee of the Zerwinto experts?")
    assert not reply.abstained
    first = reply.citations[0]
    assert "300 đô la" in first.quote
    marked = [first.quote[a:b] for a, b in first.highlights]
    assert "Zerwinto" in " ".join(marked)  # the name, as written
    # the English words found in the Vietnamese sentence through the embeddings
    assert any(m != "Zerwinto" for m in marked), marked


def test_sentence_vectors_are_stored_after_indexing_and_read_at_question_time(
    units: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from caunoi.kb import assistant, sentences
    from caunoi.kb.models import SentenceVectors
    from caunoi.search import dense

    with django_capture_on_commit_callbacks(execute=True):  # the background step runs here
        doc = _doc("Quy chế đoàn ra", "public", units["htqt"], QUY_CHE)
    passages = list(doc.passages.order_by("ordinal"))
    rows = {r.passage_id: r for r in SentenceVectors.objects.all()}
    assert set(rows) == {p.pk for p in passages}
    second = passages[1]  # two sentences
    spans = sentences.sentence_spans(second.text)
    assert len(spans) == 2
    vecs = sentences.decode(bytes(rows[second.pk].vectors), len(spans))
    assert vecs is not None
    direct = dense.embed_passages([second.text[a:b] for a, b in spans])
    assert np.all(np.sum(vecs * direct, axis=1) > 0.999)  # float16 moves a cosine very little

    assistant._VECTORS.clear()
    reply = ask(AnonymousUser(), "Đoàn ra phải được ai phê duyệt trước bao nhiêu ngày?")
    assert reply.citations[0].quote.startswith("Đoàn ra phải được Vụ trưởng")
    assert not assistant._VECTORS  # nothing was embedded at question time

    # A passage whose text changed has a stale key: its sentences are embedded on the fly.
    Passage.objects.filter(pk=second.pk).update(text=second.text + " Bản sao gửi Bộ.")
    second.refresh_from_db()
    engine = sentences.engine_ident()
    assert engine is not None
    found = sentences.stored(
        [(second.pk, second.text, sentences.sentence_spans(second.text))], engine
    )
    assert found == {}
    ask(AnonymousUser(), "Đoàn ra phải được ai phê duyệt trước bao nhiêu ngày?")
    assert "Bản sao gửi Bộ." in assistant._VECTORS
    # and the background step writes it again
    assert sentences.embed([second]) == 1
    assert sentences.embed([second]) == 0  # idempotent


def test_english_marks_embed_all_cited_words_in_one_call_and_match_per_sentence_marks(
    kb: dict[str, Document], owner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caunoi.kb import assistant
    from caunoi.search import dense
    from kbanswer import analyze, marks

    question = "What is the daily fee of the Zerwinto experts?"
    assistant._WORDS.clear()
    engine = dense.model()
    calls: list[list[str]] = []  # what was embedded on the query side, call by call
    real = engine.embed

    def counting(texts: Any, is_query: bool) -> Any:
        if is_query:
            calls.append(list(texts))
        return real(texts, is_query)

    monkeypatch.setattr(engine, "embed", counting)
    reply = ask(owner, question)
    assert not reply.abstained
    # the question, its terms, then every cited sentence's words: one call each
    assert len(calls) <= 3, calls
    assert any(len(c) > 3 for c in calls)  # the words of the cited sentences
    # The same marks as each sentence embedding its own words, uncapped.
    tv = assistant._term_vectors(question)
    q = analyze(question)
    for c in reply.citations:
        alone = marks(q, c.quote, term_vectors=tv, embed=assistant._query_vectors, limit=10**6)
        assert list(c.highlights) == alone
    # Asked again, the question, its terms and the words come from the caches.
    calls.clear()
    again = ask(owner, question)
    assert calls == []
    assert [c.highlights for c in again.citations] == [c.highlights for c in reply.citations]


def test_word_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from caunoi.kb import assistant

    monkeypatch.setattr(assistant, "WORD_CACHE", 3)
    assistant._WORDS.clear()
    assistant._query_vectors(["sông", "núi", "biển"])
    assistant._query_vectors(["sông"])  # used again: kept
    assistant._query_vectors(["rừng"])
    assert list(assistant._WORDS) == ["biển", "sông", "rừng"]


def test_embed_sentences_command_fills_the_missing_rows(kb: dict[str, Document]) -> None:
    from caunoi.kb.models import SentenceVectors

    assert not SentenceVectors.objects.exists()  # on_commit never ran: nothing queued here
    out = io.StringIO()
    call_command("embed_sentences", stdout=out)
    assert set(SentenceVectors.objects.values_list("passage_id", flat=True)) == set(
        Passage.objects.values_list("pk", flat=True)
    )
    assert "of 4 passages" in out.getvalue()
    out = io.StringIO()
    call_command("embed_sentences", "--all", stdout=out)
    assert "of 0 passages" in out.getvalue()  # every key still matches


def test_a_cited_span_in_unicode_digits_is_ignored(kb: dict[str, Document]) -> None:
    url = kb["public"].get_absolute_url()
    for hl in ("²-³", "1-²", "١-٢"):
        response = Client().get(url, {"hl": hl})
        assert response.status_code == 200, hl
        assert 'class="cited"' not in response.content.decode()
