"""The CLI, command by command as plain functions, and once end-to-end as a real process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from attgraph.cli import main

from .conftest import FIXTURES


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def small(make_project: Callable[..., Path]) -> Path:
    return make_project({"data/small.ttl": FIXTURES / "small.ttl"})


def test_query_table(make_project: Callable[..., Path]) -> None:
    root = small(make_project)
    code, out, err = run("--root", str(root), "query",
                         'SELECT ?n ?zh WHERE { ?a att:number ?n ; rdfs:label ?zh FILTER(lang(?zh) = "zh") } '
                         "ORDER BY ?n")
    assert (code, err) == (0, "")
    assert out == "n  zh\n-  -----\n7  第7条\n9  第9条\n(2 rows)\n"


def test_query_csv_and_ask(make_project: Callable[..., Path]) -> None:
    root = small(make_project)
    code, out, _ = run("--root", str(root), "query", "-f", "csv",
                       "SELECT ?n WHERE { ?a att:number ?n } ORDER BY ?n")
    assert (code, out) == (0, "n\r\n7\r\n9\r\n")
    assert run("--root", str(root), "query", "ASK { article:9 a att:Article }") == (0, "true\n", "")
    assert run("--root", str(root), "query", "ASK { article:1 a att:Article }") == (0, "false\n", "")


def test_query_construct_is_turtle(make_project: Callable[..., Path]) -> None:
    root = small(make_project)
    code, out, _ = run("--root", str(root), "query", "-f", "ntriples",
                       "CONSTRUCT { ?a att:number ?n } WHERE { ?a att:number ?n FILTER(?n = '7') }")
    assert (code, out) == (0, '<https://w3id.org/attgraph/id/article/7> '
                              '<https://w3id.org/attgraph/ontology#number> "7" .\n')


def test_query_syntax_error_exits_2(make_project: Callable[..., Path]) -> None:
    root = small(make_project)
    code, out, err = run("--root", str(root), "query", "SELECT ?x WHERE { ?x ?y }")
    assert (code, out) == (2, "")
    assert err.startswith("attgraph query: error: the query does not parse at line 1, column 26: ")


def test_query_from_file(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = small(make_project)
    query = tmp_path / "count.rq"
    query.write_text("SELECT (COUNT(*) AS ?articles) WHERE { ?a a att:Article }", encoding="utf-8")
    assert run("--root", str(root), "query", "-f", "tsv", str(query)) == (0, "?articles\n2\n", "")


def test_info_json(make_project: Callable[..., Path]) -> None:
    root = small(make_project)
    code, out, _ = run("--root", str(root), "info", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["triples"] == 8
    assert data["classes"] == {"https://w3id.org/attgraph/ontology#Article": 2}
    assert data["graphs"] == {"https://w3id.org/attgraph/graph/data/small.ttl": 8}


def test_broken_data_exits_2(make_project: Callable[..., Path]) -> None:
    root = make_project({"data/broken.ttl": FIXTURES / "broken.ttl"})
    code, out, err = run("--root", str(root), "info")
    assert (code, out) == (2, "")
    assert err == (f"attgraph info: error: {root / 'data' / 'broken.ttl'}:8: Turtle syntax error: "
                   'newline found in string literal (in: att:number "8 .)\n')


def test_end_to_end_process(make_project: Callable[..., Path]) -> None:
    """The installed console script, as a user runs it."""
    root = small(make_project)
    done = subprocess.run([Path(sys.executable).parent / "attgraph", "--root", str(root), "query", "-f", "json",
                           "SELECT ?n WHERE { article:9 att:number ?n }"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]["bindings"] == [{"n": {"type": "literal", "value": "9"}}]
