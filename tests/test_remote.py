"""Remote-store mode against a real Oxigraph server (the ``oxigraph`` command from PyPI), on loopback.

``push`` loads the built dataset graph by graph; the remote executor then gives the same answer as the
embedded engine on every named query; the service in front of it refuses what it refuses embedded; the
executor keeps its own deadline, size cap and row cap.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from attgraph.build.prebuilt import load_graph
from attgraph.cli import main
from attgraph.engine.push import push
from attgraph.engine.remote import RemoteExecutor, StoreUnavailable, bind_values, list_graphs, prefix_header
from attgraph.engine.remote_graph import RemoteGraph
from attgraph.engine.requests import DatasetSpec, QueryRequest
from attgraph.errors import QueryError, QuerySyntaxError, QueryTimeout
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namedqueries import NamedQuery, load_catalog
from attgraph.knowledge.namespaces import GRAPH, PREFIXES
from attgraph.settings import PROJECT_ROOT, Settings

from .conftest import free_port, logged_process, wait_until_answers

CATALOG = load_catalog(PROJECT_ROOT / "queries") if (PROJECT_ROOT / "queries").is_dir() else {}
ARTICLE = PREFIXES["article"]
#: About two seconds of work for the engine (200³ solutions counted), whatever the data.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?x{j} {{ {' '.join(str(i) for i in range(200))} }}" for j in range(3)) + " }"


def _oxigraph_command() -> str:
    found = Path(sys.executable).with_name("oxigraph")
    command = str(found) if found.exists() else shutil.which("oxigraph")
    if command is None:
        pytest.fail("the `oxigraph` command is missing: install the test extras (pip install -e '.[test]')")
    return command


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def oxigraph() -> Iterator[str]:
    """An in-memory Oxigraph server on loopback; yields its base URL."""
    port = free_port()
    process = logged_process([_oxigraph_command(), "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", "30"])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(process, f"{base}/query?query=ASK%7B%7D", "oxigraph serve")
        yield base
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def pushed(oxigraph: str, graph: KnowledgeGraph) -> str:
    """The server holding the project's dataset, pushed graph by graph; yields the query URL."""
    report = push(graph.store, [str(g) for g in graph.graph_names()], f"{oxigraph}/store",
                  query_url=f"{oxigraph}/query")
    assert report.graphs == {str(g): sum(1 for _ in graph.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
                             for g in graph.graph_names()}
    assert report.statements == len(graph.store)
    assert report.deleted == ()
    return f"{oxigraph}/query"


@pytest.fixture(scope="module")
def executor(pushed: str) -> Iterator[RemoteExecutor]:
    remote = RemoteExecutor(pushed)
    remote.start()
    yield remote
    remote.close()


def _request(text: str, values: dict[str, ox.NamedNode | ox.Literal] | None = None, *, timeout: float = 10.0,
             max_rows: int = 10_000, dataset: DatasetSpec | None = None) -> QueryRequest:
    return QueryRequest(text=text, deadline=time.monotonic() + timeout, max_rows=max_rows,
                        substitutions=values or {}, dataset=dataset or DatasetSpec(), prefixes=PREFIXES)


_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?P<args>(?:[^()]|\([^()]*\))*)\)\s*AS\s*[?$](?P<name>\w+)", re.IGNORECASE)
_SEPARATOR = re.compile(r"separator\s*=\s*(?P<q>['\"])(?P<sep>.*?)(?P=q)", re.IGNORECASE)


def _concatenated(sparql: str) -> dict[str, str]:
    """The variables a query makes with GROUP_CONCAT, and their separators."""
    found = {}
    for match in _CONCAT.finditer(sparql):
        separator = _SEPARATOR.search(match["args"])
        found[match["name"]] = separator["sep"] if separator else " "
    return found


def _rows(result_rows: list[dict[str, object]], concatenated: dict[str, str] | None = None,
          ) -> Counter[tuple[tuple[str, str], ...]]:
    """Rows as a multiset. GROUP_CONCAT leaves the order of its parts to the engine (it follows the store's
    internal order, which differs between two stores holding the same statements), so those values are
    compared as sorted lists of their parts."""
    def text(name: str, value: object) -> str:
        separator = (concatenated or {}).get(name)
        if separator is None or not isinstance(value, ox.Literal):
            return str(value)
        return separator.join(sorted(value.value.split(separator))) if separator else value.value
    return Counter(tuple(sorted((k, text(k, v)) for k, v in row.items())) for row in result_rows)


