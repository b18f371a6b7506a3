"""The prebuilt store: written once, opened without parsing Turtle, rebuilt when an input changes, never
served when the data failed to load; the on-disk kind answers the same as the in-memory one."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from attgraph.build import prebuilt as store
from attgraph.cli import main
from attgraph.errors import LoadError
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import graph_iri
from attgraph.settings import PROJECT_ROOT, Settings

from .conftest import FIXTURES, children, descendants, free_port, logged_process, output_of

LABELS = "SELECT ?article ?label WHERE { ?article a att:Article ; rdfs:label ?label } ORDER BY ?article ?label"
EXPECTED = [
    {"article": "https://w3id.org/attgraph/id/article/7", "label": "Article 7"},
    {"article": "https://w3id.org/attgraph/id/article/7", "label": "第7条"},
    {"article": "https://w3id.org/attgraph/id/article/9", "label": "Article 9"},
    {"article": "https://w3id.org/attgraph/id/article/9", "label": "第9条"},
]
ARTICLE_11 = ('@prefix att: <https://w3id.org/attgraph/ontology#> .\n'
              '<https://w3id.org/attgraph/id/article/11> a att:Article ; att:number "11" .\n')


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    return make_project({"data/small.ttl": FIXTURES / "small.ttl",
                         "ontology/empty.ttl": "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"})


def _touch_later(path: Path) -> None:
    """Give ``path`` a modification time clearly after the build's (file systems may round to seconds)."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))


