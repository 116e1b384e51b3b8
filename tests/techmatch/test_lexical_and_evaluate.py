"""Terms across spellings and languages, and the eval-match function on small JSONL files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techmatch import TermBridge, record_terms
from techmatch.evaluate import InputError, evaluate_match
from techmatch.lexical import analyze
from vntext import search_key
from vntext.stopwords import STOP_WORDS


def test_vietnamese_terms_meet_with_and_without_diacritics() -> None:
    with_marks, _ = record_terms("Hợp tác chuyển giao công nghệ", "vi", None)
    without, _ = record_terms("hop tac chuyen giao cong nghe", "vi", None)
    assert {"hop", "tac", "cong", "nghe"} <= with_marks & without
    assert "cong_nghe" in with_marks


def _shown(request: str, offers: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, str]]]:
    from techmatch import MatchIndex, Offer, Request

    index = MatchIndex([Offer(id=i, title=t, text=x, lang="vi") for i, t, x in offers])
    query = Request(id="r", title="", text=request, lang="vi")
    out = {}
    for m in index.rank(query, len(offers)):
        assert m.explanation is not None
        out[m.id] = [(t.query_form, t.target_form) for t in m.explanation.terms]
    return out


def test_explanations_do_not_pair_different_accented_words_or_show_fillers() -> None:
    shown = _shown(
        "Cần tìm công nghệ tiết kiệm năng lượng cho dây chuyền sấy; vấn đề vận chuyển, "
        "phản ứng hóa học, tiếng Anh.",
        [
            (
                "o1",
                "Hệ thống kiểm tra tự động",
                "Chuyển giao công nghệ kiểm tra, tư vấn vận hành; anh Minh phụ trách. "
                "Cần tìm đối tác ứng dụng.",
            ),
            ("o2", "Sấy tiết kiệm năng lượng", "Dây chuyền sấy tiết kiệm điện."),
        ],
    )
    pairs = [p for ps in shown.values() for p in ps]
    # folded alike, written differently: kiệm/kiểm, chuyền/chuyển, vấn/vận are not shared
    assert all(q == t for q, t in pairs), pairs
    flat = {w for p in pairs for w in p}
    assert not flat & {"cần", "tìm", "anh", "ứng", "vận", "vấn", "kiểm", "chuyển"}
    assert ("công nghệ", "công nghệ") in shown["o1"]  # the real shared word stays
    assert {("tiết kiệm", "tiết kiệm"), ("dây chuyền", "dây chuyền")} <= set(shown["o2"])


def test_explanations_still_fold_when_one_side_has_no_diacritics() -> None:
    from techmatch.lexical import forms_agree, shown_pair

    assert forms_agree("kiem", "kiệm") and forms_agree("tiết kiem", "tiết kiệm")
    assert not forms_agree("kiệm", "kiểm") and not forms_agree("dây chuyền", "dây chuyển")
    q = analyze("Máy sấy lạnh trái cây", "vi")
    t = analyze("Fruit freeze dryer (may say lanh)", "en")
    # inside a run of syllables both texts have, bare forms of another language's text meet
    assert shown_pair("lanh", q, t, "vi", "en") == ("lạnh", "lanh")
    assert shown_pair("say", q, t, "vi", "en") == ("sấy", "say")
    # alone, an English word is no Vietnamese word without its accents: "cap" is not "cấp"
    cap_q = analyze("Cần công nghệ đóng gói cấp wafer", "vi")
    cap_t = analyze("Glass cap for MEMS packaging", "en")
    assert shown_pair("cap", cap_q, cap_t, "vi", "en") is None
    # nor beside a word both texts share when that word is not Vietnamese ("cap wafer" in
    # English folds like "cấp wafer"; "wafer" cannot be a Vietnamese syllable)
    wafer_t = analyze("Bonds a patterned cap wafer to the device wafer", "en")
    assert shown_pair("cap", cap_q, wafer_t, "vi", "en") is None
    assert shown_pair("wafer", cap_q, wafer_t, "vi", "en") == ("wafer", "wafer")
    # a Vietnamese text written without any diacritics still meets the accented one
    bare = analyze("may say lanh trai cay cho hop tac xa", "vi")
    assert shown_pair("say", q, bare, "vi", "vi") == ("sấy", "say")


def test_vietnamese_shaped_syllables() -> None:
    from techmatch.lexical import vietnamese_shaped

    assert all(vietnamese_shaped(s) for s in ("minh", "phu", "cap", "nghieng", "quyen", "a"))
    assert not any(vietnamese_shaped(s) for s in ("wafer", "mems", "sensor", "fruit", "zoo"))


def test_a_bare_syllable_in_an_accented_text_is_the_word_it_writes() -> None:
    """ "sau" (after) in a text that writes its accents is not "sáu" (six) or "sâu" (deep)."""
    from techmatch.lexical import shown_pair

    q = analyze("Nuôi tôm ở ao sâu sáu mét", "vi")
    t = analyze("Bảo quản sau thu hoạch", "vi")
    assert shown_pair("sau", q, t, "vi", "vi") is None


def test_bridge_gives_both_languages_one_concept_term() -> None:
    bridge = TermBridge({"P09": ("Năng lượng tái tạo", "Renewable energy"), "X": ("AI",)})
    vi, vi_forms = record_terms("Dự án năng lượng tái tạo ở Ninh Thuận", "vi", bridge)
    en, en_forms = record_terms("A renewable energy plant", "en", bridge)
    assert "~P09" in vi & en
    assert vi_forms["~P09"] == "Năng lượng tái tạo" and en_forms["~P09"] == "Renewable energy"
    ai, _ = record_terms("AI for farms", "en", bridge)
    assert "~X" not in ai  # a single short label is too ambiguous to bridge on


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdhiklmqstuyAQK019 -._'")), max_size=60))
def test_ascii_fast_path_folds_like_search_key(text: str) -> None:
    a = analyze(text, "en")
    words = re.findall(r"[^\W_]+(?:[-'.][^\W_]+)*", text)
    want = set()
    for w in words:
        pieces = re.findall(r"[^\W_]+", search_key(w))
        if len(pieces) == 1 and w.lower() in STOP_WORDS:
            continue  # a function word alone is no term
        want.update(p for p in pieces if (len(p) > 1 and not p.isdigit()) or len(p) >= 4)
        if len(pieces) > 1:
            want.add("_".join(pieces))
    assert set(a.terms) == want


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_evaluate_match_writes_a_trec_run_with_constraints_applied(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    topics = rng.normal(size=(3, 8))

    def embed(texts: list[str], kind: str) -> np.ndarray:
        assert kind in ("query", "passage")
        rows = [topics[int(t.split("#")[1])] + 0.1 * rng.normal(size=8) for t in texts]
        return np.array(rows) / np.linalg.norm(rows, axis=1, keepdims=True)

    offers = _write(
        tmp_path / "o.jsonl",
        [
            {"id": "kr", "text": "drone sensor #0", "lang": "en", "country": "KR", "trl": 7},
            {"id": "jp", "text": "drone sensor #0", "lang": "en", "country": "JP", "trl": 7},
            {"id": "early", "text": "drone sensor #0", "lang": "en", "country": "KR", "trl": 2},
            {"id": "rice", "text": "rice mill #1", "lang": "en", "fields": ["4.1"]},
        ],
    )
    requests = _write(
        tmp_path / "r.jsonl",
        [
            {
                "id": "q1",
                "text": "cảm biến drone #0",
                "lang": "vi",
                "preferred_countries": ["kr"],
                "min_trl": 5,
            },
            {"id": "q2", "text": "máy xay lúa #1", "lang": "vi", "fields": ["4"]},
        ],
    )
    run = tmp_path / "run.trec"
    t = evaluate_match(offers, requests, run, k=3, embed=embed, tag="tm")
    lines = [line.split() for line in run.read_text().splitlines()]
    assert all(len(x) == 6 and x[1] == "Q0" and x[5] == "tm" for x in lines)
    q1 = [x[2] for x in lines if x[0] == "q1"]
    assert q1[:2] == ["kr", "jp"] and "early" not in q1
    assert next(x[2] for x in lines if x[0] == "q2") == "rice"
    ranks = [int(x[3]) for x in lines if x[0] == "q1"]
    assert ranks == list(range(1, len(ranks) + 1))
    assert t["offers"] == 4 and t["requests"] == 2 and t["lines"] == len(lines)
    assert {"index_seconds", "query_p50_ms", "query_p95_ms"} <= set(t)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "o.jsonl:2"),
        ('{"text": "x"}', "'id' is required"),
        ('{"id": "b", "text": "x", "trl": 12}', "'trl' must be between 1 and 9"),
        ('{"id": "a", "text": "again"}', "duplicate id"),
    ],
)
def test_evaluate_match_names_the_bad_line(tmp_path: Path, line: str, message: str) -> None:
    offers = tmp_path / "o.jsonl"
    offers.write_text('{"id": "a", "text": "x"}\n' + line + "\n", encoding="utf-8")
    requests = _write(tmp_path / "r.jsonl", [{"id": "q", "text": "x"}])
    with pytest.raises(InputError, match=re.escape(message)):
        evaluate_match(offers, requests, tmp_path / "run.trec")


def test_shared_terms_are_said_when_a_same_language_overlap_is_under_the_floor() -> None:
    """Two Vietnamese texts share "MEMS" and "cảm biến", too little against the long request
    for the lexical part (same-language overlap under ``same_language_floor`` counts 0): the
    explanation still says which words they share, and none for a pair sharing none."""
    from techmatch import MatchIndex, Offer, Request

    req = Request(
        "r",
        "Cần quy trình đóng gói cấp wafer cho cảm biến MEMS. Doanh nghiệp cần công nghệ đóng "
        "gói cấp wafer cho micro MEMS và cảm biến áp suất, hàn kín chân không, năng suất 5.000 "
        "wafer mỗi năm. Sản xuất micro cho điện thoại, đồng hồ thông minh và thiết bị đeo; yêu "
        "cầu phòng sạch, kỹ sư quy trình, vốn đối ứng.",
        lang="vi",
    )
    offers = [
        Offer(
            "o1", "Cảm biến khí MEMS công suất thấp. Đo CO và NO2 cho trạm quan trắc.", lang="vi"
        ),
        Offer("o2", "Máy sấy cà phê năng lượng mặt trời cho hợp tác xã.", lang="vi"),
        Offer("o3", "Hệ thống tưới nhỏ giọt thông minh cho cây ăn quả.", lang="vi"),
    ]
    index = MatchIndex(offers)
    e = index.explain(req, 0)
    assert e.components.lexical == 0.0  # under the floor
    assert {t.term for t in e.terms} == {"cam_bien", "mems"}
    assert index.explain(req, 1).terms == ()