# -- text preparation (no server needed) -------------------------------------------------------------

def test_prefix_header_declares_only_used_undeclared_prefixes() -> None:
    text = "PREFIX att: <urn:x:> SELECT ?a WHERE { ?a att:number ?n ; rdfs:label ?l . FILTER(?a != article:7) }"
    assert prefix_header(text, PREFIXES) == (f"PREFIX article: <{ARTICLE}> "
                                             f"PREFIX rdfs: <{PREFIXES['rdfs']}> ")
    assert prefix_header("ASK { <urn:x:a> ?p 'att:number' }", PREFIXES) == ""


def test_bind_values_opens_the_where_group() -> None:
    values = {"body": ox.NamedNode(PREFIXES["body"] + "WGETI"), "date": ox.Literal("2025-06-01",
                                                                                  datatype=ox.NamedNode(
                                                                                      PREFIXES["xsd"] + "date"))}
    assert bind_values("SELECT ?body ?date ?x WHERE { ?x org:postIn ?body FILTER(?date > ?d) }", values) == (
        "SELECT ?body ?date ?x WHERE { VALUES (?body ?date) { (<https://w3id.org/attgraph/id/body/WGETI> "
        "\"2025-06-01\"^^<http://www.w3.org/2001/XMLSchema#date>) }  ?x org:postIn ?body FILTER(?date > ?d) }")


def test_bind_values_skips_a_construct_template() -> None:
    value = {"a": ox.NamedNode(ARTICLE + "7")}
    assert bind_values("CONSTRUCT { ?a att:n ?n } WHERE { ?a att:number ?n }", value) == (
        f"CONSTRUCT {{ ?a att:n ?n }} WHERE {{ VALUES (?a) {{ (<{ARTICLE}7>) }}  ?a att:number ?n }}")
    assert bind_values("CONSTRUCT WHERE { ?a att:number ?n }", value) == (
        f"CONSTRUCT {{ ?a att:number ?n }} WHERE {{ VALUES (?a) {{ (<{ARTICLE}7>) }}  ?a att:number ?n }}")


def test_bind_values_wraps_a_top_level_subselect() -> None:
    value = {"a": ox.NamedNode(ARTICLE + "7")}
    assert bind_values("SELECT ?a WHERE { SELECT ?a WHERE { ?a ?p ?o } }", value) == (
        f"SELECT ?a WHERE {{ VALUES (?a) {{ (<{ARTICLE}7>) }} {{  SELECT ?a WHERE {{ ?a ?p ?o }}  }} }}")


def test_bind_values_needs_a_where_group() -> None:
    with pytest.raises(ValueError, match="no WHERE group"):
        bind_values("DESCRIBE ?a", {"a": ox.NamedNode(ARTICLE + "7")})


