"""OWL reasoning (HermiT through owlready2) and the materialised inferences; ``attgraph reason``; the build
gate; the inferred graph in the knowledge graph's store."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from attgraph.checks.reasoning import materialise, reason, reason_project
from attgraph.cli import main
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.inferred import INFERRED_GRAPH
from attgraph.knowledge.namespaces import ATT, article_iri, provision_iri
from attgraph.settings import PROJECT_ROOT, Settings

from .conftest import FIXTURES

FILES = FIXTURES / "validation"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _without_time(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("  time:")) + "\n"


def _ontology_and(path: Path) -> Graph:
    graph = Graph().parse(PROJECT_ROOT / "ontology" / "attgraph.ttl")
    graph.parse(path)
    return graph


def _store(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(_ontology_and(path).serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def test_rules_give_the_whole_part_of_chain() -> None:
    inferred = set(materialise(_store(FILES / "part-of-chain.ttl")))
    item, treaty = provision_iri("7.1.b.ii"), "https://w3id.org/attgraph/id/treaty/ATT"

    def objects(subject: str, predicate: str) -> list[str]:
        return sorted(str(t.object.value) for t in inferred
                      if t.subject.value == subject and t.predicate.value == predicate)

    assert objects(str(item), str(ATT.isPartOf)) == sorted(
        [str(provision_iri("7.1.b")), str(provision_iri("7.1")), str(article_iri(7)), treaty])
    assert objects(treaty, str(ATT.hasPart)) == sorted(
        [str(article_iri(7)), str(provision_iri("7.1")), str(provision_iri("7.1.b")), str(item)])
    types = objects(str(item), "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert types == ["http://data.europa.eu/eli/ontology#LegalResourceSubdivision", str(ATT.Provision)]


@pytest.mark.slow
def test_consistent_data_reasons_clean() -> None:
    result = reason(_ontology_and(FILES / "part-of-chain.ttl"))
    assert (result.consistent, result.unsatisfiable, result.clashes, result.problems()) == (True, (), (), [])


@pytest.mark.slow
def test_an_article_typed_as_a_body_is_caught() -> None:
    code, out, err = run("reason", str(FILES / "article-as-body.ttl"))
    assert (code, err) == (1, "")
    assert _without_time(out) == (
        "Reasoning: inconsistent\n"
        "  unsatisfiable classes: none\n"
        "  problem: the ontology and data are logically inconsistent (HermiT)\n"
        "  problem: article:99 is both att:Body and att:Provision, which are disjoint classes\n"
        "  inferred statements: 5\n")


@pytest.mark.slow
def test_a_broken_disjointness_is_caught() -> None:
    result = reason(_ontology_and(FILES / "broken-disjointness.ttl"))
    assert not result.consistent
    assert result.problems() == [
        "the ontology and data are logically inconsistent (HermiT)",
        "person:ana-lopez is both att:Person and att:State, which are disjoint classes",
    ]


@pytest.mark.slow
def test_project_graph_is_consistent(graph: KnowledgeGraph) -> None:
    result = reason_project(graph)
    assert (result.consistent, result.unsatisfiable, result.problems()) == (True, (), [])


@pytest.mark.slow
def test_without_java_reason_exits_2() -> None:
    bin_dir = Path(sys.executable).parent
    assert shutil.which("java", path=str(bin_dir)) is None
    env = {**os.environ, "PATH": str(bin_dir)}
    process = subprocess.run([sys.executable, "-m", "attgraph.cli", "reason", str(FILES / "part-of-chain.ttl")],
                             capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=300)
    assert (process.returncode, process.stdout) == (2, "")
    assert process.stderr == (
        "attgraph reason: error: the OWL reasoner (HermiT) needs Java, and no 'java' was found on the PATH; "
        "install a Java runtime (Debian: apt-get install default-jre-headless, or `make system-deps`)\n")


def _project(make_project: Callable[..., Path], data: Path) -> Path:
    root = make_project({"data/chain.ttl": data})
    shutil.copytree(PROJECT_ROOT / "ontology", root / "ontology")
    shutil.copytree(PROJECT_ROOT / "shapes", root / "shapes")
    return root


@pytest.mark.slow
def test_build_gate_refuses_data_that_does_not_conform(make_project: Callable[..., Path]) -> None:
    root = _project(make_project, FILES / "three-mistakes.ttl")
    code, out, err = run("--root", str(root), "build", "--out", str(root / "dist"))
    assert (code, out) == (2, "")
    assert err == (
        "attgraph build: error: our own data does not pass the checks; nothing was built\n"
        "SHACL: does not conform: 3 violations, 0 warnings, 0 infos\n"
        "  shape:ChineseLabel: 1\n"
        "  shape:RecommendationShape: 1\n"
        "  shape:SessionShape: 1\n"
        "  run `attgraph validate` for the full report\n")
    assert not (root / "dist").exists()


@pytest.mark.slow
def test_build_gate_refuses_inconsistent_data(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """A session given a source file is inferred to be a source document (the domain of att:sourceFile),
    and sessions and documents are disjoint: no shape sees it, the reasoner does."""
    text = (FILES / "three-mistakes.ttl").read_text(encoding="utf-8")
    text = (text.replace('"2023-08-19"', '"2024-08-19"').replace("att:finished", "att:proposed")
            .replace('"Ana LOPEZ"@en ;', '"Ana LOPEZ"@en , "Ana LOPEZ"@zh ;')
            .replace("att:ordinal 10 ;", 'att:ordinal 10 ; att:sourceFile "data/sources/x.txt" ;'))
    fixture = tmp_path / "inconsistent.ttl"
    fixture.write_text(text, encoding="utf-8")
    root = _project(make_project, fixture)
    code, _, err = run("--root", str(root), "build", "--out", str(root / "dist"))
    assert code == 2
    assert err.splitlines()[1:] == [
        "OWL: the ontology and data are logically inconsistent (HermiT); session:CSP10 is both att:Document "
        "and att:Session, which are disjoint classes",
        "  run `attgraph reason` for details",
    ]


@pytest.mark.slow
def test_inferred_graph_is_written_and_loaded_while_fresh(make_project: Callable[..., Path]) -> None:
    text = (FILES / "three-mistakes.ttl").read_text(encoding="utf-8")
    text = (text.replace('"2023-08-19"', '"2024-08-19"').replace("att:finished", "att:proposed")
            .replace('"Ana LOPEZ"@en ;', '"Ana LOPEZ"@en , "Ana LOPEZ"@zh ;'))
    root = make_project({"data/fixed.ttl": text})
    shutil.copytree(PROJECT_ROOT / "ontology", root / "ontology")
    shutil.copytree(PROJECT_ROOT / "shapes", root / "shapes")
    code, _, err = run("--root", str(root), "build")
    assert (code, err) == (0, "")
    assert (root / "dist" / "inferred.ttl").is_file()
    graph = KnowledgeGraph.load(Settings(root=root))
    assert graph.graph_names()[-1] == INFERRED_GRAPH
    rows = graph.query("SELECT ?g WHERE { GRAPH ?g { session:CSP10 a schema:Event } }").values()
    assert rows == [{"g": str(INFERRED_GRAPH)}]
    (root / "data" / "fixed.ttl").write_text(text + "\n# edited\n", encoding="utf-8")
    stale = KnowledgeGraph.load(Settings(root=root))
    assert INFERRED_GRAPH not in stale.graph_names()
