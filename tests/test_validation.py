"""``attgraph validate``: the report (text, JSON, Turtle), exit codes, safe reading of user files, and the
project's own graph against its shapes (the build gate's test)."""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from attgraph.checks.report import report_schema
from attgraph.checks.validation import validate_project
from attgraph.cli import main
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import SH

from .conftest import FIXTURES

FILES = FIXTURES / "validation"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


THREE_MISTAKES_REPORT = """\
Validation: does not conform
  3 violations, 0 warnings, 0 infos
  checked: your files with our ontology alone
  by shape:
    shape:ChineseLabel         1 violation
    shape:RecommendationShape  1 violation
    shape:SessionShape         1 violation

shape:ChineseLabel (1 violation)
  Violation: person:ana-lopez "Ana LOPEZ"
    at:      {file}, line 33, column 5
                 rdfs:label "Ana LOPEZ"@en ;
    path:    rdfs:label
    message: person:ana-lopez has no Chinese label (rdfs:label with @zh)
    source:  source:csp10-interagency-wp/title

shape:RecommendationShape (1 violation)
  Violation: recommendation:interagency-guide "Add inter-agency cooperation to the Basic Guide"
    at:      {file}, line 39, column 16
                 att:status att:finished ;
    path:    att:status
    value:   att:finished
    message: Recommendation recommendation:interagency-guide: needs exactly one status, one of the nine \
att:Status values (att:draft … att:decided); found att:finished
    allowed: att:draft, att:proposed, att:adopted, att:endorsed, att:noted, att:encouraged, att:welcomed, \
att:requested, att:decided
    source:  source:csp10-interagency-wp/title

shape:SessionShape (1 violation)
  Violation: session:CSP10 "Tenth Conference of States Parties (CSP10)"
    at:      {file}, line 29, column 22
                 schema:startDate "2023-08-19"^^xsd:date ;
    value:   "2023-08-19"^^xsd:date
    message: Session session:CSP10: its date 2023-08-19 is in 2023, but sessions are annual from CSP1 in \
2015, so CSP10 is held in 2014 + 10 = 2024
    source:  source:csp10-interagency-wp/title
"""


def test_three_mistakes_are_named_in_plain_words() -> None:
    path = FILES / "three-mistakes.ttl"
    code, out, err = run("validate", "--alone", str(path))
    assert (code, err) == (1, "")
    assert out == THREE_MISTAKES_REPORT.replace("{file}", str(path))


def test_three_mistakes_in_chinese() -> None:
    code, out, _ = run("validate", "--alone", "--lang", "zh", str(FILES / "three-mistakes.ttl"))
    assert code == 1
    messages = [line.strip() for line in out.splitlines() if line.strip().startswith("message:")]
    assert messages == [
        "message: person:ana-lopez 缺少中文标签（带 @zh 的 rdfs:label）",
        "message: 建议 recommendation:interagency-guide：须有且仅有一个状态，为 att:Status 的九个取值之一"
        "（att:draft … att:decided）；实际为 att:finished",
        "message: 届会 session:CSP10：日期 2023-08-19 在 2023 年，但缔约国会议自 2015 年第一届起每年举行一届，"
        "第 10 届应在 2014 + 10 = 2024 年举行",
    ]


def test_json_report() -> None:
    path = FILES / "three-mistakes.ttl"
    code, out, _ = run("validate", "--alone", "--format", "json", str(path))
    body = json.loads(out)
    assert code == 1
    assert (body["version"], body["conforms"], body["counts"], body["against"]) == (
        2, False, {"violations": 3, "warnings": 0, "infos": 0}, "ontology")
    assert body["files"] == [{"name": str(path), "format": "turtle", "statements": 28}]
    assert body["ours"] == {"counts": {"violations": 0, "warnings": 0, "infos": 0}, "results": []}
    assert body["byShape"] == {
        "shape:ChineseLabel": {"violations": 1, "warnings": 0, "infos": 0},
        "shape:RecommendationShape": {"violations": 1, "warnings": 0, "infos": 0},
        "shape:SessionShape": {"violations": 1, "warnings": 0, "infos": 0},
    }
    assert [r["location"]["line"] for r in body["results"]] == [29, 33, 39]  # in the order of the file
    second = body["results"][1]
    assert second == {
        "severity": "Violation",
        "shape": "shape:ChineseLabel",
        "shapeIri": "https://w3id.org/attgraph/shapes#ChineseLabel",
        "focus": "person:ana-lopez",
        "focusIri": "https://w3id.org/attgraph/id/person/ana-lopez",
        "focusLabel": "Ana LOPEZ",
        "path": "rdfs:label",
        "value": None,
        "message": "person:ana-lopez has no Chinese label (rdfs:label with @zh)",
        "messages": {"en": "person:ana-lopez has no Chinese label (rdfs:label with @zh)",
                     "zh": "person:ana-lopez 缺少中文标签（带 @zh 的 rdfs:label）"},
        "component": "QualifiedMinCountConstraintComponent",
        "allowed": [],
        "suggestion": None,
        "sources": ["source:csp10-interagency-wp/title"],
        "location": {"file": str(path), "line": 33, "column": 5, "excerpt": '    rdfs:label "Ana LOPEZ"@en ;'},
    }


