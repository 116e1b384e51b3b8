"""extract(): the contract of ``caunoi extract`` and offsets that always point into the input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vntext.extract import extract
from vntext.segment import segment_spans

# Short snippets quoted from the seeds, combined with noise by hypothesis.
SNIPPETS = [
    "Quyết định số 1851/QĐ-TTg ngày 27/12/2018",
    "Nghị_quyết số 20-NQ / TW , ngày 31-10-2012",
    "Quyết định số 36/2016/QĐ-\n\nUBND ngày 08/11/2016",
    "đạt 3,240 tỷ đồng, chiếm tỷ trọng 6,21% GRDP",
    "17,779,119 triệu USD",
    "Cơ quan Năng lượng nguyên tử quốc tế (IAEA)",
    "KISTI, KIAT của Hàn Quốc; IPI của Singapore",
    "Ô-xtrây-li-a , Nga , Xin-ga-po , Lào",
    "ngày 27 tháng 12 năm 2018",
    "Hoà bình",
    "Vụ HTQT",
]
NOISE = st.sampled_from(
    [" ", "\n", "\u00a0", "\u00ad", "\u200b", "\r\n", "  ", "(", ")", ", ", "\u0301", "ﬁ", "\t"]
)
DOCS = st.lists(st.one_of(st.sampled_from(SNIPPETS), NOISE, st.text(max_size=8)), max_size=12)


def _check_offsets(text: str, result: dict[str, list[dict[str, object]]]) -> None:
    for items in result.values():
        for item in items:
            start, end = item["start"], item["end"]
            assert isinstance(start, int) and isinstance(end, int)
            assert 0 <= start < end <= len(text)
            assert text[start:end] == item["text"]


@settings(max_examples=150, deadline=None)
@given(DOCS)
def test_extract_offsets_round_trip(parts: list[str]) -> None:
    text = "".join(parts)
    _check_offsets(text, extract(text))


@settings(max_examples=100, deadline=None)
@given(DOCS)
def test_segment_offsets_round_trip(parts: list[str]) -> None:
    text = "".join(parts)
    for sent in segment_spans(text):
        assert text[sent.start : sent.end] == sent.text
        for w in sent.words:
            assert sent.start <= w.start < w.end <= sent.end


def test_extract_on_every_seed(seed_texts: dict[str, str]) -> None:
    for name, text in seed_texts.items():
        result = extract(text)
        _check_offsets(text, result)
        assert set(result) == {"legal_refs", "countries", "organizations", "amounts", "dates"}
        assert result["countries"], name  # every seed names Viet Nam at least
    seed_002 = next(t for n, t in seed_texts.items() if n.startswith("002"))
    result = extract(seed_002)
    values = {(a["text"].strip(), a["value"]) for a in result["amounts"]}
    assert ("17,779,119 triệu USD", 17779.119) in values
    assert ("85,4%", 85.4) in values
    keys = {o["key"] for o in result["organizations"]}
    assert {"most", "kisti", "kiat", "ipi-singapore", "imag", "shanghai-tech-exchange"} <= keys
    isos = {c["iso2"] for c in result["countries"]}
    assert {"VN", "KR", "JP", "SG", "DE", "US", "CN"} <= isos


def test_extract_on_english_seed(seed_texts: dict[str, str]) -> None:
    seed_003 = next(t for n, t in seed_texts.items() if n.startswith("003"))
    result = extract(seed_003)
    assert "VN" in {c["iso2"] for c in result["countries"]}
    assert len(result["legal_refs"]) == 6
