"""The README documents every setting and every CLI command (a setting nobody can find does not exist)."""

from __future__ import annotations

import re

import pytest

from attgraph.cli import parser
from attgraph.settings import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS = sorted(set(re.findall(r"ATTGRAPH_[A-Z_]+", (PROJECT_ROOT / "src/attgraph/settings.py").read_text())))


@pytest.mark.parametrize("variable", SETTINGS)
def test_setting_is_documented(variable: str) -> None:
    assert f"| `{variable}` |" in README


def test_every_command_is_in_the_readme() -> None:
    commands = sorted(parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    missing = [c for c in commands if f"attgraph {c}" not in README]
    assert missing == []


def test_first_screen_has_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:30])
    assert "make serve" in first_screen
    assert "make test" in first_screen
    assert "/sparql" in first_screen
