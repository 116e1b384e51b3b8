"""The shared seeds and data sets: skipped where absent, a failure under CI."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from vntext.normalize import normalize


def _conftest() -> ModuleType:
    path = Path(__file__).resolve().parent / "conftest.py"
    spec = importlib.util.spec_from_file_location("vntext_tests_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_shared_folder_skips_locally_and_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    require = _conftest()._require
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require(tmp_path / "absent")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        require(tmp_path / "absent")
    assert require(tmp_path) == tmp_path


NEW_STYLE = re.compile(r"(?<![qQ])(?:o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?![^\W\d_])")


def test_seeds_mixed_tone_styles_become_one(seed_texts: dict[str, str]) -> None:
    mixed = "".join(seed_texts.values())
    assert NEW_STYLE.search(mixed), "the seeds mix hoà/hòa (if not, this test is moot)"
    assert NEW_STYLE.search(normalize(mixed)) is None
    assert (
        normalize("Hoà bình, toàn cầu hoá, khoẻ, thuỷ sản")
        == "Hòa bình, toàn cầu hóa, khỏe, thủy sản"
    )


def test_ud_treebank_is_available(ud_dir: Path) -> None:
    assert (ud_dir / "vi_vtb-ud-test.conllu").exists()
