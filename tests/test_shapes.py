"""The SHACL shapes, driven by data files: ``tests/shapes/<ShapeName>/valid-*.ttl`` and ``invalid-*.ttl``.

Each case is validated merged with ``tests/shapes/context.ttl`` (a small valid world) and the ontology. A
valid case must conform with no result at all. An invalid case starts with comment lines naming every
result it must produce, one per line: ``# expect: FOCUS SHAPE [PATH]`` (CURIEs as the report prints them);
the results must be exactly those. Every named shape has at least one invalid case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from attgraph.checks.findings import ValidationReport
from attgraph.checks.validation import load_shapes, shape_names, validate
from attgraph.knowledge.loader import bind_prefixes, discover, load_files
from attgraph.settings import PROJECT_ROOT

CASES = Path(__file__).resolve().parent / "shapes"
CONTEXT = CASES / "context.ttl"


def _case_files(kind: str) -> list[Path]:
    return sorted(CASES.glob(f"*/{kind}-*.ttl"))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(PROJECT_ROOT / "shapes")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    _, files = load_files(discover(PROJECT_ROOT, ("ontology",)), PROJECT_ROOT)
    graph = Graph()
    for item in files:
        for triple in item.graph:
            graph.add(triple)
    return graph


def _validate(case: Path, shapes: Graph, ontology: Graph) -> ValidationReport:
    data = Graph()
    bind_prefixes(data)
    data.parse(CONTEXT, format="turtle")
    data.parse(case, format="turtle")
    for triple in ontology:
        data.add(triple)
    return validate(data, shapes)


def _expected(case: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in case.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            parts = line.removeprefix("# expect:").split()
            rows.append((parts[0], parts[1], parts[2] if len(parts) > 2 else "-"))
    return sorted(rows)


def _found(report: ValidationReport) -> list[tuple[str, str, str]]:
    return sorted((r.focus, r.shape, r.path or "-") for r in report.results)


def test_context_alone_conforms(shapes: Graph, ontology: Graph) -> None:
    data = Graph()
    data.parse(CONTEXT, format="turtle")
    for triple in ontology:
        data.add(triple)
    report = validate(data, shapes)
    assert [(r.focus, r.shape, r.message) for r in report.results] == []


@pytest.mark.parametrize("case", _case_files("valid"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_valid_case_conforms(case: Path, shapes: Graph, ontology: Graph) -> None:
    report = _validate(case, shapes, ontology)
    assert [(r.focus, r.shape, r.path, r.message) for r in report.results] == []
    assert report.conforms


@pytest.mark.parametrize("case", _case_files("invalid"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_invalid_case_gives_exactly_its_results(case: Path, shapes: Graph, ontology: Graph) -> None:
    expected = _expected(case)
    assert expected, f"{case} names no expected result (# expect: FOCUS SHAPE [PATH])"
    report = _validate(case, shapes, ontology)
    assert _found(report) == expected
    assert all(r.message and "{$" not in r.message and "{?" not in r.message for r in report.results)
    assert all("zh" in r.messages for r in report.results)


def test_every_shape_has_an_invalid_case(shapes: Graph) -> None:
    """Each named shape is expected in some invalid case; a node shape that only gathers named property
    shapes (shape:BilingualLabels) is covered when they all are."""
    from attgraph.knowledge.namespaces import SH

    covered = {shape for case in _case_files("invalid") for _, shape, _ in _expected(case)}
    names = {f"shape:{str(iri).rsplit('#', 1)[-1]}": iri for iri in shape_names(shapes)}
    for name, iri in names.items():
        parts = [f"shape:{str(p).rsplit('#', 1)[-1]}" for p in shapes.objects(iri, SH.property)]
        if parts and all(part in covered for part in parts):
            covered.add(name)
    assert sorted(set(names) - covered) == []


def test_every_ontology_class_is_targeted(shapes: Graph, ontology: Graph) -> None:
    """Every class the ontology defines is the sh:targetClass of a node shape, or named in a SPARQL target."""
    from attgraph.knowledge.namespaces import ATT, OWL, RDF, SH

    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(ATT))}
    targeted = set(shapes.objects(None, SH.targetClass))
    selects = " ".join(str(o) for o in shapes.objects(None, SH.select))
    named = {c for c in classes if f"att:{str(c).removeprefix(str(ATT))}" in selects}
    assert sorted(str(c) for c in classes - targeted - named) == []