def test_unreachable_store_is_store_unavailable() -> None:
    remote = RemoteExecutor(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(StoreUnavailable) as caught:
        remote.start()
    assert caught.value.status == 502
    assert caught.value.code == "store_unavailable"
    remote.close()


# -- against the server ------------------------------------------------------------------------------

@pytest.mark.slow
def test_push_puts_each_graph(pushed: str, graph: KnowledgeGraph) -> None:
    assert list_graphs(pushed) == sorted(str(g) for g in graph.graph_names())


@pytest.mark.slow
def test_push_deletes_graphs_of_ours_the_build_no_longer_has(oxigraph: str, pushed: str,
                                                             graph: KnowledgeGraph) -> None:
    stale = str(GRAPH) + "data/removed.ttl"
    httpx.put(f"{oxigraph}/store", params={"graph": stale}, content=b"<urn:x:a> <urn:x:b> <urn:x:c> .\n",
              headers={"content-type": "application/n-triples"}).raise_for_status()
    first = str(graph.graph_names()[0])
    report = push(graph.store, [first], f"{oxigraph}/store", query_url=pushed)
    assert report.deleted == tuple(sorted({stale} | {str(g) for g in graph.graph_names()} - {first}))
    assert list_graphs(pushed) == [first]
    again = push(graph.store, [str(g) for g in graph.graph_names()], f"{oxigraph}/store", query_url=pushed)
    assert again.deleted == ()
    assert list_graphs(pushed) == sorted(str(g) for g in graph.graph_names())


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CATALOG))
def test_named_query_same_answer_as_embedded(executor: RemoteExecutor, graph: KnowledgeGraph, name: str,
                                            ) -> None:
    query: NamedQuery = graph.catalog[name]
    bindings = {v.value: t for v, t in query.bindings({}).items()}
    ours = graph.run(query)
    theirs = executor.run(_request(query.sparql, bindings)).result
    assert theirs.kind == ours.kind
    if ours.kind == "select":
        assert theirs.variables == ours.variables
        concatenated = _concatenated(query.sparql)
        assert _rows(theirs.rows(), concatenated) == _rows(ours.rows(), concatenated)  # type: ignore[arg-type]
    elif ours.kind == "graph":
        assert sorted(map(str, theirs.triples())) == sorted(map(str, ours.triples()))
    else:
        assert theirs.boolean == ours.boolean


@pytest.mark.slow
def test_remote_graph_answers_like_the_embedded_graph(executor: RemoteExecutor, graph: KnowledgeGraph) -> None:
    remote = RemoteGraph(Settings(root=PROJECT_ROOT), executor)
    assert len(remote.store) == len(graph.store)
    assert remote.graph_names() == sorted(graph.graph_names())
    assert remote.counts() == graph.counts()
    article = ARTICLE + "9"
    # The same graph up to the names of blank nodes (the statements about the article are blank nodes).
    def read(triples: object) -> rdflib.Graph:
        return rdflib.Graph().parse(data="".join(f"{t} .\n" for t in triples), format="nt")  # type: ignore[attr-defined]

    described = read(graph.describe(article).triples())
    assert any(isinstance(s, rdflib.BNode) for s in described.subjects())
    assert isomorphic(read(remote.describe(article).triples()), described)
    assert remote.exists(article) is True
    assert remote.exists(ARTICLE + "99") is False
    label = ox.NamedNode(PREFIXES["rdfs"] + "label")
    assert sorted(map(str, remote.store.quads_for_pattern(ox.NamedNode(article), label, None))) == \
        sorted(map(str, graph.store.quads_for_pattern(ox.NamedNode(article), label, None)))


@pytest.mark.slow
def test_syntax_error_has_the_embedded_message_and_position(executor: RemoteExecutor,
                                                            graph: KnowledgeGraph) -> None:
    text = "SELECT ?x WHERE {\n  ?x att:number }"
    with pytest.raises(QuerySyntaxError) as remote_error:
        executor.run(_request(text))
    with pytest.raises(QuerySyntaxError) as local_error:
        graph.query(text)
    assert remote_error.value.message == local_error.value.message
    assert remote_error.value.details["line"] == 2
    assert remote_error.value.details["column"] == local_error.value.details["column"]


@pytest.mark.slow
def test_deadline_is_kept(executor: RemoteExecutor) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        executor.run(_request(SLOW, timeout=0.3))
    assert time.monotonic() - started < 1.5


@pytest.mark.slow
def test_response_size_is_capped(pushed: str) -> None:
    small = RemoteExecutor(pushed, max_bytes=2000)
    small.start()
    try:
        with pytest.raises(QueryError) as caught:
            small.run(_request("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"))
        assert caught.value.code == "result_too_large"
        assert caught.value.status == 502
        assert caught.value.details == {"limit": 2000}
        assert small.run(_request("ASK { article:9 ?p ?o }")).result.boolean is True
    finally:
        small.close()


@pytest.mark.slow
def test_the_service_own_queries_are_not_size_capped(pushed: str, graph: KnowledgeGraph) -> None:
    """The search index and counts are large answers of our own queries: the cap is for clients' queries."""
    small = RemoteExecutor(pushed, max_bytes=2000)
    small.start()
    try:
        remote = RemoteGraph(Settings(root=PROJECT_ROOT), small)
        assert remote.counts() == graph.counts()
        with pytest.raises(QueryError) as caught:
            small.run(_request("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"))
        assert caught.value.code == "result_too_large"
    finally:
        small.close()