def test_first_load_writes_the_store_and_manifest(project: Path) -> None:
    settings = Settings(root=project)
    graph, prebuilt = store.load_graph(settings)
    assert prebuilt.folder == project / "dist" / "store"
    assert sorted(p.name for p in prebuilt.folder.iterdir()) == ["attgraph.nq", "manifest.json"]
    manifest = json.loads((prebuilt.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "memory"
    assert manifest["statements"] == 8
    assert manifest["format"] == store.FORMAT
    assert manifest["graphs"] == [str(graph_iri("data/small.ttl")), str(graph_iri("ontology/empty.ttl"))]
    assert [(i["path"], i["size"]) for i in manifest["inputs"]] == [
        ("data/small.ttl", (project / "data" / "small.ttl").stat().st_size),
        ("ontology/empty.ttl", (project / "ontology" / "empty.ttl").stat().st_size)]
    assert graph.files == []
    assert graph.query(LABELS).values() == EXPECTED


def test_round_trip_opens_without_rebuilding(project: Path) -> None:
    settings = Settings(root=project)
    _, first = store.load_graph(settings)
    graph, second = store.load_graph(settings, rebuild=False)
    assert second.manifest == first.manifest
    assert len(graph.store) == 8
    assert graph.graph_names() == [graph_iri("data/small.ttl"), graph_iri("ontology/empty.ttl")]
    assert graph.query(LABELS).values() == EXPECTED
    assert graph.counts().graphs == {str(graph_iri("data/small.ttl")): 8}


def test_same_answers_as_a_graph_loaded_from_turtle(project: Path) -> None:
    settings = Settings(root=project)
    loaded = KnowledgeGraph.load(settings)
    opened, _ = store.load_graph(settings)
    assert opened.query(LABELS).values() == loaded.query(LABELS).values()
    assert sorted(map(str, opened.dataset.quads((None, None, None, None)))) == \
        sorted(map(str, loaded.dataset.quads((None, None, None, None))))


def test_an_edited_input_makes_the_store_stale_and_it_is_rebuilt(project: Path) -> None:
    settings = Settings(root=project)
    store.load_graph(settings)
    small = project / "data" / "small.ttl"
    small.write_text(small.read_text(encoding="utf-8") + ARTICLE_11.split("\n", 1)[1], encoding="utf-8")
    _touch_later(small)
    assert store.open_prebuilt(settings) is None
    with pytest.raises(LoadError, match="no fresh prebuilt store"):
        store.load_graph(settings, rebuild=False)
    graph, prebuilt = store.load_graph(settings)
    assert prebuilt.manifest.statements == 10
    assert graph.query("SELECT ?n WHERE { article:11 att:number ?n }").values() == [{"n": "11"}]


def test_touching_an_input_makes_the_store_stale(project: Path) -> None:
    settings = Settings(root=project)
    store.load_graph(settings)
    _touch_later(project / "ontology" / "empty.ttl")
    assert store.open_prebuilt(settings) is None


def test_an_added_or_removed_input_makes_the_store_stale(project: Path) -> None:
    settings = Settings(root=project)
    store.load_graph(settings)
    added = project / "data" / "article-11.ttl"
    added.write_text(ARTICLE_11, encoding="utf-8")
    assert store.open_prebuilt(settings) is None
    graph, _ = store.load_graph(settings)
    assert graph.graph_names() == [graph_iri("data/article-11.ttl"), graph_iri("data/small.ttl"),
                                   graph_iri("ontology/empty.ttl")]
    added.unlink()
    assert store.open_prebuilt(settings) is None
    graph, _ = store.load_graph(settings)
    assert len(graph.store) == 8


def test_data_that_fails_to_load_is_never_served(project: Path) -> None:
    """The old store is stale the moment an input changes; the rebuild raises, so nothing is served."""
    settings = Settings(root=project)
    _, before = store.load_graph(settings)
    (project / "data" / "broken.ttl").write_bytes((FIXTURES / "broken.ttl").read_bytes())
    assert store.open_prebuilt(settings) is None
    with pytest.raises(LoadError) as caught:
        store.load_graph(settings)
    assert caught.value.details["file"] == str(project / "data" / "broken.ttl")
    assert caught.value.details["line"] == 8
    assert store.read_manifest(before.folder) == before.manifest


def test_a_damaged_store_is_rebuilt(project: Path) -> None:
    settings = Settings(root=project)
    _, prebuilt = store.load_graph(settings)
    dump = prebuilt.folder / "attgraph.nq"
    dump.write_text(dump.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    with pytest.raises(LoadError, match="holds 1 statements, its manifest says 8"):
        store.open_graph(prebuilt, settings)
    graph, _ = store.load_graph(settings)
    assert graph.query(LABELS).values() == EXPECTED


def test_an_unreadable_manifest_means_rebuild(project: Path) -> None:
    settings = Settings(root=project)
    _, prebuilt = store.load_graph(settings)
    (prebuilt.folder / "manifest.json").write_text("{not json", encoding="utf-8")
    assert store.read_manifest(prebuilt.folder) is None
    assert store.open_prebuilt(settings) is None


def test_on_disk_store_answers_the_same(project: Path) -> None:
    memory, _ = store.load_graph(Settings(root=project))
    settings = Settings(root=project, store_path=project / "db")
    disk, prebuilt = store.load_graph(settings)
    assert prebuilt.manifest.kind == "disk"
    assert prebuilt.folder == project / "db"
    assert (project / "db" / "manifest.json").is_file()
    assert not (project / "db" / "attgraph.nq").exists()
    assert disk.query(LABELS).values() == memory.query(LABELS).values() == EXPECTED
    counts = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    assert disk.query(counts).values() == memory.query(counts).values() == [
        {"g": str(graph_iri("data/small.ttl")), "n": "8"}]
    numbers = "CONSTRUCT { ?a att:number ?n } WHERE { ?a att:number ?n }"
    assert sorted(map(str, disk.query(numbers).triples())) == sorted(map(str, memory.query(numbers).triples())) == [
        '<https://w3id.org/attgraph/id/article/7> <https://w3id.org/attgraph/ontology#number> "7"',
        '<https://w3id.org/attgraph/id/article/9> <https://w3id.org/attgraph/ontology#number> "9"']
    assert disk.query("ASK { article:9 ?p ?o }").boolean is memory.query("ASK { article:9 ?p ?o }").boolean is True
    reopened, again = store.load_graph(settings, rebuild=False)
    assert again.manifest == prebuilt.manifest
    assert reopened.query(LABELS).values() == EXPECTED


def test_on_disk_store_is_read_only_and_shared(project: Path) -> None:
    """Several processes (service workers) open the same folder at once; none can write to it."""
    settings = Settings(root=project, store_path=project / "db")
    _, prebuilt = store.load_graph(settings)
    first, second = prebuilt.open(), prebuilt.open()
    assert len(first) == len(second) == 8
    with pytest.raises(RuntimeError, match="only possible on read-write instances"):
        first.update("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")


def test_a_memory_manifest_does_not_serve_on_disk_settings(project: Path) -> None:
    store.load_graph(Settings(root=project))
    assert store.open_prebuilt(Settings(root=project, store_path=project / "dist" / "store")) is None


def test_write_store_stamps_inputs_taken_before_loading(project: Path) -> None:
    """A file edited while a build runs leaves a stale store behind, not a wrongly fresh one."""
    settings = Settings(root=project)
    stamps = store.stamp_inputs(store.input_paths(settings), project)
    graph = KnowledgeGraph.load(settings)
    _touch_later(project / "data" / "small.ttl")
    store.write_store(graph, store.store_dir(settings), stamps)
    assert store.open_prebuilt(settings) is None


@pytest.mark.slow
def test_build_command_writes_an_on_disk_store(tmp_path: Path) -> None:
    """``attgraph build --store-dir`` on the project: the dumps go to ``--out``, the store to the folder."""
    out = io.StringIO()
    dumps, folder = tmp_path / "dumps", tmp_path / "db"
    assert main(["--root", str(PROJECT_ROOT), "build", "--out", str(dumps), "--store-dir", str(folder)], out=out) == 0
    assert out.getvalue().splitlines()[-1] == f"  prebuilt store (disk): {folder}"
    prebuilt = store.open_prebuilt(Settings(root=PROJECT_ROOT, store_path=folder))
    assert prebuilt is not None
    assert prebuilt.manifest.kind == "disk"
    dumped = sum(1 for _ in ox.parse(path=dumps / "attgraph.nq", format=ox.RdfFormat.N_QUADS))
    assert prebuilt.manifest.statements == len(prebuilt.open()) == dumped


def _connections_held(port: int, pids: list[int]) -> dict[int, int]:
    """How many established TCP connections to local ``port`` each of ``pids`` holds (read from /proc)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # 01: established
                inodes.add(fields[9])
    held = {}
    for pid in pids:
        links = [os.readlink(entry) for entry in Path(f"/proc/{pid}/fd").iterdir()]
        held[pid] = sum(1 for link in links if link.startswith("socket:[") and link[8:-1] in inodes)
    return held


@pytest.mark.slow
def test_serve_with_two_processes_shares_one_store(project: Path) -> None:
    """``serve --processes 2`` builds the stale store once and loads it once; the fork server gives each of
    the two service processes its own query worker; connections are spread over both processes; SIGTERM
    stops the whole tree."""
    port = free_port()
    env = {**os.environ, "ATTGRAPH_WORKERS": "1"}
    process = logged_process([sys.executable, "-m", "attgraph.cli", "--root", str(project), "serve", "--port",
                              str(port), "--processes", "2"], env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    tree: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, output_of(process)
            tree = descendants(process.pid)
            if sorted(tree.values()) == ["attgraph-fork", "attgraph-http", "attgraph-http", "attgraph-query",
                                         "attgraph-query"]:
                break
            assert time.monotonic() < deadline, f"the process tree did not form within 120 s: {tree}"
            time.sleep(0.1)
        fork = next(pid for pid, name in tree.items() if name == "attgraph-fork")
        assert sorted(tree[pid] for pid in children(fork)) == ["attgraph-query", "attgraph-query"]
        assert sorted(tree[pid] for pid in children(process.pid)) == ["attgraph-fork", "attgraph-http",
                                                                       "attgraph-http"]
        clients = [httpx.Client(base_url=base, trust_env=False) for _ in range(32)]
        try:
            for client in clients:  # 32 connections, kept open
                response = client.get("/sparql", params={"query": LABELS},
                                      headers={"accept": "application/sparql-results+json"})
                assert response.status_code == 200
                rows = [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]
                assert rows == EXPECTED
            held = _connections_held(port, [pid for pid, name in tree.items() if name == "attgraph-http"])
            assert sum(held.values()) == 32
            assert min(held.values()) > 0, held  # each service process answers some of them
        finally:
            for client in clients:
                client.close()
        assert json.loads((project / "dist" / "store" / "manifest.json").read_text(encoding="utf-8"))[
            "statements"] == 8
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0
    assert [tree[pid] for pid in tree if Path(f"/proc/{pid}").exists()] == []  # nothing left, not even a zombie
