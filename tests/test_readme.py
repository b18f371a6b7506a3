"""The README documents every setting and every CLI command (a setting nobody can find does not exist)."""

from __future__ import annotations

import re

import pytest

from attgraph.cli import parser
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import compact
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


def test_the_post_holders_example_shows_what_the_query_answers(graph: KnowledgeGraph) -> None:
    """The output shown under the "Posts over time" example is the named query's one row, column by column."""
    command = ".venv/bin/attgraph query --named post-holders-on-date -p body=body:WGETI -p date=2025-06-01"
    lines = README.splitlines()
    shown = re.split(r"\s{2,}", lines[lines.index(command) + 1].removeprefix("#").strip())
    rows = graph.run("post-holders-on-date", {"body": "body:WGETI", "date": "2025-06-01"}).values()
    columns = ("post", "holder", "holderLabel", "begin", "end", "beginFrom", "endFrom", "rule")
    assert [[compact(row[c]) for c in columns] for row in rows] == [shown]


def test_the_recommendations_example_gives_labels_and_summaries(graph: KnowledgeGraph) -> None:
    """The "Recommendations and decisions" example: the first row shown (number, label, status) is the named
    query's, and every recommendation to CSP11 comes with its English label and summary."""
    command = ".venv/bin/attgraph query --named recommendations-to-session -p session=session:CSP11"
    lines = README.splitlines()
    shown = re.split(r"\s{2,}", lines[lines.index(command) + 1].removeprefix("#").strip())
    rows = graph.run("recommendations-to-session", {"session": "session:CSP11"}).values()
    assert [rows[0]["number"], rows[0]["label"], compact(rows[0]["status"])] == shown
    assert [row["number"] for row in rows] == list("abcdefghij")
    assert all(row["label"] and row["summary"] for row in rows)