def test_turtle_report_is_a_shacl_validation_report() -> None:
    code, out, _ = run("validate", "--alone", "--format", "turtle", str(FILES / "three-mistakes.ttl"))
    report = Graph().parse(data=out, format="turtle")
    assert code == 1
    assert len(list(report.subjects(SH.conforms, None))) == 1
    assert len(list(report.subjects(None, SH.ValidationResult))) == 3
    assert sorted(str(o) for o in report.objects(None, SH.focusNode)) == [
        "https://w3id.org/attgraph/id/person/ana-lopez",
        "https://w3id.org/attgraph/id/recommendation/interagency-guide",
        "https://w3id.org/attgraph/id/session/CSP10",
    ]


def test_a_conforming_file_exits_0(tmp_path: Path) -> None:
    text = (FILES / "three-mistakes.ttl").read_text(encoding="utf-8")
    text = (text.replace('"2023-08-19"', '"2024-08-19"').replace("att:finished", "att:proposed")
            .replace('"Ana LOPEZ"@en ;', '"Ana LOPEZ"@en , "Ana LOPEZ"@zh ;'))
    path = tmp_path / "fixed.ttl"
    path.write_text(text, encoding="utf-8")
    assert run("validate", "--alone", str(path)) == (
        0, "Validation: conforms\n  0 violations, 0 warnings, 0 infos\n  checked: your files with our ontology alone\n",
        "")


@pytest.mark.parametrize("suffix", ["nt", "nq", "trig", "jsonld", "rdf"])
def test_every_rdf_format_is_read(suffix: str, tmp_path: Path) -> None:
    graph = Graph().parse(FILES / "three-mistakes.ttl")
    path = tmp_path / f"three-mistakes.{suffix}"
    rdflib_format = {"nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld", "rdf": "xml"}[suffix]
    if suffix in ("nq", "trig"):
        from rdflib import Dataset

        dataset = Dataset()
        named = dataset.graph(graph.identifier)
        for triple in graph:
            named.add(triple)
        dataset.serialize(path, format=rdflib_format, encoding="utf-8")
    else:
        graph.serialize(path, format=rdflib_format, encoding="utf-8")
    code, out, _ = run("validate", "--alone", "-f", "json", str(path))
    assert (code, json.loads(out)["counts"]["violations"]) == (1, 3)


def test_input_format_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes((FILES / "three-mistakes.ttl").read_bytes())
    assert run("validate", "-f", "json", str(path))[0] == 2
    code, out, _ = run("validate", "--alone", "-f", "json", "--input-format", "turtle", str(path))
    assert (code, json.loads(out)["counts"]["violations"]) == (1, 3)


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b ;\n", encoding="utf-8")
    assert run("validate", str(path)) == (
        2, "", f"attgraph validate: error: {path}:3:11: turtle syntax error: ; is not a valid RDF object\n"
               "    ex:a ex:b ;\n"
               "              ^\n")


def test_unreadable_file_and_unknown_format_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.ttl"
    assert run("validate", str(missing)) == (
        2, "", f"attgraph validate: error: {missing}: cannot read: No such file or directory\n")
    odd = tmp_path / "data.xyz"
    odd.write_text("x", encoding="utf-8")
    assert run("validate", str(odd)) == (
        2, "", f"attgraph validate: error: {odd}: cannot tell the RDF format from the file name; name the format "
               "(turtle, ntriples, nquads, trig, jsonld, rdfxml)\n")


# -- a file never makes validation fetch anything ------------------------------------------------


