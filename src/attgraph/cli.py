"""The ``attgraph`` command: parses arguments and calls the core. Each command is a plain function.

Exit codes: 0 success (and, for ``validate``, the data conforms), 1 the data does not conform, 2 the
command could not run (bad input, unreadable file, syntax error …), with the reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from rdflib import Graph

from attgraph import __version__
from attgraph.build.dumps import build, write_inferences
from attgraph.build.gate import gate
from attgraph.knowledge.formats import result_format
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import compact

from .errors import AttgraphError
from .settings import Settings
from .textio import table

__all__ = ["cmd_build", "cmd_info", "cmd_ingest", "cmd_push", "cmd_query", "cmd_reason", "cmd_search", "cmd_serve",
           "cmd_validate", "main"]


def _graph(args: argparse.Namespace) -> KnowledgeGraph:
    return KnowledgeGraph.load(_settings(args))


def _settings(args: argparse.Namespace) -> Settings:
    root = getattr(args, "root", None)
    return Settings.from_env(root=Path(root) if root else None)


def cmd_build(args: argparse.Namespace, out: TextIO) -> int:
    """Load and check the graph, then write the dumps, the VoID/DCAT description and the prebuilt store."""
    from attgraph.build.findings import write_own_findings
    from attgraph.build.prebuilt import input_paths, stamp_inputs, store_dir, write_store

    settings = _settings(args)
    if args.store_dir:
        settings = replace(settings, store_path=Path(args.store_dir))
    inputs = stamp_inputs(input_paths(settings), settings.root)  # before loading: an edit meanwhile is stale
    graph = KnowledgeGraph.load(settings)
    out_dir = Path(args.out) if args.out else graph.settings.dist_dir
    inferred, checked = gate(graph)
    graph.attach_inferred(inferred)
    prebuilt = write_store(graph, store_dir(settings), inputs, "disk" if settings.store_path else "memory")
    graph.data_digest = prebuilt.manifest.digest()  # the dumps' catalogue names the data the service opens
    settings.dist_dir.mkdir(parents=True, exist_ok=True)
    write_own_findings(checked, graph.data_digest, settings, settings.dist_dir)
    report = build(graph, out_dir)
    print(f"built {report.triples} statements into {report.out_dir}", file=out)
    for name, size in report.files.items():
        print(f"  {name}  {size} bytes", file=out)
    print(f"  {write_inferences(graph, inferred, out_dir)}", file=out)
    print(f"  prebuilt store ({prebuilt.manifest.kind}): {prebuilt.folder}", file=out)
    return 0


def _user_data(args: argparse.Namespace, settings: Settings) -> Graph:
    """The files named on the command line, merged with our ontology (or, with --with-graph, our graph), for
    ``reason``."""
    from attgraph.checks.rdfinput import read_files
    from attgraph.checks.validation import data_for_files

    inputs = read_files([Path(name) for name in args.files], args.input_format)
    graph = KnowledgeGraph.load(settings) if args.with_graph else None
    return data_for_files(inputs, settings, graph=graph)


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    """Validate our graph, or the given files (with our graph, or --alone with our ontology), against the shapes.

    Exit 0 when the data conforms, 1 when it does not (the report says why), 2 when it could not run.
    """
    from attgraph.build.findings import our_graph, own_findings
    from attgraph.checks.rdfinput import read_files
    from attgraph.checks.report import render
    from attgraph.checks.userfiles import check_files, project_report
    from attgraph.checks.validation import load_shapes, ontology_store, validate_project

    settings = _settings(args)
    if not args.files:
        report = project_report(validate_project(KnowledgeGraph.load(settings)))
    else:
        inputs = read_files([Path(name) for name in args.files], args.input_format)
        shapes = load_shapes(settings.shapes_dir)
        if args.alone:
            report = check_files(inputs, shapes, ontology_store(settings), "ontology")
        else:
            graph = our_graph(settings)
            report = check_files(inputs, shapes, graph.asserted(), "graph", own_findings(graph, shapes))
    out.write(render(report, args.format, args.lang))
    return 0 if report.conforms else 1


def cmd_reason(args: argparse.Namespace, out: TextIO) -> int:
    """Check our graph (or the given files) with HermiT: consistency, unsatisfiable classes, inferences.

    Exit 0 when consistent with no unsatisfiable class, 1 otherwise, 2 when it could not run (no Java …).
    """
    from attgraph.checks.reasoning import reason, reason_project
    from attgraph.knowledge.inferred import inputs_digest, write_inferred

    settings = _settings(args)
    graph: KnowledgeGraph | None = None
    if args.files:
        result = reason(_user_data(args, settings))
    else:
        graph = KnowledgeGraph.load(settings)
        result = reason_project(graph)
    print(f"Reasoning: {'consistent' if result.consistent else 'inconsistent'}", file=out)
    unsatisfiable = ", ".join(compact(iri) for iri in result.unsatisfiable) or "none"
    print(f"  unsatisfiable classes: {unsatisfiable}", file=out)
    for problem in result.problems():
        print(f"  problem: {problem}", file=out)
    print(f"  inferred statements: {len(result.inferred)}", file=out)
    if args.out:
        digest = inputs_digest(graph.files) if graph is not None else ""
        size = write_inferred(list(result.inferred), Path(args.out), digest)
        print(f"  wrote {args.out} ({size} bytes)", file=out)
    timing = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items())
    print(f"  time: {timing}", file=out)
    return 0 if result.ok else 1


def _read_query(text: str) -> str:
    if text == "-":
        return sys.stdin.read()
    path = Path(text)
    if text.endswith(".rq") or (len(text) < 4096 and "{" not in text and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise AttgraphError(f"{text}: cannot read: {error.strerror}", {"file": text}) from error
    return text


def cmd_query(args: argparse.Namespace, out: TextIO) -> int:
    """Run a SPARQL query (a file, a string or ``-``) or a named query and print the result."""
    graph = _graph(args)
    params = dict(p.split("=", 1) for p in args.param or [])
    if args.named:
        result = graph.run(args.named, params)
    else:
        result = graph.query(_read_query(args.sparql))
    fmt = args.format
    if result.kind == "ask":
        print("true" if result.boolean else "false", file=out)
    elif result.kind == "graph":
        from attgraph.knowledge.formats import graph_format

        name = "turtle" if fmt == "table" else fmt
        out.write(result.serialize(graph_format(name)).decode("utf-8"))
    elif fmt == "table":
        rows = [[compact(r[v]) for v in result.variables] for r in result.values()]
        print(table(result.variables, rows), file=out)
    else:
        out.write(result.serialize(result_format(fmt)).decode("utf-8"))
    return 0


def cmd_info(args: argparse.Namespace, out: TextIO) -> int:
    """Print counts: triples, per named graph and per class (text or JSON)."""
    graph = _graph(args)
    counts = graph.counts()
    if args.format == "json":
        json.dump({"triples": counts.triples, "graphs": counts.graphs, "classes": counts.classes,
                   "properties": counts.properties}, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    print(f"triples: {counts.triples}", file=out)
    print(table(["graph", "triples"], [[g, str(n)] for g, n in counts.graphs.items()]), file=out)
    print(table(["class", "resources"], [[c, str(n)] for c, n in counts.classes.items()]), file=out)
    return 0


def cmd_ingest(args: argparse.Namespace, out: TextIO) -> int:
    """Segment the sources, extract references and write ``data/extracted/*.ttl``."""
    from attgraph.ingest.pipeline import run_ingest

    settings = _settings(args)
    written = run_ingest(settings.root)
    for path in written:
        print(f"wrote {path}", file=out)
    return 0


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    """Find units and labelled resources by Chinese or English text, ranked, with snippets."""
    from attgraph.knowledge.search import SearchIndex

    found = SearchIndex.from_graph(_graph(args)).search(args.text, limit=args.limit, offset=args.offset)
    if args.format == "json":
        json.dump({"query": args.text, "total": found.total, "offset": args.offset, "hits": [
            {"resource": h.resource, "type": h.type, "typeLabel": h.type_label, "label": h.label,
             "labelZh": h.label_zh, "score": round(h.score, 3), "field": h.field, "snippet": h.snippet.text,
             "highlights": [list(m) for m in h.snippet.marks], "source": h.source, "number": h.number,
             "via": h.via} for h in found.hits]}, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    rows = [[str(rank), f"{h.score:.2f}", compact(h.resource), h.type_label,
             compact(h.source) if h.source else "", h.number or "", h.snippet.text]
            for rank, h in enumerate(found.hits, start=args.offset + 1)]
    print(table(["#", "score", "resource", "kind", "document", "no.", "snippet"], rows), file=out)
    if found.total > args.offset + len(found.hits):
        print(f"({found.total} in all; --offset {args.offset + len(found.hits)} for the next)", file=out)
    return 0


def _serve_settings(args: argparse.Namespace) -> Settings:
    settings = _settings(args)
    if getattr(args, "store", None):
        settings = replace(settings, store_url=args.store)
    return settings


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    """Serve over HTTP, only data that loaded completely: the prebuilt store (rebuilt first if any input
    changed), or a remote store (``--store URL``), with ``--processes N`` service processes."""
    from attgraph.web.server import serve

    settings = _serve_settings(args)
    if args.processes is not None:
        if args.processes < 1:
            raise AttgraphError(f"--processes must be at least 1, got {args.processes}", code="bad_option")
        settings = replace(settings, processes=args.processes)
    return serve(settings, args.host, args.port, settings.processes, out)


def cmd_push(args: argparse.Namespace, out: TextIO) -> int:
    """Load the built dataset into a SPARQL server, one named graph per ``PUT`` (Graph Store Protocol)."""
    from attgraph.build.prebuilt import load_graph
    from attgraph.engine.push import push

    settings = _settings(args)
    graph, _ = load_graph(settings)
    report = push(graph.store, [str(g) for g in graph.graph_names()], args.url, query_url=args.sparql)
    print(f"pushed {report.statements} statements in {len(report.graphs)} graphs to {args.url}", file=out)
    for name in report.deleted:
        print(f"  deleted {name}", file=out)
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    top = argparse.ArgumentParser(prog="attgraph", description="A knowledge graph of the Arms Trade Treaty.")
    top.add_argument("--version", action="version", version=f"attgraph {__version__}")
    top.add_argument("--root", help="project folder holding ontology/ and data/ (default: this checkout)")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="load, check and write dumps and the prebuilt store to dist/")
    p.add_argument("--out", help="output folder (default: dist/)")
    p.add_argument("--store-dir", help="write the prebuilt store on disk in this folder, not in memory form to "
                   "dist/store (see ATTGRAPH_STORE_PATH); --out moves only the dumps")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("validate", help="check our graph, or RDF files, against the SHACL shapes")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="RDF files to check (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML); none: our graph")
    p.add_argument("--input-format", "-i", help="the files' RDF format (default: from each file's extension)")
    p.add_argument("--alone", action="store_true",
                   help="check the files with our ontology only, not with our whole graph (the default)")
    p.add_argument("--with-graph", action="store_true", help=argparse.SUPPRESS)  # the default since v2 of the report
    p.add_argument("--format", "-f", default="text", choices=["text", "json", "turtle"],
                   help="the report's format (turtle: the standard sh:ValidationReport)")
    p.add_argument("--lang", default="en", choices=["en", "zh"], help="the language of messages in the text report")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("reason", help="check our graph, or RDF files, with the OWL reasoner (needs Java)")
    p.add_argument("files", nargs="*", metavar="FILE", help="RDF files to check with our ontology; none: our graph")
    p.add_argument("--input-format", "-i", help="the files' RDF format (default: from each file's extension)")
    p.add_argument("--with-graph", action="store_true", help="reason over the files merged with our whole graph")
    p.add_argument("--out", help="write the inferred statements to this Turtle file")
    p.set_defaults(func=cmd_reason)

    p = sub.add_parser("query", help="run SPARQL (file, string or -) or a named query")
    p.add_argument("sparql", nargs="?", default="-", help="a .rq file, a query string, or - for stdin")
    p.add_argument("--named", help="run the named query of queries/NAME.rq instead")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help="a named-query parameter")
    p.add_argument("--format", "-f", default="table",
                   choices=["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld"])
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("info", help="counts per graph and per class")
    p.add_argument("--format", "-f", default="text", choices=["text", "json"])
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("ingest", help="segment the sources and extract references into data/extracted/")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="find units and resources by Chinese or English text")
    p.add_argument("text")
    p.add_argument("--limit", "-n", type=int, default=20)
    p.add_argument("--offset", type=int, default=0, help="skip this many hits (the next page)")
    p.add_argument("--format", "-f", default="text", choices=["text", "json"])
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("serve", help="serve the graph over HTTP")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--store", metavar="URL", help="answer from this SPARQL endpoint (see ATTGRAPH_STORE)")
    p.add_argument("--processes", type=int, metavar="N",
                   help="service processes, each answering requests (see ATTGRAPH_PROCESSES)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("push", help="load the built dataset into a SPARQL server (Graph Store Protocol PUT)")
    p.add_argument("url", help="the server's Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store")
    p.add_argument("--sparql", metavar="URL", help="its query endpoint: delete graphs of ours it has but we do not")
    p.set_defaults(func=cmd_push)
    return top


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args, out)
    except AttgraphError as error:
        print(f"attgraph {args.command}: error: {error.message}", file=err)
        excerpt = error.details.get("excerpt") if isinstance(error.details, dict) else None
        if isinstance(excerpt, str) and "\n" in excerpt and excerpt not in error.message:
            print("\n".join("    " + line for line in excerpt.split("\n")), file=err)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, and keep Python's exit flush from failing too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    raise SystemExit(main())