@pytest.mark.slow
def test_row_cap_truncates(executor: RemoteExecutor) -> None:
    text = "SELECT ?a WHERE { ?a a att:Article } ORDER BY ?a"
    answer = executor.run(_request(text, max_rows=3))
    assert answer.truncated is True
    assert answer.result.values() == [{"a": ARTICLE + n} for n in ("1", "10", "11")]
    graph_answer = executor.run(_request("CONSTRUCT WHERE { ?a a att:Article }", max_rows=2))
    assert graph_answer.truncated is True
    assert len(graph_answer.result.triples()) == 2


@pytest.mark.slow
def test_request_dataset_is_passed_on(executor: RemoteExecutor) -> None:
    treaty = str(GRAPH) + "data/treaty.ttl"
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a att:Article }"
    only_treaty = executor.run(_request(text, dataset=DatasetSpec(default_graphs=(treaty,), named_graphs=())))
    assert only_treaty.result.values() == [{"n": "28"}]
    ontology = str(GRAPH) + "ontology/attgraph.ttl"
    only_ontology = executor.run(_request(text, dataset=DatasetSpec(default_graphs=(ontology,), named_graphs=())))
    assert only_ontology.result.values() == [{"n": "0"}]


# -- the service in remote mode --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def remote_service(pushed: str) -> Iterator[str]:
    """``attgraph serve --store URL`` in a subprocess on loopback; yields its base URL."""
    port = free_port()
    process = logged_process(
        [sys.executable, "-m", "attgraph.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--store",
         pushed], cwd=PROJECT_ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(process, f"{base}/health", "attgraph serve --store")
        yield base
    finally:
        _stop(process)


@pytest.mark.slow
def test_service_in_remote_mode_answers(remote_service: str, graph: KnowledgeGraph) -> None:
    response = httpx.get(f"{remote_service}/sparql",
                         params={"query": "SELECT ?zh WHERE { article:9 att:heading ?zh FILTER(lang(?zh) = 'zh') }"})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == [
        {"zh": {"type": "literal", "value": "过境或转运", "xml:lang": "zh"}}]
    health = httpx.get(f"{remote_service}/health").json()
    assert health["triples"] == len(graph.store)
    assert health["queries"]["store"].endswith("/query")


@pytest.mark.slow
@pytest.mark.parametrize(("method", "fields", "code"), [
    ("GET", {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}, "service_refused"),
    ("POST", {"query": "DROP ALL"}, "update_refused"),
    ("POST", {"update": "DROP ALL"}, "update_refused"),
    ("GET", {"query": "SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }"}, "unknown_graph"),
])
def test_service_in_remote_mode_refuses_the_same(remote_service: str, pushed: str, graph: KnowledgeGraph,
                                                 method: str, fields: dict[str, str], code: str) -> None:
    if method == "GET":
        response = httpx.get(f"{remote_service}/sparql", params=fields)
    else:
        response = httpx.post(f"{remote_service}/sparql", data=fields)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    count = httpx.post(pushed, data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                       headers={"accept": "application/sparql-results+json"}).json()
    assert count["results"]["bindings"][0]["n"]["value"] == str(len(graph.store))


@pytest.mark.slow
def test_push_command(oxigraph: str, pushed: str) -> None:
    built, _ = load_graph(Settings(root=PROJECT_ROOT))
    out = io.StringIO()
    assert main(["--root", str(PROJECT_ROOT), "push", f"{oxigraph}/store", "--sparql", pushed], out=out) == 0
    assert out.getvalue() == (f"pushed {len(built.store)} statements in {len(built.graph_names())} graphs to "
                              f"{oxigraph}/store\n")
    assert list_graphs(pushed) == sorted(str(g) for g in built.graph_names())


def test_push_command_to_nowhere_exits_2() -> None:
    err = io.StringIO()
    url = f"http://127.0.0.1:{free_port()}/store"
    assert main(["--root", str(PROJECT_ROOT), "push", url], out=io.StringIO(), err=err) == 2
    assert err.getvalue().startswith(f"attgraph push: error: PUT {url} for graph ")
