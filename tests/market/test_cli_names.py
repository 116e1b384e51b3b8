"""`caunoi eval-match`, `caunoi import-offers`: the dashed names map to Django's commands and
their help and usage errors name the command as it was typed."""

from __future__ import annotations

import pytest

from caunoi.cli import command_name, main


@pytest.mark.parametrize("typed", ["eval-match", "import-offers", "import-experts"])
def test_help_names_the_dashed_command(typed: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([typed, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: caunoi {typed} ")
    assert command_name(typed) not in out.split("\n", 1)[0]


def test_a_usage_error_names_the_dashed_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["import-offers"])  # no file, no --user
    assert exit_.value.code == 2
    assert "usage: caunoi import-offers " in capsys.readouterr().err


def test_help_subcommand_and_underscored_names_still_work(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["help", "eval-match"])
    assert capsys.readouterr().out.startswith("usage: caunoi eval-match ")
    with pytest.raises(SystemExit):
        main(["eval_match", "--help"])
    assert capsys.readouterr().out.startswith("usage: caunoi eval_match ")