class Listener:
    """A loopback TCP server that records every connection made to it (there must be none)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def test_owl_imports_are_not_followed(listener: Listener, tmp_path: Path) -> None:
    path = tmp_path / "imports.ttl"
    path.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<http://example.org/o> a owl:Ontology ; owl:imports <http://127.0.0.1:{listener.port}/onto.ttl> .\n",
        encoding="utf-8")
    assert run("validate", "--alone", str(path))[0] == 0
    assert listener.connections == 0


@pytest.mark.parametrize("context", ["'{url}'", "['{url}', {{'ex': 'http://example.org/'}}]",
                                     "{{'@import': '{url}'}}"])
def test_remote_jsonld_contexts_are_refused(context: str, listener: Listener, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{listener.port}/context.jsonld"
    document = ('{"@context": ' + context.format(url=url).replace("'", '"') +
                ', "@id": "http://example.org/a", "http://example.org/p": "x"}')
    path = tmp_path / "remote.jsonld"
    path.write_text(document, encoding="utf-8")
    code, out, err = run("validate", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"attgraph validate: error: {path}: refused: the JSON-LD @context")
    assert listener.connections == 0


def test_rdfxml_entities_are_refused(listener: Listener, tmp_path: Path) -> None:
    path = tmp_path / "entities.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rdf:RDF [<!ENTITY remote SYSTEM "http://127.0.0.1:{listener.port}/entity">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="http://example.org/a"><rdf:value>&remote;</rdf:value></rdf:Description>\n'
        '</rdf:RDF>\n', encoding="utf-8")
    assert run("validate", str(path)) == (
        2, "", f"attgraph validate: error: {path}:2: refused: RDF/XML with a <!DOCTYPE declaration (entities "
               "are never expanded or fetched); remove the declaration\n")
    assert listener.connections == 0


# -- our own graph ---------------------------------------------------------------------------------


def test_project_graph_conforms(graph: KnowledgeGraph) -> None:
    """The build gate: our own data conforms to our shapes. On failure the assertion lists every result."""
    report = validate_project(graph)
    problems = [f"{r.severity} {r.shape} {r.focus}: {r.message}" for r in report.results
                if r.severity == "Violation"]
    assert problems == []
    assert report.conforms


# -- a file checked with our graph: five planted mistakes, each with its line --------------------------------

FIVE = FILES / "five-mistakes.ttl"
NOTES = "https://example.org/attgraph-notes/"
#: The five mistakes of ``five-mistakes.ttl``: line, column, shape, constraint, focus, suggestion.
FIVE_MISTAKES = [
    (18, 16, "shape:RecommendationShape", "InConstraintComponent", f"<{NOTES}checklist>", "att:adopted"),
    (26, 5, "shape:RecommendationShape", "QualifiedMinCountConstraintComponent", f"<{NOTES}outreach>", None),
    (32, 16, "shape:MeetingShape", "InConstraintComponent", f"<{NOTES}workshop>", None),
    (33, 22, "shape:MeetingShape", "DatatypeConstraintComponent", f"<{NOTES}workshop>", None),
    (37, 5, "shape:ChineseLabel", "QualifiedMinCountConstraintComponent", f"<{NOTES}briefing>", None),
]
SCHEMA = report_schema()


def five_mistakes(body: dict[str, object]) -> list[tuple[object, ...]]:
    results = body["results"]
    assert isinstance(results, list)
    return [(r["location"]["line"], r["location"]["column"], r["shape"], r["component"], r["focus"],
             r["suggestion"]) for r in results]


def test_five_planted_mistakes_are_found_with_the_graph_each_with_its_line() -> None:
    import jsonschema

    code, out, _ = run("validate", "--format", "json", str(FIVE))
    body = json.loads(out)
    jsonschema.validate(body, SCHEMA)
    assert (code, body["conforms"], body["against"], body["counts"]) == (
        1, False, "graph", {"violations": 5, "warnings": 0, "infos": 0})
    assert five_mistakes(body) == FIVE_MISTAKES
    lines = FIVE.read_text(encoding="utf-8").splitlines()
    assert [r["location"]["excerpt"] for r in body["results"]] == [lines[n - 1] for n, *_ in FIVE_MISTAKES]
    assert [lines[n - 1].rsplit("#", 1)[1].strip() for n, *_ in FIVE_MISTAKES] == [
        f"mistake {i}" for i in range(1, 6)]
    first = body["results"][0]
    assert (first["value"], first["allowed"]) == ('"adopted"', [
        "att:draft", "att:proposed", "att:adopted", "att:endorsed", "att:noted", "att:encouraged", "att:welcomed",
        "att:requested", "att:decided"])


def test_our_own_findings_are_kept_apart(graph: KnowledgeGraph) -> None:
    _, out, _ = run("validate", "--format", "json", str(FIVE))
    body = json.loads(out)
    own = validate_project(graph)
    assert [(r["shapeIri"], r["focusIri"], r["message"]) for r in body["ours"]["results"]] == [
        (r.shape_iri, r.focus_iri, r.message) for r in own.results]
    assert all("location" not in r for r in body["ours"]["results"])


def test_the_text_report_points_into_the_file() -> None:
    code, out, _ = run("validate", str(FIVE))
    assert code == 1
    assert out.startswith("Validation: does not conform\n  5 violations, 0 warnings, 0 infos\n"
                          "  checked: your files with our whole graph\n")
    assert f"    at:      {FIVE}, line 18, column 16\n" \
           '                 att:status "adopted" ;' in out
    assert "    did you mean att:adopted?\n" in out
    assert "\nIn our own graph, not in your files (" in out


def test_checked_alone_a_file_linking_to_our_graph_gets_dangling_links() -> None:
    code, out, _ = run("validate", "--alone", "--format", "json", str(FIVE))
    body = json.loads(out)
    dangling = sorted({r["value"] for r in body["results"] if r["shape"] == "shape:DanglingReference"})
    assert (code, body["against"]) == (1, "ontology")
    assert dangling == ["body:WGETI", "session:CSP12", "source:wgeti-csp12-draft-report/p2"]
